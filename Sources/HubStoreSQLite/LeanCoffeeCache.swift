import Foundation
import HubCore
import HubServices
import Synchronization

/// Lean Coffee boards as the single writer last committed them, so a decision on a busy board
/// (a vote) does not read and decode the whole board again: the writer takes the board out,
/// decides on it, applies the decision's writes to it in place (O(1) per dot, see `DotLedger`)
/// and puts it back once the write is durable.
///
/// Only the SQLite store keeps it: SQLite has one writer (this process), so nothing else can
/// change a board underneath. A board stays correct by these rules:
/// * the state taken for a decision is out of the cache until its job ends: a refused decision
///   puts it back unchanged; an applied one stages the new state (`stage`), which counts only
///   when the job's savepoint succeeded (`jobEnded`);
/// * staged states live in the transaction's own table until the transaction commits
///   (`transactionEnded`); a failed commit drops them, and the boards are read again next time;
/// * every other Lean Coffee write (a new or deleted board, erased guests, a write made outside
///   a board decision) evicts the board it touches.
/// PostgreSQL does not use it (several instances write the same boards).
final class LeanCoffeeCache: Sendable {
    private struct Slots {
        var committed: [LeanCoffeeBoardID: (state: LeanCoffeeState, use: UInt64)] = [:]
        var inTransaction: [LeanCoffeeBoardID: LeanCoffeeState] = [:]
        var staged: (id: LeanCoffeeBoardID, state: LeanCoffeeState)?
        var uses: UInt64 = 0
    }

    private let slots = Mutex(Slots())
    /// How many boards stay in memory (the least recently decided ones go first).
    let capacity: Int

    init(capacity: Int = 32) {
        self.capacity = capacity
    }

    /// Inside the write transaction: the board as this transaction sees it, taken out of the
    /// cache; nil when it is not cached.
    func take(_ id: LeanCoffeeBoardID) -> LeanCoffeeState? {
        slots.withLock { s in
            if let state = s.inTransaction.removeValue(forKey: id) { return state }
            return s.committed.removeValue(forKey: id)?.state
        }
    }

    /// A board taken for a decision that changed nothing (refused, or a replay).
    func putBack(_ id: LeanCoffeeBoardID, _ state: LeanCoffeeState) {
        slots.withLock { $0.inTransaction[id] = state }
    }

    /// The board after the current job's writes, pending its savepoint.
    func stage(_ id: LeanCoffeeBoardID, _ state: LeanCoffeeState) {
        slots.withLock { $0.staged = (id, state) }
    }

    /// The current job is over: its staged board counts if the savepoint succeeded; every
    /// other board its writes touched is evicted.
    func jobEnded(succeeded: Bool, touched: Set<UUID>) {
        slots.withLock { s in
            let staged = s.staged
            s.staged = nil
            var evict = touched
            if succeeded, let staged {
                s.inTransaction[staged.id] = staged.state
                evict.remove(staged.id.uuid)
            }
            for scope in evict {
                let id = LeanCoffeeBoardID(scope)
                s.inTransaction[id] = nil
                s.committed[id] = nil
            }
        }
    }

    /// The transaction is over: on commit its boards become the cache; otherwise they are dropped.
    func transactionEnded(committed: Bool) {
        slots.withLock { s in
            defer { s.inTransaction = [:] }
            guard committed else { return }
            for (id, state) in s.inTransaction {
                s.uses += 1
                s.committed[id] = (state, s.uses)
            }
            while s.committed.count > capacity, let oldest = s.committed.min(by: { $0.value.use < $1.value.use })?.key {
                s.committed[oldest] = nil
            }
        }
    }

    /// The boards in memory now (diagnostics and the cache's own test).
    var cached: [LeanCoffeeBoardID: LeanCoffeeState] {
        slots.withLock { s in s.committed.mapValues(\.state) }
    }

    /// Whether a cached board reads as its rows: the same records (lists whose order the rows
    /// give by time compared as sets, where equal times may order differently).
    static func sameBoard(_ a: LeanCoffeeState, _ b: LeanCoffeeState) -> Bool {
        a.board == b.board && a.content.topics == b.content.topics && Set(a.content.dots) == Set(b.content.dots)
            && Set(a.content.ballots) == Set(b.content.ballots) && Set(a.content.takeaways) == Set(b.content.takeaways)
            && Set(a.content.guests) == Set(b.content.guests)
            && a.content.ledger.placers == b.content.ledger.placers
            && a.content.ledger.placedPerTopic == b.content.ledger.placedPerTopic
    }
}
