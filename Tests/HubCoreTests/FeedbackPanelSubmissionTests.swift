import Foundation
import HubCore
import Testing

/// One row of the answer-validation table.
struct AnswerCase: Sendable, CustomTestStringConvertible {
    let name: String
    let answers: [PanelAnswer]
    var sections: [SectionFeedback] = []
    var pseudonym: String? = nil
    var email: String? = nil
    /// `field:code` of the expected issue, or `nil` when the input is valid.
    let expected: String?

    var testDescription: String { name }
}

@Suite("Feedback panels: submitting without an account")
struct FeedbackPanelSubmissionTests {
    typealias F = PanelFixture

    static func a(_ question: QuestionID, _ value: AnswerValue) -> PanelAnswer { PanelAnswer(questionID: question, value: value) }
    static let scale3 = a(F.qScale, .scale(3))

    static let answerCases: [AnswerCase] = [
        AnswerCase(name: "scale 3", answers: [scale3], expected: nil),
        AnswerCase(name: "scale 0", answers: [a(F.qScale, .scale(0))], expected: "answers[\(F.qScale)]:outOfRange"),
        AnswerCase(name: "scale 6", answers: [a(F.qScale, .scale(6))], expected: "answers[\(F.qScale)]:outOfRange"),
        AnswerCase(name: "scale given as text", answers: [a(F.qScale, .text("3"))], expected: "answers[\(F.qScale)]:wrongType"),
        AnswerCase(name: "required scale missing", answers: [a(F.qSingle, .choice("bus"))], expected: "answers[\(F.qScale)]:required"),
        AnswerCase(name: "single choice", answers: [scale3, a(F.qSingle, .choice("auto"))], expected: nil),
        AnswerCase(name: "single choice unknown", answers: [scale3, a(F.qSingle, .choice("flug"))], expected: "answers[\(F.qSingle)]:unknownOption"),
        AnswerCase(name: "single choice empty is skipped", answers: [scale3, a(F.qSingle, .choice(""))], expected: nil),
        AnswerCase(name: "single choice given as list", answers: [scale3, a(F.qSingle, .choices(["bus"]))], expected: "answers[\(F.qSingle)]:wrongType"),
        AnswerCase(name: "multiple choice two", answers: [scale3, a(F.qMulti, .choices(["tr", "ar"]))], expected: nil),
        AnswerCase(name: "multiple choice repeated key counts once", answers: [scale3, a(F.qMulti, .choices(["ar", "ar"]))], expected: nil),
        AnswerCase(name: "multiple choice too many", answers: [scale3, a(F.qMulti, .choices(["ar", "tr", "uk"]))], expected: "answers[\(F.qMulti)]:tooMany"),
        AnswerCase(name: "multiple choice unknown", answers: [scale3, a(F.qMulti, .choices(["de"]))], expected: "answers[\(F.qMulti)]:unknownOption"),
        AnswerCase(name: "multiple choice empty is skipped", answers: [scale3, a(F.qMulti, .choices([]))], expected: nil),
        AnswerCase(name: "free text", answers: [scale3, a(F.qText, .text("Abends öffnen"))], expected: nil),
        AnswerCase(name: "free text blank is skipped", answers: [scale3, a(F.qText, .text("  \n "))], expected: nil),
        AnswerCase(name: "free text too long", answers: [scale3, a(F.qText, .text(String(repeating: "x", count: 201)))], expected: "answers[\(F.qText)]:tooLong"),
        AnswerCase(name: "free text with a control character", answers: [scale3, a(F.qText, .text("a\u{0000}b"))], expected: "answers[\(F.qText)]:invalidCharacters"),
        AnswerCase(name: "unknown question", answers: [scale3, a(QuestionID(UUID(uuidString: "0B1C0000-0000-4000-8000-000000000999")!), .scale(2))],
                   expected: "answers[0b1c0000-0000-4000-8000-000000000999]:unknown"),
        AnswerCase(name: "answered twice", answers: [scale3, a(F.qScale, .scale(4))], expected: "answers[\(F.qScale)]:duplicate"),
        AnswerCase(name: "section rated", answers: [scale3], sections: [SectionFeedback(section: .measures, rating: 2, comment: nil)], expected: nil),
        AnswerCase(name: "section not asked", answers: [scale3], sections: [SectionFeedback(section: .resources, rating: 2, comment: nil)],
                   expected: "sections[resources]:notAsked"),
        AnswerCase(name: "section rating 7", answers: [scale3], sections: [SectionFeedback(section: .goals, rating: 7, comment: nil)],
                   expected: "sections[goals].rating:outOfRange"),
        AnswerCase(name: "section comment too long", answers: [scale3],
                   sections: [SectionFeedback(section: .goals, rating: nil, comment: String(repeating: "x", count: 2001))],
                   expected: "sections[goals].comment:tooLong"),
        AnswerCase(name: "section twice", answers: [scale3],
                   sections: [SectionFeedback(section: .goals, rating: 1, comment: nil), SectionFeedback(section: .goals, rating: 2, comment: nil)],
                   expected: "sections[goals]:duplicate"),
        AnswerCase(name: "pseudonym too long", answers: [scale3], pseudonym: String(repeating: "n", count: 41), expected: "pseudonym:tooLong"),
        AnswerCase(name: "e-mail invalid", answers: [scale3], email: "mira at example", expected: "email:invalid"),
        AnswerCase(name: "e-mail blank is none", answers: [scale3], email: "   ", expected: nil),
    ]

    @Test("Answers are validated against the questions", arguments: answerCases)
    func answerValidation(c: AnswerCase) {
        let input = SubmissionInput(answers: c.answers, sections: c.sections, pseudonym: c.pseudonym, email: c.email)
        do throws(DomainError) {
            _ = try SubmissionValidation.normalize(input, for: F.panel())
            #expect(c.expected == nil)
        } catch {
            #expect(error.fields.map { "\($0.field):\($0.code)" }.contains(c.expected ?? "—"), "\(error.fields)")
        }
    }

    @Test("A form that answers nothing is refused; an optional question alone would do")
    func empty() {
        var panel = F.panel()
        #expect(F.failure { try SubmissionValidation.normalize(SubmissionInput(answers: [Self.a(F.qText, .text(" "))]), for: panel) } == "validation.failed")
        panel.questions[0].required = false
        #expect(F.failure { try SubmissionValidation.normalize(SubmissionInput(), for: panel) } == "validation.failed")
        #expect(F.failure { try SubmissionValidation.normalize(SubmissionInput(answers: [Self.a(F.qSingle, .choice("bus"))]), for: panel) } == nil)
    }

    @Test("Normalization: question and option order, trimmed texts, profile order, collapsed pseudonym, lower-case address")
    func normalization() throws {
        let input = SubmissionInput(
            answers: [Self.a(F.qText, .text("  Zeile 1\r\nZeile 2  ")), Self.a(F.qMulti, .choices(["uk", " ar"])), Self.scale3, Self.a(F.qSingle, .choice(""))],
            sections: [SectionFeedback(section: .measures, rating: nil, comment: " ok "), SectionFeedback(section: .goals, rating: nil, comment: "  ")],
            pseudonym: "  Mira   K. ", email: " Mira@Example.ORG ")
        let n = try SubmissionValidation.normalize(input, for: F.panel())
        #expect(n.content.answers == [Self.scale3, Self.a(F.qMulti, .choices(["ar", "uk"])), Self.a(F.qText, .text("Zeile 1\nZeile 2"))])
        #expect(n.content.sections == [SectionFeedback(section: .measures, rating: nil, comment: "ok")])
        #expect(n.pseudonym == "Mira K." && n.email == "mira@example.org")
    }

    // MARK: Honeypot

    @Test("A filled honeypot is silently 'accepted': nothing stored, counted or published", arguments: ["x", "http://spam.example", "  a  "])
    func honeypot(value: String) throws {
        #expect(try F.submit(F.request(honeypot: value)) == .discarded)
        // The bot learns nothing: the same answer where a person would be refused.
        #expect(try F.submit(F.request(honeypot: value), to: F.panel(.closed)) == .discarded)
        #expect(try F.submit(F.request(SubmissionInput(), honeypot: value, consent: nil)) == .discarded)
        let full = SubmissionAllowance(hourLevel: 10, dayLevel: 40, at: F.now)
        #expect(try F.submit(F.request(honeypot: value), allowances: [full]) == .discarded)
    }

    @Test("An empty or blank honeypot is a person", arguments: [nil, "", "   ", "\n"] as [String?])
    func honeypotEmpty(value: String?) throws {
        guard case .accepted = try F.submit(F.request(honeypot: value)) else { Issue.record("expected acceptance"); return }
    }

    // MARK: Acceptance

    @Test("Pre-moderation: pending, and moderators are notified; the receipt is stored only as its hash")
    func acceptedPre() throws {
        let accepted = try F.accepted(receipt: F.code(7))
        let s = accepted.submission
        #expect(s.status == .pending && s.version == 1 && s.pseudonym == "Mira" && s.email == "mira@example.org")
        #expect(s.consent == ConsentRecord(version: "consent-2026-05-v1", givenAt: F.now))
        #expect(s.receiptDigest == F.code(7).digest(.receipt, using: F.hash))
        #expect(accepted.events == [.awaitingModeration(SubmissionNotice(s, in: F.panel()))])
        let stored = String(decoding: try JSONEncoder().encode(s), as: UTF8.self)
        #expect(!stored.contains(F.code(7).value) && !stored.contains(F.code(7).formatted))
        #expect(accepted.key == F.keyring().current && accepted.allowance == SubmissionAllowance(hourLevel: 1, dayLevel: 1, at: F.now))
        #expect(accepted.allowanceExpiresAt == F.now.addingTimeInterval(2160), "one submission of 40 a day drains in 36 minutes")
    }

    @Test("Post-moderation: visible at once, results change")
    func acceptedPost() throws {
        let panel = F.panel(moderation: .post)
        let accepted = try F.accepted(to: panel)
        #expect(accepted.submission.status == .visible)
        #expect(accepted.events == [.submissionReceived(SubmissionNotice(accepted.submission, in: panel)),
                                    .resultsChanged(panel: panel.id, workspace: F.wsID)])
    }

    @Test("Consent is required, in the version the panel shows; its absence is reported with the other issues")
    func consent() {
        do throws(DomainError) {
            _ = try F.submit(F.request(SubmissionInput(answers: [Self.a(F.qScale, .scale(9))]), consent: nil))
            Issue.record("expected a refusal")
        } catch {
            #expect(error.fields.map(\.field) == ["consent", "answers[\(F.qScale)]"])
        }
        #expect(F.failure { try F.submit(F.request(consent: "consent-2025-v0")) } == "validation.failed")
    }

    @Test("Only an open panel takes submissions", arguments: [
        ("2026-05-04T08:00:00Z", PanelStatus.draft, "panel.notFound"), ("2026-04-30T21:59:59Z", .open, "panel.notYetOpen"),
        ("2026-04-30T22:00:00Z", .open, nil), ("2026-05-31T21:59:59Z", .open, nil), ("2026-05-31T22:00:00Z", .open, "panel.closed"),
        ("2026-05-04T08:00:00Z", .closed, "panel.closed"), ("2026-05-04T08:00:00Z", .archived, "panel.closed"),
    ] as [(String, PanelStatus, String?)])
    func phaseGate(at: String, status: PanelStatus, refusal: String?) {
        #expect(F.failure { try F.submit(to: F.panel(status), at: F.date(at)) } == refusal)
    }

    // MARK: Duplicates

    @Test("The same content from the same client within ten minutes is the original, as often as it is repeated")
    func duplicate() throws {
        let original = try F.accepted().submission
        for offset in [1.0, 60, 599] {
            #expect(try F.submit(recent: [original], at: F.now.addingTimeInterval(offset)) == .duplicate(of: original.id, receivedAt: F.now))
        }
        guard case .accepted = try F.submit(recent: [original], at: F.now.addingTimeInterval(600)) else { Issue.record("window passed"); return }
    }

    @Test("Not a duplicate: another client, other content, another pseudonym, a withdrawn original, another panel", arguments: [
        "client", "content", "pseudonym", "withdrawn", "panel",
    ])
    func notDuplicate(change: String) throws {
        var original = try F.accepted().submission
        var request = F.request()
        var keys = F.keyring()
        switch change {
        case "client": keys = F.keyring("198.51.100.20")
        case "content": request = F.request(F.content(scale: 2))
        case "pseudonym": request.input.pseudonym = "Jonas"
        case "withdrawn": original.status = .withdrawn
        default: original = F.item(.pending, panel: PanelID(UUID()), content: original.content)
        }
        guard case .accepted = try F.submit(request, keys: keys, recent: [original], at: F.now.addingTimeInterval(30)) else {
            Issue.record("expected a new item"); return
        }
    }

    @Test("A changed e-mail address or extra whitespace is still the same content")
    func duplicateNormalized() throws {
        let original = try F.accepted().submission
        var request = F.request()
        request.input.email = "other@example.org"
        request.input.pseudonym = "  Mira "
        #expect(try F.submit(request, recent: [original], at: F.now.addingTimeInterval(5)) == .duplicate(of: original.id, receivedAt: F.now))
    }

    @Test("A duplicate across the nightly key rotation is still recognized (the earlier key still matches)")
    func duplicateAcrossRotation() throws {
        let beforeMidnight = F.date("2026-05-04T23:58:00Z")
        let original = try F.accepted(at: beforeMidnight).submission
        let afterMidnight = F.date("2026-05-05T00:03:00Z")
        let keys = F.keyring(at: afterMidnight)
        #expect(keys.current.epoch == F.rotation.epoch(at: afterMidnight) && keys.earlier.first?.epoch == F.rotation.epoch(at: beforeMidnight))
        #expect(try F.submit(keys: keys, recent: [original], at: afterMidnight) == .duplicate(of: original.id, receivedAt: beforeMidnight))
    }

    // MARK: Invite codes

    static func invite(uses: Int = 0, maxUses: Int = 2, panel: PanelID = F.panelID, revoked: Bool = false) -> PanelInvite {
        PanelInvite(id: PanelInviteID(UUID()), panelID: panel, digest: F.code(5).digest(.invite, using: F.hash), label: "Jugendrat", maxUses: maxUses,
                    uses: uses, createdBy: F.coordinator.userID!, createdAt: F.now, revokedAt: revoked ? F.now : nil)
    }

    @Test("Invite-only panels admit with a valid code, count its uses, and refuse otherwise", arguments: [
        ("valid", nil), ("missing", "panel.inviteRequired"), ("wrong code", "panel.inviteInvalid"), ("revoked", "panel.inviteInvalid"),
        ("used up", "panel.inviteUsedUp"), ("other panel", "panel.inviteInvalid"), ("receipt as invite", "panel.inviteInvalid"),
    ] as [(String, String?)])
    func inviteOnly(name: String, refusal: String?) {
        let panel = F.panel(access: .inviteOnly)
        var code: String? = F.code(5).formatted.lowercased()
        var invite = Self.invite()
        var invitePassed: PanelInvite? = invite
        switch name {
        case "missing": code = nil
        case "wrong code": code = F.code(6).formatted
        case "revoked": invitePassed = Self.invite(revoked: true)
        case "used up": invitePassed = Self.invite(uses: 2)
        case "other panel": invitePassed = Self.invite(panel: PanelID(UUID()))
        case "receipt as invite":
            invite = PanelInvite(id: invite.id, panelID: F.panelID, digest: F.code(5).digest(.receipt, using: F.hash), label: "x", maxUses: 2, uses: 0,
                                 createdBy: F.coordinator.userID!, createdAt: F.now)
            invitePassed = invite
        default: break
        }
        #expect(F.failure { try F.submit(F.request(invite: code), to: panel, invite: invitePassed) } == refusal)
        if refusal == nil, case .accepted(let accepted)? = try? F.submit(F.request(invite: code), to: panel, invite: invitePassed) {
            #expect(accepted.invite?.uses == 1)
            #expect(!String(describing: accepted.submission).contains(invite.id.description), "the submission does not record its invite")
        }
    }

    @Test("Re-posting a form admitted by a single-use code is a duplicate, not 'used up'")
    func inviteDuplicate() throws {
        let panel = F.panel(access: .inviteOnly)
        let code = F.code(5).formatted
        guard case .accepted(let first) = try F.submit(F.request(invite: code), to: panel, invite: Self.invite(maxUses: 1)) else {
            Issue.record("expected acceptance"); return
        }
        let spent = try #require(first.invite)
        #expect(spent.uses == 1)
        #expect(try F.submit(F.request(invite: code), to: panel, recent: [first.submission], invite: spent, at: F.now.addingTimeInterval(20))
            == .duplicate(of: first.submission.id, receivedAt: F.now))
        #expect(F.failure { try F.submit(F.request(F.content(scale: 1), invite: code), to: panel, recent: [first.submission], invite: spent) }
            == "panel.inviteUsedUp")
        #expect(F.failure { try F.submit(F.request(F.content(scale: 1)), to: panel, recent: [first.submission], invite: spent) } == "panel.inviteRequired")
    }

    @Test("Invite codes: coordinators create them for invite-only panels, with sane labels and uses; revoking is idempotent")
    func inviteRules() throws {
        let panel = F.panel(.open, access: .inviteOnly)
        let (invite, events) = try InviteRules.create(for: panel, in: F.workspace(), id: PanelInviteID(UUID()), code: F.code(5), label: "  Jugendrat  Nord ",
                                                      maxUses: 15, by: F.coordinator, now: F.now, hash: F.hash)
        #expect(invite.label == "Jugendrat Nord" && invite.uses == 0 && invite.digest == F.code(5).digest(.invite, using: F.hash))
        #expect(events == [.inviteChanged(InviteNotice(invite, workspace: F.wsID))])
        #expect(F.failure { try InviteRules.create(for: F.panel(), in: F.workspace(), id: PanelInviteID(UUID()), code: F.code(5), label: "x", maxUses: 1,
                                                   by: F.coordinator, now: F.now, hash: F.hash) } == "panel.notInviteOnly")
        #expect(F.failure { try InviteRules.create(for: panel, in: F.workspace(), id: PanelInviteID(UUID()), code: F.code(5), label: "x", maxUses: 0,
                                                   by: F.coordinator, now: F.now, hash: F.hash) } == "validation.failed")
        #expect(F.failure { try InviteRules.create(for: panel, in: F.workspace(), id: PanelInviteID(UUID()), code: F.code(5), label: "x", maxUses: 1,
                                                   by: F.member, now: F.now, hash: F.hash) } == "forbidden")
        let (revoked, revokeEvents) = try InviteRules.revoke(invite, of: panel, in: F.workspace(), by: F.coordinator, now: F.now)
        #expect(revoked.revoked && revokeEvents.count == 1)
        #expect(try InviteRules.revoke(revoked, of: panel, in: F.workspace(), by: F.coordinator, now: F.now).1.isEmpty)
    }
}

@Suite("Answer values on the wire")
struct AnswerValueCodingTests {
    func json(_ value: AnswerValue) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    func decode(_ text: String) throws -> AnswerValue { try JSONDecoder().decode(AnswerValue.self, from: Data(text.utf8)) }

    @Test("One key with the plain value, and back")
    func roundTrip() throws {
        let cases: [(AnswerValue, String)] = [(.scale(4), #"{"scale":4}"#), (.choice("bus"), #"{"choice":"bus"}"#),
                                              (.choices(["bus", "rad"]), #"{"choices":["bus","rad"]}"#), (.text("Gut <b>so</b>"), #"{"text":"Gut <b>so<\/b>"}"#)]
        for (value, expected) in cases {
            #expect(try json(value) == expected)
            #expect(try decode(expected) == value)
        }
    }

    @Test("The older form with _0 is still read; anything else is refused")
    func olderFormAndRefusals() throws {
        #expect(try decode(#"{"scale":{"_0":4}}"#) == .scale(4))
        #expect(try decode(#"{"choices":{"_0":["a"]}}"#) == .choices(["a"]))
        for bad in [#"{}"#, #"{"scale":4,"text":"x"}"#, #"{"scale":"vier"}"#, #"{"rating":4}"#] {
            #expect(throws: DecodingError.self) { try decode(bad) }
        }
    }
}
