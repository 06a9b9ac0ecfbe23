import Foundation
import HubCore
import Testing

/// Shared fixtures for the feedback-panel suites: people, a workspace, a panel with one
/// question of each kind, and stand-ins for SHA-256 and HMAC (the core takes hash functions
/// as parameters; these are deterministic and mix well enough for tests, not for production).
enum PanelFixture {
    static func date(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }
    static func day(_ text: String) -> LocalDate { LocalDate(text)! }

    /// Monday, 4 May 2026, 10:00 in Berlin (CEST, UTC+2).
    static let now = date("2026-05-04T08:00:00Z")
    static let wsID = WorkspaceID(UUID(uuidString: "0B1C0000-0000-4000-8000-000000000001")!)
    static let otherWS = WorkspaceID(UUID(uuidString: "0B1C0000-0000-4000-8000-000000000002")!)
    static let panelID = PanelID(UUID(uuidString: "0B1C0000-0000-4000-8000-0000000000AA")!)

    static let admin = Principal(userID: UserID(UUID()), displayName: "A", isAdmin: true, memberships: [:])
    static let coordinator = Principal(userID: UserID(UUID()), displayName: "C", isAdmin: false, memberships: [wsID: .coordinator])
    static let member = Principal(userID: UserID(UUID()), displayName: "M", isAdmin: false, memberships: [wsID: .member])
    static let observer = Principal(userID: UserID(UUID()), displayName: "O", isAdmin: false, memberships: [wsID: .observer])
    static let outsider = Principal(userID: UserID(UUID()), displayName: "X", isAdmin: false, memberships: [:])
    static let foreignCoordinator = Principal(userID: UserID(UUID()), displayName: "F", isAdmin: false, memberships: [otherWS: .coordinator])
    static let anonymous = Principal.anonymous

    static func workspace(archived: Bool = false) -> Workspace {
        Workspace(id: wsID, kind: .focusGroup, name: "Integration", description: "", policyFieldIDs: [], endsOn: nil, archived: archived,
                  createdAt: now, updatedAt: now, version: 1)
    }

    static let recommendationID = RecommendationID(UUID(uuidString: "0B1C0000-0000-4000-8000-0000000000BB")!)

    static func recommendation(status: RecommendationStatus = .draft, workspace: WorkspaceID = wsID, revision: Int = 4) -> Recommendation {
        Recommendation(id: recommendationID, workspaceID: workspace, status: status, profile: RecommendationProfile(title: "Ämterlotsen"),
                       revision: revision, createdBy: member.userID!, createdAt: now, updatedAt: now, reference: nil)
    }

    static let qScale = QuestionID(UUID(uuidString: "0B1C0000-0000-4000-8000-000000000101")!)
    static let qSingle = QuestionID(UUID(uuidString: "0B1C0000-0000-4000-8000-000000000102")!)
    static let qMulti = QuestionID(UUID(uuidString: "0B1C0000-0000-4000-8000-000000000103")!)
    static let qText = QuestionID(UUID(uuidString: "0B1C0000-0000-4000-8000-000000000104")!)

    static func options(_ keys: String...) -> [ChoiceOption] {
        keys.map { ChoiceOption(key: $0, label: PanelText(de: "Option \($0)", en: "Option \($0)")) }
    }

    static let scaleLabels = ["sehr schlecht", "schlecht", "mittel", "gut", "sehr gut"].map { PanelText(de: $0, en: $0 + " (en)") }

    static func questions() -> [PanelQuestion] {
        [
            PanelQuestion(id: qScale, prompt: PanelText(de: "Wie hilfreich wären Lotsen?", en: "How helpful would guides be?"),
                          required: true, kind: .scale(labels: scaleLabels)),
            PanelQuestion(id: qSingle, prompt: PanelText(de: "Wie kommen Sie zum Amt?", en: "How do you get to the office?"),
                          kind: .singleChoice(options: options("bus", "auto", "fuss"))),
            PanelQuestion(id: qMulti, prompt: PanelText(de: "Welche Sprachen?", en: "Which languages?"),
                          kind: .multipleChoice(options: options("ar", "tr", "uk", "ru"), min: 1, max: 2)),
            PanelQuestion(id: qText, prompt: PanelText(de: "Was fehlt?", en: "What is missing?"), kind: .freeText(maxLength: 200)),
        ]
    }

    static func draft(offersEnglish: Bool = true, sections: [ProfileSection] = [.goals, .measures],
                      access: PanelAccess = .publicLink, moderation: ModerationMode = .pre) -> PanelDraft {
        PanelDraft(title: PanelText(de: "Ämterlotsen: Ihre Meinung", en: "Guides: your view"),
                   audience: PanelText(de: "Familien, die neu im Kreis sind", en: "Families new to the district"),
                   summary: PanelText(de: "Lotsen begleiten zu Ämtern.", en: "Guides go with you to offices."),
                   easyReadSummary: PanelText(de: "Lotsen helfen beim Amt."), offersEnglish: offersEnglish,
                   opensOn: day("2026-05-01"), closesOn: day("2026-05-31"), questions: questions(), sections: sections,
                   access: access, moderation: moderation, retentionDays: 180, publicResponses: true, consentVersion: "consent-2026-05-v1")
    }

    /// A panel in the given status, built directly (the lifecycle suite builds them through the rules).
    static func panel(_ status: PanelStatus = .open, moderation: ModerationMode = .pre, access: PanelAccess = .publicLink,
                      id: PanelID = panelID, limits: SubmissionLimits = .standard, closedOn: LocalDate? = nil) -> FeedbackPanel {
        let d = draft(access: access, moderation: moderation)
        return FeedbackPanel(id: id, workspaceID: wsID, subject: .recommendation(recommendationID), status: status, title: d.title,
                             audience: d.audience, summary: d.summary, easyReadSummary: d.easyReadSummary, offersEnglish: true,
                             opensOn: d.opensOn, closesOn: d.closesOn, questions: d.questions, sections: d.sections, access: access,
                             moderation: moderation, retentionDays: 180, publicResponses: true, consentVersion: d.consentVersion,
                             limits: limits, createdBy: coordinator.userID!, createdAt: now, updatedAt: now, version: 3, closedOn: closedOn)
    }

    // MARK: Hashing stand-ins

    static func lane(_ bytes: Data, seed: UInt64) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325 ^ (seed &* 0x9e37_79b9_7f4a_7c15)
        for b in bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
        h ^= h >> 33; h = h &* 0xff51_afd7_ed55_8ccd; h ^= h >> 33; h = h &* 0xc4ce_b9fe_1a85_ec53; h ^= h >> 33
        return h
    }

    /// 32 bytes, like SHA-256.
    static func hash(_ data: Data) -> Data {
        var out = Data()
        for seed in UInt64(1)...4 { withUnsafeBytes(of: lane(data, seed: seed).bigEndian) { out.append(contentsOf: $0) } }
        return out
    }

    /// Keyed, like HMAC-SHA-256.
    static func keyed(_ key: Data, _ message: Data) -> Data { hash(Data([UInt8(key.count & 0xff)]) + key + Data([0]) + message) }

    // MARK: Codes, keys, submissions

    static func code(_ seed: UInt8) -> PanelCode { PanelCode(entropy: (0..<16).map { UInt8(truncatingIfNeeded: Int(seed) &* 31 &+ $0 &* 7) })! }

    static let rotation = ClientKeyRotation.standard

    /// The secrets a key store holds at `at`: one per live epoch.
    static func secrets(at: Date = now) -> [ClientKeySecret] {
        rotation.liveEpochs(at: at).map { ClientKeySecret(epoch: $0, bytes: Data("secret-\($0)".utf8)) }
    }

    static func keyring(_ address: String = "203.0.113.7", panel: PanelID = panelID, at: Date = now) -> ClientKeyring {
        ClientKeyring.derive(address: address, panel: panel, secrets: secrets(at: at), now: at, keyedHash: keyed)!
    }

    static func content(scale: Int = 4, text: String? = "Mehr Sprechzeiten am Abend") -> SubmissionInput {
        var answers = [PanelAnswer(questionID: qScale, value: .scale(scale)), PanelAnswer(questionID: qSingle, value: .choice("bus"))]
        if let text { answers.append(PanelAnswer(questionID: qText, value: .text(text))) }
        return SubmissionInput(answers: answers, sections: [SectionFeedback(section: .goals, rating: 5, comment: "Gute Ziele")],
                               pseudonym: "Mira", email: "mira@example.org")
    }

    static func request(_ input: SubmissionInput = content(), honeypot: String? = nil, invite: String? = nil,
                        consent: String? = "consent-2026-05-v1") -> SubmissionRequest {
        SubmissionRequest(input: input, language: .de, consentVersion: consent, honeypot: honeypot, inviteCode: invite)
    }

    static func submit(_ request: SubmissionRequest = request(), to panel: FeedbackPanel = panel(), id: SubmissionID = SubmissionID(UUID()),
                       receipt: PanelCode = code(1), keys: ClientKeyring? = nil, allowances: [SubmissionAllowance] = [],
                       recent: [PanelSubmission] = [], invite: PanelInvite? = nil, at: Date = now) throws(DomainError) -> SubmitOutcome {
        try SubmissionRules.submit(request, to: panel, id: id, receipt: receipt, clientKeys: keys ?? keyring(panel: panel.id, at: at),
                                   allowances: allowances, recent: recent, invite: invite, now: at, hash: hash)
    }

    /// Submits and expects acceptance.
    static func accepted(_ request: SubmissionRequest = request(), to panel: FeedbackPanel = panel(), receipt: PanelCode = code(1),
                         keys: ClientKeyring? = nil, recent: [PanelSubmission] = [], at: Date = now) throws -> AcceptedSubmission {
        guard case .accepted(let accepted) = try submit(request, to: panel, receipt: receipt, keys: keys, recent: recent, at: at) else {
            Issue.record("expected the submission to be accepted")
            throw DomainError.forbidden
        }
        return accepted
    }

    /// A stored submission, built directly.
    static func item(_ status: SubmissionStatus, panel: PanelID = panelID, content: SubmissionContent, pseudonym: String? = "P",
                     email: String? = nil, receipt: PanelCode = code(1), at: Date = now, version: Int = 1) -> PanelSubmission {
        PanelSubmission(id: SubmissionID(UUID()), panelID: panel, content: content, pseudonym: pseudonym, email: email, language: .de,
                        consent: ConsentRecord(version: "consent-2026-05-v1", givenAt: at), receiptDigest: receipt.digest(.receipt, using: hash),
                        fingerprint: SubmissionFingerprint(hex: "ab"), status: status, receivedAt: at, updatedAt: at, version: version)
    }

    /// The outcome of a throwing call as the error's code, or `nil` when it succeeded.
    static func failure<T>(_ body: () throws -> T) -> String? {
        do {
            _ = try body()
            return nil
        } catch let error as DomainError {
            return error.code
        } catch {
            return "unexpected: \(error)"
        }
    }
}

@Suite("Feedback panels: codes and hash stand-ins")
struct FeedbackPanelFixtureTests {
    @Test("A code from random bytes has 20 characters of the Crockford alphabet, shown in groups of five")
    func codeFromEntropy() throws {
        let code = try #require(PanelCode(entropy: Array(repeating: 0xff, count: 13)))
        #expect(code.value == String(repeating: "Z", count: 20))
        #expect(code.formatted == "ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ")
        #expect(PanelCode(entropy: Array(repeating: 0, count: 12)) == nil, "fewer than 100 bits are refused")
        #expect(PanelCode(entropy: [0x08] + Array(repeating: 0, count: 12))?.value == "1" + String(repeating: "0", count: 19))
    }

    @Test("Typing is forgiving: case, spaces, hyphens, O for 0 and I or L for 1", arguments: [
        ("7k3qm-x2b9d-ab1c0-00001", true), ("7K3QM X2B9D AB1C0 00001", true), ("7K3QMX2B9DABIC0OOOO1", true), ("7K3QMX2B9DABLC00000l", true),
        ("7K3QM-X2B9D-AB1C0-0000", false), ("7K3QM-X2B9D-AB1C0-000011", false), ("7K3QM-X2B9D-AB1C0-0000U", false), ("", false),
    ])
    func typing(text: String, valid: Bool) {
        #expect((PanelCode(text) != nil) == valid)
        if valid { #expect(PanelCode(text)?.value == "7K3QMX2B9DAB1C000001") }
    }

    @Test("A code never prints itself, and its digest depends on the purpose")
    func redactionAndPurpose() {
        let code = PanelFixture.code(9)
        #expect(!"\(code)".contains(code.value))
        #expect(code.digest(.receipt, using: PanelFixture.hash) != code.digest(.invite, using: PanelFixture.hash))
        #expect(code.digest(.receipt, using: PanelFixture.hash).matches(code.digest(.receipt, using: PanelFixture.hash)))
        #expect(!code.digest(.receipt, using: PanelFixture.hash).hex.contains(code.value.lowercased()))
    }

    @Test("The hash stand-ins give 32 bytes and differ for different inputs and keys")
    func hashes() {
        #expect(PanelFixture.hash(Data("a".utf8)).count == 32)
        #expect(PanelFixture.hash(Data("a".utf8)) != PanelFixture.hash(Data("b".utf8)))
        #expect(PanelFixture.keyed(Data("k1".utf8), Data("m".utf8)) != PanelFixture.keyed(Data("k2".utf8), Data("m".utf8)))
    }
}
