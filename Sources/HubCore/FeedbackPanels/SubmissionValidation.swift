import Foundation

/// What a submitter sends: answers, section feedback, and optionally how to address and
/// notify them. The transport turns form fields into typed values by question kind.
public struct SubmissionInput: Sendable, Hashable {
    public var answers: [PanelAnswer]
    public var sections: [SectionFeedback]
    public var pseudonym: String?
    public var email: String?

    public init(answers: [PanelAnswer] = [], sections: [SectionFeedback] = [], pseudonym: String? = nil, email: String? = nil) {
        self.answers = answers
        self.sections = sections
        self.pseudonym = pseudonym
        self.email = email
    }
}

/// A submission input checked against the panel and brought into canonical form.
public struct NormalizedSubmission: Sendable, Hashable {
    public let content: SubmissionContent
    public let pseudonym: String?
    public let email: String?
}

/// Checks answers against the panel's questions. Skipping is always allowed except for
/// required questions; an empty text, an empty selection or an absent answer all count as
/// skipped, so that a form posting empty fields means the same as one that leaves them out.
public enum SubmissionValidation {
    public static let pseudonymMaxLength = 40
    public static let sectionCommentMaxLength = 2000
    public static let emailMaxLength = 254

    /// Validates and normalizes; field names are `answers[<questionId>]`, `sections[<section>].rating`,
    /// `pseudonym`, `email`.
    public static func normalize(_ input: SubmissionInput, for panel: FeedbackPanel) throws(DomainError) -> NormalizedSubmission {
        var issues: [FieldIssue] = []
        var given: [QuestionID: AnswerValue] = [:]
        for answer in input.answers {
            let field = "answers[\(answer.questionID)]"
            if !panel.questions.contains(where: { $0.id == answer.questionID }) {
                issues.append(FieldIssue(field: field, code: "unknown", message: "The panel has no such question."))
            } else if given.updateValue(answer.value, forKey: answer.questionID) != nil {
                issues.append(FieldIssue(field: field, code: "duplicate", message: "Answered twice."))
            }
        }
        var answers: [PanelAnswer] = []
        for question in panel.questions {
            let field = "answers[\(question.id)]"
            let before = issues.count
            if let value = given[question.id].flatMap({ normalized($0, for: question, field: field, into: &issues) }) {
                answers.append(PanelAnswer(questionID: question.id, value: value))
            } else if question.required && issues.count == before {
                issues.append(FieldIssue(field: field, code: "required", message: "Please answer this question."))
            }
        }
        let sections = normalized(input.sections, for: panel, into: &issues)
        let content = SubmissionContent(answers: answers, sections: sections)
        if content.isEmpty && issues.isEmpty {
            issues.append(FieldIssue(field: "answers", code: "empty", message: "Answer at least one question or comment on one part."))
        }
        let pseudonym = input.pseudonym.map { $0.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ") }.flatMap { $0.isEmpty ? nil : $0 }
        if let pseudonym {
            if pseudonym.count > pseudonymMaxLength {
                issues.append(FieldIssue(field: "pseudonym", code: "tooLong", message: "At most \(pseudonymMaxLength) characters."))
            }
            if TextChecks.hasControlCharacters(pseudonym, allowLineBreaks: false) {
                issues.append(FieldIssue(field: "pseudonym", code: "invalidCharacters", message: "Contains control characters."))
            }
        }
        var email: String?
        if let raw = TextChecks.cleaned(input.email) {
            if raw.count > emailMaxLength {
                issues.append(FieldIssue(field: "email", code: "tooLong", message: "At most \(emailMaxLength) characters."))
            } else {
                do throws(DomainError) {
                    email = try InvitationRules.normalizedEmail(raw, field: "email")
                } catch {
                    issues += error.fields
                }
            }
        }
        guard issues.isEmpty else { throw .validation(issues) }
        return NormalizedSubmission(content: content, pseudonym: pseudonym, email: email)
    }

    /// The canonical answer, or `nil` when skipped or invalid (then an issue is recorded).
    static func normalized(_ value: AnswerValue, for question: PanelQuestion, field: String, into issues: inout [FieldIssue]) -> AnswerValue? {
        func issue(_ code: String, _ message: String) -> AnswerValue? {
            issues.append(FieldIssue(field: field, code: code, message: message))
            return nil
        }
        switch (question.kind, value) {
        case (.scale, .scale(let point)):
            return PanelQuestion.scalePoints.contains(point) ? .scale(point) : issue("outOfRange", "Choose a point from 1 to 5.")
        case (.singleChoice(let options), .choice(let raw)):
            let key = raw.trimmingCharacters(in: .whitespaces)
            if key.isEmpty { return nil }
            return options.contains(where: { $0.key == key }) ? .choice(key) : issue("unknownOption", "Not one of the options.")
        case (.multipleChoice(let options, let min, let max), .choices(let raw)):
            let keys = Set(raw.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
            if keys.isEmpty { return nil }
            if !keys.isSubset(of: options.map(\.key)) { return issue("unknownOption", "Not one of the options.") }
            if keys.count < min { return issue("tooFew", "Choose at least \(min).") }
            if keys.count > max { return issue("tooMany", "Choose at most \(max).") }
            return .choices(options.map(\.key).filter { keys.contains($0) })
        case (.freeText(let maxLength), .text(let raw)):
            guard let text = TextChecks.cleaned(raw) else { return nil }
            if text.count > maxLength { return issue("tooLong", "At most \(maxLength) characters.") }
            if TextChecks.hasControlCharacters(text, allowLineBreaks: true) { return issue("invalidCharacters", "Contains control characters.") }
            return .text(text)
        default:
            return issue("wrongType", "This answer does not fit the question.")
        }
    }

    static func normalized(_ given: [SectionFeedback], for panel: FeedbackPanel, into issues: inout [FieldIssue]) -> [SectionFeedback] {
        var accepted: [ProfileSection: SectionFeedback] = [:]
        var seen = Set<ProfileSection>()
        for feedback in given {
            let field = "sections[\(feedback.section.rawValue)]"
            guard panel.sections.contains(feedback.section) else {
                issues.append(FieldIssue(field: field, code: "notAsked", message: "The panel does not ask about this part."))
                continue
            }
            guard seen.insert(feedback.section).inserted else {
                issues.append(FieldIssue(field: field, code: "duplicate", message: "Given twice."))
                continue
            }
            var ok = true
            if let rating = feedback.rating, !PanelQuestion.scalePoints.contains(rating) {
                issues.append(FieldIssue(field: "\(field).rating", code: "outOfRange", message: "Choose a point from 1 to 5."))
                ok = false
            }
            let comment = TextChecks.cleaned(feedback.comment)
            if let comment, comment.count > sectionCommentMaxLength {
                issues.append(FieldIssue(field: "\(field).comment", code: "tooLong", message: "At most \(sectionCommentMaxLength) characters."))
                ok = false
            }
            if let comment, TextChecks.hasControlCharacters(comment, allowLineBreaks: true) {
                issues.append(FieldIssue(field: "\(field).comment", code: "invalidCharacters", message: "Contains control characters."))
                ok = false
            }
            if ok && (feedback.rating != nil || comment != nil) {
                accepted[feedback.section] = SectionFeedback(section: feedback.section, rating: feedback.rating, comment: comment)
            }
        }
        return panel.sections.compactMap { accepted[$0] }
    }
}
