import Foundation

/// How long guests' display names stay on a board after it ended. A guest is known only by
/// the name they typed when joining; once the board is over and the retention period has
/// passed, the name is replaced by a neutral one and the guest's token stops working. Topics,
/// takeaways, sessions and notes stay (they are the board's results), attributed to "Gast".
public enum BoardGuestRetention {
    /// The name an erased guest is shown with.
    public static let erasedName = "Gast"

    /// When a Lean Coffee board ended: when it was closed; nil while it runs.
    public static func endedAt(_ board: LeanCoffeeBoard) -> Date? {
        board.phase == .closed ? (board.closedAt ?? board.updatedAt) : nil
    }

    /// When a barcamp ended: when it was closed, or else when its last slot ended (an event
    /// that is over but was never closed still ends); nil while it has no slots and is open.
    public static func endedAt(_ barcamp: Barcamp) -> Date? {
        let lastSlot = barcamp.slots.map(\.endsAt).max()
        if barcamp.status == .closed { return [barcamp.updatedAt, lastSlot].compactMap { $0 }.min() }
        return lastSlot
    }

    /// Whether the guests' names of a board that ended at `endedAt` are due for erasure at `now`.
    public static func isDue(endedAt: Date?, now: Date, days: Int) -> Bool {
        guard let endedAt else { return false }
        return now.timeIntervalSince(endedAt) >= Double(max(days, 0)) * 86_400
    }
}
