import Foundation
import HubCore

/// Row-level changes of the barcamp component, carried in a `ChangeSet` as `Change.barcamp(_)`.
public enum BarcampWrite: Sendable {
    case insertBarcamp(Barcamp)
    /// Refused (`StoreError.conflict`) unless the stored barcamp has `version - 1`.
    case updateBarcamp(Barcamp)
    /// Sessions and notes are upserted, marks inserted or deleted (keyed by session and participant).
    case record(BarcampChange)
    /// A guest who joined by link; the token is stored only as its hash (shared `board_guest` table).
    case insertGuest(BoardGuest, tokenHash: String)
    /// Deletes the barcamp with its sessions, marks, notes and guests.
    case deleteBarcamp(BarcampID)
}

/// A barcamp with all its records, as read in one transaction.
public struct BarcampState: Sendable, Hashable {
    public let barcamp: Barcamp
    public let sessions: [BarcampSession]
    public let marks: [InterestMark]
    public let notes: [SessionNotes]
    public let guests: [BoardGuest]

    public init(barcamp: Barcamp, sessions: [BarcampSession], marks: [InterestMark], notes: [SessionNotes], guests: [BoardGuest]) {
        self.barcamp = barcamp
        self.sessions = sessions
        self.marks = marks
        self.notes = notes
        self.guests = guests
    }

    /// How many people marked each session.
    public var interest: [BarcampSessionID: Int] {
        var counts: [BarcampSessionID: Int] = [:]
        for mark in marks { counts[mark.sessionID, default: 0] += 1 }
        return counts
    }
}

/// Reads and the decision-inside-the-transaction write of the barcamp component (see
/// `LeanCoffeeReads.commitLeanCoffee` for the contract). Part of `HubStore`.
public protocol BarcampReads: Sendable {
    func barcamp(_ id: BarcampID) async throws -> Barcamp?
    func barcampSnapshot(_ id: BarcampID) async throws -> Snapshot<BarcampState>?
    /// The barcamps of a workspace, or (nil) the standalone ones, newest first.
    func barcamps(workspace: WorkspaceID?) async throws -> [Barcamp]
    func commitBarcamp(_ id: BarcampID, _ decide: @escaping @Sendable (BarcampState?) throws -> ChangeSet) async throws -> [StoredEvent]
}
