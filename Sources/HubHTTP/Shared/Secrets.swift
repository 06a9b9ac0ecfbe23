import Crypto
import Foundation
import HubServices
import HummingbirdBcrypt
import NIOPosix

/// bcrypt through hummingbird-auth, off the event loops (a cost-12 hash takes ~0.25 s).
/// bcrypt reads at most 72 bytes, so the password is first reduced to the base64 of its
/// SHA-256 (44 bytes): long passphrases count in full (Docs/decisions/0004).
public struct BcryptHasher: PasswordHasher {
    public let cost: UInt8

    public init(cost: UInt8 = 12) { self.cost = cost }

    static func prehash(_ password: String) -> String {
        Data(SHA256.hash(data: Data(password.utf8))).base64EncodedString()
    }

    public func hash(_ password: String) async throws -> String {
        let cost = self.cost
        let input = Self.prehash(password)
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(input, cost: cost) }
    }

    public func verify(_ password: String, against hash: String) async throws -> Bool {
        let input = Self.prehash(password)
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(input, hash: hash) }
    }
}

/// RFC 6238 TOTP with HMAC-SHA1, 6 digits (what authenticator apps expect), secrets in
/// RFC 4648 base32.
public struct TOTP: TOTPGenerator {
    public init() {}

    public func newSecret() -> String {
        var generator = SystemRandomNumberGenerator()
        return Self.base32((0..<20).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
    }

    public func code(secret: String, step: Int64) -> String {
        guard let key = Self.base32Decode(secret) else { return "" }
        var counter = UInt64(bitPattern: step).bigEndian
        let message = withUnsafeBytes(of: &counter) { Data($0) }
        let mac = Array(HMAC<Insecure.SHA1>.authenticationCode(for: message, using: SymmetricKey(data: key)))
        let offset = Int(mac[mac.count - 1] & 0x0f)
        let value = (UInt32(mac[offset] & 0x7f) << 24) | (UInt32(mac[offset + 1]) << 16) | (UInt32(mac[offset + 2]) << 8) | UInt32(mac[offset + 3])
        let code = String(value % 1_000_000)
        return String(repeating: "0", count: 6 - code.count) + code
    }

    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")

    public static func base32(_ bytes: [UInt8]) -> String {
        var output = ""
        var buffer = 0
        var bits = 0
        for byte in bytes {
            buffer = (buffer << 8) | Int(byte)
            bits += 8
            while bits >= 5 {
                output.append(alphabet[(buffer >> (bits - 5)) & 31])
                bits -= 5
            }
        }
        if bits > 0 { output.append(alphabet[(buffer << (5 - bits)) & 31]) }
        return output
    }

    public static func base32Decode(_ text: String) -> [UInt8]? {
        var output: [UInt8] = []
        var buffer = 0
        var bits = 0
        for character in text.uppercased() where character != "=" && character != " " {
            guard let index = alphabet.firstIndex(of: character) else { return nil }
            buffer = (buffer << 5) | index
            bits += 5
            if bits >= 8 {
                output.append(UInt8((buffer >> (bits - 8)) & 0xff))
                bits -= 8
            }
        }
        return output
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
        // Runs on every authenticated request: lower-case hex without `String(format:)`
        // (which was ~3 % of the server's CPU per mutation in the S5 profile).
        Hex.lowercase(SHA256.hash(data: Data(token.utf8)))
    }
}

/// Keys a client address for throttling and the audit log without keeping the address
/// itself: an HMAC with the installation's secret key, so entries correlate but the address
/// cannot be read back.
public struct AddressKeyer: Sendable {
    private let key: SymmetricKey

    public init(secret: String) { key = SymmetricKey(data: Data(secret.utf8)) }

    public func key(for address: String) -> String {
        Hex.lowercase(HMAC<SHA256>.authenticationCode(for: Data(address.utf8), using: key).prefix(12))
    }
}

/// SHA-256, HMAC-SHA-256 and secure random bytes for the feedback panels (receipt and invite
/// digests, client keys, day secrets, codes).
public struct SwiftCryptoPanelCrypto: PanelCrypto {
    public init() {}
    public func sha256(_ data: Data) -> Data { Data(SHA256.hash(data: data)) }
    public func hmacSHA256(key: Data, message: Data) -> Data {
        Data(HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: key)))
    }
    public func randomBytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }
}

/// Signs the links in meeting mails (RSVP without an account): HMAC-SHA256 with the
/// installation's secret; `isValid` compares in constant time (swift-crypto's check).
public struct HMACLinkSigner: LinkSigner {
    private let key: SymmetricKey

    public init(secret: String) { key = SymmetricKey(data: Data(("link-signing:" + secret).utf8)) }

    public func sign(_ message: String) -> String {
        HMAC<SHA256>.authenticationCode(for: Data(message.utf8), using: key).withUnsafeBytes { Hex.lowercase($0) }
    }

    public func isValid(_ signature: String, for message: String) -> Bool {
        guard signature.count == 64, let bytes = Self.hex(signature) else { return false }
        return HMAC<SHA256>.isValidAuthenticationCode(bytes, authenticating: Data(message.utf8), using: key)
    }

    static func hex(_ text: String) -> [UInt8]? {
        var out: [UInt8] = []
        var iterator = text.utf8.makeIterator()
        while let a = iterator.next() {
            guard let b = iterator.next(), let hi = nibble(a), let lo = nibble(b) else { return nil }
            out.append(hi << 4 | lo)
        }
        return out
    }

    static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        default: nil
        }
    }
}

/// Lower-case hexadecimal of bytes (digests, keys).
public enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    public static func lowercase<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
