import Foundation
import HubCore
import Testing

/// Europe/Berlin wall-clock time: the EU rule as computed by the core, checked against the
/// host's tz database, and the RFC 5545 treatment of the skipped and the repeated hour.
@Suite("Meetings: Berlin time")
struct MeetingTimeTests {
    typealias F = MeetingFixtures

    static let berlin: Calendar = {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: "Europe/Berlin")!
        return c
    }()

    @Test("Every instant of 2026 and 2027 (half-hourly) reads as the same wall-clock time as Foundation's Europe/Berlin")
    func instantsAgreeWithFoundation() {
        var t = F.at(2026, 1, 1, 0, 0)
        let end = F.at(2028, 1, 1, 0, 0)
        var checked = 0
        while t < end {
            let c = Self.berlin.dateComponents([.year, .month, .day, .hour, .minute], from: t)
            #expect(BerlinTime.local(t) == LocalDateTime(c.year!, c.month!, c.day!, c.hour!, c.minute!), "\(t)")
            #expect(BerlinTime.offset(at: t) == Self.berlin.timeZone.secondsFromGMT(for: t))
            t = t.addingTimeInterval(1800)
            checked += 1
        }
        #expect(checked == 730 * 48)
    }

    @Test("Every wall-clock hour that exists once maps to the instant Foundation gives")
    func wallTimesAgreeWithFoundation() {
        for day in LocalDate(year: 2026, month: 1, day: 1)!.dayNumber..<LocalDate(year: 2028, month: 1, day: 1)!.dayNumber {
            for hour in 0..<24 {
                let local = LocalDateTime(wallMinutes: day * 1440 + hour * 60)
                guard BerlinTime.resolution(local) == .unique else { continue }
                let c = DateComponents(year: local.date.year, month: local.date.month, day: local.date.day, hour: hour)
                #expect(BerlinTime.instant(local) == Self.berlin.date(from: c), "\(local)")
            }
        }
    }

    @Test("The changes of 2026: 29 March skips 02:00–02:59, 25 October repeats it", arguments: [
        // (wall-clock time, resolution, UTC text of the instant the core uses)
        (F.local(2026, 3, 29, 1, 59), BerlinTime.Resolution.unique, "20260329T005900Z"),
        (F.local(2026, 3, 29, 2, 0), .skipped, "20260329T010000Z"),
        (F.local(2026, 3, 29, 2, 30), .skipped, "20260329T013000Z"),
        (F.local(2026, 3, 29, 3, 0), .unique, "20260329T010000Z"),
        (F.local(2026, 10, 25, 1, 59), .unique, "20261024T235900Z"),
        (F.local(2026, 10, 25, 2, 0), .repeated, "20261025T000000Z"),
        (F.local(2026, 10, 25, 2, 30), .repeated, "20261025T003000Z"),
        (F.local(2026, 10, 25, 3, 0), .unique, "20261025T020000Z"),
    ])
    func changes(local: LocalDateTime, resolution: BerlinTime.Resolution, utc: String) {
        #expect(BerlinTime.resolution(local) == resolution)
        // RFC 5545 §3.3.5: a skipped time uses the offset before the gap, a repeated one its first occurrence.
        #expect(BerlinTime.utcText(BerlinTime.instant(local)) == utc)
    }

    @Test("Wall-clock arithmetic and text forms")
    func textForms() throws {
        let t = F.local(2026, 4, 14, 17, 5)
        #expect(t.description == "2026-04-14T17:05" && t.icalText == "20260414T170500" && t.timeText == "17:05")
        #expect(LocalDateTime("2026-04-14T17:05") == t)
        #expect(LocalDateTime("2026-04-14 17:05") == nil && LocalDateTime("2026-04-14T24:00") == nil && LocalDateTime("2026-02-30T10:00") == nil)
        #expect(LocalDateTime(wallMinutes: t.wallMinutes) == t)
        #expect(t.on(LocalDate(year: 2026, month: 12, day: 31)!) == F.local(2026, 12, 31, 17, 5))
        #expect(LocalDate(year: 2026, month: 3, day: 29)!.isoWeekday == 7)
        #expect(LocalDate(year: 1970, month: 1, day: 1)!.isoWeekday == 4)
        #expect(BerlinTime.endOfDay(LocalDate(year: 2026, month: 4, day: 3)!) == F.at(2026, 4, 4, 0, 0))
        let encoded = try JSONEncoder().encode(t)
        #expect(String(decoding: encoded, as: UTF8.self) == "\"2026-04-14T17:05\"")
        #expect(try JSONDecoder().decode(LocalDateTime.self, from: encoded) == t)
    }

    @Test("Dates in German and English, without the host's locale data")
    func dateTexts() {
        let d = LocalDate(year: 2026, month: 3, day: 3)!
        #expect(MeetingText.longDate(d, .de) == "Dienstag, 3. März 2026")
        #expect(MeetingText.longDate(d, .en) == "Tuesday, 3 March 2026")
        #expect(MeetingText.shortDate(d, .de) == "03.03.2026")
    }
}
