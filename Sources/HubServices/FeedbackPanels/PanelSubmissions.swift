import Foundation
import HubCore
import Logging

/// The public side of a feedback panel: the page, submitting without an account, and the
/// receipt (view, change, withdraw, read the response). The client address is passed on to
/// `ClientKeyring.derive` only, never stored, never logged.
public struct PanelSubmissions: Sendable {
    let deps: ServiceDependencies
    let crypto: any PanelCrypto
    let rotation: ClientKeyRotation

    /// Receipt look-ups per client key (rate-limited like sign-ins, so a broken client cannot
    /// hammer the store; 100 random bits cannot be guessed anyway).
    public static let receiptLimits = SubmissionLimits(perHour: 30, perDay: 200)

    public init(deps: ServiceDependencies, crypto: any PanelCrypto, rotation: ClientKeyRotation = .standard) {
        self.deps = deps
        self.crypto = crypto
        self.rotation = rotation
    }

    var hash: @Sendable (Data) -> Data { { [crypto] in crypto.sha256($0) } }

    /// What the public page shows.
    public struct Page: Sendable {
        public let panel: FeedbackPanel
        public let phase: PanelPhase
        public let responses: [PublicResponseEntry]
        /// An invite-only panel reached without a valid code: show only the code prompt.
        public let needsInvite: Bool
        /// The draft's text of each section asked about (Markdown), for the form.
        public let sectionTexts: [ProfileSection: String]
    }

    /// The public page of a panel: published public-link panels for everyone; drafts for the
    /// workspace; invite-only panels with a valid invite code (or for the workspace).
    public func page(_ id: PanelID, by actor: Principal, inviteCode: String? = nil) async throws -> Page {
        guard let panel = try await deps.store.panel(id) else { throw DomainError.notFound("panel") }
        var invite: PanelInvite?
        if panel.access == .inviteOnly, let typed = inviteCode, let digest = PanelCode(typed)?.digest(.invite, using: hash) {
            invite = try await deps.store.invite(of: id, digest: digest)
        }
        let full = PanelPermissions.canViewPage(panel, by: actor, invite: invite, holdsReceipt: false)
        guard full || (panel.access == .inviteOnly && panel.status != .draft) else { throw DomainError.notFound("panel") }
        let responses = panel.access == .publicLink
            ? ResponseRules.publicEntries(panel, submissions: try await deps.store.submissions(of: id), responses: try await deps.store.responses(of: id))
            : []
        var texts: [ProfileSection: String] = [:]
        if let rid = panel.subject.recommendationID, !panel.sections.isEmpty, let r = try await deps.store.recommendation(rid) {
            for section in panel.sections { texts[section] = r.profile.text(of: section) }
        }
        return Page(panel: panel, phase: panel.phase(at: deps.clock.now()), responses: full ? responses : [], needsInvite: !full, sectionTexts: texts)
    }

    /// The outcome of a submission, as the page answers it.
    public enum Outcome: Sendable {
        /// Stored; `receipt` is shown once.
        case accepted(receipt: PanelCode, status: SubmissionStatus)
        /// The honeypot was filled: looks like `accepted`, nothing stored.
        case discarded(receipt: PanelCode)
        /// The same content from the same client a moment ago.
        case duplicate(receivedAt: Date)
    }

    public func submit(_ id: PanelID, _ request: SubmissionRequest, clientAddress: String) async throws -> Outcome {
        guard let panel = try await deps.store.panel(id) else { throw DomainError.notFound("panel") }
        let now = deps.clock.now()
        guard let receipt = PanelCode(entropy: crypto.randomBytes(16)) else { throw DomainError.notFound("panel") }
        let keyring = try await keyring(for: panel.id, address: clientAddress, now: now)
        let allowances = try await deps.store.allowances(of: id, keys: keyring.all)
        let recent = try await deps.store.submissions(of: id, since: now.addingTimeInterval(-SubmissionRules.duplicateWindow))
        var invite: PanelInvite?
        if panel.access == .inviteOnly, let typed = request.inviteCode, let digest = PanelCode(typed)?.digest(.invite, using: hash) {
            invite = try await deps.store.invite(of: id, digest: digest)
        }
        let outcome = try SubmissionRules.submit(request, to: panel, id: SubmissionID(deps.ids.uuid()), receipt: receipt, clientKeys: keyring,
                                                 allowances: allowances, recent: recent, invite: invite, now: now, hash: hash)
        switch outcome {
        case .discarded:
            return .discarded(receipt: receipt)
        case .duplicate(_, let receivedAt):
            return .duplicate(receivedAt: receivedAt)
        case .accepted(let accepted):
            var changes: [Change] = [.panel(.insertSubmission(accepted.submission)),
                                     .panel(.putAllowance(id, accepted.key, accepted.allowance, expiresAt: accepted.allowanceExpiresAt))]
            if let used = accepted.invite, let before = invite { changes.append(.panel(.updateInvite(used, expectedUses: before.uses))) }
            try await deps.commit(ChangeSet(changes: changes, events: EventEncoding.newEvents(accepted.events.map(DomainEvent.panel))))
            return .accepted(receipt: receipt, status: accepted.submission.status)
        }
    }

    /// What the receipt opens, with the panel and the item's version for a change form.
    public struct Receipt: Sendable {
        public let panel: FeedbackPanel
        public let view: SubmitterView
        public let submission: PanelSubmission
    }

    public func receipt(_ id: PanelID, code: String, clientAddress: String) async throws -> Receipt {
        let (panel, submission) = try await lookUp(id, code: code, clientAddress: clientAddress)
        let response = try await deps.store.response(to: submission.id)
        let view = try SubmissionRules.view(submission, of: panel, response: response, receipt: code, now: deps.clock.now(), hash: hash)
        return Receipt(panel: panel, view: view, submission: submission)
    }

    public func change(_ id: PanelID, code: String, input: SubmissionInput, expectedVersion: Int, clientAddress: String) async throws -> Receipt {
        let (panel, submission) = try await lookUp(id, code: code, clientAddress: clientAddress)
        let (next, events) = try SubmissionRules.change(submission, of: panel, to: input, receipt: code, expectedVersion: expectedVersion,
                                                        now: deps.clock.now(), hash: hash)
        if !events.isEmpty || next != submission {
            try await deps.commit(ChangeSet(changes: [.panel(.updateSubmission(next, expectedVersion: submission.version))],
                                            events: EventEncoding.newEvents(events.map(DomainEvent.panel))))
        }
        return try await receipt(id, code: code, clientAddress: clientAddress)
    }

    public func withdraw(_ id: PanelID, code: String, clientAddress: String) async throws -> Receipt {
        let (panel, submission) = try await lookUp(id, code: code, clientAddress: clientAddress)
        let (next, events) = try SubmissionRules.withdraw(submission, of: panel, receipt: code, now: deps.clock.now(), hash: hash)
        if !events.isEmpty {
            try await deps.commit(ChangeSet(changes: [.panel(.updateSubmission(next, expectedVersion: submission.version))],
                                            events: EventEncoding.newEvents(events.map(DomainEvent.panel))))
        }
        return try await receipt(id, code: code, clientAddress: clientAddress)
    }

    /// Finds the item by its receipt, counting the look-up against the client's receipt budget.
    func lookUp(_ id: PanelID, code: String, clientAddress: String) async throws -> (FeedbackPanel, PanelSubmission) {
        guard let panel = try await deps.store.panel(id), panel.status != .draft else { throw DomainError.notFound("panel") }
        let now = deps.clock.now()
        let keyring = try await keyring(for: panel.id, address: clientAddress, now: now)
        // The receipt budget lives beside the submission budget under keys of their own.
        let keys = keyring.all.map { ClientKey(epoch: $0.epoch, value: "r" + $0.value) }
        switch SubmissionLimiter.decide(limits: Self.receiptLimits, states: try await deps.store.allowances(of: id, keys: keys), now: now) {
        case .deny(let retryAfter):
            throw DomainError(.rateLimited, code: "panel.rateLimited", message: "Too many attempts from your connection. Please try again later.",
                              retryAfter: retryAfter)
        case .allow(let allowance, let expiresAt):
            try await deps.commit(ChangeSet(changes: [.panel(.putAllowance(id, keys[0], allowance, expiresAt: expiresAt))]))
        }
        guard let digest = SubmissionRules.receiptDigest(code, hash: hash),
              let submission = try await deps.store.submission(of: id, receipt: digest) else { throw DomainError.notFound("submission") }
        return (panel, submission)
    }

    /// The client's keys for a panel, rotating the day secrets first when needed.
    func keyring(for panel: PanelID, address: String, now: Date) async throws -> ClientKeyring {
        var secrets = try await deps.store.clientKeySecrets()
        if !secrets.contains(where: { $0.epoch == rotation.epoch(at: now) }) {
            try await PanelMaintenance.rotate(store: deps.store, crypto: crypto, rotation: rotation, held: secrets, now: now, deps: deps)
            secrets = try await deps.store.clientKeySecrets()
        }
        let hmac: (Data, Data) -> Data = { [crypto] key, message in crypto.hmacSHA256(key: key, message: message) }
        guard let keyring = ClientKeyring.derive(address: address, panel: panel, secrets: secrets, rotation: rotation, now: now, keyedHash: hmac) else {
            throw DomainError(.rateLimited, code: "panel.rateLimited", message: "Please try again in a moment.", retryAfter: 1)
        }
        return keyring
    }
}

/// The hourly sweep of the panel component, run by the maintenance service: closes panels
/// past their last day, erases personal data whose time has come and fingerprints past the
/// duplicate window, deletes empty limiter states, and rotates the client-key day secrets.
public struct PanelMaintenance: Sendable {
    let deps: ServiceDependencies
    let crypto: any PanelCrypto
    let rotation: ClientKeyRotation

    public init(deps: ServiceDependencies, crypto: any PanelCrypto, rotation: ClientKeyRotation = .standard) {
        self.deps = deps
        self.crypto = crypto
        self.rotation = rotation
    }

    public struct Report: Sendable, Equatable {
        public var closed = 0
        public var erased = 0
        public var secretsDeleted = 0
        public init() {}
    }

    public func run() async throws -> Report {
        let now = deps.clock.now()
        var report = Report()
        for (next, events) in PanelRules.closeDue(try await deps.store.activePanels(), now: now) {
            do {
                try await deps.commit(ChangeSet(changes: [.panel(.updatePanel(next, expectedVersion: next.version - 1))],
                                                events: EventEncoding.newEvents(events.map(DomainEvent.panel))))
                report.closed += 1
            } catch let error as DomainError where error.code == DomainError.versionConflict.code {
                continue // Closed or changed meanwhile by someone else; the next sweep decides again.
            }
        }
        let holding = try await deps.store.submissionsHoldingPersonalData()
        let panelIDs = Set(holding.map(\.panelID))
        var panels: [FeedbackPanel] = []
        for id in panelIDs { if let p = try await deps.store.panel(id) { panels.append(p) } }
        let (erased, events) = PanelRetention.run(panels: panels, submissions: holding, now: now)
        if !erased.isEmpty {
            try await deps.commit(ChangeSet(changes: erased.map { .panel(.updateSubmission($0, expectedVersion: $0.version)) },
                                            events: EventEncoding.newEvents(events.map(DomainEvent.panel))))
            report.erased = erased.count
        }
        try await deps.commit(ChangeSet(changes: [.panel(.deleteExpiredAllowances(before: now))]))
        report.secretsDeleted = try await Self.rotate(store: deps.store, crypto: crypto, rotation: rotation,
                                                      held: try await deps.store.clientKeySecrets(), now: now, deps: deps)
        return report
    }

    /// Creates today's secret (the first instance wins; the store ignores a second one) and
    /// deletes the expired ones. Returns how many were deleted.
    @discardableResult
    static func rotate(store: any HubStore, crypto: any PanelCrypto, rotation: ClientKeyRotation, held: [ClientKeySecret], now: Date,
                       deps: ServiceDependencies) async throws -> Int {
        let plan = rotation.plan(held: held.map(\.epoch), now: now, fresh: Data(crypto.randomBytes(32)))
        var changes: [Change] = []
        if let secret = plan.create { changes.append(.panel(.insertClientKeySecret(secret, expiresAt: rotation.expiry(of: secret.epoch)))) }
        if !plan.delete.isEmpty { changes.append(.panel(.deleteClientKeySecrets(epochs: plan.delete))) }
        try await deps.commit(ChangeSet(changes: changes))
        return plan.delete.count
    }
}
