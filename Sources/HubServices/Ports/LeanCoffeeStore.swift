import Foundation
import HubCore

/// Row-level changes of the Lean Coffee component, carried in a `ChangeSet` as
/// `Change.leanCoffee(_)`.
public enum LeanCoffeeWrite: Sendable {
    case insertBoard(LeanCoffeeBoard)
    /// Refused (`StoreError.conflict`) unless the stored board has `version - 1`.
    case updateBoard(LeanCoffeeBoard)
    /// Upserts one record of a decision (topic, dot, ballot, takeaway, guest name).
    case record(LeanCoffeeChange)
    /// A guest who joined by link; the token is stored only as its hash (unique).
    case insertGuest(BoardGuest, tokenHash: String)
    /// Deletes the board with everything on it, its guests included.
    case deleteBoard(LeanCoffeeBoardID)
    /// Replaces the display names of a board's guests (Lean Coffee or barcamp, by `scope`) by
    /// `name` and retires their tokens (retention after the board ended).
    case eraseGuests(scope: UUID, name: String)
}

extension LeanCoffeeWrite {
    /// The scope of a write that does not name its board (a takeaway removed by id).
    public static let unknownScope = UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))

    /// The board (or, for guests, the barcamp) the write concerns.
    public var scope: UUID {
        switch self {
        case .insertBoard(let board), .updateBoard(let board): board.id.uuid
        case .record(.topic(let topic)): topic.boardID.uuid
        case .record(.dot(let dot)): dot.boardID.uuid
        case .record(.ballot(let ballot)): ballot.boardID.uuid
        case .record(.takeaway(let takeaway)): takeaway.boardID.uuid
        case .record(.takeawayDeleted): Self.unknownScope
        case .record(.guest(let guest)): guest.scope
        case .insertGuest(let guest, _): guest.scope
        case .deleteBoard(let id): id.uuid
        case .eraseGuests(let scope, _): scope
        }
    }

    /// Applies the write to a board's state as the store applies it to its rows, for a store
    /// that keeps boards in memory between decisions. False when it cannot (a new or deleted
    /// board, erased guests): the state must then be read again.
    public func apply(to state: inout LeanCoffeeState) -> Bool {
        switch self {
        case .updateBoard(let board):
            state.board = board
            return true
        case .record(let change):
            state.content.apply([change])
            return true
        case .insertGuest(let guest, _):
            state.content.apply([.guest(guest)])
            return true
        case .insertBoard, .deleteBoard, .eraseGuests:
            return false
        }
    }
}

extension ChangeSet {
    /// The boards (and guest scopes) its Lean Coffee writes touch.
    public var leanCoffeeScopes: Set<UUID> {
        var scopes = Set<UUID>()
        for case .leanCoffee(let write) in changes { scopes.insert(write.scope) }
        return scopes
    }
}

/// A board with all its records, as read in one transaction.
public struct LeanCoffeeState: Sendable, Hashable {
    public var board: LeanCoffeeBoard
    public var content: LeanCoffeeContent

    public init(board: LeanCoffeeBoard, content: LeanCoffeeContent) {
        self.board = board
        self.content = content
    }
}

/// Reads and the decision-inside-the-transaction write of the Lean Coffee component. Part of
/// `HubStore`; both adapters implement it.
public protocol LeanCoffeeReads: Sendable {
    func leanCoffeeBoard(_ id: LeanCoffeeBoardID) async throws -> LeanCoffeeBoard?
    /// The board and its records with the cursor of its topic, from one read transaction.
    func leanCoffeeSnapshot(_ id: LeanCoffeeBoardID) async throws -> Snapshot<LeanCoffeeState>?
    /// The boards of a workspace, or (nil) the standalone boards, newest first.
    func leanCoffeeBoards(workspace: WorkspaceID?) async throws -> [LeanCoffeeBoard]
    /// The guest a token was issued to (looked up by the token's hash).
    func boardGuest(tokenHash: String) async throws -> BoardGuest?
    /// The boards (Lean Coffee or barcamp ids) that still have guests whose names were not erased.
    func boardGuestScopes() async throws -> [UUID]

    /// Loads the board and its records inside the write transaction (on PostgreSQL with the
    /// board row locked `FOR UPDATE`, so one participant's concurrent requests are decided one
    /// after the other; SQLite has a single writer), lets `decide` turn them into a change set
    /// and commits it in that transaction. `decide` gets nil when the board does not exist; it
    /// may run more than once (a transaction retried after a deadlock) and must be pure.
    func commitLeanCoffee(_ id: LeanCoffeeBoardID,
                          _ decide: @escaping @Sendable (LeanCoffeeState?) throws -> ChangeSet) async throws -> [StoredEvent]
}

/// The JSON form in which adapters keep board records (dates as milliseconds).
public enum BoardRecordCoding {
    public static func encode<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .millisecondsSince1970
        encoder.outputFormatting = [.sortedKeys]
        // Encoding our own value types cannot fail.
        return String(decoding: (try? encoder.encode(value)) ?? Data("{}".utf8), as: UTF8.self)
    }

    public static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .millisecondsSince1970
        return try decoder.decode(type, from: Data(text.utf8))
    }
}
