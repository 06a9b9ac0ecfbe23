import Foundation

/// One row of the distribution table (CSV and JSON): one bar of one chart.
public struct ResultRow: Sendable, Hashable, Codable {
    /// `question` or `section`.
    public let scope: String
    /// The question id or the section name.
    public let subject: String
    public let subjectLabel: String
    public let value: String
    public let valueLabel: String
    public let count: Int
    /// The denominator of the share: the items that answered the question or rated the section.
    public let of: Int

    /// The CSV header, in the order of `fields`.
    public static let header = ["scope", "subject", "subjectLabel", "value", "valueLabel", "count", "of"]
    /// The row as CSV cells.
    public var fields: [String] { [scope, subject, subjectLabel, value, valueLabel, String(count), String(of)] }
}

/// One row of the summary table: counts and the mean per question or section.
public struct SummaryRow: Sendable, Hashable, Codable {
    public let scope: String
    public let subject: String
    public let subjectLabel: String
    public let kind: String
    public let answered: Int
    public let skipped: Int
    /// Two decimals with a point (`3.67`), independent of locale; empty when not applicable.
    public let mean: String
    /// Free texts or section comments.
    public let texts: Int

    /// The CSV header, in the order of `fields`.
    public static let header = ["scope", "subject", "subjectLabel", "kind", "answered", "skipped", "mean", "texts"]
    /// The row as CSV cells.
    public var fields: [String] { [scope, subject, subjectLabel, kind, String(answered), String(skipped), mean, String(texts)] }
}

/// Export shapes. The transport writes them as CSV (defusing formulas, as the catalogue export
/// does) or JSON; the core fixes their columns and order.
public enum PanelExport {
    /// The distribution rows: questions first (panel order, buckets in scale or option order),
    /// then sections (profile order, ratings 1–5).
    public static func resultRows(_ results: PanelResults, language: PanelLanguage) -> [ResultRow] {
        var rows: [ResultRow] = []
        for q in results.questions {
            for bucket in q.buckets {
                rows.append(ResultRow(scope: "question", subject: q.questionID.description, subjectLabel: q.prompt.text(in: language),
                                      value: bucket.value, valueLabel: bucket.label.text(in: language), count: bucket.count, of: q.answered))
            }
        }
        for s in results.sections {
            for bucket in s.buckets {
                rows.append(ResultRow(scope: "section", subject: s.section.rawValue, subjectLabel: sectionLabel(s.section).text(in: language),
                                      value: bucket.value, valueLabel: bucket.label.text(in: language), count: bucket.count, of: s.rated))
            }
        }
        return rows
    }

    /// The summary rows, in the same order.
    public static func summaryRows(_ results: PanelResults, language: PanelLanguage) -> [SummaryRow] {
        results.questions.map { q in
            SummaryRow(scope: "question", subject: q.questionID.description, subjectLabel: q.prompt.text(in: language), kind: q.kind,
                       answered: q.answered, skipped: q.skipped, mean: decimal(q.mean), texts: q.textCount)
        } + results.sections.map { s in
            SummaryRow(scope: "section", subject: s.section.rawValue, subjectLabel: sectionLabel(s.section).text(in: language), kind: "sectionRating",
                       answered: s.rated, skipped: results.visibleCount - s.rated, mean: decimal(s.mean), texts: s.commentCount)
        }
    }

    /// The visible items as an anonymous table, one row per item, oldest first. No pseudonym,
    /// no e-mail, no ids: rows are numbered, and only the day of receipt is given, so an export
    /// passed on (to the steering group, say) cannot be matched to a person by timing.
    public static func itemTable(_ panel: FeedbackPanel, submissions: [PanelSubmission], language: PanelLanguage) -> (header: [String], rows: [[String]]) {
        var header = ["item", "receivedOn"]
        for (index, q) in panel.questions.enumerated() { header.append("Q\(index + 1): \(q.prompt.text(in: language))") }
        for section in panel.sections {
            let label = sectionLabel(section).text(in: language)
            header += ["\(label): \(language == .de ? "Bewertung" : "rating")", "\(label): \(language == .de ? "Kommentar" : "comment")"]
        }
        let items = submissions.filter { $0.panelID == panel.id && $0.status == .visible }
            .sorted { ($0.receivedAt, $0.id.description) < ($1.receivedAt, $1.id.description) }
        let rows = items.enumerated().map { index, item in
            var row = [String(index + 1), LocalDate.berlin(item.receivedAt).description]
            for q in panel.questions {
                let cell = switch item.content.answer(to: q.id) {
                case .scale(let point): String(point)
                case .choice(let key): key
                case .choices(let keys): keys.joined(separator: ";")
                case .text(let text): text
                case nil: ""
                }
                row.append(cell)
            }
            for section in panel.sections {
                let feedback = item.content.feedback(on: section)
                row += [feedback?.rating.map(String.init) ?? "", feedback?.comment ?? ""]
            }
            return row
        }
        return (header, rows)
    }

    /// `3.67`: rounded half away from zero, to two decimals.
    static func decimal(_ value: Double?) -> String {
        guard let value else { return "" }
        let hundredths = Int((value * 100).rounded())
        let fraction = abs(hundredths % 100)
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }

    /// Section names as the profile form shows them.
    public static func sectionLabel(_ section: ProfileSection) -> PanelText {
        switch section {
        case .title: PanelText(de: "Titel", en: "Title")
        case .policyFields: PanelText(de: "Handlungsfelder", en: "Policy fields")
        case .situation: PanelText(de: "Ausgangslage", en: "Initial situation")
        case .dataBasis: PanelText(de: "Datenbasis", en: "Data basis")
        case .goals: PanelText(de: "Ziele", en: "Goals")
        case .measures: PanelText(de: "Maßnahmen", en: "Measures")
        case .targetGroups: PanelText(de: "Zielgruppen", en: "Target groups")
        case .responsibleBody: PanelText(de: "Zuständigkeit", en: "Responsible body")
        case .resources: PanelText(de: "Ressourcen", en: "Resources")
        case .budgetYears: PanelText(de: "Haushaltsjahr", en: "Budget year")
        case .impactKinds: PanelText(de: "Wirkungsart", en: "Kind of impact")
        case .indicators: PanelText(de: "Indikatoren", en: "Indicators")
        case .timeline: PanelText(de: "Zeitplan", en: "Timeline")
        }
    }
}
