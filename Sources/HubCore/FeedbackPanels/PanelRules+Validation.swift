import Foundation

extension PanelRules {
    public static let titleLength = 3...200
    public static let audienceLength = 1...500
    public static let summaryLength = 1...4000
    public static let maxQuestions = 30
    public static let promptLength = 1...500
    public static let helpMaxLength = 1000
    public static let scaleLabelLength = 1...60
    public static let optionLabelLength = 1...200
    public static let optionCount = 2...20
    public static let freeTextMaxLength = 1...4000
    /// A panel runs at most a year; longer consultations are separate panels.
    public static let maxDurationDays = 366

    /// Trims texts and puts the sections in profile order without repeats, so that equal
    /// settings compare equal and the form always lists sections in the order of the profile.
    public static func normalized(_ draft: PanelDraft) -> PanelDraft {
        var d = draft
        d.title = d.title.trimmed()
        d.title.de = d.title.de.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        d.audience = d.audience.trimmed()
        d.summary = d.summary.trimmed()
        d.easyReadSummary = d.easyReadSummary.map { $0.trimmed() }.flatMap { $0.de.isEmpty && $0.en == nil ? nil : $0 }
        d.consentVersion = d.consentVersion.trimmingCharacters(in: .whitespacesAndNewlines)
        d.sections = ProfileSection.allCases.filter { draft.sections.contains($0) }
        d.questions = d.questions.map { q in
            var q = q
            q.prompt = q.prompt.trimmed()
            q.help = q.help.map { $0.trimmed() }.flatMap { $0.de.isEmpty && $0.en == nil ? nil : $0 }
            switch q.kind {
            case .scale(let labels): q.kind = .scale(labels: labels.map { $0.trimmed() })
            case .singleChoice(let options): q.kind = .singleChoice(options: trimmed(options))
            case .multipleChoice(let options, let min, let max): q.kind = .multipleChoice(options: trimmed(options), min: min, max: max)
            case .freeText: break
            }
            return q
        }
        return d
    }

    static func trimmed(_ options: [ChoiceOption]) -> [ChoiceOption] {
        options.map { ChoiceOption(key: $0.key.trimmingCharacters(in: .whitespaces), label: $0.label.trimmed()) }
    }

    /// Everything a panel's settings must satisfy at every save. Field names follow the
    /// client's shape (`questions[2].options[0].label.en`).
    public static func validate(_ d: PanelDraft, subject: PanelSubject) -> [FieldIssue] {
        var issues: [FieldIssue] = []
        let english = d.offersEnglish
        check(d.title, "title", titleLength, english: english, into: &issues)
        check(d.audience, "audience", audienceLength, english: english, into: &issues)
        check(d.summary, "summary", summaryLength, english: english, multiline: true, into: &issues)
        if let easy = d.easyReadSummary { check(easy, "easyReadSummary", summaryLength, english: false, multiline: true, into: &issues) }
        if d.closesOn < d.opensOn {
            issues.append(FieldIssue(field: "closesOn", code: "beforeOpening", message: "The last day comes before the first day."))
        } else if d.closesOn.dayNumber - d.opensOn.dayNumber >= maxDurationDays {
            issues.append(FieldIssue(field: "closesOn", code: "tooLong", message: "A panel runs at most \(maxDurationDays) days."))
        }
        if !d.sections.isEmpty && subject.recommendationID == nil {
            issues.append(FieldIssue(field: "sections", code: "notARecommendation", message: "Only a panel on a recommendation asks about its sections."))
        }
        if !retentionRange.contains(d.retentionDays) {
            issues.append(FieldIssue(field: "retentionDays", code: "outOfRange",
                                     message: "Between \(retentionRange.lowerBound) and \(retentionRange.upperBound) days."))
        }
        let versionCharacters = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._:-")
        if !(1...100).contains(d.consentVersion.count) || !d.consentVersion.allSatisfy({ versionCharacters.contains($0) }) {
            issues.append(FieldIssue(field: "consentVersion", code: "invalid", message: "The id of a consent text version (letters, digits, . _ : -)."))
        }
        if !SubmissionLimits.perHourRange.contains(d.limits.perHour) {
            issues.append(FieldIssue(field: "limits.perHour", code: "outOfRange", message: "Between 1 and 500 per hour."))
        }
        if !SubmissionLimits.perDayRange.contains(d.limits.perDay) || d.limits.perDay < d.limits.perHour {
            issues.append(FieldIssue(field: "limits.perDay", code: "outOfRange", message: "Between the hourly limit and 5,000 per day."))
        }
        if d.questions.count > maxQuestions {
            issues.append(FieldIssue(field: "questions", code: "tooMany", message: "At most \(maxQuestions) questions."))
        }
        if Set(d.questions.map(\.id)).count != d.questions.count {
            issues.append(FieldIssue(field: "questions", code: "duplicateId", message: "Two questions have the same id."))
        }
        for (index, question) in d.questions.enumerated() {
            validate(question, at: "questions[\(index)]", english: english, into: &issues)
        }
        return issues
    }

    static func validate(_ q: PanelQuestion, at path: String, english: Bool, into issues: inout [FieldIssue]) {
        check(q.prompt, "\(path).prompt", promptLength, english: english, into: &issues)
        if let help = q.help { check(help, "\(path).help", 1...helpMaxLength, english: english, multiline: true, into: &issues) }
        switch q.kind {
        case .scale(let labels):
            if labels.count != PanelQuestion.scalePoints.count {
                issues.append(FieldIssue(field: "\(path).labels", code: "count", message: "A label for each of the five points."))
            }
            for (i, label) in labels.enumerated() { check(label, "\(path).labels[\(i)]", scaleLabelLength, english: english, into: &issues) }
        case .singleChoice(let options):
            validate(options, at: path, english: english, into: &issues)
        case .multipleChoice(let options, let min, let max):
            validate(options, at: path, english: english, into: &issues)
            if min < 0 || max < 1 || min > max || max > options.count {
                issues.append(FieldIssue(field: "\(path).max", code: "outOfRange",
                                         message: "At least 0 and at most as many choices as there are options, the minimum not above the maximum."))
            }
        case .freeText(let maxLength):
            if !freeTextMaxLength.contains(maxLength) {
                issues.append(FieldIssue(field: "\(path).maxLength", code: "outOfRange", message: "Between 1 and 4,000 characters."))
            }
        }
    }

    static func validate(_ options: [ChoiceOption], at path: String, english: Bool, into issues: inout [FieldIssue]) {
        if !optionCount.contains(options.count) {
            issues.append(FieldIssue(field: "\(path).options", code: "count", message: "Between 2 and 20 options."))
        }
        let keyCharacters = Set("abcdefghijklmnopqrstuvwxyz0123456789-")
        var seen = Set<String>()
        for (i, option) in options.enumerated() {
            if !(1...32).contains(option.key.count) || !option.key.allSatisfy({ keyCharacters.contains($0) }) {
                issues.append(FieldIssue(field: "\(path).options[\(i)].key", code: "invalid", message: "Lower-case letters, digits and hyphens, up to 32."))
            } else if !seen.insert(option.key).inserted {
                issues.append(FieldIssue(field: "\(path).options[\(i)].key", code: "duplicate", message: "Two options have the same key."))
            }
            check(option.label, "\(path).options[\(i)].label", optionLabelLength, english: english, into: &issues)
        }
    }

    /// A German text within `length`; when the panel offers English, the English one too.
    static func check(_ text: PanelText, _ field: String, _ length: ClosedRange<Int>, english: Bool, multiline: Bool = false,
                      into issues: inout [FieldIssue]) {
        var versions: [(String, String?)] = [("de", text.de)]
        if english || text.en != nil { versions.append(("en", text.en)) }
        for (language, value) in versions {
            guard let value, !value.isEmpty else {
                if language == "de" || english {
                    issues.append(FieldIssue(field: "\(field).\(language)", code: "required", message: "Required."))
                }
                continue
            }
            if !length.contains(value.count) {
                issues.append(FieldIssue(field: "\(field).\(language)", code: "length", message: "Between \(length.lowerBound) and \(length.upperBound) characters."))
            }
            if TextChecks.hasControlCharacters(value, allowLineBreaks: multiline) {
                issues.append(FieldIssue(field: "\(field).\(language)", code: "invalidCharacters", message: "Contains control characters."))
            }
        }
    }
}

/// Small text checks shared by the panel rules.
enum TextChecks {
    /// Control characters other than line breaks and tabs (when allowed) hide text from
    /// readers and break CSV exports.
    static func hasControlCharacters(_ text: String, allowLineBreaks: Bool) -> Bool {
        text.unicodeScalars.contains { scalar in
            guard scalar.properties.generalCategory == .control else { return false }
            return !(allowLineBreaks && (scalar == "\n" || scalar == "\r" || scalar == "\t"))
        }
    }

    /// Trims, turns CRLF into LF; `nil` when nothing is left.
    static func cleaned(_ text: String?) -> String? {
        guard let text else { return nil }
        let value = text.replacingOccurrences(of: "\r\n", with: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
        return value.isEmpty ? nil : value
    }
}
