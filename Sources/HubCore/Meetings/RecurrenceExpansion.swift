import Foundation

/// One meeting of a series as it actually takes place.
public struct Occurrence: Hashable, Sendable {
    /// The start the rule gave it: its identity (RECURRENCE-ID), also after a move.
    public let recurrenceID: LocalDateTime
    public let start: LocalDateTime
    public let end: LocalDateTime
    public let startInstant: Date
    public let endInstant: Date
    /// Moved away from where the rule put it.
    public let isMoved: Bool

    public init(recurrenceID: LocalDateTime, start: LocalDateTime, end: LocalDateTime, startInstant: Date, endInstant: Date, isMoved: Bool) {
        self.recurrenceID = recurrenceID
        self.start = start
        self.end = end
        self.startInstant = startInstant
        self.endInstant = endInstant
        self.isMoved = isMoved
    }
}

/// One occurrence moved to another time (a RECURRENCE-ID override).
public struct OccurrenceMove: Hashable, Sendable, Codable {
    public let recurrenceID: LocalDateTime
    public let start: LocalDateTime
    public let end: LocalDateTime

    public init(recurrenceID: LocalDateTime, start: LocalDateTime, end: LocalDateTime) {
        self.recurrenceID = recurrenceID
        self.start = start
        self.end = end
    }
}

/// Expands recurrence rules into occurrences in Europe/Berlin wall-clock time: every
/// occurrence keeps the first meeting's time of day (17:00 stays 17:00 across the change to
/// summer time), and its instant follows from `BerlinTime`.
public enum RecurrenceExpansion {
    /// The most rule dates ever generated for one expansion (including those before the
    /// window asked for): a bound on work, whatever the rule.
    public static let maxGenerated = 2_000
    /// The most periods (weeks or months) scanned: rules whose periods are mostly empty
    /// (BYMONTHDAY=31 with INTERVAL=2 from February) cannot loop for long.
    static let maxPeriods = 2_400

    /// The starts the rule gives, in order, from `start` (always the first) up to and
    /// including `last` (or the rule's own end), at most `maxGenerated`. COUNT and UNTIL
    /// apply here, before exceptions: an EXDATE still counts towards COUNT (RFC 5545 §3.8.5.3).
    public static func nominalStarts(_ rule: RecurrenceRule, from start: LocalDateTime, through last: LocalDateTime?) -> [LocalDateTime] {
        var out: [LocalDateTime] = []
        var limit = maxGenerated
        var bound = last
        switch rule.end {
        case .never: break
        case .count(let n): limit = min(limit, max(0, n))
        case .until(let until): bound = bound.map { min($0, until) } ?? until
        }
        let interval = max(1, rule.interval)
        for period in 0..<maxPeriods {
            for date in dates(rule, period: period * interval, start: start.date) where date >= start.date {
                let candidate = start.on(date)
                if let bound, candidate > bound { return out }
                out.append(candidate)
                if out.count >= limit { return out }
            }
        }
        return out
    }

    /// The occurrences that overlap `from..<to` (either side open when `nil`), sorted by
    /// start, at most `limit`. `cancelled` are EXDATEs; `moves` put occurrences elsewhere.
    public static func occurrences(
        _ rule: RecurrenceRule, start: LocalDateTime, end: LocalDateTime, cancelled: Set<LocalDateTime> = [], moves: [OccurrenceMove] = [],
        from: Date? = nil, to: Date? = nil, limit: Int = RecurrenceRule.maxOccurrences
    ) -> [Occurrence] {
        // An exact duration, as RFC 5545 prescribes for DTEND with recurrences.
        let duration = BerlinTime.instant(end).timeIntervalSince(BerlinTime.instant(start))
        let moved = Dictionary(moves.map { ($0.recurrenceID, $0) }, uniquingKeysWith: { _, last in last })
        // A moved occurrence can land in the window from a rule date after it; generate that far.
        var horizon = to.map(BerlinTime.local)
        if let bound = horizon, let to {
            for move in moves where move.recurrenceID > bound && BerlinTime.instant(move.start) < to {
                horizon = max(horizon ?? bound, move.recurrenceID)
            }
        }
        var out: [Occurrence] = []
        for id in nominalStarts(rule, from: start, through: horizon) where !cancelled.contains(id) {
            let occurrence: Occurrence
            if let move = moved[id] {
                occurrence = Occurrence(recurrenceID: id, start: move.start, end: move.end, startInstant: BerlinTime.instant(move.start),
                                        endInstant: BerlinTime.instant(move.end), isMoved: true)
            } else {
                let startInstant = BerlinTime.instant(id)
                let endInstant = startInstant.addingTimeInterval(duration)
                occurrence = Occurrence(recurrenceID: id, start: id, end: BerlinTime.local(endInstant), startInstant: startInstant,
                                        endInstant: endInstant, isMoved: false)
            }
            if let from, occurrence.endInstant <= from { continue }
            if let to, occurrence.startInstant >= to { continue }
            out.append(occurrence)
        }
        out.sort { ($0.startInstant, $0.recurrenceID) < ($1.startInstant, $1.recurrenceID) }
        return Array(out.prefix(max(0, limit)))
    }

    /// Whether `candidate` is one of the rule's starts (before exceptions).
    public static func isNominalStart(_ candidate: LocalDateTime, of rule: RecurrenceRule, from start: LocalDateTime) -> Bool {
        nominalStarts(rule, from: start, through: candidate).last == candidate
    }

    /// The dates of one period (the week or month `offset` periods after the first), sorted.
    static func dates(_ rule: RecurrenceRule, period offset: Int, start: LocalDate) -> [LocalDate] {
        switch rule.frequency {
        case .weekly:
            let shift = (start.isoWeekday - rule.weekStart.rawValue + 7) % 7
            let weekBegins = start.adding(days: -shift + 7 * offset)
            let weekdays = rule.byDay.isEmpty ? [start.isoWeekday] : rule.byDay.map(\.weekday.rawValue)
            return Set(weekdays.map { weekBegins.adding(days: ($0 - rule.weekStart.rawValue + 7) % 7) }).sorted()
        case .monthly:
            let first = start.firstOfMonth(addingMonths: offset)
            let days = first.daysInMonth
            var set: [Int]
            if !rule.byMonthDay.isEmpty {
                set = rule.byMonthDay.map { $0 > 0 ? $0 : days + $0 + 1 }.filter { (1...days).contains($0) }
            } else if !rule.byDay.isEmpty {
                set = rule.byDay.flatMap { monthDays(of: $0, firstOfMonth: first) }
            } else {
                // No BY part: the first meeting's day of the month; months without it are skipped.
                set = start.day <= days ? [start.day] : []
            }
            set = Array(Set(set)).sorted()
            if !rule.bySetPos.isEmpty {
                let picked = rule.bySetPos.compactMap { pos -> Int? in
                    let index = pos > 0 ? pos - 1 : set.count + pos
                    return set.indices.contains(index) ? set[index] : nil
                }
                set = Array(Set(picked)).sorted()
            }
            return set.map { first.adding(days: $0 - 1) }
        }
    }

    /// The days of the month matching `2TU`, `-1FR` or plain `MO` (every Monday).
    static func monthDays(of entry: RecurrenceRule.WeekdayNum, firstOfMonth first: LocalDate) -> [Int] {
        let offset = (entry.weekday.rawValue - first.isoWeekday + 7) % 7
        let all = Array(stride(from: 1 + offset, through: first.daysInMonth, by: 7))
        guard let ordinal = entry.ordinal else { return all }
        let index = ordinal > 0 ? ordinal - 1 : all.count + ordinal
        return all.indices.contains(index) ? [all[index]] : []
    }
}
