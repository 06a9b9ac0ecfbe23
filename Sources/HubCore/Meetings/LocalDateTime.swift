import Foundation

/// A wall-clock date and time in Europe/Berlin with minute precision, e.g. the 17:00 a
/// focus group meets at. Meetings are planned in local time so that a series stays at 17:00
/// across the change to and from summer time; the instant is derived (see `BerlinTime`).
/// Encoded as `YYYY-MM-DDTHH:MM`.
public struct LocalDateTime: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let date: LocalDate
    public let hour: Int
    public let minute: Int

    /// Creates a date-time; `nil` when the hour or minute is out of range.
    public init?(date: LocalDate, hour: Int, minute: Int) {
        guard (0...23).contains(hour), (0...59).contains(minute) else { return nil }
        self.date = date
        self.hour = hour
        self.minute = minute
    }

    /// Convenience for literals in tests and demo data; `nil` for impossible values.
    public init?(_ year: Int, _ month: Int, _ day: Int, _ hour: Int, _ minute: Int) {
        guard let date = LocalDate(year: year, month: month, day: day) else { return nil }
        self.init(date: date, hour: hour, minute: minute)
    }

    /// Parses `YYYY-MM-DDTHH:MM` strictly.
    public init?(_ text: String) {
        let halves = text.split(separator: "T", omittingEmptySubsequences: false)
        guard halves.count == 2, let date = LocalDate(String(halves[0])) else { return nil }
        let time = halves[1].split(separator: ":", omittingEmptySubsequences: false)
        guard time.count == 2, time.allSatisfy({ $0.count == 2 && $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let h = Int(time[0]), let m = Int(time[1]) else { return nil }
        self.init(date: date, hour: h, minute: m)
    }

    /// Minutes since 1970-01-01 00:00 on the wall clock (no zone involved): the basis of
    /// ordering and of wall-clock arithmetic.
    public var wallMinutes: Int { date.dayNumber * 1440 + hour * 60 + minute }

    /// The date-time `wallMinutes` minutes after 1970-01-01 00:00 on the wall clock.
    public init(wallMinutes: Int) {
        let day = wallMinutes >= 0 ? wallMinutes / 1440 : (wallMinutes - 1439) / 1440
        let rest = wallMinutes - day * 1440
        self.date = LocalDate(dayNumber: day)
        self.hour = rest / 60
        self.minute = rest % 60
    }

    /// The same time of day on another date.
    public func on(_ other: LocalDate) -> LocalDateTime {
        LocalDateTime(wallMinutes: other.dayNumber * 1440 + hour * 60 + minute)
    }

    /// `HH:MM`.
    public var timeText: String { Self.pad(hour) + ":" + Self.pad(minute) }

    public var description: String { "\(date)T\(timeText)" }

    /// The iCalendar form `YYYYMMDDTHHMMSS` (seconds are always zero).
    public var icalText: String {
        date.description.replacingOccurrences(of: "-", with: "") + "T" + Self.pad(hour) + Self.pad(minute) + "00"
    }

    public static func < (a: Self, b: Self) -> Bool { a.wallMinutes < b.wallMinutes }

    static func pad(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let value = LocalDateTime(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "expected YYYY-MM-DDTHH:MM"))
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

extension LocalDate {
    /// Day of the week, 1 = Monday … 7 = Sunday (ISO 8601). 1970-01-01 was a Thursday.
    public var isoWeekday: Int {
        let d = (dayNumber + 3) % 7
        return (d < 0 ? d + 7 : d) + 1
    }

    /// Days in this date's month.
    public var daysInMonth: Int { LocalDate.daysIn(month: month, year: year) }

    /// The first day of the month that is `months` months after this date's month.
    public func firstOfMonth(addingMonths months: Int) -> LocalDate {
        let index = year * 12 + (month - 1) + months
        let y = index >= 0 ? index / 12 : (index - 11) / 12
        return LocalDate(year: y, month: index - y * 12 + 1, day: 1) ?? self
    }
}
