import Foundation

/// The personal data a submission can hold.
public enum PersonalField: String, Sendable, Hashable, Codable, CaseIterable {
    case pseudonym, email, receiptDigest, fingerprint
}

/// An instruction to erase personal data from one submission.
public struct ErasureOrder: Sendable, Hashable {
    public enum Reason: String, Sendable, Hashable {
        /// The panel's retention period after its last day has ended: everything personal goes;
        /// the content stays, anonymous.
        case retentionEnded
        /// The duplicate window has passed: the fingerprint has done its job.
        case duplicateWindowPassed
    }

    public let submissionID: SubmissionID
    public let panelID: PanelID
    public let fields: [PersonalField]
    public let reason: Reason
}

/// Retention as pure functions, run by a daily (or more frequent) maintenance job.
///
/// The receipt digest is personal data too: it ties whoever holds the code to the content.
/// It is kept until retention ends, because the receipt is how the submitter reads the
/// response, and responses often come months later. From the erasure day the receipt stops
/// working, the content is anonymous, and the public page (if any) is the way to read responses.
public enum PanelRetention {
    /// What must be erased at `now`. Submissions of panels not in `panels` are left alone
    /// (nothing can be decided without the panel).
    public static func due(panels: [FeedbackPanel], submissions: [PanelSubmission], now: Date) -> [ErasureOrder] {
        let today = LocalDate.berlin(now)
        let byID = Dictionary(panels.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        return submissions
            .sorted { ($0.panelID.description, $0.receivedAt, $0.id.description) < ($1.panelID.description, $1.receivedAt, $1.id.description) }
            .compactMap { submission in
                guard let panel = byID[submission.panelID] else { return nil }
                let held = present(in: submission)
                if let day = panel.erasureDay(on: today), day <= today {
                    return held.isEmpty ? nil : ErasureOrder(submissionID: submission.id, panelID: panel.id, fields: held, reason: .retentionEnded)
                }
                if submission.fingerprint != nil, now.timeIntervalSince(submission.receivedAt) >= SubmissionRules.duplicateWindow {
                    return ErasureOrder(submissionID: submission.id, panelID: panel.id, fields: [.fingerprint], reason: .duplicateWindowPassed)
                }
                return nil
            }
    }

    /// Applies an order. The content and the moderation record stay; the version does not
    /// change (nothing a reader of the content relies on changed).
    public static func erase(_ submission: PanelSubmission, _ order: ErasureOrder, now: Date) -> PanelSubmission {
        guard order.submissionID == submission.id else { return submission }
        var next = submission
        for field in order.fields {
            switch field {
            case .pseudonym: next.pseudonym = nil
            case .email: next.email = nil
            case .receiptDigest: next.receiptDigest = nil
            case .fingerprint: next.fingerprint = nil
            }
        }
        if order.reason == .retentionEnded { next.personalDataErasedAt = now }
        return next
    }

    /// Runs `due` and `erase` together: the changed submissions, and one event per panel that
    /// had personal data erased (fingerprint clean-up is routine and not announced).
    public static func run(panels: [FeedbackPanel], submissions: [PanelSubmission], now: Date) -> (erased: [PanelSubmission], events: [PanelEvent]) {
        let orders = due(panels: panels, submissions: submissions, now: now)
        let byID = Dictionary(submissions.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let erased = orders.compactMap { order in byID[order.submissionID].map { erase($0, order, now: now) } }
        var counts: [PanelID: Int] = [:]
        for order in orders where order.reason == .retentionEnded { counts[order.panelID, default: 0] += 1 }
        let events = panels.filter { counts[$0.id] != nil }.sorted { $0.id.description < $1.id.description }.map { panel in
            PanelEvent.personalDataErased(panel: panel.id, workspace: panel.workspaceID, count: counts[panel.id] ?? 0)
        }
        return (erased, events)
    }

    static func present(in submission: PanelSubmission) -> [PersonalField] {
        var fields: [PersonalField] = []
        if submission.pseudonym != nil { fields.append(.pseudonym) }
        if submission.email != nil { fields.append(.email) }
        if submission.receiptDigest != nil { fields.append(.receiptDigest) }
        if submission.fingerprint != nil { fields.append(.fingerprint) }
        return fields
    }
}
