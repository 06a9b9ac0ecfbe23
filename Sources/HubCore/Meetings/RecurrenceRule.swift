import Foundation

/// The subset of RFC 5545 recurrence rules that working groups use: weekly (with INTERVAL,
/// BYDAY and WKST) and monthly (by ordinal weekday like `2TU`, by BYDAY with BYSETPOS, or by
/// BYMONTHDAY), ending after COUNT occurrences, at UNTIL, or never. Stored and transported
/// as its RRULE text; `RecurrenceRule(parsing:)` reads it back.
public struct RecurrenceRule: Hashable, Sendable, Codable, CustomStringConvertible {
    /// How often the rule's period repeats.
    public enum Frequency: String, Sendable, Hashable, CaseIterable {
        case weekly = "WEEKLY"
        case monthly = "MONTHLY"
    }

    /// A day of the week, numbered as in ISO 8601 (Monday = 1).
    public enum Weekday: Int, Sendable, Hashable, CaseIterable, Comparable {
        case monday = 1, tuesday, wednesday, thursday, friday, saturday, sunday

        /// The two-letter RRULE code (`MO`).
        public var code: String { ["MO", "TU", "WE", "TH", "FR", "SA", "SU"][rawValue - 1] }

        /// Parses `MO` … `SU`.
        public init?(code: String) {
            guard let index = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"].firstIndex(of: code) else { return nil }
            self.init(rawValue: index + 1)
        }

        public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
    }

    /// A BYDAY entry: a weekday, in monthly rules optionally with its ordinal within the
    /// month (`2TU` the second Tuesday, `-1FR` the last Friday).
    public struct WeekdayNum: Hashable, Sendable, CustomStringConvertible {
        public let weekday: Weekday
        public let ordinal: Int?

        public init(_ weekday: Weekday, _ ordinal: Int? = nil) {
            self.weekday = weekday
            self.ordinal = ordinal
        }

        public var description: String { (ordinal.map(String.init) ?? "") + weekday.code }
    }

    /// When the series ends.
    public enum End: Hashable, Sendable {
        /// Runs until cancelled; expansion is bounded by the window asked for.
        case never
        /// After this many occurrences, counting the first one (EXDATEs still count).
        case count(Int)
        /// The last occurrence starts at or before this wall-clock time.
        case until(LocalDateTime)
    }

    public var frequency: Frequency
    public var interval: Int
    public var byDay: [WeekdayNum]
    public var byMonthDay: [Int]
    public var bySetPos: [Int]
    public var weekStart: Weekday
    public var end: End

    public init(_ frequency: Frequency, interval: Int = 1, byDay: [WeekdayNum] = [], byMonthDay: [Int] = [], bySetPos: [Int] = [],
                weekStart: Weekday = .monday, end: End = .never) {
        self.frequency = frequency
        self.interval = interval
        self.byDay = byDay
        self.byMonthDay = byMonthDay
        self.bySetPos = bySetPos
        self.weekStart = weekStart
        self.end = end
    }

    /// The most occurrences a series may have, and the most any expansion produces.
    public static let maxOccurrences = 500
    public static let intervalRange = 1...99

    /// The RRULE value in a canonical order. UNTIL is written in UTC, as RFC 5545 requires
    /// when DTSTART carries a TZID.
    public var description: String {
        var parts = ["FREQ=\(frequency.rawValue)"]
        if interval != 1 { parts.append("INTERVAL=\(interval)") }
        switch end {
        case .never: break
        case .count(let n): parts.append("COUNT=\(n)")
        case .until(let t): parts.append("UNTIL=" + BerlinTime.utcText(BerlinTime.instant(t)))
        }
        if !byDay.isEmpty { parts.append("BYDAY=" + byDay.map(\.description).joined(separator: ",")) }
        if !byMonthDay.isEmpty { parts.append("BYMONTHDAY=" + byMonthDay.map(String.init).joined(separator: ",")) }
        if !bySetPos.isEmpty { parts.append("BYSETPOS=" + bySetPos.map(String.init).joined(separator: ",")) }
        if weekStart != .monday { parts.append("WKST=" + weekStart.code) }
        return parts.joined(separator: ";")
    }

    /// Every problem with the rule for a series starting at `start`, reported on `field`.
    /// The start must itself be an occurrence: RFC 5545 leaves the set undefined otherwise,
    /// and people would be invited to a first meeting the rule does not describe.
    public func issues(start: LocalDateTime, field: String = "recurrence") -> [FieldIssue] {
        var issues: [FieldIssue] = []
        func add(_ code: String, _ message: String) { issues.append(FieldIssue(field: field, code: code, message: message)) }
        if !Self.intervalRange.contains(interval) { add("interval", "INTERVAL must be between 1 and 99.") }
        switch end {
        case .never: break
        case .count(let n) where !(1...Self.maxOccurrences).contains(n):
            add("count", "COUNT must be between 1 and \(Self.maxOccurrences).")
        case .until(let t) where t < start: add("until", "UNTIL lies before the first meeting.")
        default: break
        }
        switch frequency {
        case .weekly:
            if byDay.contains(where: { $0.ordinal != nil }) { add("unsupported", "Weekly rules take plain weekdays (MO, TU), no ordinals.") }
            if !byMonthDay.isEmpty || !bySetPos.isEmpty { add("unsupported", "Weekly rules take no BYMONTHDAY or BYSETPOS.") }
        case .monthly:
            if byDay.contains(where: { $0.ordinal.map { $0 == 0 || abs($0) > 5 } ?? false }) {
                add("ordinal", "A weekday ordinal is 1 to 5 or -1 to -5.")
            }
            if byMonthDay.contains(where: { $0 == 0 || abs($0) > 31 }) { add("monthDay", "BYMONTHDAY is 1 to 31 or -1 to -31.") }
            if !byDay.isEmpty && !byMonthDay.isEmpty { add("unsupported", "Use either BYDAY or BYMONTHDAY, not both.") }
            if bySetPos.contains(where: { $0 == 0 || abs($0) > 31 }) { add("setPos", "BYSETPOS is 1 to 31 or -1 to -31.") }
            if !bySetPos.isEmpty && (byDay.isEmpty && byMonthDay.isEmpty) { add("setPos", "BYSETPOS needs BYDAY or BYMONTHDAY.") }
            if !bySetPos.isEmpty && byDay.contains(where: { $0.ordinal != nil }) {
                add("unsupported", "Use either ordinal weekdays (2TU) or BYSETPOS, not both.")
            }
        }
        if Set(byDay).count != byDay.count || Set(byMonthDay).count != byMonthDay.count || Set(bySetPos).count != bySetPos.count {
            add("duplicate", "A value is listed twice.")
        }
        if issues.isEmpty && RecurrenceExpansion.nominalStarts(self, from: start, through: start).first != start {
            add("startNotInPattern", "The first meeting (\(start.date)) is not a day the rule describes.")
        }
        return issues
    }
}

extension RecurrenceRule {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do {
            self = try RecurrenceRule(parsing: text)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.fields.first?.message ?? error.message))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
