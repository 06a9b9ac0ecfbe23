import Foundation
import HubCore

/// An indicator's course as a small, deterministic SVG: the baseline when the recommendation
/// was finished, each report's value, and the target as a dashed line. The chart is an image
/// with a title and description; the same values are in the entry's JSON (a table for readers
/// who cannot see it).
public enum IndicatorChart {
    static let width = 600.0, height = 300.0, left = 64.0, right = 24.0, top = 40.0, bottom = 48.0

    public static func svg(_ indicator: IndicatorSpec, index: Int, finishedOn: LocalDate, reports: [ImplementationReport]) -> String {
        var points: [(LocalDate, Double)] = []
        if let baseline = indicator.baseline { points.append((finishedOn, baseline)) }
        for report in reports.sorted(by: { ($0.reportedOn, $0.at) < ($1.reportedOn, $1.at) }) {
            if let value = report.values.first(where: { $0.indicator == index }) { points.append((report.reportedOn, value.value)) }
        }
        let values = points.map(\.1) + [indicator.target].compactMap { $0 }
        var low = min(values.min() ?? 0, 0), high = max(values.max() ?? 1, 1)
        if high == low { high = low + 1 }
        let margin = (high - low) * 0.1
        low = low < 0 ? low - margin : low
        high += margin
        let firstDay = points.first?.0.dayNumber ?? finishedOn.dayNumber
        let lastDay = max(points.last?.0.dayNumber ?? firstDay, firstDay + 1)
        func x(_ day: LocalDate) -> Double { left + (width - left - right) * Double(day.dayNumber - firstDay) / Double(lastDay - firstDay) }
        func y(_ value: Double) -> Double { height - bottom - (height - top - bottom) * (value - low) / (high - low) }
        func n(_ v: Double) -> String { String(format: "%.1f", v) }
        let unit = indicator.unit.isEmpty ? "" : " \(indicator.unit)"
        let summary = points.map { "\($0.0): \(number($0.1))\(unit)" }.joined(separator: "; ")
        let targetText = indicator.target.map { "Ziel: \(number($0))\(unit)" } ?? "kein Zielwert"
        var out = """
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(Int(width)) \(Int(height))" role="img" aria-labelledby="t d">
            <title id="t">\(escape(indicator.name))</title>
            <desc id="d">\(escape("\(targetText). Werte: \(summary.isEmpty ? "noch keine" : summary)."))</desc>
            <rect x="0" y="0" width="\(Int(width))" height="\(Int(height))" fill="#ffffff"/>
            <line x1="\(n(left))" y1="\(n(height - bottom))" x2="\(n(width - right))" y2="\(n(height - bottom))" stroke="#595959"/>
            <line x1="\(n(left))" y1="\(n(top))" x2="\(n(left))" y2="\(n(height - bottom))" stroke="#595959"/>
            <text x="\(n(left - 8))" y="\(n(y(high - margin) + 4))" text-anchor="end" font-size="12" fill="#333333">\(escape(number(high - margin)))</text>
            <text x="\(n(left - 8))" y="\(n(y(low) + 4))" text-anchor="end" font-size="12" fill="#333333">\(escape(number(low)))</text>
            <text x="\(n(left))" y="24" font-size="14" font-weight="bold" fill="#1a1a1a">\(escape(indicator.name + unit))</text>

            """
        if let target = indicator.target {
            out += """
                <line x1="\(n(left))" y1="\(n(y(target)))" x2="\(n(width - right))" y2="\(n(y(target)))" stroke="#00705a" stroke-width="2" stroke-dasharray="6 4"/>
                <text x="\(n(width - right))" y="\(n(y(target) - 6))" text-anchor="end" font-size="12" fill="#00705a">\(escape(targetText))</text>

                """
        }
        if points.count > 1 {
            out += "<polyline fill=\"none\" stroke=\"#1f4e9c\" stroke-width=\"2\" points=\"\(points.map { "\(n(x($0.0))),\(n(y($0.1)))" }.joined(separator: " "))\"/>\n"
        }
        for (day, value) in points {
            out += "<circle cx=\"\(n(x(day)))\" cy=\"\(n(y(value)))\" r=\"4\" fill=\"#1f4e9c\"/>\n"
            out += "<text x=\"\(n(x(day)))\" y=\"\(n(height - bottom + 18))\" text-anchor=\"middle\" font-size=\"11\" fill=\"#333333\">\(day.description)</text>\n"
        }
        return out + "</svg>\n"
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e12 ? String(Int64(value)) : String(format: "%.2f", value)
    }

    /// The server's one HTML escaping serves SVG text and attributes as well.
    static func escape(_ text: String) -> String { Markdown.escapeHTML(text) }
}
