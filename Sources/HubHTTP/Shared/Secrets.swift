import Crypto
import Foundation
import HubServices
import HummingbirdBcrypt
import NIOPosix

/// bcrypt through hummingbird-auth, off the event loops (a cost-12 hash takes ~0.25 s).
public struct BcryptHasher: PasswordHasher {
    public let cost: UInt8

    public init(cost: UInt8 = 12) { self.cost = cost }

    public func hash(_ password: String) async throws -> String {
        let cost = self.cost
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    public func verify(_ password: String, against hash: String) async throws -> Bool {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
    }
}

/// 256-bit random tokens, stored as SHA-256.
public struct SHA256TokenDigest: TokenDigest {
    public init() {}

    public func newToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    public func digest(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}

/// Keys a client address for throttling without keeping the address itself: an HMAC with a
/// key that lives only in this process.
public struct AddressKeyer: Sendable {
    private let key = SymmetricKey(size: .bits256)

    public init() {}

    public func key(for address: String) -> String {
        HMAC<SHA256>.authenticationCode(for: Data(address.utf8), using: key).prefix(12).map { String(format: "%02x", $0) }.joined()
    }
}
