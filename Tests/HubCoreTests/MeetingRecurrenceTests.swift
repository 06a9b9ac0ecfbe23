import Foundation
import HubCore
import Testing

/// RRULE parsing, validation and expansion in Berlin wall-clock time, across the changes to
/// and from summer time in 2026 and across month ends.
@Suite("Meetings: recurrence")
struct MeetingRecurrenceTests {
    typealias F = MeetingFixtures

    static func starts(_ rule: String, from start: LocalDateTime, duration: Int = 120, cancelled: Set<LocalDateTime> = [],
                       moves: [OccurrenceMove] = [], from: Date? = nil, to: Date? = nil) throws -> [Occurrence] {
        let rule = try RecurrenceRule(parsing: rule)
        return RecurrenceExpansion.occurrences(rule, start: start, end: LocalDateTime(wallMinutes: start.wallMinutes + duration),
                                               cancelled: cancelled, moves: moves, from: from, to: to)
    }

    @Test("Expansion keeps the wall-clock time; the instant follows the offset of each date", arguments: [
        // Weekly on Tuesdays at 17:00 across 29 March: 16:00 UTC in winter, 15:00 UTC in summer.
        ("FREQ=WEEKLY;COUNT=4", F.local(2026, 3, 17, 17, 0),
         ["20260317T170000 16:00Z", "20260324T170000 16:00Z", "20260331T170000 15:00Z", "20260407T170000 15:00Z"]),
        // Across 25 October, back to winter time.
        ("FREQ=WEEKLY;BYDAY=TU;COUNT=3", F.local(2026, 10, 20, 17, 0),
         ["20261020T170000 15:00Z", "20261027T170000 16:00Z", "20261103T170000 16:00Z"]),
        // Every second week on Monday and Thursday.
        ("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH;COUNT=6", F.local(2026, 3, 2, 17, 0),
         ["20260302T170000 16:00Z", "20260305T170000 16:00Z", "20260316T170000 16:00Z", "20260319T170000 16:00Z",
          "20260330T170000 15:00Z", "20260402T170000 15:00Z"]),
        // The week starts on Sunday (WKST=SU): Sunday and Tuesday of every other Sunday-week.
        ("FREQ=WEEKLY;INTERVAL=2;BYDAY=SU,TU;WKST=SU;COUNT=4", F.local(2026, 3, 15, 10, 0),
         ["20260315T100000 09:00Z", "20260317T100000 09:00Z", "20260329T100000 08:00Z", "20260331T100000 08:00Z"]),
        // At 02:30 on Sundays: on 29 March that time does not exist and means 03:30 CEST (RFC 5545).
        ("FREQ=WEEKLY;COUNT=3", F.local(2026, 3, 22, 2, 30), ["20260322T023000 01:30Z", "20260329T023000 01:30Z", "20260405T023000 00:30Z"]),
        // On 25 October 02:30 happens twice; the first (CEST) is meant.
        ("FREQ=WEEKLY;COUNT=3", F.local(2026, 10, 18, 2, 30), ["20261018T023000 00:30Z", "20261025T023000 00:30Z", "20261101T023000 01:30Z"]),
        // Second Tuesday of the month.
        ("FREQ=MONTHLY;BYDAY=2TU;COUNT=5", F.local(2026, 1, 13, 17, 0),
         ["20260113T170000 16:00Z", "20260210T170000 16:00Z", "20260310T170000 16:00Z", "20260414T170000 15:00Z", "20260512T170000 15:00Z"]),
        // Last Friday of the month.
        ("FREQ=MONTHLY;BYDAY=-1FR;COUNT=5", F.local(2026, 1, 30, 9, 0),
         ["20260130T090000 08:00Z", "20260227T090000 08:00Z", "20260327T090000 08:00Z", "20260424T090000 07:00Z", "20260529T090000 07:00Z"]),
        // Last working day of the month (BYSETPOS over Monday to Friday).
        ("FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1;COUNT=6", F.local(2026, 1, 30, 14, 0),
         ["20260130T140000 13:00Z", "20260227T140000 13:00Z", "20260331T140000 12:00Z", "20260430T140000 12:00Z", "20260529T140000 12:00Z",
          "20260630T140000 12:00Z"]),
        // Second Tuesday again, written with BYSETPOS.
        ("FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2;COUNT=3", F.local(2026, 3, 10, 17, 0),
         ["20260310T170000 16:00Z", "20260414T170000 15:00Z", "20260512T170000 15:00Z"]),
        // The 31st: months without one are skipped (RFC 5545), not moved.
        ("FREQ=MONTHLY;COUNT=7", F.local(2026, 1, 31, 10, 0),
         ["20260131T100000 09:00Z", "20260331T100000 08:00Z", "20260531T100000 08:00Z", "20260731T100000 08:00Z", "20260831T100000 08:00Z",
          "20261031T100000 09:00Z", "20261231T100000 09:00Z"]),
        // The last day of each month, with 29 February 2028.
        ("FREQ=MONTHLY;BYMONTHDAY=-1;COUNT=4", F.local(2027, 12, 31, 10, 0),
         ["20271231T100000 09:00Z", "20280131T100000 09:00Z", "20280229T100000 09:00Z", "20280331T100000 08:00Z"]),
        // Every other month on the 31st: September and November have none.
        ("FREQ=MONTHLY;INTERVAL=2;BYMONTHDAY=31;COUNT=5", F.local(2026, 1, 31, 10, 0),
         ["20260131T100000 09:00Z", "20260331T100000 08:00Z", "20260531T100000 08:00Z", "20260731T100000 08:00Z", "20270131T100000 09:00Z"]),
        // UNTIL in UTC is inclusive: 15:00Z is 17:00 CEST on 14 April.
        ("FREQ=WEEKLY;UNTIL=20260414T150000Z", F.local(2026, 3, 17, 17, 0),
         ["20260317T170000 16:00Z", "20260324T170000 16:00Z", "20260331T170000 15:00Z", "20260407T170000 15:00Z", "20260414T170000 15:00Z"]),
        // UNTIL as a date includes that whole day.
        ("FREQ=WEEKLY;UNTIL=20260331", F.local(2026, 3, 17, 17, 0), ["20260317T170000 16:00Z", "20260324T170000 16:00Z", "20260331T170000 15:00Z"]),
    ])
    func expansion(rule: String, start: LocalDateTime, expected: [String]) throws {
        let occurrences = try Self.starts(rule, from: start)
        #expect(occurrences.map { "\($0.start.icalText) \(String(BerlinTime.utcText($0.startInstant).dropFirst(9).prefix(4)).inserting(":"))Z" } == expected)
        #expect(occurrences.allSatisfy { $0.start.hour == start.hour && $0.start.minute == start.minute })
        #expect(try RecurrenceRule(parsing: rule).issues(start: start).isEmpty)
    }

    @Test("EXDATEs are removed after COUNT is applied, so they still count")
    func exdateCounts() throws {
        let occurrences = try Self.starts("FREQ=WEEKLY;COUNT=4", from: F.local(2026, 3, 17, 17, 0), cancelled: [F.local(2026, 3, 24, 17, 0)])
        #expect(occurrences.map(\.start.date.description) == ["2026-03-17", "2026-03-31", "2026-04-07"])
    }

    @Test("A moved occurrence keeps its recurrence id, takes its new time and sorts by it")
    func moved() throws {
        let move = OccurrenceMove(recurrenceID: F.local(2026, 3, 31, 17, 0), start: F.local(2026, 4, 8, 18, 0), end: F.local(2026, 4, 8, 20, 0))
        let occurrences = try Self.starts("FREQ=WEEKLY;COUNT=4", from: F.local(2026, 3, 17, 17, 0), moves: [move])
        #expect(occurrences.map(\.start.description) == ["2026-03-17T17:00", "2026-03-24T17:00", "2026-04-07T17:00", "2026-04-08T18:00"])
        #expect(occurrences.map(\.isMoved) == [false, false, false, true])
        #expect(occurrences[3].recurrenceID == F.local(2026, 3, 31, 17, 0))
    }

    @Test("A window returns the occurrences overlapping it, also one moved into it from a later date")
    func window() throws {
        let rule = "FREQ=WEEKLY"
        let april = try Self.starts(rule, from: F.local(2026, 3, 17, 17, 0), from: F.at(2026, 4, 1, 0, 0), to: F.at(2026, 5, 1, 0, 0))
        #expect(april.map(\.start.date.day) == [7, 14, 21, 28])
        let pulledIn = OccurrenceMove(recurrenceID: F.local(2026, 5, 5, 17, 0), start: F.local(2026, 4, 30, 17, 0), end: F.local(2026, 4, 30, 19, 0))
        let withMove = try Self.starts(rule, from: F.local(2026, 3, 17, 17, 0), moves: [pulledIn], from: F.at(2026, 4, 1, 0, 0), to: F.at(2026, 5, 1, 0, 0))
        #expect(withMove.map(\.start.date.day) == [7, 14, 21, 28, 30])
        let overlapping = try Self.starts(rule, from: F.local(2026, 3, 17, 17, 0), from: F.at(2026, 4, 7, 18, 0), to: F.at(2026, 4, 8, 0, 0))
        #expect(overlapping.map(\.start.date.day) == [7], "a meeting still running at the window's start overlaps it")
    }

    @Test("Expansion is bounded: an endless rule gives at most maxOccurrences, and generation stops at maxGenerated")
    func bounded() throws {
        let endless = try Self.starts("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", from: F.local(2026, 3, 2, 9, 0))
        #expect(endless.count == RecurrenceRule.maxOccurrences)
        let rule = try RecurrenceRule(parsing: "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR")
        #expect(RecurrenceExpansion.nominalStarts(rule, from: F.local(2026, 3, 2, 9, 0), through: nil).count == RecurrenceExpansion.maxGenerated)
        let sparse = try RecurrenceRule(parsing: "FREQ=MONTHLY;INTERVAL=12;BYMONTHDAY=29")
        #expect(RecurrenceExpansion.nominalStarts(sparse, from: F.local(2028, 2, 29, 9, 0), through: nil).prefix(3).map(\.date.year) == [2028, 2032, 2036])
    }

    @Test("Exact duration (RFC 5545): an evening spanning the change lasts as many real hours each time")
    func exactDuration() throws {
        let occurrences = try Self.starts("FREQ=WEEKLY;COUNT=2", from: F.local(2026, 3, 21, 22, 0), duration: 6 * 60)
        #expect(occurrences.map(\.end.description) == ["2026-03-22T04:00", "2026-03-29T05:00"], "six real hours from 22:00 CET end at 05:00 CEST")
        let spanning = try Self.starts("FREQ=WEEKLY;COUNT=2", from: F.local(2026, 3, 28, 22, 0), duration: 6 * 60)
        #expect(spanning[0].endInstant.timeIntervalSince(spanning[0].startInstant) == 5 * 3600, "22:00 CET to 04:00 CEST is five hours")
        #expect(spanning[1].end.description == "2026-04-05T03:00")
    }

    @Test("Rules are written in canonical form and read back unchanged", arguments: [
        ("FREQ=WEEKLY;BYDAY=TU", "FREQ=WEEKLY;BYDAY=TU"),
        ("RRULE:freq=weekly;byday=tu", "FREQ=WEEKLY;BYDAY=TU"),
        ("FREQ=WEEKLY;BYDAY=TU;INTERVAL=1", "FREQ=WEEKLY;BYDAY=TU"),
        ("FREQ=WEEKLY;BYDAY=MO,TH;COUNT=10;INTERVAL=2", "FREQ=WEEKLY;INTERVAL=2;COUNT=10;BYDAY=MO,TH"),
        ("FREQ=MONTHLY;BYDAY=+2TU", "FREQ=MONTHLY;BYDAY=2TU"),
        ("FREQ=MONTHLY;BYDAY=-1FR", "FREQ=MONTHLY;BYDAY=-1FR"),
        ("FREQ=MONTHLY;BYSETPOS=-1;BYDAY=MO,TU,WE,TH,FR", "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1"),
        ("FREQ=MONTHLY;BYMONTHDAY=-1", "FREQ=MONTHLY;BYMONTHDAY=-1"),
        ("FREQ=MONTHLY;BYDAY=1WE;UNTIL=20261231", "FREQ=MONTHLY;UNTIL=20261231T225900Z;BYDAY=1WE"),
        ("FREQ=WEEKLY;UNTIL=20260714T150000Z", "FREQ=WEEKLY;UNTIL=20260714T150000Z"),
        ("FREQ=WEEKLY;BYDAY=SU;WKST=SU", "FREQ=WEEKLY;BYDAY=SU;WKST=SU"),
    ])
    func roundTrip(input: String, canonical: String) throws {
        let rule = try RecurrenceRule(parsing: input)
        #expect(rule.description == canonical)
        #expect(try RecurrenceRule(parsing: rule.description) == rule)
        let json = try JSONEncoder().encode(rule)
        #expect(try JSONDecoder().decode(RecurrenceRule.self, from: json) == rule)
    }

    @Test("Outside the subset, or malformed: refused by name", arguments: [
        ("FREQ=DAILY", "unsupported"), ("FREQ=YEARLY;BYMONTH=3", "unsupported"), ("FREQ=WEEKLY;BYHOUR=9", "unsupported"),
        ("FREQ=WEEKLY;COUNT=3;UNTIL=20260101", "syntax"), ("BYDAY=TU", "syntax"), ("FREQ=WEEKLY;BYDAY=XX", "syntax"),
        ("FREQ=WEEKLY;COUNT=x", "syntax"), ("FREQ=WEEKLY;FREQ=MONTHLY", "syntax"), ("FREQ=WEEKLY;UNTIL=2026-01-01", "syntax"),
        ("FREQ=WEEKLY;UNTIL=20260101T120000X", "syntax"), ("", "syntax"), ("FREQ=WEEKLY;;BYDAY=TU", "syntax"),
    ])
    func parseErrors(input: String, code: String) {
        do {
            _ = try RecurrenceRule(parsing: input)
            Issue.record("accepted \(input)")
        } catch {
            #expect(error.code == "validation.failed")
            #expect(error.fields.map(\.code) == [code])
            #expect(error.fields.first?.field == "recurrence")
        }
    }

    @Test("Validation against the first meeting (Tuesday 17 March 2026, 17:00)", arguments: [
        ("FREQ=WEEKLY;INTERVAL=0", ["interval"]),
        ("FREQ=WEEKLY;COUNT=501", ["count"]),
        ("FREQ=WEEKLY;BYDAY=2TU", ["unsupported"]),
        ("FREQ=MONTHLY;BYDAY=6TU", ["ordinal"]),
        ("FREQ=MONTHLY;BYMONTHDAY=32", ["monthDay"]),
        ("FREQ=MONTHLY;BYDAY=TU;BYMONTHDAY=17", ["unsupported"]),
        ("FREQ=MONTHLY;BYSETPOS=1", ["setPos"]),
        ("FREQ=MONTHLY;BYDAY=3TU;BYSETPOS=1", ["unsupported"]),
        ("FREQ=WEEKLY;BYDAY=WE", ["startNotInPattern"]),
        ("FREQ=MONTHLY;BYDAY=-1TU", ["startNotInPattern"]),
        ("FREQ=WEEKLY;UNTIL=20260301", ["until"]),
        ("FREQ=WEEKLY;BYDAY=TU,TU", ["duplicate"]),
        ("FREQ=MONTHLY;BYDAY=3TU", []),
    ])
    func validation(rule: String, codes: [String]) throws {
        let issues = try RecurrenceRule(parsing: rule).issues(start: F.local(2026, 3, 17, 17, 0))
        #expect(issues.map(\.code) == codes)
    }
}

extension String {
    /// "1600" → "16:00".
    fileprivate func inserting(_ separator: Character) -> String {
        String(prefix(2)) + String(separator) + String(dropFirst(2))
    }
}
