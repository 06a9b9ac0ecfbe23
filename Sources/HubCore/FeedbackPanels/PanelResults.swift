/// One bar of a distribution: a scale point or a choice option, with how often it was chosen.
public struct ResultBucket: Sendable, Hashable, Codable {
    /// `1`…`5` for scales and section ratings, the option key for choices.
    public let value: String
    public let label: PanelText
    public let count: Int
}

/// The aggregate of one question over the visible items.
public struct QuestionResult: Sendable, Hashable, Codable {
    public let questionID: QuestionID
    public let kind: String
    public let prompt: PanelText
    /// Items that answered it.
    public let answered: Int
    /// Visible items that did not.
    public let skipped: Int
    /// Scale points 1…5, or the options in panel order; empty for free text. In a multiple-choice
    /// question the counts add up to more than `answered`: each share is `count / answered`.
    public let buckets: [ResultBucket]
    /// The mean point of a scale; `nil` for other kinds or when nobody answered.
    public let mean: Double?
    /// Free text: how many texts there are (the texts themselves are read item by item).
    public let textCount: Int
}

/// The aggregate of the feedback on one profile section.
public struct SectionResult: Sendable, Hashable, Codable {
    public let section: ProfileSection
    /// Items that rated the section.
    public let rated: Int
    /// Ratings 1…5.
    public let buckets: [ResultBucket]
    public let mean: Double?
    public let commentCount: Int
}

/// The results of a panel: distributions per question and per section, computed from visible
/// items only, in the panel's order, ready for a bar chart and its table alternative.
public struct PanelResults: Sendable, Hashable, Codable {
    public let panelID: PanelID
    /// Items counted below.
    public let visibleCount: Int
    /// Not counted: waiting for moderation.
    public let pendingCount: Int
    /// Not counted: hidden by a moderator.
    public let hiddenCount: Int
    public let questions: [QuestionResult]
    public let sections: [SectionResult]
}

/// The fixed wording of section ratings (the form shows it next to each point).
public enum SectionRating {
    public static let labels: [PanelText] = [
        PanelText(de: "Stimme gar nicht zu", en: "Do not agree at all"),
        PanelText(de: "Stimme eher nicht zu", en: "Rather do not agree"),
        PanelText(de: "Teils, teils", en: "Partly"),
        PanelText(de: "Stimme eher zu", en: "Rather agree"),
        PanelText(de: "Stimme voll zu", en: "Fully agree"),
    ]
}

/// Aggregation as a pure function.
public enum PanelAggregation {
    /// Aggregates the panel's visible items. Other panels' items in `submissions` are ignored.
    public static func results(_ panel: FeedbackPanel, submissions: [PanelSubmission]) -> PanelResults {
        let mine = submissions.filter { $0.panelID == panel.id }
        let visible = mine.filter { $0.status == .visible }
        let questions = panel.questions.map { question(for: $0, in: visible) }
        let sections = panel.sections.map { section in
            let feedback = visible.compactMap { $0.content.feedback(on: section) }
            let ratings = feedback.compactMap(\.rating)
            return SectionResult(section: section, rated: ratings.count, buckets: scaleBuckets(ratings, labels: SectionRating.labels),
                                 mean: mean(ratings), commentCount: feedback.filter { $0.comment != nil }.count)
        }
        return PanelResults(panelID: panel.id, visibleCount: visible.count, pendingCount: mine.filter { $0.status == .pending }.count,
                            hiddenCount: mine.filter { $0.status == .hidden }.count, questions: questions, sections: sections)
    }

    static func question(for question: PanelQuestion, in items: [PanelSubmission]) -> QuestionResult {
        let values = items.compactMap { $0.content.answer(to: question.id) }
        var buckets: [ResultBucket] = []
        var mean: Double?
        var textCount = 0
        switch question.kind {
        case .scale(let labels):
            let points = values.compactMap { if case .scale(let p) = $0 { p } else { nil } }
            buckets = scaleBuckets(points, labels: labels)
            mean = Self.mean(points)
        case .singleChoice(let options), .multipleChoice(let options, _, _):
            let chosen = values.flatMap { value -> [String] in
                switch value {
                case .choice(let key): [key]
                case .choices(let keys): keys
                default: []
                }
            }
            buckets = options.map { option in ResultBucket(value: option.key, label: option.label, count: chosen.filter { $0 == option.key }.count) }
        case .freeText:
            textCount = values.filter { if case .text = $0 { true } else { false } }.count
        }
        return QuestionResult(questionID: question.id, kind: question.kind.name, prompt: question.prompt, answered: values.count,
                              skipped: items.count - values.count, buckets: buckets, mean: mean, textCount: textCount)
    }

    static func scaleBuckets(_ points: [Int], labels: [PanelText]) -> [ResultBucket] {
        PanelQuestion.scalePoints.map { point in
            let label = labels.indices.contains(point - 1) ? labels[point - 1] : PanelText(de: String(point))
            return ResultBucket(value: String(point), label: label, count: points.filter { $0 == point }.count)
        }
    }

    static func mean(_ points: [Int]) -> Double? {
        points.isEmpty ? nil : Double(points.reduce(0, +)) / Double(points.count)
    }
}
