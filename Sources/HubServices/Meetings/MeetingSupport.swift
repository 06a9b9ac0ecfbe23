import Foundation
import HubCore
import Mustache

/// Signs and checks the links in mails (RSVP without an account): HMAC-SHA256 with an
/// installation secret, compared in constant time. Implemented with swift-crypto in HubHTTP.
public protocol LinkSigner: Sendable {
    func sign(_ message: String) -> String
    func isValid(_ signature: String, for message: String) -> Bool
}

/// What the meetings services need besides the store: where the hub is reachable and how
/// calendar files name it.
public struct MeetingSettings: Sendable {
    public let publicOrigin: String
    public let calendar: CalendarSettings
    public let language: MeetingLanguage
    /// Days sent mail (and mail given up on, after its last try) stays in the outbox.
    public let mailRetentionDays: Int

    public init(publicOrigin: String, organizerEmail: String?, language: MeetingLanguage = .de, mailRetentionDays: Int = 30) {
        self.publicOrigin = publicOrigin
        self.mailRetentionDays = mailRetentionDays
        let host = URL(string: publicOrigin)?.host ?? "roundtable.invalid"
        self.calendar = CalendarSettings(productID: "-//Roundtable//Sitzungen//DE", uidDomain: host,
                                         fallbackOrganizer: CalendarPerson(name: "Roundtable", email: organizerEmail ?? "noreply@\(host)"))
        self.language = language
    }
}

/// The claims of an RSVP link: `target|invitee|sequence|expiry`, base64url, then `.` and the
/// hex HMAC. The guest's address is readable in the link sent to that guest (not secret to
/// them); the signature keeps anyone from answering for someone else.
public struct RSVPLink: Sendable, Hashable {
    public let claims: RSVPTokenClaims
    public let expiresAt: Date

    public init(claims: RSVPTokenClaims, expiresAt: Date) {
        self.claims = claims
        self.expiresAt = expiresAt
    }

    var payload: String { "\(claims.target.storageKey)|\(claims.invitee)|\(claims.sequence)|\(expiresAt.millis)" }

    public func token(_ signer: any LinkSigner) -> String {
        Self.base64url(Data(payload.utf8)) + "." + signer.sign(payload)
    }

    /// Checks the signature (constant time) and the expiry; nil for anything not issued by us.
    public static func verify(_ token: String, signer: any LinkSigner, now: Date) -> RSVPLink? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, token.count < 1_000, let data = unbase64url(String(parts[0])), let payload = String(data: data, encoding: .utf8),
              signer.isValid(String(parts[1]), for: payload) else { return nil }
        let fields = payload.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        guard fields.count == 4, let target = CalendarTarget(storageKey: fields[0]), let invitee = InviteeKey(key: fields[1]),
              let sequence = Int(fields[2]), let expiry = Int64(fields[3]) else { return nil }
        let link = RSVPLink(claims: RSVPTokenClaims(target: target, invitee: invitee, sequence: sequence), expiresAt: Date(millis: expiry))
        return now < link.expiresAt ? link : nil
    }

    static func base64url(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func unbase64url(_ text: String) -> Data? {
        var s = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while s.count % 4 != 0 { s += "=" }
        return Data(base64Encoded: s)
    }
}

/// Renders the Mustache texts of a template version. Placeholders were checked against
/// `TemplatePlaceholders.invitation` when the template was saved; plain text (no HTML
/// escaping: the mail is text/plain, and clients escape when they show it).
enum InvitationRenderer {
    static func render(_ text: String, _ context: InvitationContext) -> String {
        guard let template = try? MustacheTemplate(string: "{{% CONTENT_TYPE: TEXT}}" + text) else { return text }
        return template.render(context)
    }
}

/// What a meeting use case loads before it decides.
struct MeetingContext: Sendable {
    let meeting: Meeting
    let workspace: Workspace

    /// A meeting the actor may read; one they may not read does not exist for them.
    static func load(_ id: MeetingID, by actor: Principal, store: any HubStore) async throws -> MeetingContext {
        guard let meeting = try await store.meeting(id), MeetingPermissions.canRead(actor, meeting.workspaceID),
              let workspace = try await store.workspace(meeting.workspaceID) else {
            throw actor.isSignedIn ? DomainError.notFound("meeting") : DomainError.unauthenticated
        }
        return MeetingContext(meeting: meeting, workspace: workspace)
    }

    /// Who may follow `meeting:<id>`: whoever may read the meeting (its workspace's members of
    /// any role, administrators). An unknown meeting is followed by nobody.
    static func mayFollow(_ id: MeetingID, principal: Principal, store: any HubStore) async throws -> Bool {
        guard principal.isSignedIn, let meeting = try await store.meeting(id) else { return false }
        return MeetingPermissions.canRead(principal, meeting.workspaceID)
    }
}

/// Meeting events as log entries on `workspace:<id>` (templates on `directory`); the mail
/// work orders (`calendarMessage`) are never published. One small payload function per kind
/// of event (a single function building one large value per case made the compiler's
/// stack-nesting pass take minutes).
enum MeetingEventEncoding {
    struct MeetingPayload: Encodable { let meeting: MeetingView; let changes: [MeetingChange]? }
    struct TemplatePayload: Encodable { let template: MeetingTemplateView }
    struct TallyPayload: Encodable { let meetingId: String?; let tally: RSVPTally? }
    struct AgendaPayload: Encodable { let meetingId: String; let agenda: AgendaView? }
    struct MinutesPayload: Encodable { let meetingId: String; let minutes: MinutesView; let section: String?; let deemed: Bool? }
    struct ObjectionPayload: Encodable { let meetingId: String; let objection: Objection }
    struct ActionPayload: Encodable { let meetingId: String; let actionItem: ActionItem }

    static func newEvents(_ events: [MeetingEvent], meeting: Meeting?, minutesRevision: Int? = nil) -> [NewEvent] {
        var out: [NewEvent] = []
        for event in events where !event.isMailOnly {
            guard let payload = payload(event, start: meeting?.start, revision: minutesRevision ?? 0) else { continue }
            let topic: Topic = event.workspaceID.map { .workspace($0) } ?? .directory
            out.append(NewEvent(topic: topic, name: event.name, payload: payload))
            // The same event on the meeting's own topic, for its live view.
            if let id = meetingID(of: event) { out.append(NewEvent(topic: .meeting(id), name: event.name, payload: payload)) }
        }
        return out
    }

    /// The meeting an event is about (nil for templates, series and mail work orders).
    static func meetingID(of event: MeetingEvent) -> MeetingID? {
        switch event {
        case .meetingCreated(let m), .meetingStatusChanged(let m), .meetingUpdated(let m, _): return m.id
        case .rsvpRecorded(let r, _, _):
            if case .meeting(let id) = r.target { return id }
            return nil
        case .responsesReset(let target, _):
            if case .meeting(let id) = target { return id }
            return nil
        case .agendaChanged(let a), .liveAgendaChanged(let a): return a.meetingID
        case .minutesSaved(let m, _), .minutesCirculated(let m, _), .objectionsOpenAtDeadline(let m), .minutesApproved(let m, _),
             .objectionRaised(let m, _), .objectionAnswered(let m, _), .objectionWithdrawn(let m, _), .actionItemChanged(let m, _):
            return m.meetingID
        case .templateCreated, .templateRevised, .seriesCreated, .seriesUpdated, .seriesStatusChanged, .calendarMessage: return nil
        case .meetingDeleted(let m): return m.id
        }
    }

    static func payload(_ event: MeetingEvent, start: LocalDateTime?, revision: Int) -> String? {
        switch event {
        case .templateCreated(let t), .templateRevised(let t): return template(t)
        case .meetingCreated(let m), .meetingStatusChanged(let m): return meeting(m, nil)
        case .meetingUpdated(let m, let changes): return meeting(m, changes)
        case .rsvpRecorded(let r, _, let tally): return tallyPayload(r.target, tally)
        case .responsesReset(let target, _): return tallyPayload(target, nil)
        case .agendaChanged(let a), .liveAgendaChanged(let a): return agenda(a, start)
        case .minutesSaved(let m, let section): return minutes(m, revision, section.description, nil)
        case .minutesCirculated(let m, _), .objectionsOpenAtDeadline(let m): return minutes(m, revision, nil, nil)
        case .minutesApproved(let m, let deemed): return minutes(m, revision, nil, deemed)
        case .objectionRaised(let m, let o), .objectionAnswered(let m, let o), .objectionWithdrawn(let m, let o): return objection(m, o)
        case .actionItemChanged(let m, let item): return action(m, item)
        case .seriesCreated(let s), .seriesStatusChanged(let s): return seriesPayload(s, nil)
        case .seriesUpdated(let s, let changes): return seriesPayload(s, changes)
        case .calendarMessage: return nil
        case .meetingDeleted(let m): return deleted(m)
        }
    }

    struct DeletedPayload: Encodable { let meetingId: String; let workspaceId: String }
    static func deleted(_ m: Meeting) -> String {
        WireJSON.string(DeletedPayload(meetingId: m.id.description, workspaceId: m.workspaceID.description))
    }
    static func template(_ t: MeetingTemplate) -> String { WireJSON.string(TemplatePayload(template: MeetingTemplateView(t))) }
    static func meeting(_ m: Meeting, _ changes: [MeetingChange]?) -> String { WireJSON.string(MeetingPayload(meeting: MeetingView(m), changes: changes)) }
    static func tallyPayload(_ target: CalendarTarget, _ tally: RSVPTally?) -> String {
        var id: String? = nil
        if case .meeting(let m) = target { id = m.description }
        return WireJSON.string(TallyPayload(meetingId: id, tally: tally))
    }
    static func agenda(_ a: Agenda, _ start: LocalDateTime?) -> String {
        WireJSON.string(AgendaPayload(meetingId: a.meetingID.description, agenda: start.map { AgendaView(a, start: $0) }))
    }
    static func minutes(_ m: Minutes, _ revision: Int, _ section: String?, _ deemed: Bool?) -> String {
        WireJSON.string(MinutesPayload(meetingId: m.meetingID.description, minutes: MinutesView(StoredMinutes(minutes: m, revision: revision)),
                                       section: section, deemed: deemed))
    }
    static func objection(_ m: Minutes, _ o: Objection) -> String {
        WireJSON.string(ObjectionPayload(meetingId: m.meetingID.description, objection: o))
    }
    static func action(_ m: Minutes, _ item: ActionItem) -> String {
        WireJSON.string(ActionPayload(meetingId: m.meetingID.description, actionItem: item))
    }
}
