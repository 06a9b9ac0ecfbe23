import Foundation
import HubCore

/// The hourly retention sweep for board guests (run by the maintenance service): the display
/// names of guests on Lean Coffee boards and barcamps that ended more than `days` ago are
/// replaced by a neutral name and their tokens retired (`BoardGuestRetention`).
public struct BoardGuestMaintenance: Sendable {
    let deps: ServiceDependencies
    let days: Int

    public init(deps: ServiceDependencies, days: Int) {
        self.deps = deps
        self.days = days
    }

    /// Erases what is due; answers how many boards' guests were erased.
    public func run() async throws -> Int {
        let now = deps.clock.now()
        var erased = 0
        for scope in try await deps.store.boardGuestScopes() {
            let ended: Date?
            if let board = try await deps.store.leanCoffeeBoard(LeanCoffeeBoardID(scope)) {
                ended = BoardGuestRetention.endedAt(board)
            } else if let barcamp = try await deps.store.barcamp(BarcampID(scope)) {
                ended = BoardGuestRetention.endedAt(barcamp)
            } else {
                ended = nil
            }
            guard BoardGuestRetention.isDue(endedAt: ended, now: now, days: days) else { continue }
            try await deps.commit(ChangeSet(changes: [.leanCoffee(.eraseGuests(scope: scope, name: BoardGuestRetention.erasedName))]))
            erased += 1
        }
        return erased
    }
}
