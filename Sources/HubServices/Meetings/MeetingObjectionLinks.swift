import Foundation
import HubCore

/// A signed link for a guest (invited by e-mail, no account) who was present to object to
/// circulated minutes: `base64url(objection|<meeting>|<invitee>|<expiry>).hex(HMAC-SHA256)`
/// with the installation secret, like `RSVPLink` (the `objection` prefix keeps one kind of
/// link from being used as the other). It expires at the end of the objection deadline day
/// (Berlin); a recirculation sends a new one with the new deadline.
public struct ObjectionLink: Sendable, Hashable {
    public let meetingID: MeetingID
    public let person: InviteeKey
    public let expiresAt: Date

    public init(meetingID: MeetingID, person: InviteeKey, expiresAt: Date) {
        self.meetingID = meetingID
        self.person = person
        self.expiresAt = expiresAt
    }

    /// The end of the deadline day in Berlin (objections are taken until then).
    public static func expiry(deadline: LocalDate) -> Date {
        let next = deadline.adding(days: 1)
        return BerlinTime.instant(LocalDateTime(next.year, next.month, next.day, 0, 0)!)
    }

    var payload: String { "objection|\(meetingID)|\(person)|\(expiresAt.millis)" }

    public func token(_ signer: any LinkSigner) -> String {
        RSVPLink.base64url(Data(payload.utf8)) + "." + signer.sign(payload)
    }

    /// Checks the signature (constant time) and the expiry; nil for anything not issued by us.
    public static func verify(_ token: String, signer: any LinkSigner, now: Date) -> ObjectionLink? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, token.count < 1_000, let data = RSVPLink.unbase64url(String(parts[0])),
              let payload = String(data: data, encoding: .utf8), signer.isValid(String(parts[1]), for: payload) else { return nil }
        let fields = payload.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        guard fields.count == 4, fields[0] == "objection", let meeting = MeetingID(fields[1]), let person = InviteeKey(key: fields[2]),
              let expiry = Int64(fields[3]) else { return nil }
        let link = ObjectionLink(meetingID: meeting, person: person, expiresAt: Date(millis: expiry))
        return now < link.expiresAt ? link : nil
    }
}

/// What the public objection page shows to the holder of a link.
public struct ObjectionLinkPage: Sendable {
    public let meeting: Meeting
    public let minutes: Minutes
    public let agenda: Agenda
    public let person: InviteeKey
    /// The sections one may name: `(value, label)`; the empty value is "the minutes as a whole".
    public let sections: [(value: String, label: String)]
    /// Whether objections are still taken (circulated, deadline not passed), as of the request.
    public let isOpen: Bool

    /// The guest's own objections, oldest first.
    public var own: [Objection] { minutes.objections.filter { $0.by == person } }
    static func isOpen(_ minutes: Minutes, now: Date) -> Bool {
        minutes.approval.stage == .circulated && !minutes.approval.deadlinePassed(today: BerlinTime.date(now))
    }

    /// The label of a section, for the list of own objections.
    public func label(_ section: MinutesSection?) -> String? {
        let value = section?.description ?? ""
        return sections.first { $0.value == value }?.label
    }

    static func sections(_ minutes: Minutes, _ agenda: Agenda, _ meeting: Meeting, _ l: MeetingLanguage) -> [(value: String, label: String)] {
        func short(_ text: String) -> String { text.count > 60 ? String(text.prefix(59)) + "…" : text }
        let de = l == .de
        var out: [(value: String, label: String)] = [("", de ? "Das Protokoll insgesamt" : "The minutes as a whole")]
        for item in agenda.schedule(from: meeting.start) {
            out.append((MinutesSection.notes(item.item.id).description, (de ? "TOP " : "Item ") + "\(item.number) \(item.item.title)"))
        }
        for d in minutes.decisions {
            out.append((MinutesSection.decision(d.value.id).description, (de ? "Beschluss: " : "Decision: ") + short(d.value.text)))
        }
        for a in minutes.actionItems {
            out.append((MinutesSection.actionItem(a.value.id).description, (de ? "Aufgabe: " : "Action item: ") + short(a.value.text)))
        }
        out.append((MinutesSection.openPoints.description, de ? "Offene Punkte" : "Open points"))
        return out
    }
}

extension MeetingWork {
    public static func invalidObjectionLink() -> DomainError {
        DomainError(.notFound, code: "objection.invalidLink",
                    message: "This link is not valid (any more). Objections are taken until the end of the deadline day.")
    }

    /// The page behind a guest's objection link.
    public func objectionPage(token: String, language: MeetingLanguage) async throws -> ObjectionLinkPage {
        guard let link = ObjectionLink.verify(token, signer: meetings.signer, now: deps.clock.now()),
              let meeting = try await store.meeting(link.meetingID), let stored = try await store.minutes(of: link.meetingID),
              let agenda = try await store.agenda(of: link.meetingID) else { throw Self.invalidObjectionLink() }
        return ObjectionLinkPage(meeting: meeting, minutes: stored.minutes, agenda: agenda, person: link.person,
                                 sections: ObjectionLinkPage.sections(stored.minutes, agenda, meeting, language),
                                 isOpen: ObjectionLinkPage.isOpen(stored.minutes, now: deps.clock.now()))
    }

    /// A guest objects by link: the same rules as a signed-in objection (present, circulated,
    /// before the deadline, text required), `ObjectorAuthority.link`. `section` must be one the
    /// page offers (or nil for the minutes as a whole).
    public func object(token: String, text: String, section: MinutesSection?, language: MeetingLanguage) async throws -> ObjectionLinkPage {
        guard let link = ObjectionLink.verify(token, signer: meetings.signer, now: deps.clock.now()) else { throw Self.invalidObjectionLink() }
        let objectionID = ObjectionID(deps.ids.uuid())
        for _ in 0..<5 {
            guard let stored = try await store.minutes(of: link.meetingID), let meeting = try await store.meeting(link.meetingID),
                  let agenda = try await store.agenda(of: link.meetingID) else { throw Self.invalidObjectionLink() }
            let offered = ObjectionLinkPage.sections(stored.minutes, agenda, meeting, language)
            if let section, !offered.contains(where: { $0.value == section.description }) {
                throw DomainError.validation([FieldIssue(field: "section", code: "invalid", message: "Not a section of these minutes.")])
            }
            let (next, events) = try MinutesApprovalRules.object(text, to: section, in: stored.minutes, id: objectionID,
                                                                 authority: .link(meetingID: link.meetingID, person: link.person), now: deps.clock.now())
            if try await commitMinutes(next, after: stored, events: events, meeting: meeting) {
                return ObjectionLinkPage(meeting: meeting, minutes: next, agenda: agenda, person: link.person,
                                         sections: ObjectionLinkPage.sections(next, agenda, meeting, language),
                                         isOpen: ObjectionLinkPage.isOpen(next, now: deps.clock.now()))
            }
        }
        throw DomainError.versionConflict
    }

    /// The guest takes back one of their open objections (`MinutesApprovalRules.withdraw` with the link's authority).
    public func withdraw(token: String, objection: ObjectionID, language: MeetingLanguage) async throws -> ObjectionLinkPage {
        guard let link = ObjectionLink.verify(token, signer: meetings.signer, now: deps.clock.now()) else { throw Self.invalidObjectionLink() }
        for _ in 0..<5 {
            guard let stored = try await store.minutes(of: link.meetingID), let meeting = try await store.meeting(link.meetingID),
                  let agenda = try await store.agenda(of: link.meetingID) else { throw Self.invalidObjectionLink() }
            let (next, events) = try MinutesApprovalRules.withdraw(objection, in: stored.minutes,
                                                                   authority: .link(meetingID: link.meetingID, person: link.person), now: deps.clock.now())
            if try await commitMinutes(next, after: stored, events: events, meeting: meeting) {
                return ObjectionLinkPage(meeting: meeting, minutes: next, agenda: agenda, person: link.person,
                                         sections: ObjectionLinkPage.sections(next, agenda, meeting, language),
                                         isOpen: ObjectionLinkPage.isOpen(next, now: deps.clock.now()))
            }
        }
        throw DomainError.versionConflict
    }

    /// The link for one guest recipient of circulated minutes (nil without a deadline).
    func objectionLink(_ minutes: Minutes, meeting: Meeting, guest: InviteeKey) -> String? {
        guard case .guest = guest, let deadline = minutes.approval.deadline else { return nil }
        let link = ObjectionLink(meetingID: meeting.id, person: guest, expiresAt: ObjectionLink.expiry(deadline: deadline))
        return "\(meetings.settings.publicOrigin)/objection/\(link.token(meetings.signer))"
    }
}
