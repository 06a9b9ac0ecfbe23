import Foundation

extension LocalDate {
    /// The calendar day of `instant` in Europe/Berlin, the district's zone.
    public static func berlin(_ instant: Date) -> LocalDate {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Berlin") ?? .gmt
        let parts = calendar.dateComponents([.year, .month, .day], from: instant)
        return LocalDate(year: parts.year ?? 1970, month: parts.month ?? 1, day: parts.day ?? 1) ?? LocalDate(year: 1970, month: 1, day: 1)!
    }
}
