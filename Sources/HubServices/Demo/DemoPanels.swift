import Foundation
import HubCore

/// The demo's feedback panel: parents asked about the draft "Mehrsprachige Elterninformation
/// in Kitas", open for four weeks, pre-moderated, with a few answers (three approved, one
/// waiting) and one response. Demo answers have no receipt and no fingerprint: nobody holds
/// a code for them.
enum DemoPanels {
    static let title = "Mehrsprachige Elterninformation in Kitas"

    static func changes(deps: ServiceDependencies, workspace: WorkspaceID, recommendation: Recommendation, coordinator: UserID) -> ([Change], [DomainEvent]) {
        let now = deps.clock.now()
        let today = deps.today
        func text(_ de: String, _ en: String) -> PanelText { PanelText(de: de, en: en) }
        let usefulness = PanelQuestion(
            id: QuestionID(deps.ids.uuid()), prompt: text("Wie hilfreich wären Informationen in Ihrer Sprache?", "How helpful would information in your language be?"),
            required: true, kind: .scale(labels: [text("gar nicht", "not at all"), text("wenig", "a little"), text("teils", "partly"),
                                                  text("ziemlich", "quite"), text("sehr", "very")]))
        let channel = PanelQuestion(
            id: QuestionID(deps.ids.uuid()), prompt: text("Wie möchten Sie informiert werden?", "How would you like to be informed?"),
            kind: .multipleChoice(options: [ChoiceOption(key: "elternabend", label: text("Elternabend mit Dolmetschung", "Parents' evening with interpreting")),
                                            ChoiceOption(key: "handzettel", label: text("Handzettel", "Leaflet")),
                                            ChoiceOption(key: "app", label: text("Nachricht aufs Handy", "Message to my phone"))], min: 0, max: 3))
        let wishes = PanelQuestion(id: QuestionID(deps.ids.uuid()), prompt: text("Was wünschen Sie sich noch?", "What else would you like?"),
                                   kind: .freeText(maxLength: 1000))
        let panel = FeedbackPanel(
            id: PanelID(deps.ids.uuid()), workspaceID: workspace, subject: .recommendation(recommendation.id), status: .open,
            title: text("Elterninformation in vielen Sprachen – Ihre Meinung", "Information for parents in many languages – your view"),
            audience: text("Eltern von Kita-Kindern im Kreis", "Parents of children in day care in the district"),
            summary: text("Die Fokusgruppe Integration möchte Eltern über Sprachförderung in ihrer Sprache informieren. Sagen Sie uns, was Ihnen hilft.",
                          "The Integration focus group wants to inform parents about language support in their own language. Tell us what helps you."),
            easyReadSummary: PanelText(de: "Es geht um Ihr Kind in der Kita. Wir wollen Ihnen Dinge in Ihrer Sprache sagen. Was hilft Ihnen?"),
            offersEnglish: true, opensOn: today.adding(days: -7), closesOn: today.adding(days: 21), questions: [usefulness, channel, wishes],
            sections: [.goals], access: .publicLink, moderation: .pre, retentionDays: PanelRules.defaultRetentionDays, publicResponses: true,
            consentVersion: "2026-1", limits: .standard, createdBy: coordinator, createdAt: now.addingTimeInterval(-8 * 86_400),
            updatedAt: now.addingTimeInterval(-7 * 86_400), version: 2)
        var changes: [Change] = [.panel(.insertPanel(panel))]
        let answers: [(Int, [String], String?, Int?, String?, SubmissionStatus)] = [
            (5, ["elternabend", "app"], "Am liebsten auf Arabisch und Türkisch, und bitte nicht nur schriftlich.", 5, "Richtig so.", .visible),
            (4, ["handzettel"], nil, 4, nil, .visible),
            (3, ["app"], "Die Kita-App gibt es schon, da könnte das hinein.", 3, "Wer übersetzt?", .visible),
            (5, ["elternabend"], "Danke, dass Sie fragen!", nil, nil, .pending),
        ]
        var first: PanelSubmission?
        for (index, (scale, channels, wish, rating, comment, status)) in answers.enumerated() {
            let at = now.addingTimeInterval(Double(-(6 - index)) * 86_400)
            var content = SubmissionContent(answers: [PanelAnswer(questionID: usefulness.id, value: .scale(scale)),
                                                      PanelAnswer(questionID: channel.id, value: .choices(channels))])
            if let wish { content.answers.append(PanelAnswer(questionID: wishes.id, value: .text(wish))) }
            if rating != nil || comment != nil { content.sections = [SectionFeedback(section: .goals, rating: rating, comment: comment)] }
            let submission = PanelSubmission(
                id: SubmissionID(deps.ids.uuid()), panelID: panel.id, content: content, pseudonym: index == 0 ? "Elternbeirat" : nil, email: nil,
                language: .de, consent: ConsentRecord(version: "2026-1", givenAt: at), receiptDigest: nil, fingerprint: nil, status: status,
                moderation: status == .visible ? ModerationNote(decision: .approved, reason: nil, moderatorID: coordinator, at: at.addingTimeInterval(3600)) : nil,
                receivedAt: at, updatedAt: at, version: status == .visible ? 2 : 1)
            if first == nil { first = submission }
            changes.append(.panel(.insertSubmission(submission)))
        }
        if let first {
            changes.append(.panel(.putResponse(PanelResponse(
                submissionID: first.id, panelID: panel.id,
                text: "Danke! Wir planen Elternabende mit Dolmetschung in Arabisch und Türkisch und nehmen die Kita-App als zweiten Weg auf.",
                changedRevision: 1, authorID: coordinator, createdAt: now.addingTimeInterval(-86_400), updatedAt: now.addingTimeInterval(-86_400), version: 1),
                expectedVersion: nil)))
        }
        return (changes, [.panel(.panelCreated(panel))])
    }
}
