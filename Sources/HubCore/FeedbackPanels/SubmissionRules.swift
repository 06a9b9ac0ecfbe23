import Foundation

/// A submission as it arrives from the form, with the fields around the answers.
public struct SubmissionRequest: Sendable, Hashable {
    public var input: SubmissionInput
    public var language: PanelLanguage
    /// The consent text version the person agreed to; `nil` when the box was not ticked.
    public var consentVersion: String?
    /// The honeypot field: hidden from people (and from assistive technology), filled by naive bots.
    public var honeypot: String?
    /// For invite-only panels.
    public var inviteCode: String?

    public init(input: SubmissionInput, language: PanelLanguage = .de, consentVersion: String?, honeypot: String? = nil, inviteCode: String? = nil) {
        self.input = input
        self.language = language
        self.consentVersion = consentVersion
        self.honeypot = honeypot
        self.inviteCode = inviteCode
    }
}

/// A submission the rules accepted, and what the services must store with it.
public struct AcceptedSubmission: Sendable, Hashable {
    public let submission: PanelSubmission
    /// Store `allowance` under `key` (for this panel) until `allowanceExpiresAt`.
    public let key: ClientKey
    public let allowance: SubmissionAllowance
    public let allowanceExpiresAt: Date
    /// The invite that admitted it, with the use counted (invite-only panels).
    public let invite: PanelInvite?
    /// To persist with the submission and publish after the commit.
    public let events: [PanelEvent]
}

/// The decision on a submission.
public enum SubmitOutcome: Sendable, Hashable {
    /// The honeypot was filled. Answer exactly as if accepted (a receipt page with the code),
    /// but store nothing, count nothing and publish nothing: a bot learns nothing to adapt to.
    case discarded
    /// The same content from the same client arrived within `SubmissionRules.duplicateWindow`.
    /// No second item: answer "already received" and point to the original. Repeating the
    /// request gives the same answer.
    case duplicate(of: SubmissionID, receivedAt: Date)
    case accepted(AcceptedSubmission)
}

/// Submitting, changing and withdrawing feedback without an account. The receipt code is the
/// submitter's only credential.
public enum SubmissionRules {
    /// Long enough for a double tap, a reload that re-posts the form, or a "back and send
    /// again"; short enough that two people who share a device and answer alike are rarely
    /// merged.
    public static let duplicateWindow: TimeInterval = 10 * 60

    /// Decides a new submission. The caller loads, for this panel: the allowances stored under
    /// each key of `clientKeys`, the submissions received within `duplicateWindow` (more do no
    /// harm), and for an invite-only panel the invite whose digest matches the typed code.
    /// `receipt` is a fresh code from secure random bytes, shown to the submitter once.
    public static func submit(
        _ request: SubmissionRequest, to panel: FeedbackPanel, id: SubmissionID, receipt: PanelCode, clientKeys: ClientKeyring,
        allowances: [SubmissionAllowance], recent: [PanelSubmission], invite: PanelInvite?, now: Date, hash: (Data) -> Data
    ) throws(DomainError) -> SubmitOutcome {
        // First, before anything that could answer differently: a bot must not learn whether
        // the panel is open, limited or invite-only.
        if let honeypot = request.honeypot, !honeypot.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return .discarded }
        try requireOpen(panel, at: now)
        var invited: PanelInvite?
        if panel.access == .inviteOnly { invited = try InviteRules.verify(code: request.inviteCode, invite: invite, for: panel, hash: hash) }
        var consentIssues: [FieldIssue] = []
        if request.consentVersion == nil {
            consentIssues.append(FieldIssue(field: "consent", code: "required", message: "Please agree to how your answers are used."))
        } else if request.consentVersion != panel.consentVersion {
            consentIssues.append(FieldIssue(field: "consent", code: "outdated", message: "The consent text has changed; please read it again."))
        }
        let normalized: NormalizedSubmission
        do throws(DomainError) {
            normalized = try SubmissionValidation.normalize(request.input, for: panel)
        } catch {
            throw .validation(consentIssues + error.fields)
        }
        guard consentIssues.isEmpty, let consentVersion = request.consentVersion else { throw .validation(consentIssues) }

        let fingerprints = Set(clientKeys.all.map { SubmissionFingerprint.of(normalized, key: $0, hash: hash) })
        let original = recent
            .filter { $0.panelID == panel.id && $0.status != .withdrawn && $0.receivedAt <= now && now.timeIntervalSince($0.receivedAt) < duplicateWindow }
            .filter { $0.fingerprint.map(fingerprints.contains) ?? false }
            .min { ($0.receivedAt, $0.id.description) < ($1.receivedAt, $1.id.description) }
        if let original { return .duplicate(of: original.id, receivedAt: original.receivedAt) }
        var admitted: PanelInvite?
        if let invited { admitted = try InviteRules.use(invited) }

        let allowance: SubmissionAllowance, allowanceExpiresAt: Date
        switch SubmissionLimiter.decide(limits: panel.limits, states: allowances, now: now) {
        case .allow(let next, let expiresAt): (allowance, allowanceExpiresAt) = (next, expiresAt)
        case .deny(let retryAfter):
            throw DomainError(.rateLimited, code: "panel.rateLimited",
                              message: "Many answers came from your connection just now. Please try again later.", retryAfter: retryAfter)
        }
        let submission = PanelSubmission(
            id: id, panelID: panel.id, content: normalized.content, pseudonym: normalized.pseudonym, email: normalized.email,
            language: panel.languages.contains(request.language) ? request.language : .de,
            consent: ConsentRecord(version: consentVersion, givenAt: now), receiptDigest: receipt.digest(.receipt, using: hash),
            fingerprint: SubmissionFingerprint.of(normalized, key: clientKeys.current, hash: hash),
            status: panel.moderation == .pre ? .pending : .visible, receivedAt: now, updatedAt: now, version: 1)
        let notice = SubmissionNotice(submission, in: panel)
        let events: [PanelEvent] = submission.status == .pending
            ? [.awaitingModeration(notice)]
            : [.submissionReceived(notice), .resultsChanged(panel: panel.id, workspace: panel.workspaceID)]
        return .accepted(AcceptedSubmission(submission: submission, key: clientKeys.current, allowance: allowance, allowanceExpiresAt: allowanceExpiresAt,
                                              invite: admitted, events: events))
    }

    /// The digest to look a submission up by, from a code as typed; `nil` when it cannot be a code.
    public static func receiptDigest(_ typed: String, hash: (Data) -> Data) -> PanelCodeDigest? {
        PanelCode(typed)?.digest(.receipt, using: hash)
    }

    /// Checks that `typed` is the submission's receipt. Every failure, an erased receipt
    /// included, is the same "not found", so that nothing can be learned by trying.
    public static func verifyReceipt(_ typed: String, for submission: PanelSubmission, hash: (Data) -> Data) throws(DomainError) {
        guard let stored = submission.receiptDigest, let presented = receiptDigest(typed, hash: hash), presented.matches(stored) else {
            throw .notFound("submission")
        }
    }

    /// The submitter changes their feedback while the panel is open. A changed item that a
    /// moderator must see again goes back to pending: in pre-moderation any change of what
    /// others read (content, pseudonym); after a moderator hid it, any change at all.
    public static func change(
        _ submission: PanelSubmission, of panel: FeedbackPanel, to input: SubmissionInput, receipt: String, expectedVersion: Int,
        now: Date, hash: (Data) -> Data
    ) throws(DomainError) -> (PanelSubmission, [PanelEvent]) {
        try verifyReceipt(receipt, for: submission, hash: hash)
        guard submission.status != .withdrawn else {
            throw DomainError(.invalidTransition, code: "submission.withdrawn", message: "This feedback was withdrawn.")
        }
        try requireOpen(panel, at: now)
        guard expectedVersion == submission.version else { throw .versionConflict }
        let normalized = try SubmissionValidation.normalize(input, for: panel)
        let readChanged = normalized.content != submission.content || normalized.pseudonym != submission.pseudonym
        guard readChanged || normalized.email != submission.email else { return (submission, []) }
        var next = submission
        next.content = normalized.content
        next.pseudonym = normalized.pseudonym
        next.email = normalized.email
        next.version += 1
        next.updatedAt = now
        if submission.status == .hidden || (panel.moderation == .pre && submission.status == .visible && readChanged) {
            next.status = .pending
        }
        let notice = SubmissionNotice(next, in: panel)
        var events: [PanelEvent] = [.submissionChanged(notice)]
        if next.status == .pending && (submission.status != .pending || readChanged) { events.append(.awaitingModeration(notice)) }
        if submission.status == .visible && (readChanged || next.status != .visible) {
            events.append(.resultsChanged(panel: panel.id, workspace: panel.workspaceID))
        }
        return (next, events)
    }

    /// The submitter withdraws: content and personal data go at once; the receipt keeps
    /// working (until retention ends) to show that it was withdrawn. Possible in every phase,
    /// because consent can be withdrawn at any time (Art. 7(3) GDPR). Repeating is a no-op.
    public static func withdraw(
        _ submission: PanelSubmission, of panel: FeedbackPanel, receipt: String, now: Date, hash: (Data) -> Data
    ) throws(DomainError) -> (PanelSubmission, [PanelEvent]) {
        try verifyReceipt(receipt, for: submission, hash: hash)
        guard submission.status != .withdrawn else { return (submission, []) }
        var next = submission
        next.content = SubmissionContent()
        next.pseudonym = nil
        next.email = nil
        next.fingerprint = nil
        next.status = .withdrawn
        next.version += 1
        next.updatedAt = now
        var events: [PanelEvent] = [.submissionWithdrawn(SubmissionNotice(next, in: panel))]
        if submission.status == .visible { events.append(.resultsChanged(panel: panel.id, workspace: panel.workspaceID)) }
        return (next, events)
    }

    /// Refuses unless the panel takes submissions today (Europe/Berlin). A draft is not found:
    /// its link is not public yet.
    static func requireOpen(_ panel: FeedbackPanel, at now: Date) throws(DomainError) {
        switch panel.phase(at: now) {
        case .open: return
        case .draft: throw .notFound("panel")
        case .upcoming:
            throw DomainError(.invalidTransition, code: "panel.notYetOpen", message: "The panel opens on \(panel.opensOn).")
        case .closed, .archived:
            throw DomainError(.invalidTransition, code: "panel.closed", message: "The panel is closed; no more answers are taken.")
        }
    }
}
