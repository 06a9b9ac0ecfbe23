import Foundation

extension RecurrenceRule {
    /// Parses an RRULE value (with or without the `RRULE:` prefix). Parts outside the
    /// supported subset (BYHOUR, FREQ=DAILY, …) are refused by name rather than ignored, so a
    /// rule never silently means something else than what its author wrote.
    public init(parsing text: String, field: String = "recurrence") throws(DomainError) {
        func fail(_ code: String, _ message: String) -> DomainError {
            .validation([FieldIssue(field: field, code: code, message: message)])
        }
        var body = text.trimmingCharacters(in: .whitespaces)
        if body.uppercased().hasPrefix("RRULE:") { body = String(body.dropFirst(6)) }
        var values: [String: String] = [:]
        for part in body.split(separator: ";", omittingEmptySubsequences: false) {
            let pair = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard pair.count == 2, !pair[0].isEmpty, !pair[1].isEmpty else { throw fail("syntax", "Expected NAME=VALUE parts separated by ';'.") }
            let name = pair[0].uppercased()
            guard values[name] == nil else { throw fail("syntax", "\(name) appears twice.") }
            values[name] = pair[1].uppercased()
        }
        let known: Set<String> = ["FREQ", "INTERVAL", "COUNT", "UNTIL", "BYDAY", "BYMONTHDAY", "BYSETPOS", "WKST"]
        if let unknown = values.keys.sorted().first(where: { !known.contains($0) }) {
            throw fail("unsupported", "\(unknown) is not supported; use weekly or monthly rules.")
        }
        guard let freqText = values["FREQ"] else { throw fail("syntax", "FREQ is required.") }
        guard let frequency = Frequency(rawValue: freqText) else {
            throw fail("unsupported", "FREQ=\(freqText) is not supported; use WEEKLY or MONTHLY.")
        }
        func integers(_ name: String) throws(DomainError) -> [Int] {
            guard let raw = values[name] else { return [] }
            var out: [Int] = []
            for item in raw.split(separator: ",", omittingEmptySubsequences: false) {
                guard let n = Self.integer(item) else { throw fail("syntax", "\(name) expects integers.") }
                out.append(n)
            }
            return out
        }
        let interval = try integers("INTERVAL").first ?? 1
        var end = End.never
        switch (values["COUNT"], values["UNTIL"]) {
        case (.some, .some): throw fail("syntax", "COUNT and UNTIL exclude each other.")
        case (.some(let count), nil):
            guard let n = Self.integer(Substring(count)) else { throw fail("syntax", "COUNT expects an integer.") }
            end = .count(n)
        case (nil, .some(let until)):
            guard let t = Self.untilValue(until) else { throw fail("syntax", "UNTIL expects YYYYMMDD, YYYYMMDDTHHMMSS or YYYYMMDDTHHMMSSZ.") }
            end = .until(t)
        case (nil, nil): break
        }
        var byDay: [WeekdayNum] = []
        if let raw = values["BYDAY"] {
            for item in raw.split(separator: ",", omittingEmptySubsequences: false) {
                guard item.count >= 2, let weekday = Weekday(code: String(item.suffix(2))) else {
                    throw fail("syntax", "BYDAY expects weekdays such as MO or 2TU.")
                }
                let prefix = item.dropLast(2)
                if prefix.isEmpty {
                    byDay.append(WeekdayNum(weekday))
                } else {
                    guard let n = Self.integer(prefix) else { throw fail("syntax", "BYDAY expects weekdays such as MO or 2TU.") }
                    byDay.append(WeekdayNum(weekday, n))
                }
            }
        }
        var weekStart = Weekday.monday
        if let raw = values["WKST"] {
            guard let w = Weekday(code: raw) else { throw fail("syntax", "WKST expects a weekday such as MO.") }
            weekStart = w
        }
        self.init(frequency, interval: interval, byDay: byDay, byMonthDay: try integers("BYMONTHDAY"),
                  bySetPos: try integers("BYSETPOS"), weekStart: weekStart, end: end)
    }

    /// `+3`, `-1`, `12`: digits with an optional sign, nothing else.
    static func integer(_ text: Substring) -> Int? {
        var digits = text
        if digits.first == "+" || digits.first == "-" { digits = digits.dropFirst() }
        guard !digits.isEmpty, digits.count <= 6, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(text.first == "+" ? text.dropFirst() : text)
    }

    /// UNTIL as a date (the whole day counts), as local time, or in UTC (converted to Berlin).
    static func untilValue(_ text: String) -> LocalDateTime? {
        let digits = text.filter(\.isNumber)
        guard text.allSatisfy({ $0.isASCII }), digits.count == 8 || digits.count == 14 else { return nil }
        func number(_ from: Int, _ length: Int) -> Int {
            Int(digits.dropFirst(from).prefix(length)) ?? -1
        }
        guard let date = LocalDate(year: number(0, 4), month: number(4, 2), day: number(6, 2)) else { return nil }
        if text.count == 8 { return LocalDateTime(date: date, hour: 23, minute: 59) }
        guard text.count == 15 || text.count == 16, text.dropFirst(8).first == "T",
              let local = LocalDateTime(date: date, hour: number(8, 2), minute: number(10, 2)), (0...59).contains(number(12, 2)) else { return nil }
        guard text.count == 16 else { return local }
        guard text.last == "Z" else { return nil }
        // The wall minutes of a UTC text are the instant's minutes since 1970.
        let utcSeconds = local.wallMinutes * 60 + number(12, 2)
        return BerlinTime.local(Date(timeIntervalSince1970: TimeInterval(utcSeconds)))
    }
}
