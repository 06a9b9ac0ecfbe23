import Foundation

/// A secret code a person keeps on paper or in a photo: a receipt (view, change or withdraw
/// one's feedback, read the response) or an invite code (answer a closed panel).
///
/// Twenty Crockford base-32 characters (100 bits, from injected random bytes), shown in four
/// groups of five. Typing is forgiving: case, spaces and hyphens do not matter, and the
/// letters O, I and L count as 0, 1 and 1, because people copy codes from paper.
/// The description never prints the code, so that it cannot leak into logs by accident.
public struct PanelCode: Sendable, Hashable, CustomStringConvertible {
    /// The 20 canonical characters.
    public let value: String

    public static let length = 20
    static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")

    /// Reads a code as someone typed it; `nil` when it cannot be one.
    public init?(_ typed: String) {
        var characters: [Character] = []
        for character in typed.uppercased() {
            switch character {
            case " ", "-", "\t": continue
            case "O": characters.append("0")
            case "I", "L": characters.append("1")
            default:
                guard Self.alphabet.contains(character) else { return nil }
                characters.append(character)
            }
            guard characters.count <= Self.length else { return nil }
        }
        guard characters.count == Self.length else { return nil }
        value = String(characters)
    }

    /// A code from random bytes (at least 13; the first 100 bits are used). The services draw
    /// them from the system's secure random source.
    public init?(entropy: [UInt8]) {
        guard entropy.count >= 13 else { return nil }
        var characters: [Character] = []
        var buffer = 0
        var bits = 0
        for byte in entropy where characters.count < Self.length {
            buffer = (buffer << 8) | Int(byte)
            bits += 8
            while bits >= 5 && characters.count < Self.length {
                bits -= 5
                characters.append(Self.alphabet[(buffer >> bits) & 31])
            }
            buffer &= (1 << bits) - 1
        }
        value = String(characters)
    }

    /// Four groups of five: `7K3QM-X2B9D-…`.
    public var formatted: String {
        stride(from: 0, to: Self.length, by: 5).map { start in
            String(value.dropFirst(start).prefix(5))
        }.joined(separator: "-")
    }

    public var description: String { "PanelCode(redacted)" }

    /// The stored form: a hash of the code, separated by purpose so that a receipt can never
    /// pass as an invite code. `hash` is SHA-256 in production; an unkeyed hash suffices
    /// because 100 random bits cannot be guessed.
    public func digest(_ purpose: PanelCodePurpose, using hash: (Data) -> Data) -> PanelCodeDigest {
        PanelCodeDigest(hex: Hex.encode(hash(Data("roundtable.panel.\(purpose.rawValue).v1\0\(value)".utf8))))
    }
}

/// What a code is for.
public enum PanelCodePurpose: String, Sendable, Hashable, Codable {
    case receipt, invite
}

/// The stored hash of a `PanelCode`, in lower-case hex. The store looks submissions and
/// invites up by it.
public struct PanelCodeDigest: Sendable, Hashable, Codable, CustomStringConvertible {
    public let hex: String

    public init(hex: String) { self.hex = hex }

    public var description: String { hex }

    /// Compares in time independent of where the first difference is.
    public func matches(_ other: PanelCodeDigest) -> Bool { Hex.constantTimeEquals(hex, other.hex) }

    public init(from decoder: any Decoder) throws { hex = try decoder.singleValueContainer().decode(String.self) }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(hex)
    }
}

/// Hex helpers for digests and keys.
enum Hex {
    static func encode(_ data: Data) -> String {
        let digits = Array("0123456789abcdef")
        var text = ""
        text.reserveCapacity(data.count * 2)
        for byte in data {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 15)])
        }
        return text
    }

    static func constantTimeEquals(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for i in x.indices { difference |= x[i] ^ y[i] }
        return difference == 0
    }
}
