/// The resources a recommendation needs, each quantified so that politicians can weigh it.
public struct Resources: Sendable, Hashable, Codable {
    /// Personnel in full-time equivalents (Vollzeitäquivalente).
    public var personnelFTE: Double?
    /// Time needed until the measure is in place, in months.
    public var durationMonths: Int?
    /// Money in euros per year.
    public var moneyEuroPerYear: Int?
    /// What the figures mean and how they were estimated (Markdown).
    public var note: String

    enum CodingKeys: String, CodingKey { case personnelFTE = "personnelFte", durationMonths, moneyEuroPerYear, note }

    // Absent figures are written as null, so every reader sees one stable shape.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(personnelFTE, forKey: .personnelFTE)
        try c.encode(durationMonths, forKey: .durationMonths)
        try c.encode(moneyEuroPerYear, forKey: .moneyEuroPerYear)
        try c.encode(note, forKey: .note)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        personnelFTE = try c.decodeIfPresent(Double.self, forKey: .personnelFTE)
        durationMonths = try c.decodeIfPresent(Int.self, forKey: .durationMonths)
        moneyEuroPerYear = try c.decodeIfPresent(Int.self, forKey: .moneyEuroPerYear)
        note = try c.decodeIfPresent(String.self, forKey: .note) ?? ""
    }

    public init(personnelFTE: Double? = nil, durationMonths: Int? = nil, moneyEuroPerYear: Int? = nil, note: String = "") {
        self.personnelFTE = personnelFTE
        self.durationMonths = durationMonths
        self.moneyEuroPerYear = moneyEuroPerYear
        self.note = note
    }
}

/// Which kind of impact a recommendation has (from the profile: financial, structural, ideational).
public enum ImpactKind: String, Sendable, Hashable, Codable, CaseIterable {
    case financial, structural, ideational
}

/// Whether an indicator should rise or fall.
public enum IndicatorDirection: String, Sendable, Hashable, Codable, CaseIterable {
    case increase, decrease
}

/// How success will be checked: a measurable indicator with baseline and target.
public struct IndicatorSpec: Sendable, Hashable, Codable {
    public var name: String
    public var unit: String
    public var baseline: Double?
    public var target: Double?
    public var direction: IndicatorDirection
    /// Where the values come from (statistics office, agency reports, ...).
    public var source: String

    enum CodingKeys: String, CodingKey { case name, unit, baseline, target, direction, source }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(unit, forKey: .unit)
        try c.encode(baseline, forKey: .baseline)
        try c.encode(target, forKey: .target)
        try c.encode(direction, forKey: .direction)
        try c.encode(source, forKey: .source)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        unit = try c.decodeIfPresent(String.self, forKey: .unit) ?? ""
        baseline = try c.decodeIfPresent(Double.self, forKey: .baseline)
        target = try c.decodeIfPresent(Double.self, forKey: .target)
        direction = try c.decodeIfPresent(IndicatorDirection.self, forKey: .direction) ?? .increase
        source = try c.decodeIfPresent(String.self, forKey: .source) ?? ""
    }

    public init(name: String, unit: String, baseline: Double?, target: Double?, direction: IndicatorDirection, source: String) {
        self.name = name
        self.unit = unit
        self.baseline = baseline
        self.target = target
        self.direction = direction
        self.source = source
    }
}

/// The parts of a profile that are edited, compared and merged one by one. Two people
/// editing different sections never conflict; the same section is merged by hand.
public enum ProfileSection: String, Sendable, Hashable, Codable, CaseIterable {
    case title, policyFields, situation, dataBasis, goals, measures, targetGroups, responsibleBody,
         resources, budgetYears, impactKinds, indicators, timeline
}

/// A recommendation's profile (Steckbrief): everything the steering group and the council read.
/// Long texts are Markdown.
public struct RecommendationProfile: Sendable, Hashable, Codable {
    public var title: String
    public var policyFieldIDs: [PolicyFieldID]
    /// Initial situation (Ausgangslage).
    public var situation: String
    /// The data behind the situation: figures, sources.
    public var dataBasis: String
    public var goals: String
    public var measures: String
    public var targetGroups: String
    /// Who is responsible for carrying it out.
    public var responsibleBody: String
    public var resources: Resources
    /// The budget year or the two years of a double budget.
    public var budgetYears: [Int]
    public var impactKinds: [ImpactKind]
    public var indicators: [IndicatorSpec]
    public var timeline: String

    enum CodingKeys: String, CodingKey {
        case title, policyFieldIDs = "policyFieldIds", situation, dataBasis, goals, measures, targetGroups, responsibleBody, resources,
             budgetYears, impactKinds, indicators, timeline
    }

    public init(title: String, policyFieldIDs: [PolicyFieldID] = [], situation: String = "", dataBasis: String = "", goals: String = "",
                measures: String = "", targetGroups: String = "", responsibleBody: String = "", resources: Resources = Resources(),
                budgetYears: [Int] = [], impactKinds: [ImpactKind] = [], indicators: [IndicatorSpec] = [], timeline: String = "") {
        self.title = title
        self.policyFieldIDs = policyFieldIDs
        self.situation = situation
        self.dataBasis = dataBasis
        self.goals = goals
        self.measures = measures
        self.targetGroups = targetGroups
        self.responsibleBody = responsibleBody
        self.resources = resources
        self.budgetYears = budgetYears
        self.impactKinds = impactKinds
        self.indicators = indicators
        self.timeline = timeline
    }

    /// The text of a section, for diffs, similarity and search. Structured sections are
    /// rendered as short lines.
    public func text(of section: ProfileSection) -> String {
        switch section {
        case .title: title
        case .policyFields: policyFieldIDs.map(\.description).joined(separator: " ")
        case .situation: situation
        case .dataBasis: dataBasis
        case .goals: goals
        case .measures: measures
        case .targetGroups: targetGroups
        case .responsibleBody: responsibleBody
        case .resources:
            [resources.personnelFTE.map { "FTE \(Self.number($0))" }, resources.durationMonths.map { "\($0) months" },
             resources.moneyEuroPerYear.map { "EUR \($0) per year" }, resources.note.isEmpty ? nil : resources.note]
                .compactMap { $0 }.joined(separator: "\n")
        case .budgetYears: budgetYears.map(String.init).joined(separator: "/")
        case .impactKinds: impactKinds.map(\.rawValue).joined(separator: " ")
        case .indicators:
            indicators.map { i in
                "\(i.name) (\(i.unit)): \(i.baseline.map(Self.number) ?? "–") → \(i.target.map(Self.number) ?? "–"), \(i.direction.rawValue); \(i.source)"
            }.joined(separator: "\n")
        case .timeline: timeline
        }
    }

    /// Whether two profiles agree in one section.
    public func same(_ section: ProfileSection, as other: RecommendationProfile) -> Bool {
        switch section {
        case .title: title == other.title
        case .policyFields: policyFieldIDs == other.policyFieldIDs
        case .situation: situation == other.situation
        case .dataBasis: dataBasis == other.dataBasis
        case .goals: goals == other.goals
        case .measures: measures == other.measures
        case .targetGroups: targetGroups == other.targetGroups
        case .responsibleBody: responsibleBody == other.responsibleBody
        case .resources: resources == other.resources
        case .budgetYears: budgetYears == other.budgetYears
        case .impactKinds: impactKinds == other.impactKinds
        case .indicators: indicators == other.indicators
        case .timeline: timeline == other.timeline
        }
    }

    /// This profile with one section taken from another.
    public func taking(_ section: ProfileSection, from other: RecommendationProfile) -> RecommendationProfile {
        var next = self
        switch section {
        case .title: next.title = other.title
        case .policyFields: next.policyFieldIDs = other.policyFieldIDs
        case .situation: next.situation = other.situation
        case .dataBasis: next.dataBasis = other.dataBasis
        case .goals: next.goals = other.goals
        case .measures: next.measures = other.measures
        case .targetGroups: next.targetGroups = other.targetGroups
        case .responsibleBody: next.responsibleBody = other.responsibleBody
        case .resources: next.resources = other.resources
        case .budgetYears: next.budgetYears = other.budgetYears
        case .impactKinds: next.impactKinds = other.impactKinds
        case .indicators: next.indicators = other.indicators
        case .timeline: next.timeline = other.timeline
        }
        return next
    }

    /// The sections in which two profiles differ.
    public func changedSections(since other: RecommendationProfile) -> [ProfileSection] {
        ProfileSection.allCases.filter { !same($0, as: other) }
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}

/// A save: the sections someone changed, on top of the revision they saw.
public struct ProfilePatch: Sendable, Hashable {
    /// The new content; only the sections in `sections` are read from it.
    public var content: RecommendationProfile
    public var sections: Set<ProfileSection>

    public init(content: RecommendationProfile, sections: Set<ProfileSection>) {
        self.content = content
        self.sections = sections
    }
}
