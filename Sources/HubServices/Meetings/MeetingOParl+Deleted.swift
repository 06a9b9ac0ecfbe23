import Foundation
import HubCore

/// Deleted meetings in OParl 1.1: a meeting OParl listed stays listed after its deletion, with
/// only `id`, `type`, `deleted: true`, `created` and `modified` (the time of deletion), and so
/// do its public agenda items and its invitation file. A client synchronising with
/// `modified_since` removes them from its copy.
extension MeetingOParl {
    /// A listed meeting or what is left of a deleted one, in list order.
    public enum Entry: Sendable {
        case live(Source)
        case deleted(MeetingTombstone)

        var start: Date {
            switch self {
            case .live(let s): s.meeting.startInstant
            case .deleted(let t): BerlinTime.instant(t.start)
            }
        }

        var id: String {
            switch self {
            case .live(let s): s.meeting.id.description
            case .deleted(let t): t.meetingID.description
            }
        }
    }

    func deletedObject(_ url: String, type: String, _ t: MeetingTombstone) -> Object {
        ["id": .string(url), "type": .string(OParl.type(type)), "deleted": .bool(true), "created": Self.instant(t.createdAt),
         "modified": Self.instant(t.deletedAt)]
    }

    public func deletedMeeting(_ t: MeetingTombstone) -> Object { deletedObject(meetingURL(t.meetingID), type: "Meeting", t) }

    /// With `order`, which the AgendaItem schema requires of every object.
    public func deletedAgendaItems(_ t: MeetingTombstone) -> [Object] {
        t.agendaItemIDs.enumerated().map { index, id in
            var o = deletedObject(agendaItemURL(id), type: "AgendaItem", t)
            o["order"] = .int(index + 1)
            return o
        }
    }

    /// With `accessUrl`, which the File schema requires; it answers 404 now.
    public func deletedFiles(_ t: MeetingTombstone) -> [Object] {
        let url = fileURL(Self.invitationKey(t.meetingID))
        var o = deletedObject(url, type: "File", t)
        o["accessUrl"] = .string("\(url)/content")
        return [o]
    }

    public func meeting(_ e: Entry) -> Object {
        switch e {
        case .live(let s): meeting(s)
        case .deleted(let t): deletedMeeting(t)
        }
    }

    public func agendaItems(_ e: Entry) -> [Object] {
        switch e {
        case .live(let s): agendaItems(s)
        case .deleted(let t): deletedAgendaItems(t)
        }
    }

    public func files(_ e: Entry) -> [Object] {
        switch e {
        case .live(let s): files(s)
        case .deleted(let t): deletedFiles(t)
        }
    }
}

extension MeetingOParlQueries {
    /// Listed meetings and deleted ones OParl had listed, earliest start first (then id);
    /// with `modifiedSince`, only those changed or deleted since.
    public func entries(modifiedSince: Date?) async throws -> [MeetingOParl.Entry] {
        var out = try await sources(modifiedSince: modifiedSince).map { MeetingOParl.Entry.live($0) }
        for t in try await store.meetingTombstones() where modifiedSince.map({ t.deletedAt >= $0 }) ?? true {
            out.append(.deleted(t))
        }
        return out.sorted { ($0.start, $0.id) < ($1.start, $1.id) }
    }

    /// One meeting, live or deleted.
    public func entry(_ id: MeetingID) async throws -> MeetingOParl.Entry? {
        if let s = try await source(id) { return .live(s) }
        return try await store.meetingTombstone(id).map { .deleted($0) }
    }

    /// The deleted meeting whose public agenda had this item.
    public func tombstone(agendaItem id: AgendaItemID) async throws -> MeetingTombstone? {
        try await store.meetingTombstones().first { $0.agendaItemIDs.contains(id) }
    }
}
