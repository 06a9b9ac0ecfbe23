import Foundation
import HubCore

/// Meetings in the OParl 1.1 read API: `Meeting` with its public `AgendaItem`s, the invitation
/// and (once published) the minutes as `File`s. Public, like the rest of the OParl API, so only
/// what the district announces anyway:
///
/// * a meeting appears once its invitation went out (invited, held, minutes approved,
///   published), and stays as `cancelled: true` when it is cancelled after that; meetings still
///   being planned are not shown;
/// * only public agenda items (an item under a non-public one is non-public too);
/// * the invitation file is title, time, place and the public agenda — no invitees, no online
///   link (that is an access link), no RSVP links;
/// * the results protocol exists once the minutes are published, and is their public part
///   (`MinutesDocument.render(publicOnly: true)`: no objections, names only with consent);
/// * no `Person` objects: the hub records no consent to publish a person in OParl (attendance
///   consent is per meeting and covers the published minutes only), so `participant` is left
///   out and the people list stays empty.
public struct MeetingOParl: Sendable {
    public let oparl: OParl

    public init(oparl: OParl) { self.oparl = oparl }

    /// One meeting with what OParl shows of it.
    public struct Source: Sendable {
        public let meeting: Meeting
        public let agenda: Agenda?
        /// The published minutes (nil before publication).
        public let minutes: Minutes?

        public init(meeting: Meeting, agenda: Agenda?, minutes: Minutes?) {
            self.meeting = meeting
            self.agenda = agenda
            self.minutes = minutes
        }
    }

    public typealias Object = OParl.Object

    /// Whether OParl shows the meeting at all.
    public static func isListed(_ m: Meeting) -> Bool {
        switch m.status {
        case .planned: false
        case .invited, .held, .minutesApproved, .published: true
        case .cancelled: m.invitedAt != nil
        }
    }

    var base: String { "\(oparl.origin)/api/oparl/1.1" }
    public func meetingURL(_ id: MeetingID) -> String { "\(base)/meetings/\(id)" }
    public func agendaItemURL(_ id: AgendaItemID) -> String { "\(base)/agenda-items/\(id)" }
    public func fileURL(_ key: String) -> String { "\(base)/files/\(key)" }
    static func instant(_ date: Date) -> JSONValue { .string(WireJSON.formatInstant(date)) }

    static func stateText(_ status: MeetingStatus) -> String {
        switch status {
        case .planned: "in Planung"
        case .invited: "eingeladen"
        case .held: "durchgeführt"
        case .minutesApproved: "Protokoll genehmigt"
        case .published: "Protokoll veröffentlicht"
        case .cancelled: "abgesagt"
        }
    }

    /// The public agenda items in reading order with their planned start.
    static func publicItems(_ s: Source) -> [NumberedAgendaItem] {
        (s.agenda?.schedule(from: s.meeting.start) ?? []).filter(\.isPublic)
    }

    /// When anything OParl shows of the meeting last changed.
    public static func modified(_ s: Source) -> Date {
        max(s.meeting.updatedAt, s.agenda?.updatedAt ?? .distantPast, s.minutes?.updatedAt ?? .distantPast)
    }

    // MARK: Meeting

    public func meeting(_ s: Source) -> Object {
        let m = s.meeting
        var o: Object = ["id": .string(meetingURL(m.id)), "type": .string(OParl.type("Meeting")), "name": .string(m.title)]
        o["meetingState"] = .string(Self.stateText(m.status))
        o["cancelled"] = .bool(m.status == .cancelled)
        o["start"] = Self.instant(m.startInstant)
        o["end"] = Self.instant(m.endInstant)
        if let place = m.place { o["location"] = .object(location(m, place)) }
        o["organization"] = .array([.string(oparl.organizationURL(m.workspaceID.description))])
        o["invitation"] = .object(invitationFile(s))
        if let protocolFile = resultsFile(s) { o["resultsProtocol"] = .object(protocolFile) }
        o["agendaItem"] = .array(agendaItems(s).map { .object($0) })
        o["web"] = .string("\(oparl.origin)/#/meetings/\(m.id)")
        o["created"] = Self.instant(m.createdAt)
        o["modified"] = Self.instant(Self.modified(s))
        o["deleted"] = .bool(false)
        return o
    }

    func location(_ m: Meeting, _ place: String) -> Object {
        ["id": .string("\(meetingURL(m.id))/location"), "type": .string(OParl.type("Location")), "description": .string(place),
         "meetings": .array([.string(meetingURL(m.id))])]
    }

    // MARK: Agenda items

    public func agendaItems(_ s: Source) -> [Object] {
        Self.publicItems(s).enumerated().map { index, numbered in agendaItem(s, numbered, order: index + 1) }
    }

    func agendaItem(_ s: Source, _ numbered: NumberedAgendaItem, order: Int) -> Object {
        var o: Object = ["id": .string(agendaItemURL(numbered.item.id)), "type": .string(OParl.type("AgendaItem")),
                         "meeting": .string(meetingURL(s.meeting.id))]
        o["number"] = .string(numbered.number)
        o["order"] = .int(order)
        o["name"] = .string(numbered.item.title)
        o["public"] = .bool(true)
        let start = BerlinTime.instant(numbered.start)
        o["start"] = Self.instant(start)
        o["end"] = Self.instant(start.addingTimeInterval(Double(numbered.plannedMinutes) * 60))
        let decisions = (s.minutes?.decisions ?? []).map(\.value).filter { $0.agendaItemID == numbered.item.id }
        if !decisions.isEmpty { o["resolutionText"] = .string(decisions.map(\.text).joined(separator: "\n\n")) }
        o["created"] = Self.instant(s.meeting.createdAt)
        o["modified"] = Self.instant(Self.modified(s))
        o["deleted"] = .bool(false)
        return o
    }

    // MARK: Files

    public static func invitationKey(_ id: MeetingID) -> String { "invitation-\(id)" }
    public static func minutesKey(_ id: MeetingID) -> String { "minutes-\(id)" }

    public func files(_ s: Source) -> [Object] {
        [invitationFile(s)] + (resultsFile(s).map { [$0] } ?? [])
    }

    func invitationFile(_ s: Source) -> Object {
        file(s, key: Self.invitationKey(s.meeting.id), name: "Einladung: \(s.meeting.title)", fileName: "einladung.md",
             text: Self.invitationText(s), date: s.meeting.invitedAt ?? s.meeting.createdAt)
    }

    func resultsFile(_ s: Source) -> Object? {
        guard let text = Self.minutesText(s) else { return nil }
        return file(s, key: Self.minutesKey(s.meeting.id), name: "Protokoll: \(s.meeting.title)", fileName: "protokoll.md", text: text,
                    date: s.meeting.publishedAt ?? s.meeting.updatedAt)
    }

    func file(_ s: Source, key: String, name: String, fileName: String, text: String, date: Date) -> Object {
        let url = fileURL(key)
        var o: Object = ["id": .string(url), "type": .string(OParl.type("File")), "name": .string(name), "fileName": .string(fileName)]
        o["mimeType"] = .string("text/markdown")
        o["date"] = .string(LocalDate.berlin(date).description)
        o["size"] = .int(text.utf8.count)
        o["accessUrl"] = .string("\(url)/content")
        o["downloadUrl"] = .string("\(url)/content")
        o["meeting"] = .array([.string(meetingURL(s.meeting.id))])
        o["created"] = Self.instant(date)
        o["modified"] = Self.instant(Self.modified(s))
        o["deleted"] = .bool(false)
        return o
    }

    /// The file's content by its key, if the meeting shows it.
    public static func content(_ key: String, _ s: Source) -> String? {
        if key == invitationKey(s.meeting.id) { return invitationText(s) }
        if key == minutesKey(s.meeting.id) { return minutesText(s) }
        return nil
    }

    /// The meeting a file key names (`invitation-<uuid>`, `minutes-<uuid>`).
    public static func meetingID(ofFile key: String) -> MeetingID? {
        for prefix in ["invitation-", "minutes-"] where key.hasPrefix(prefix) {
            return MeetingID(String(key.dropFirst(prefix.count)))
        }
        return nil
    }

    /// Title, time, place and the public agenda; nothing about the invitees.
    static func invitationText(_ s: Source) -> String {
        let m = s.meeting
        var lines = ["# Einladung: \(MeetingExports.escape(m.title))", ""]
        lines.append("\(MeetingText.longDate(m.start.date, .de)), \(m.start.timeText)–\(m.end.timeText) Uhr")
        if let place = m.place { lines.append("Ort: \(MeetingExports.escape(place))") }
        if m.status == .cancelled { lines += ["", "**Die Sitzung ist abgesagt.**"] }
        lines += ["", "## Tagesordnung (öffentlicher Teil)", ""]
        for item in publicItems(s) {
            lines.append("\(String(repeating: "  ", count: item.depth))- **\(item.number)** \(MeetingExports.escape(item.item.title)) (\(item.plannedMinutes) Min.)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func minutesText(_ s: Source) -> String? {
        guard s.meeting.status == .published, let minutes = s.minutes, let agenda = s.agenda else { return nil }
        return MinutesDocument.render(minutes, meeting: s.meeting, agenda: agenda, language: .de, publicOnly: true)
    }
}

/// Loads what the OParl API shows of meetings.
public struct MeetingOParlQueries: Sendable {
    let store: any HubStore

    public init(deps: ServiceDependencies) { store = deps.store }

    static let listedStatuses: Set<MeetingStatus> = [.invited, .held, .minutesApproved, .published, .cancelled]

    /// Every listed meeting, oldest start first (then id), optionally only those modified since.
    public func sources(modifiedSince: Date?) async throws -> [MeetingOParl.Source] {
        var out: [MeetingOParl.Source] = []
        for m in try await store.meetings(status: Self.listedStatuses) where MeetingOParl.isListed(m) {
            let s = try await source(m)
            if let since = modifiedSince, MeetingOParl.modified(s) < since { continue }
            out.append(s)
        }
        return out.sorted { ($0.meeting.startInstant, $0.meeting.id.description) < ($1.meeting.startInstant, $1.meeting.id.description) }
    }

    public func source(_ id: MeetingID) async throws -> MeetingOParl.Source? {
        guard let m = try await store.meeting(id), MeetingOParl.isListed(m) else { return nil }
        return try await source(m)
    }

    func source(_ m: Meeting) async throws -> MeetingOParl.Source {
        let agenda = try await store.agenda(of: m.id)
        let minutes = m.status == .published ? try await store.minutes(of: m.id)?.minutes : nil
        return MeetingOParl.Source(meeting: m, agenda: agenda, minutes: minutes)
    }

    /// The listed meeting whose public agenda has this item.
    public func source(agendaItem id: AgendaItemID) async throws -> MeetingOParl.Source? {
        for s in try await sources(modifiedSince: nil) where MeetingOParl.publicItems(s).contains(where: { $0.item.id == id }) {
            return s
        }
        return nil
    }
}
