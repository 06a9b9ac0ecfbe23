import Foundation
import HubCore
import Testing

@Suite("Boards: guests' names are erased a retention period after the board ended")
struct BoardGuestRetentionTests {
    typealias F = LeanCoffeeFixtures
    typealias B = BarcampFixtures

    @Test("A Lean Coffee board ends when it is closed, never while it runs")
    func leanCoffeeEnd() {
        for phase in [LeanCoffeePhase.collect, .vote, .discuss] {
            #expect(BoardGuestRetention.endedAt(F.board(phase)) == nil)
        }
        var closed = F.board(.closed)
        closed.closedAt = F.minutes(90)
        closed.updatedAt = F.minutes(120)
        #expect(BoardGuestRetention.endedAt(closed) == F.minutes(90), "the closing time, not a later edit")
        closed.closedAt = nil
        #expect(BoardGuestRetention.endedAt(closed) == F.minutes(120), "boards closed before closedAt existed: their last change")
    }

    @Test("A barcamp ends when it is closed or when its last slot ended, whichever is first")
    func barcampEnd() {
        let lastSlot = B.round3.endsAt
        #expect(BoardGuestRetention.endedAt(B.barcamp(.planning)) == lastSlot, "an event that is over ends even if nobody closed it")
        #expect(BoardGuestRetention.endedAt(B.barcamp(.published)) == lastSlot)
        var closedEarly = B.barcamp(.closed)
        closedEarly.updatedAt = B.at(2)
        #expect(BoardGuestRetention.endedAt(closedEarly) == B.at(2))
        var closedLate = B.barcamp(.closed)
        closedLate.updatedAt = B.at(30)
        #expect(BoardGuestRetention.endedAt(closedLate) == lastSlot)
        var empty = B.barcamp(.planning)
        empty.slots = []
        #expect(BoardGuestRetention.endedAt(empty) == nil, "no slots and open: it has not ended")
        empty.status = .closed
        #expect(BoardGuestRetention.endedAt(empty) == empty.updatedAt)
    }

    @Test("Due exactly when the period has passed", arguments: [
        (-1.0, false), (0.0, false), (89.99, false), (90.0, true), (400.0, true),
    ])
    func due(daysAfter: Double, due: Bool) {
        let ended = F.t0
        #expect(BoardGuestRetention.isDue(endedAt: ended, now: ended.addingTimeInterval(daysAfter * 86_400), days: 90) == due)
        #expect(!BoardGuestRetention.isDue(endedAt: nil, now: ended.addingTimeInterval(daysAfter * 86_400), days: 90))
    }
}
