import Foundation

/// Recognizes "the same content from the same client": a hash of the client key and the
/// canonical content. It cannot be reversed to either, and once the day's key secret is
/// deleted nobody can recompute it from an address.
public struct SubmissionFingerprint: Sendable, Hashable, Codable, CustomStringConvertible {
    public let hex: String

    public init(hex: String) { self.hex = hex }

    public var description: String { hex }

    /// The fingerprint of normalized content under one client key. The pseudonym counts as
    /// content: two people at one counselling-centre tablet who tick the same boxes but give
    /// different names are two people. The e-mail address does not: changing it does not
    /// make a new opinion.
    public static func of(_ submission: NormalizedSubmission, key: ClientKey, hash: (Data) -> Data) -> SubmissionFingerprint {
        // Every free text is length-prefixed, so no text can imitate a field boundary.
        func text(_ value: String) -> String { "\(value.utf8.count):\(value)" }
        var lines = ["roundtable.panel.fingerprint.v1", "k:\(key.value)"]
        for answer in submission.content.answers {
            let value = switch answer.value {
            case .scale(let point): "scale:\(point)"
            case .choice(let key): "choice:\(text(key))"
            case .choices(let keys): "choices:" + keys.map(text).joined(separator: ",")
            case .text(let value): "text:\(text(value))"
            }
            lines.append("a:\(answer.questionID)=\(value)")
        }
        for feedback in submission.content.sections {
            lines.append("s:\(feedback.section.rawValue)=\(feedback.rating.map(String.init) ?? "-")/\(text(feedback.comment ?? ""))")
        }
        lines.append("p:\(text(submission.pseudonym ?? ""))")
        return SubmissionFingerprint(hex: Hex.encode(hash(Data(lines.joined(separator: "\n").utf8))))
    }

    public init(from decoder: any Decoder) throws { hex = try decoder.singleValueContainer().decode(String.self) }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(hex)
    }
}
