import Foundation

/// The scheduling problem with everything turned into dense indices, sorted by stable keys so
/// that the input's order never matters: sessions by id, session slots by start then id, rooms
/// by capacity (largest first) then id, participants by their text form.
struct SchedulingModel {
    let sessionIDs: [BarcampSessionID]
    let slotIDs: [BarcampSlotID]
    let roomIDs: [BarcampRoomID]
    let capacity: [Int]
    /// Per session: the participants who marked it, the hosts, the hosts who marked it, and the
    /// union of markers and hosts (everyone whose satisfaction the session's slot can change).
    let markers: [[Int]]
    let hosts: [[Int]]
    let hostsMarking: [[Int]]
    let affected: [[Int]]
    let interest: [Int]
    let expectedSize: [Int]
    let participantCount: Int
    /// Valid pinned assignments as (session, slot, room) indices.
    let pinned: [(session: Int, slot: Int, room: Int)]
    let pinnedWarnings: [ScheduleWarning]

    var sessionCount: Int { sessionIDs.count }
    var slotCount: Int { slotIDs.count }
    var roomCount: Int { roomIDs.count }

    init(_ input: BarcampSchedulerInput) {
        var sessionsByID: [BarcampSessionID: BarcampSchedulerInput.Session] = [:]
        for session in input.sessions where sessionsByID[session.id] == nil { sessionsByID[session.id] = session }
        let sessions = sessionsByID.values.sorted { $0.id.description < $1.id.description }
        sessionIDs = sessions.map(\.id)
        let sessionIndex = Dictionary(uniqueKeysWithValues: sessionIDs.enumerated().map { ($1, $0) })

        // A room or slot listed twice is one room or slot (the first listing counts).
        var seenSlots = Set<BarcampSlotID>()
        let uniqueSlots = input.slots.filter { seenSlots.insert($0.id).inserted }
        var seenRooms = Set<BarcampRoomID>()
        let uniqueRooms = input.rooms.filter { seenRooms.insert($0.id).inserted }
        let slots = uniqueSlots.filter { !$0.kind.isCommon }.sorted { ($0.startsAt, $0.id.description) < ($1.startsAt, $1.id.description) }
        slotIDs = slots.map(\.id)
        let slotIndex = Dictionary(slotIDs.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        let commonSlots = Set(uniqueSlots.filter(\.kind.isCommon).map(\.id))

        let rooms = uniqueRooms.sorted { ($0.capacity, $1.id.description) > ($1.capacity, $0.id.description) }
        roomIDs = rooms.map(\.id)
        capacity = rooms.map(\.capacity)
        let roomIndex = Dictionary(roomIDs.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })

        var people = Set(input.interest.keys)
        for session in sessions { people.formUnion(session.hosts) }
        let participants = people.sorted()
        participantCount = participants.count
        let participantIndex = Dictionary(uniqueKeysWithValues: participants.enumerated().map { ($1, $0) })

        var markers = Array(repeating: [Int](), count: sessions.count)
        for (participant, marked) in input.interest {
            guard let p = participantIndex[participant] else { continue }
            for id in Set(marked) { if let s = sessionIndex[id] { markers[s].append(p) } }
        }
        self.markers = markers.map { $0.sorted() }
        hosts = sessions.map { Array(Set($0.hosts.compactMap { participantIndex[$0] })).sorted() }
        hostsMarking = zip(hosts, self.markers).map { hosts, markers in
            let marking = Set(markers)
            return hosts.filter(marking.contains)
        }
        affected = zip(self.markers, hosts).map { Array(Set($0).union($1)).sorted() }
        interest = self.markers.map(\.count)
        expectedSize = sessions.map { $0.expectedSize ?? 0 }

        // Pinned assignments in a stable order; the first claim on a cell or a host wins.
        var kept: [(session: Int, slot: Int, room: Int)] = []
        var warnings: [ScheduleWarning] = []
        var takenCells = Set<Int>()
        var busyHosts = Set<Int>()
        var placed = Set<Int>()
        let ordered = input.pinned.sorted {
            (slotIndex[$0.cell.slotID] ?? -1, roomIndex[$0.cell.roomID] ?? -1, $0.sessionID.description)
                < (slotIndex[$1.cell.slotID] ?? -1, roomIndex[$1.cell.roomID] ?? -1, $1.sessionID.description)
        }
        for assignment in ordered {
            let problem: PinnedProblem?
            let s = sessionIndex[assignment.sessionID]
            let t = slotIndex[assignment.cell.slotID]
            let r = roomIndex[assignment.cell.roomID]
            if s == nil {
                problem = .unknownSession
            } else if commonSlots.contains(assignment.cell.slotID) {
                problem = .commonBlock
            } else if t == nil || r == nil {
                problem = .unknownCell
            } else if placed.contains(s!) {
                problem = .placedTwice
            } else if takenCells.contains(t! * rooms.count + r!) {
                problem = .cellTaken
            } else if hosts[s!].contains(where: { busyHosts.contains($0 * slots.count + t!) }) {
                problem = .hostConflict
            } else {
                problem = nil
            }
            if let problem {
                warnings.append(.pinnedIgnored(assignment.sessionID, problem))
                continue
            }
            kept.append((s!, t!, r!))
            placed.insert(s!)
            takenCells.insert(t! * rooms.count + r!)
            for h in hosts[s!] { busyHosts.insert(h * slots.count + t!) }
        }
        pinned = kept
        pinnedWarnings = warnings
    }
}
