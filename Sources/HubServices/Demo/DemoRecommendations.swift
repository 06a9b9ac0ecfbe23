import Foundation
import HubCore

/// Demo recommendations: the 2023 catalogue with the steering group's ratings as recorded in
/// its minutes of 12 May 2023 (titles and ratings from the seeds; the profile texts are
/// written for the demo), one finished 2026 recommendation awaiting its rating in an open
/// round, and drafts in progress.
enum DemoRecommendations {
    struct Seed {
        let workspace: String
        let profile: RecommendationProfile
        /// nil: still a draft.
        let finished: (Date, CatalogueReference)?
        let consensus: (RatingLevel, String)?
    }

    static func date(_ text: String) -> Date { WireJSON.parseInstant(text + "T10:00:00.000Z")! }

    static func profile(_ title: String, fields: [String], situation: String, data: String, goals: String, measures: String, groups: String,
                        responsible: String, fte: Double?, months: Int?, euro: Int?, years: [Int], impact: [ImpactKind],
                        indicator: IndicatorSpec?, timeline: String, ids: [String: PolicyFieldID]) -> RecommendationProfile {
        RecommendationProfile(title: title, policyFieldIDs: fields.compactMap { ids[$0] }, situation: situation, dataBasis: data, goals: goals,
                              measures: measures, targetGroups: groups, responsibleBody: responsible,
                              resources: Resources(personnelFTE: fte, durationMonths: months, moneyEuroPerYear: euro, note: ""),
                              budgetYears: years, impactKinds: impact, indicators: indicator.map { [$0] } ?? [], timeline: timeline)
    }

    static func seeds(_ f: [String: PolicyFieldID], today: LocalDate) -> [Seed] {
        let y2023 = date("2023-04-20")
        return [
            Seed(workspace: "Integration", profile: profile(
                "Sprachstandserhebung von Kindern in Kindertageseinrichtungen", fields: ["education", "integration"],
                situation: "Sprachförderbedarf wird oft erst bei der **Schuleingangsuntersuchung** sichtbar – zu spät für gezielte Förderung.",
                data: "Schuleingangsuntersuchungen 2019–2022: Anteil der Kinder mit Förderbedarf in der deutschen Sprache je Planungsraum.",
                goals: "Sprachförderbedarf aller Kinder ab vier Jahren in Kitas frühzeitig erkennen.",
                measures: "- Einheitliches Verfahren zur Sprachstandserhebung in allen Kitas\n- Schulung der Fachkräfte\n- Förderangebote vor Ort",
                groups: "Kinder ab vier Jahren in Kindertageseinrichtungen und ihre Eltern", responsible: "Fachdienst Kindertagesbetreuung mit den Kita-Trägern",
                fte: 1.5, months: 18, euro: 95_000, years: [2024], impact: [.structural, .financial],
                indicator: IndicatorSpec(name: "Kitas mit einheitlicher Sprachstandserhebung", unit: "%", baseline: 15, target: 90, direction: .increase,
                                         source: "Kita-Bedarfsplanung"),
                timeline: "2024: Verfahren und Schulungen; ab 2025: flächendeckend", ids: f),
                 finished: (y2023, CatalogueReference(year: 2023, number: 1)),
                 consensus: (.highlyRelevant, "Frühe Sprachförderung wirkt in viele Handlungsfelder; in das Planungsdossier aufgenommen.")),
            Seed(workspace: "Integration", profile: profile(
                "Ausweitung des Modellprojekts Rucksack Kita an mindestens einem weiteren Standort im Kreis", fields: ["education", "integration"],
                situation: "Das Programm *Rucksack Kita* stärkt Eltern mit Einwanderungsgeschichte in der Sprachbildung ihrer Kinder; es läuft an einem Standort.",
                data: "Auswertung des Modellstandorts: Teilnahme von Eltern und Rückmeldungen der Kita-Fachkräfte.",
                goals: "Mehr Familien erreichen; Mehrsprachigkeit als Ressource nutzen.", measures: "Einen zweiten Standort einrichten und Elternbegleiterinnen qualifizieren.",
                groups: "Eltern mit Einwanderungsgeschichte und ihre Kinder im Kita-Alter", responsible: "Fachdienst Integration",
                fte: 0.5, months: 12, euro: 30_000, years: [2024], impact: [.ideational, .financial],
                indicator: IndicatorSpec(name: "Teilnehmende Familien", unit: "Anzahl", baseline: 18, target: 40, direction: .increase, source: "Programmträger"),
                timeline: "2024: zweiter Standort", ids: f),
                 finished: (y2023, CatalogueReference(year: 2023, number: 2)),
                 consensus: (.relevant, "Bewährtes Programm; Ausweitung ist steuerungsrelevant.")),
            Seed(workspace: "Planungsteam Interkommunale Zusammenarbeit", profile: profile(
                "Konzeptentwicklung Interkommunale Zusammenarbeit / Zweckverband Soziales", fields: ["social-infrastructure"],
                situation: "Kleine Gemeinden können soziale Angebote allein kaum vorhalten.",
                data: "Bestandsaufnahme der sozialen Infrastruktur in den 49 Kommunen.",
                goals: "Soziale Angebote gemeinsam planen und tragen.", measures: "Ein Konzept für einen Zweckverband Soziales erarbeiten.",
                groups: "Kommunen und ihre Einwohnerinnen und Einwohner", responsible: "Planungsteam Kreis/Kommunen",
                fte: 1, months: 24, euro: 60_000, years: [2024, 2025], impact: [.structural],
                indicator: IndicatorSpec(name: "Beteiligte Kommunen", unit: "Anzahl", baseline: 2, target: 10, direction: .increase, source: "Kreisverwaltung"),
                timeline: "2024–2025: Konzept; 2026: Entscheidung", ids: f),
                 finished: (y2023, CatalogueReference(year: 2023, number: 3)),
                 consensus: (.highlyRelevant, "Grundlage für die Zusammenarbeit von Kreis und Kommunen.")),
            Seed(workspace: "Teilhabe", profile: profile(
                "Bekenntnis der Kreispolitik zur Istanbul-Konvention", fields: ["social-infrastructure"],
                situation: "Die Istanbul-Konvention verpflichtet zu Schutz und Prävention bei Gewalt gegen Frauen.",
                data: "Fallzahlen der Beratungsstellen und des Frauenhauses.", goals: "Ein sichtbares politisches Bekenntnis und seine Umsetzung.",
                measures: "Beschluss des Kreistags; jährlicher Bericht.", groups: "Von Gewalt betroffene Frauen und ihre Kinder",
                responsible: "Gleichstellungsbeauftragte", fte: 0.1, months: 6, euro: 0, years: [2024], impact: [.ideational],
                indicator: IndicatorSpec(name: "Jahresbericht vorgelegt", unit: "ja/nein", baseline: 0, target: 1, direction: .increase, source: "Kreistag"),
                timeline: "2023: Beschluss", ids: f),
                 finished: (y2023, CatalogueReference(year: 2023, number: 4)), consensus: (.relevant, "Steuerungsrelevant; in das Dossier aufgenommen.")),
            Seed(workspace: "Teilhabe", profile: profile(
                "Mittelgewährung in Verbindung mit Gewaltschutzkonzepten", fields: ["social-infrastructure"],
                situation: "Nicht alle geförderten Einrichtungen haben ein Gewaltschutzkonzept.", data: "Abfrage bei geförderten Trägern.",
                goals: "Gewaltschutz in allen geförderten Einrichtungen.", measures: "Förderung an ein Gewaltschutzkonzept knüpfen; Beratung der Träger.",
                groups: "Nutzerinnen und Nutzer sozialer Einrichtungen", responsible: "Fachdienst Soziales", fte: 0.3, months: 12, euro: 10_000,
                years: [2024], impact: [.structural],
                indicator: IndicatorSpec(name: "Geförderte Träger mit Konzept", unit: "%", baseline: 40, target: 100, direction: .increase, source: "Förderstatistik"),
                timeline: "2024: Förderrichtlinie angepasst", ids: f),
                 finished: (y2023, CatalogueReference(year: 2023, number: 5)), consensus: (.relevant, "Steuerungsrelevant; in das Dossier aufgenommen.")),
            Seed(workspace: "Altenhilfe und Pflege", profile: profile(
                "Übernahme der ÖPNV-Fahrtkosten für Auszubildende zur Pflegeassistenz", fields: ["medical-care-nursing", "mobility", "work"],
                situation: "Auszubildende in der Pflegeassistenz haben lange Wege zu Schule und Praxis.", data: "Befragung der Pflegeschulen.",
                goals: "Mehr Auszubildende gewinnen und halten.", measures: "Fahrtkosten im ÖPNV übernehmen.", groups: "Auszubildende zur Pflegeassistenz",
                responsible: "Fachdienst Senioren und Pflege", fte: 0.1, months: 12, euro: 45_000, years: [2024], impact: [.financial],
                indicator: IndicatorSpec(name: "Ausbildungsabbrüche", unit: "%", baseline: 30, target: 20, direction: .decrease, source: "Pflegeschulen"),
                timeline: "2024", ids: f),
                 finished: (y2023, CatalogueReference(year: 2023, number: 6)),
                 consensus: (.lessRelevant, "Wichtiges Anliegen, aber eine Einzelmaßnahme; nicht in das Dossier aufgenommen.")),
            Seed(workspace: "Integration", profile: profile(
                "Ämterlotsinnen/Ämterlotsen", fields: ["integration", "poverty"],
                situation: "Zugewanderte finden sich in Behörden und Antragsverfahren schwer zurecht.", data: "Rückmeldungen der Migrationsberatung.",
                goals: "Zugang zu Leistungen erleichtern.", measures: "Ehrenamtliche Lotsinnen und Lotsen qualifizieren und begleiten.",
                groups: "Zugewanderte Menschen", responsible: "Fachdienst Integration mit freien Trägern", fte: 0.5, months: 12, euro: 25_000,
                years: [2024], impact: [.structural, .ideational],
                indicator: IndicatorSpec(name: "Begleitete Behördengänge", unit: "Anzahl", baseline: 0, target: 300, direction: .increase, source: "Träger"),
                timeline: "2024: Start in drei Städten", ids: f),
                 finished: (y2023, CatalogueReference(year: 2023, number: 7)), consensus: (.relevant, "Steuerungsrelevant; in das Dossier aufgenommen.")),
            // 2026: finished, awaiting the steering group's rating.
            Seed(workspace: "AG §78 Hilfen zur Erziehung", profile: profile(
                "Schulsozialarbeit an Grundschulen ausbauen", fields: ["education", "poverty"],
                situation: "Belastungen von Kindern zeigen sich früh in der Grundschule; Schulsozialarbeit gibt es bisher vor allem an weiterführenden Schulen.",
                data: "Meldungen nach §8a SGB VIII und Hilfen zur Erziehung nach Altersgruppen, 2021–2025.",
                goals: "Kinder und Familien früh erreichen, bevor Hilfen zur Erziehung nötig werden.",
                measures: "Schulsozialarbeit an zehn weiteren Grundschulen; Kooperation mit Jugendhilfe und Kitas.",
                groups: "Grundschulkinder und ihre Familien", responsible: "Fachdienst Jugend mit den Schulträgern", fte: 5, months: 24, euro: 380_000,
                years: [2027, 2028], impact: [.structural, .financial],
                indicator: IndicatorSpec(name: "Grundschulen mit Schulsozialarbeit", unit: "Anzahl", baseline: 6, target: 16, direction: .increase,
                                         source: "Schulentwicklungsplanung"),
                timeline: "2027: fünf Schulen; 2028: zehn Schulen", ids: f),
                 finished: (date("\(today.year)-03-10"), CatalogueReference(year: today.year, number: 1)), consensus: nil),
            // Drafts in progress.
            Seed(workspace: "Integration", profile: profile(
                "Mehrsprachige Elterninformation in Kitas", fields: ["integration", "education"],
                situation: "Eltern mit geringen Deutschkenntnissen erfahren wenig über Sprachförderangebote.", data: "",
                goals: "Eltern in ihrer Sprache über Sprachförderung informieren.", measures: "", groups: "Eltern mit Einwanderungsgeschichte",
                responsible: "", fte: nil, months: nil, euro: nil, years: [], impact: [], indicator: nil, timeline: "", ids: f),
                 finished: nil, consensus: nil),
            Seed(workspace: "Planungsteam Interkommunale Zusammenarbeit", profile: profile(
                "Mobilitätsangebote für ältere Menschen in den Gemeinden", fields: ["mobility", "medical-care-nursing"],
                situation: "In ländlichen Gemeinden fehlen Wege zu Ärztinnen, Ärzten und Einkauf ohne eigenes Auto.", data: "Seniorenbefragung 2025.",
                goals: "Ältere Menschen bleiben mobil und selbstständig.", measures: "Bürgerbusse und Rufbusse gemeinsam mit den Kommunen planen.",
                groups: "Ältere Menschen in ländlichen Gemeinden", responsible: "Planungsteam Kreis/Kommunen", fte: 1, months: 18, euro: 150_000,
                years: [2027], impact: [.structural, .financial],
                indicator: IndicatorSpec(name: "Gemeinden mit Bürger- oder Rufbus", unit: "Anzahl", baseline: 4, target: 12, direction: .increase,
                                         source: "ÖPNV-Aufgabenträger"),
                timeline: "2027: Pilot in zwei Gemeinden", ids: f),
                 finished: nil, consensus: nil),
        ]
    }

    /// Demo implementation reports of the 2023 recommendations, by catalogue number.
    static let progress: [Int: [(String, ImplementationStatus, Double, String)]] = [
        1: [("2024-10-15", .inProgress, 55, "Verfahren eingeführt, Schulungen laufen."),
            ("2025-10-20", .inProgress, 72, "Zwei Drittel der Kitas arbeiten mit dem Verfahren.")],
        2: [("2024-11-05", .inProgress, 31, "Zweiter Standort eröffnet."), ("2025-11-03", .implemented, 44, "Ziel erreicht; das Programm läuft weiter.")],
    ]

    /// The change set that loads the seeds; `users` are admin, coordinator, member.
    static func changes(deps: ServiceDependencies, workspaces: [String: Workspace], fields: [String: PolicyFieldID],
                        coordinator: UserID, member: UserID, admin: UserID, organization: OrganizationID?) -> ([Change], [DomainEvent]) {
        var changes: [Change] = []
        var events: [DomainEvent] = []
        let today = deps.today
        for seed in seeds(fields, today: today) {
            guard let workspace = workspaces[seed.workspace] else { continue }
            let created = seed.finished?.0.addingTimeInterval(-60 * 86_400) ?? deps.clock.now()
            var r = Recommendation(id: RecommendationID(deps.ids.uuid()), workspaceID: workspace.id, status: .draft, profile: seed.profile,
                                   revision: 1, createdBy: coordinator, createdAt: created, updatedAt: seed.finished?.0 ?? created, reference: nil)
            let revision = RecommendationRevision(recommendationID: r.id, number: 1, authorID: coordinator, organizationID: organization, at: created,
                                                  profile: seed.profile, changedSections: seed.profile.changedSections(since: RecommendationProfile(title: "")))
            changes.append(.recommendation(.insert(r, revision)))
            guard let (at, reference) = seed.finished else {
                events.append(.recommendationCreated(r))
                continue
            }
            changes.append(.recommendation(.insertSignOff(SignOff(recommendationID: r.id, capacity: .coordinator, userID: coordinator, revision: 1, at: at))))
            let (finished, entry, _) = SignOffRules.finish(r, reference: reference, workspaceName: workspace.name, now: at)
            r = finished
            changes += [.recommendation(.finish(finished, expectedRevision: 1)), .recommendation(.insertCatalogueEntry(entry))]
            if let (level, justification) = seed.consensus {
                changes.append(.recommendation(.setConsensus(reference, ConsensusRating(level: level, justification: justification,
                                                                                        at: date("\(reference.year)-05-12"), by: admin))))
                // The council took up the dossier's recommendations in the autumn; two report on their progress.
                if level.entersDossier {
                    changes.append(.recommendation(.insertDecision(CouncilDecision(
                        id: DecisionID(deps.ids.uuid()), reference: reference, decidedOn: LocalDate("\(reference.year)-09-28")!, body: "Kreistag",
                        outcome: reference.number == 4 ? .amended : .adopted, note: "Beschluss auf Grundlage des Planungsdossiers.",
                        recordedBy: admin, recordedAt: date("\(reference.year)-09-29")))))
                }
                for (day, status, value, note) in progress[reference.number] ?? [] {
                    changes.append(.recommendation(.insertReport(ImplementationReport(
                        id: ReportID(deps.ids.uuid()), reference: reference, reportedOn: LocalDate(day)!, status: status,
                        values: [IndicatorValue(indicator: 0, value: value)], note: note, authorID: coordinator, at: date(day)))))
                }
            }
            events.append(.catalogueEntryAdded(entry))
        }
        // The 2023 round as it ran, and this year's round open now, so the demo steering account can rate.
        changes.append(.recommendation(.putRatingRound(RatingRound(year: 2023, opensOn: LocalDate("2023-04-17")!, closesOn: LocalDate("2023-05-12")!,
                                                                   version: 1), expectedVersion: nil)))
        let opens = LocalDate.berlin(deps.clock.now().addingTimeInterval(-7 * 86_400))
        let closes = LocalDate.berlin(deps.clock.now().addingTimeInterval(60 * 86_400))
        if today.year != 2023 {
            changes.append(.recommendation(.putRatingRound(RatingRound(year: today.year, opensOn: opens, closesOn: closes, version: 1), expectedVersion: nil)))
        }
        return (changes, events)
    }
}
