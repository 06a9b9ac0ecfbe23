import Foundation
import HubCore
import HubServices
import Testing

/// The feedback-panel component's part of the store contract, on every backend.
@Suite("Store contract: feedback panels", .cleansUpStores)
struct PanelStoreTests {
    struct Fixture {
        let h: StoreHarness
        let coordinator: User
        let workspace: Workspace
        let panel: FeedbackPanel

        init(_ backend: StoreBackend) async throws {
            h = try await StoreHarness(backend)
            coordinator = h.user()
            workspace = h.workspace()
            let today = LocalDate.berlin(h.clock.now())
            let question = PanelQuestion(id: QuestionID(UUID()), prompt: PanelText(de: "Wie gut passt das Angebot?", en: "How well does it fit?"),
                                         kind: .scale(labels: (1...5).map { PanelText(de: "Stufe \($0)") }))
            panel = FeedbackPanel(
                id: PanelID(UUID()), workspaceID: workspace.id, subject: .meetingTopic("meeting:1/topic:2"), status: .draft,
                title: PanelText(de: "Rückmeldung – „Kita-Sprache“ äöü"), audience: PanelText(de: "Eltern"), summary: PanelText(de: "Worum es geht."),
                easyReadSummary: PanelText(de: "Einfach gesagt."), offersEnglish: false, opensOn: today, closesOn: today.adding(days: 30),
                questions: [question], sections: [], access: .publicLink, moderation: .pre, retentionDays: 180, publicResponses: true,
                consentVersion: "2026-1", limits: .standard, createdBy: coordinator.id, createdAt: h.clock.now(), updatedAt: h.clock.now(), version: 1)
            _ = try await h.store.commit(ChangeSet(changes: [.insertUser(coordinator, passwordHash: "x"), .insertWorkspace(workspace),
                                                             .panel(.insertPanel(panel))]))
        }

        func submission(_ pseudonym: String? = "Mira", email: String? = "mira@example.org", at offset: TimeInterval = 0) -> PanelSubmission {
            let now = h.clock.now().addingTimeInterval(offset)
            return PanelSubmission(
                id: SubmissionID(UUID()), panelID: panel.id,
                content: SubmissionContent(answers: [PanelAnswer(questionID: panel.questions[0].id, value: .scale(4))]),
                pseudonym: pseudonym, email: email, language: .de, consent: ConsentRecord(version: "2026-1", givenAt: now),
                receiptDigest: PanelCodeDigest(hex: String(repeating: "ab", count: 32)), fingerprint: SubmissionFingerprint(hex: "f00d"),
                status: .pending, receivedAt: now, updatedAt: now, version: 1)
        }
    }

    @Test("A panel round-trips with its settings; updates need the version read", arguments: StoreBackend.all)
    func panelRoundTrip(backend: StoreBackend) async throws {
        let f = try await Fixture(backend)
        #expect(try await f.h.store.panel(f.panel.id) == f.panel)
        #expect(try await f.h.store.panels(in: f.workspace.id) == [f.panel])
        var opened = f.panel
        opened.status = .open
        opened.version = 2
        _ = try await f.h.store.commit(ChangeSet(changes: [.panel(.updatePanel(opened, expectedVersion: 1))]))
        #expect(try await f.h.store.panel(f.panel.id) == opened)
        await #expect(throws: StoreError.conflict) {
            try await f.h.store.commit(ChangeSet(changes: [.panel(.updatePanel(opened, expectedVersion: 1))]))
        }
        var archived = opened
        archived.status = .archived
        archived.version = 3
        _ = try await f.h.store.commit(ChangeSet(changes: [.panel(.updatePanel(archived, expectedVersion: 2))]))
        #expect(try await f.h.store.activePanels().isEmpty)
    }

    @Test("Submissions: receipt lookup, the duplicate window, conditional updates and erasure of personal data", arguments: StoreBackend.all)
    func submissions(backend: StoreBackend) async throws {
        let f = try await Fixture(backend)
        let first = f.submission()
        let later = f.submission(nil, email: nil, at: 3600)
        _ = try await f.h.store.commit(ChangeSet(changes: [.panel(.insertSubmission(first)), .panel(.insertSubmission(later))]))
        #expect(try await f.h.store.submission(first.id) == first)
        #expect(try await f.h.store.submissions(of: f.panel.id) == [first, later])
        #expect(try await f.h.store.submissions(of: f.panel.id, since: f.h.clock.now().addingTimeInterval(60)) == [later])
        #expect(try await f.h.store.submission(of: f.panel.id, receipt: first.receiptDigest!)?.id == first.id)
        #expect(try await f.h.store.submission(of: f.panel.id, receipt: PanelCodeDigest(hex: "00")) == nil)

        var approved = first
        approved.status = .visible
        approved.moderation = ModerationNote(decision: .approved, reason: nil, moderatorID: f.coordinator.id, at: f.h.clock.now())
        approved.version = 2
        _ = try await f.h.store.commit(ChangeSet(changes: [.panel(.updateSubmission(approved, expectedVersion: 1))]))
        #expect(try await f.h.store.submission(first.id) == approved)
        await #expect(throws: StoreError.conflict) {
            try await f.h.store.commit(ChangeSet(changes: [.panel(.updateSubmission(approved, expectedVersion: 1))]))
        }

        var erased = approved
        erased.pseudonym = nil
        erased.email = nil
        erased.receiptDigest = nil
        erased.fingerprint = nil
        erased.personalDataErasedAt = f.h.clock.now()
        _ = try await f.h.store.commit(ChangeSet(changes: [.panel(.updateSubmission(erased, expectedVersion: 2))]))
        #expect(try await f.h.store.submission(first.id) == erased)
        // `later` still holds a receipt and a fingerprint.
        #expect(try await f.h.store.submissionsHoldingPersonalData().map(\.id) == [later.id])
    }

    @Test("Invites: unique digests; the last use cannot be taken twice", arguments: StoreBackend.all)
    func invites(backend: StoreBackend) async throws {
        let f = try await Fixture(backend)
        let invite = PanelInvite(id: PanelInviteID(UUID()), panelID: f.panel.id, digest: PanelCodeDigest(hex: "1234"), label: "Jugendrat",
                                 maxUses: 1, uses: 0, createdBy: f.coordinator.id, createdAt: f.h.clock.now())
        _ = try await f.h.store.commit(ChangeSet(changes: [.panel(.insertInvite(invite))]))
        #expect(try await f.h.store.invite(of: f.panel.id, digest: invite.digest) == invite)
        #expect(try await f.h.store.invites(of: f.panel.id) == [invite])
        var used = invite
        used.uses = 1
        _ = try await f.h.store.commit(ChangeSet(changes: [.panel(.updateInvite(used, expectedUses: 0))]))
        await #expect(throws: StoreError.conflict) {
            try await f.h.store.commit(ChangeSet(changes: [.panel(.updateInvite(used, expectedUses: 0))]))
        }
        let twin = PanelInvite(id: PanelInviteID(UUID()), panelID: f.panel.id, digest: invite.digest, label: "Zweiter", maxUses: 3, uses: 0,
                               createdBy: f.coordinator.id, createdAt: f.h.clock.now())
        await #expect(throws: (any Error).self) {
            try await f.h.store.commit(ChangeSet(changes: [.panel(.insertInvite(twin))]))
        }
    }

    @Test("One response per item, updated by version", arguments: StoreBackend.all)
    func responses(backend: StoreBackend) async throws {
        let f = try await Fixture(backend)
        let item = f.submission()
        let response = PanelResponse(submissionID: item.id, panelID: f.panel.id, text: "Wir haben die Zeiten angepasst.", changedRevision: 2,
                                     authorID: f.coordinator.id, createdAt: f.h.clock.now(), updatedAt: f.h.clock.now(), version: 1)
        _ = try await f.h.store.commit(ChangeSet(changes: [.panel(.insertSubmission(item)), .panel(.putResponse(response, expectedVersion: nil))]))
        #expect(try await f.h.store.response(to: item.id) == response)
        await #expect(throws: (any Error).self) {
            try await f.h.store.commit(ChangeSet(changes: [.panel(.putResponse(response, expectedVersion: nil))]))
        }
        var revised = response
        revised.text = "Geändert."
        revised.changedRevision = nil
        revised.version = 2
        _ = try await f.h.store.commit(ChangeSet(changes: [.panel(.putResponse(revised, expectedVersion: 1))]))
        #expect(try await f.h.store.responses(of: f.panel.id) == [revised])
        await #expect(throws: StoreError.conflict) {
            try await f.h.store.commit(ChangeSet(changes: [.panel(.putResponse(revised, expectedVersion: 1))]))
        }
    }

    @Test("Limiter state per client key expires; day secrets are shared, first writer wins, and deleted", arguments: StoreBackend.all)
    func allowancesAndSecrets(backend: StoreBackend) async throws {
        let f = try await Fixture(backend)
        let now = f.h.clock.now()
        let key = ClientKey(epoch: 20_000, value: "0123456789abcdef0123456789abcdef")
        let other = ClientKey(epoch: 19_999, value: "fedcba9876543210fedcba9876543210")
        let allowance = SubmissionAllowance(hourLevel: 1.5, dayLevel: 2.25, at: now)
        _ = try await f.h.store.commit(ChangeSet(changes: [.panel(.putAllowance(f.panel.id, key, allowance, expiresAt: now.addingTimeInterval(60)))]))
        let next = SubmissionAllowance(hourLevel: 2.5, dayLevel: 3.25, at: now.addingTimeInterval(1))
        _ = try await f.h.store.commit(ChangeSet(changes: [.panel(.putAllowance(f.panel.id, key, next, expiresAt: now.addingTimeInterval(120)))]))
        #expect(try await f.h.store.allowances(of: f.panel.id, keys: [key, other]) == [next])
        _ = try await f.h.store.commit(ChangeSet(changes: [.panel(.deleteExpiredAllowances(before: now.addingTimeInterval(100)))]))
        #expect(try await f.h.store.allowances(of: f.panel.id, keys: [key]).count == 1)
        _ = try await f.h.store.commit(ChangeSet(changes: [.panel(.deleteExpiredAllowances(before: now.addingTimeInterval(120)))]))
        #expect(try await f.h.store.allowances(of: f.panel.id, keys: [key]).isEmpty)

        let secret = ClientKeySecret(epoch: 20_000, bytes: Data((0..<32).map { UInt8($0) }))
        let rival = ClientKeySecret(epoch: 20_000, bytes: Data(repeating: 7, count: 32))
        _ = try await f.h.store.commit(ChangeSet(changes: [.panel(.insertClientKeySecret(secret, expiresAt: now))]))
        _ = try await f.h.store.commit(ChangeSet(changes: [.panel(.insertClientKeySecret(rival, expiresAt: now))]))
        #expect(try await f.h.store.clientKeySecrets() == [secret])
        _ = try await f.h.store.commit(ChangeSet(changes: [.panel(.deleteClientKeySecrets(epochs: [20_000]))]))
        #expect(try await f.h.store.clientKeySecrets().isEmpty)
    }
}
