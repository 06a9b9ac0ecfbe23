import Foundation

/// What a person sees with their receipt code: their feedback, where it stands, why it was
/// hidden if it was, and the group's response.
public struct SubmitterView: Sendable, Hashable {
    public let submissionID: SubmissionID
    public let panelID: PanelID
    public let status: SubmissionStatus
    public let content: SubmissionContent
    public let pseudonym: String?
    /// `m•••@example.org`: enough to recognize one's address, little for someone who finds the
    /// receipt on paper.
    public let maskedEmail: String?
    /// The moderator's reason, when the item is hidden.
    public let hiddenReason: String?
    public let response: String?
    public let changedRevision: Int?
    public let receivedAt: Date
    /// The version to send back with a change.
    public let version: Int
    /// The panel is open and the item not withdrawn.
    public let canChange: Bool
    /// Until withdrawn, in every phase.
    public let canWithdraw: Bool
}

extension SubmissionRules {
    /// Opens a submission with its receipt code.
    public static func view(
        _ submission: PanelSubmission, of panel: FeedbackPanel, response: PanelResponse?, receipt: String, now: Date, hash: (Data) -> Data
    ) throws(DomainError) -> SubmitterView {
        try verifyReceipt(receipt, for: submission, hash: hash)
        let active = submission.status != .withdrawn
        let answer = response.flatMap { $0.submissionID == submission.id && active ? $0 : nil }
        return SubmitterView(
            submissionID: submission.id, panelID: panel.id, status: submission.status, content: submission.content, pseudonym: submission.pseudonym,
            maskedEmail: submission.email.map(masked), hiddenReason: submission.status == .hidden ? submission.moderation?.reason : nil,
            response: answer?.text, changedRevision: answer?.changedRevision, receivedAt: submission.receivedAt, version: submission.version,
            canChange: active && panel.phase(at: now) == .open, canWithdraw: active)
    }

    /// Keeps the first character of the local part and the domain.
    static func masked(_ email: String) -> String {
        guard let at = email.firstIndex(of: "@"), let first = email.first, at != email.startIndex else { return "•••" }
        return "\(first)•••\(email[at...])"
    }
}
