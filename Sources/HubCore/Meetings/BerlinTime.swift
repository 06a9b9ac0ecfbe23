import Foundation

/// Conversions between Europe/Berlin wall-clock time and instants, computed from the EU
/// summer-time rule (since 1996: from the last Sunday of March, 01:00 UTC, to the last
/// Sunday of October, 01:00 UTC; CET +01:00, CEST +02:00).
///
/// Why not Foundation's `TimeZone`: the invitations carry a VTIMEZONE that states exactly
/// this rule, so the core and every calendar client compute the same instants by
/// construction, and the result never depends on the host's tz database. A test compares
/// every hour of 2026 and 2027 with Foundation's Europe/Berlin.
public enum BerlinTime {
    /// The zone identifier used in `TZID` parameters.
    public static let zoneID = "Europe/Berlin"

    /// How a wall-clock time maps onto instants.
    public enum Resolution: Sendable, Hashable {
        /// Exactly one instant.
        case unique
        /// The hour skipped in spring (02:00–02:59 on the last Sunday of March).
        case skipped
        /// The hour that happens twice in autumn (02:00–02:59 on the last Sunday of October).
        case repeated
    }

    /// The UTC offset in seconds in force at `instant`.
    public static func offset(at instant: Date) -> Int {
        let seconds = Int(instant.timeIntervalSince1970.rounded(.down))
        let year = LocalDate(dayNumber: floorDiv(seconds, 86_400)).year
        let (start, end) = summerTime(year)
        return seconds >= start && seconds < end ? 7200 : 3600
    }

    /// The wall-clock time at `instant`, truncated to the minute.
    public static func local(_ instant: Date) -> LocalDateTime {
        let seconds = Int(instant.timeIntervalSince1970.rounded(.down)) + offset(at: instant)
        return LocalDateTime(wallMinutes: floorDiv(seconds, 60))
    }

    /// The instant of a wall-clock time, following RFC 5545 §3.3.5: a time in the skipped
    /// hour is read with the offset before the gap (02:30 becomes 03:30 CEST), a repeated
    /// time means its first occurrence (CEST).
    public static func instant(_ local: LocalDateTime) -> Date {
        let wall = local.wallMinutes * 60
        let summer = wall - 7200
        let (start, end) = summerTime(local.date.year)
        if summer >= start && summer < end { return Date(timeIntervalSince1970: TimeInterval(summer)) }
        return Date(timeIntervalSince1970: TimeInterval(wall - 3600))
    }

    /// Whether the wall-clock time exists once, never, or twice.
    public static func resolution(_ local: LocalDateTime) -> Resolution {
        let wall = local.wallMinutes * 60
        let (start, end) = summerTime(local.date.year)
        let summerValid = (start..<end).contains(wall - 7200)
        let winterValid = !(start..<end).contains(wall - 3600)
        switch (summerValid, winterValid) {
        case (true, true): return .repeated
        case (false, false): return .skipped
        default: return .unique
        }
    }

    /// The Berlin calendar day of an instant.
    public static func date(_ instant: Date) -> LocalDate { local(instant).date }

    /// The instant at which a Berlin calendar day ends (the next day's 00:00), e.g. the end of
    /// an objection deadline that runs "until 5 May".
    public static func endOfDay(_ date: LocalDate) -> Date {
        instant(LocalDateTime(wallMinutes: date.adding(days: 1).dayNumber * 1440))
    }

    /// `YYYYMMDDTHHMMSSZ` in UTC, as DTSTAMP and UNTIL need it.
    public static func utcText(_ instant: Date) -> String {
        let seconds = Int(instant.timeIntervalSince1970.rounded(.down))
        let t = LocalDateTime(wallMinutes: floorDiv(seconds, 60))
        let s = seconds - floorDiv(seconds, 60) * 60
        return String(t.icalText.dropLast(2)) + LocalDateTime.pad(s) + "Z"
    }

    /// Start and end of summer time in `year` as seconds since 1970 (UTC).
    static func summerTime(_ year: Int) -> (Int, Int) {
        (lastSunday(year: year, month: 3).dayNumber * 86_400 + 3600,
         lastSunday(year: year, month: 10).dayNumber * 86_400 + 3600)
    }

    static func lastSunday(year: Int, month: Int) -> LocalDate {
        let last = LocalDate(year: year, month: month, day: LocalDate.daysIn(month: month, year: year))!
        return last.adding(days: -(last.isoWeekday % 7))
    }

    static func floorDiv(_ a: Int, _ b: Int) -> Int { a >= 0 ? a / b : (a - b + 1) / b }

    /// The VTIMEZONE for Europe/Berlin: the EU rule as RRULEs, as calendar clients and
    /// tzurl.org write it.
    static let vtimezone: [String] = [
        "BEGIN:VTIMEZONE",
        "TZID:Europe/Berlin",
        "X-LIC-LOCATION:Europe/Berlin",
        "BEGIN:DAYLIGHT",
        "TZNAME:CEST",
        "TZOFFSETFROM:+0100",
        "TZOFFSETTO:+0200",
        "DTSTART:19700329T020000",
        "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
        "END:DAYLIGHT",
        "BEGIN:STANDARD",
        "TZNAME:CET",
        "TZOFFSETFROM:+0200",
        "TZOFFSETTO:+0100",
        "DTSTART:19701025T030000",
        "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
        "END:STANDARD",
        "END:VTIMEZONE",
    ]
}
