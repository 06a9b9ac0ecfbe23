import Foundation
import HubCore
import Testing

@Suite("Feedback panels: results and exports")
struct FeedbackPanelResultsTests {
    typealias F = PanelFixture

    static func a(_ q: QuestionID, _ v: AnswerValue) -> PanelAnswer { PanelAnswer(questionID: q, value: v) }

    /// Three visible items, one pending, one hidden, one withdrawn, and one of another panel.
    static func fixedSet() -> [PanelSubmission] {
        [
            F.item(.visible, content: SubmissionContent(
                answers: [a(F.qScale, .scale(5)), a(F.qSingle, .choice("bus")), a(F.qMulti, .choices(["ar", "tr"])), a(F.qText, .text("A"))],
                sections: [SectionFeedback(section: .goals, rating: 4, comment: "gut")]), pseudonym: "Mira", email: "m@example.org", at: F.now),
            F.item(.visible, content: SubmissionContent(
                answers: [a(F.qScale, .scale(3)), a(F.qSingle, .choice("auto")), a(F.qMulti, .choices(["ar"]))],
                sections: [SectionFeedback(section: .goals, rating: 2, comment: nil), SectionFeedback(section: .measures, rating: nil, comment: "mehr")]),
                   at: F.now.addingTimeInterval(60)),
            F.item(.visible, content: SubmissionContent(answers: [a(F.qScale, .scale(3)), a(F.qText, .text("B"))],
                                                        sections: [SectionFeedback(section: .measures, rating: 5, comment: nil)]),
                   at: F.now.addingTimeInterval(120)),
            F.item(.pending, content: SubmissionContent(answers: [a(F.qScale, .scale(1)), a(F.qSingle, .choice("bus"))])),
            F.item(.hidden, content: SubmissionContent(answers: [a(F.qScale, .scale(1))])),
            F.item(.withdrawn, content: SubmissionContent()),
            F.item(.visible, panel: PanelID(UUID()), content: SubmissionContent(answers: [a(F.qScale, .scale(1))])),
        ]
    }

    static func counts(_ buckets: [ResultBucket]) -> [String: Int] {
        Dictionary(uniqueKeysWithValues: buckets.map { ($0.value, $0.count) })
    }

    @Test("Aggregation counts visible items only: distributions, means, skips, texts")
    func aggregate() {
        let r = PanelAggregation.results(F.panel(), submissions: Self.fixedSet())
        #expect(r.visibleCount == 3 && r.pendingCount == 1 && r.hiddenCount == 1)
        #expect(r.questions.map(\.questionID) == [F.qScale, F.qSingle, F.qMulti, F.qText])
        let scale = r.questions[0]
        #expect(scale.buckets.map(\.value) == ["1", "2", "3", "4", "5"] && scale.buckets.map(\.count) == [0, 0, 2, 0, 1])
        #expect(scale.answered == 3 && scale.skipped == 0 && abs((scale.mean ?? 0) - 11.0 / 3) < 1e-12 && scale.buckets[2].label.de == "mittel")
        let single = r.questions[1]
        #expect(single.buckets.map(\.value) == ["bus", "auto", "fuss"] && single.buckets.map(\.count) == [1, 1, 0])
        #expect(single.answered == 2 && single.skipped == 1 && single.mean == nil)
        #expect(r.questions[2].buckets.map(\.count) == [2, 1, 0, 0] && r.questions[2].answered == 2)
        #expect(r.questions[3].buckets.isEmpty && r.questions[3].textCount == 2 && r.questions[3].answered == 2 && r.questions[3].kind == "freeText")
        #expect(r.sections.map(\.section) == [.goals, .measures])
        #expect(Self.counts(r.sections[0].buckets) == ["1": 0, "2": 1, "3": 0, "4": 1, "5": 0] && r.sections[0].mean == 3 && r.sections[0].commentCount == 1)
        #expect(r.sections[1].rated == 1 && r.sections[1].mean == 5 && r.sections[1].commentCount == 1)
        #expect(r.sections[0].buckets[4].label.de == "Stimme voll zu")
    }

    @Test("The order of the input does not matter")
    func deterministic() {
        var g = F.Generator(state: 42)
        let base = PanelAggregation.results(F.panel(), submissions: Self.fixedSet())
        let set = Self.fixedSet()
        for _ in 0..<20 {
            #expect(PanelAggregation.results(F.panel(), submissions: set.shuffled(using: &g)) == base)
            #expect(PanelExport.itemTable(F.panel(), submissions: set.shuffled(using: &g), language: .de).rows
                == PanelExport.itemTable(F.panel(), submissions: set, language: .de).rows)
        }
    }

    @Test("No visible items: zero counts, no means")
    func empty() {
        let r = PanelAggregation.results(F.panel(), submissions: [])
        #expect(r.visibleCount == 0 && r.questions[0].mean == nil && r.questions[0].buckets.map(\.count) == [0, 0, 0, 0, 0])
        #expect(PanelExport.summaryRows(r, language: .de)[0].mean == "")
    }

    @Test("Distribution rows: one per bar, questions then sections, with the denominator")
    func resultRows() {
        let rows = PanelExport.resultRows(PanelAggregation.results(F.panel(), submissions: Self.fixedSet()), language: .de)
        #expect(rows.count == 5 + 3 + 4 + 0 + 5 + 5)
        #expect(rows[0].fields == ["question", F.qScale.description, "Wie hilfreich wären Lotsen?", "1", "sehr schlecht", "0", "3"])
        #expect(rows[5].fields == ["question", F.qSingle.description, "Wie kommen Sie zum Amt?", "bus", "Option bus", "1", "2"])
        #expect(rows[12].fields == ["section", "goals", "Ziele", "1", "Stimme gar nicht zu", "0", "2"])
        #expect(ResultRow.header.count == rows[0].fields.count)
        let english = PanelExport.resultRows(PanelAggregation.results(F.panel(), submissions: Self.fixedSet()), language: .en)
        #expect(english[0].subjectLabel == "How helpful would guides be?" && english[12].subjectLabel == "Goals" && english[12].valueLabel == "Do not agree at all")
    }

    @Test("Summary rows: answered, skipped, the mean with two decimals, texts")
    func summaryRows() {
        let rows = PanelExport.summaryRows(PanelAggregation.results(F.panel(), submissions: Self.fixedSet()), language: .de)
        #expect(rows.map(\.fields) == [
            ["question", F.qScale.description, "Wie hilfreich wären Lotsen?", "scale", "3", "0", "3.67", "0"],
            ["question", F.qSingle.description, "Wie kommen Sie zum Amt?", "singleChoice", "2", "1", "", "0"],
            ["question", F.qMulti.description, "Welche Sprachen?", "multipleChoice", "2", "1", "", "0"],
            ["question", F.qText.description, "Was fehlt?", "freeText", "2", "1", "", "2"],
            ["section", "goals", "Ziele", "sectionRating", "2", "1", "3.00", "1"],
            ["section", "measures", "Maßnahmen", "sectionRating", "1", "2", "5.00", "1"],
        ])
        #expect(SummaryRow.header.count == rows[0].fields.count)
    }

    @Test("The item table is anonymous: numbered rows, the day only, no pseudonym or address")
    func itemTable() {
        let (header, rows) = PanelExport.itemTable(F.panel(), submissions: Self.fixedSet(), language: .de)
        #expect(header == ["item", "receivedOn", "Q1: Wie hilfreich wären Lotsen?", "Q2: Wie kommen Sie zum Amt?", "Q3: Welche Sprachen?", "Q4: Was fehlt?",
                           "Ziele: Bewertung", "Ziele: Kommentar", "Maßnahmen: Bewertung", "Maßnahmen: Kommentar"])
        #expect(rows == [
            ["1", "2026-05-04", "5", "bus", "ar;tr", "A", "4", "gut", "", ""],
            ["2", "2026-05-04", "3", "auto", "ar", "", "2", "", "", "mehr"],
            ["3", "2026-05-04", "3", "", "", "B", "", "", "5", ""],
        ])
        #expect(!"\(rows)".contains("Mira") && !"\(rows)".contains("example.org"))
    }

    @Test("Results round-trip through JSON")
    func codable() throws {
        let r = PanelAggregation.results(F.panel(), submissions: Self.fixedSet())
        #expect(try JSONDecoder().decode(PanelResults.self, from: JSONEncoder().encode(r)) == r)
    }
}
