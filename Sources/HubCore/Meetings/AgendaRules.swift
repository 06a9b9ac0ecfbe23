import Foundation

/// The content of a new agenda item, or the new content of an existing one.
public struct AgendaItemDraft: Hashable, Sendable, Codable {
    public var title: String
    public var durationMinutes: Int
    public var presenter: String?
    public var isPublic: Bool
    public var recommendationIDs: [RecommendationID]
    public var documents: [DocumentLink]

    public init(title: String, durationMinutes: Int, presenter: String? = nil, isPublic: Bool = true,
                recommendationIDs: [RecommendationID] = [], documents: [DocumentLink] = []) {
        self.title = title
        self.durationMinutes = durationMinutes
        self.presenter = presenter
        self.isPublic = isPublic
        self.recommendationIDs = recommendationIDs
        self.documents = documents
    }
}

/// One change to an agenda. The move operations are the keyboard's: each has a key in the
/// editor (Alt+↑/↓ to move, Tab/Shift+Tab to move into and out of), and `move` serves drag
/// and drop.
public enum AgendaEdit: Hashable, Sendable {
    /// Adds an item under `parent` (top level when nil), right after `after` (last when nil: a new item is appended).
    case add(AgendaItemDraft, id: AgendaItemID, parent: AgendaItemID?, after: AgendaItemID?)
    case update(AgendaItemID, AgendaItemDraft)
    /// Removes the item with its sub-items.
    case remove(AgendaItemID)
    case moveUp(AgendaItemID)
    case moveDown(AgendaItemID)
    /// Into the previous sibling, as its last sub-item ("3" → "2.4").
    case indent(AgendaItemID)
    /// Out of its parent, right after it ("2.4" → "3").
    case outdent(AgendaItemID)
    /// To position `index` among the sub-items of `parent` (top level when nil).
    case move(AgendaItemID, parent: AgendaItemID?, index: Int)
}

/// Editing an agenda as pure functions.
public enum AgendaRules {
    /// "3.1.2" at most: deeper outlines do not help anyone follow a meeting.
    public static let maxDepth = 3
    public static let maxItems = 100
    public static let durationRange = 0...480

    /// Applies one edit on the version the editor saw.
    public static func apply(_ edit: AgendaEdit, to agenda: Agenda, of meeting: Meeting, expectedVersion: Int, by actor: Principal,
                             knownRecommendations: Set<RecommendationID>, now: Date) throws(DomainError) -> (Agenda, [MeetingEvent]) {
        guard MeetingPermissions.canManage(actor, meeting.workspaceID) else { throw MeetingPermissions.refusal(actor, meeting.workspaceID) }
        try requireEditable(agenda, of: meeting)
        guard expectedVersion == agenda.version else { throw .versionConflict }
        var items = agenda.items
        switch edit {
        case .add(let draft, let id, let parent, let after):
            try check(draft, field: "item", known: knownRecommendations)
            guard agenda.numbered.count < maxItems else { throw limit("agenda.tooManyItems", "An agenda has at most \(maxItems) items.") }
            guard agenda.item(id) == nil else { throw DomainError(.conflict, code: "agenda.duplicateItem", message: "The item exists already.") }
            let parentPath = try parent.map { p throws(DomainError) in try path(of: p, in: items) } ?? []
            let siblings = children(at: parentPath, in: items)
            var index = siblings.count
            if let after {
                guard let position = siblings.firstIndex(where: { $0.id == after }) else { throw .notFound("agendaItem") }
                index = position + 1
            }
            let item = AgendaItem(id: id, title: clean(draft.title), durationMinutes: draft.durationMinutes, presenter: cleanOptional(draft.presenter),
                                  isPublic: draft.isPublic, recommendationIDs: unique(draft.recommendationIDs), documents: draft.documents)
            guard parentPath.count + 1 <= maxDepth else { throw tooDeep() }
            insert(item, at: parentPath, index: index, in: &items)
        case .update(let id, let draft):
            try check(draft, field: "item", known: knownRecommendations)
            let p = try path(of: id, in: items)
            var item = node(at: p, in: items)
            if item.standard != nil && clean(draft.title) != item.title {
                throw fixed("The title of a standard item comes from the template.")
            }
            item.title = clean(draft.title)
            item.durationMinutes = draft.durationMinutes
            item.presenter = cleanOptional(draft.presenter)
            item.isPublic = draft.isPublic
            item.recommendationIDs = unique(draft.recommendationIDs)
            item.documents = draft.documents
            replace(at: p, with: item, in: &items)
        case .remove(let id):
            let p = try path(of: id, in: items)
            let item = node(at: p, in: items)
            guard !contains(item, standard: true) else { throw fixed("Standard items stay on the agenda; set their duration to 0 if unused.") }
            if let current = agenda.live?.currentItemID, agenda.live?.finishedAt == nil, contains(item, id: current) {
                throw DomainError(.invalidTransition, code: "agenda.itemIsCurrent", message: "The item is being discussed right now.")
            }
            _ = remove(at: p, from: &items)
        case .moveUp(let id), .moveDown(let id):
            let p = try path(of: id, in: items)
            try requireMovable(node(at: p, in: items))
            let target = p.last! + (edit == .moveUp(id) ? -1 : 1)
            let siblings = children(at: Array(p.dropLast()), in: items)
            guard siblings.indices.contains(target) else {
                throw cannotMove(edit == .moveUp(id) ? "The item is already the first." : "The item is already the last.")
            }
            let moved = remove(at: p, from: &items)
            insert(moved, at: Array(p.dropLast()), index: target, in: &items)
        case .indent(let id):
            let p = try path(of: id, in: items)
            let item = node(at: p, in: items)
            try requireMovable(item)
            guard p.last! > 0 else { throw cannotMove("There is no item above to move it into.") }
            let newParent = Array(p.dropLast()) + [p.last! - 1]
            guard newParent.count + depth(of: item) <= maxDepth else { throw tooDeep() }
            let index = children(at: newParent, in: items).count
            _ = remove(at: p, from: &items)
            insert(item, at: newParent, index: index, in: &items)
        case .outdent(let id):
            let p = try path(of: id, in: items)
            try requireMovable(node(at: p, in: items))
            guard p.count > 1 else { throw cannotMove("The item is already at the top level.") }
            let moved = remove(at: p, from: &items)
            let parent = Array(p.dropLast())
            insert(moved, at: Array(parent.dropLast()), index: parent.last! + 1, in: &items)
        case .move(let id, let parent, let index):
            let p = try path(of: id, in: items)
            let item = node(at: p, in: items)
            try requireMovable(item)
            if let parent, contains(item, id: parent) { throw cannotMove("An item cannot move into itself.") }
            let moved = remove(at: p, from: &items)
            let parentPath = try parent.map { q throws(DomainError) in try path(of: q, in: items) } ?? []
            guard parentPath.count + depth(of: item) <= maxDepth else { throw tooDeep() }
            let count = children(at: parentPath, in: items).count
            guard (0...count).contains(index) else { throw cannotMove("There is no such position.") }
            insert(moved, at: parentPath, index: index, in: &items)
        }
        guard items != agenda.items else { return (agenda, []) }
        var next = agenda
        next.items = items
        next.version += 1
        next.updatedAt = now
        return (next, [.agendaChanged(next)])
    }

    /// The agenda is edited before and during the meeting; once it is over, the minutes
    /// refer to it and it stays as it was.
    static func requireEditable(_ agenda: Agenda, of meeting: Meeting) throws(DomainError) {
        switch meeting.status {
        case .planned, .invited: return
        case .held where agenda.live != nil && agenda.live?.finishedAt == nil: return
        default:
            throw DomainError(.invalidTransition, code: "agenda.frozen", message: "The meeting is over or cancelled; its agenda no longer changes.")
        }
    }

    static func check(_ draft: AgendaItemDraft, field: String, known: Set<RecommendationID>) throws(DomainError) {
        var issues: [FieldIssue] = []
        let title = clean(draft.title)
        if !(1...200).contains(title.count) { issues.append(FieldIssue(field: "\(field).title", code: "length", message: "A title of 1 to 200 characters.")) }
        if !durationRange.contains(draft.durationMinutes) {
            issues.append(FieldIssue(field: "\(field).durationMinutes", code: "outOfRange", message: "0 to 480 minutes."))
        }
        if (cleanOptional(draft.presenter)?.count ?? 0) > 120 {
            issues.append(FieldIssue(field: "\(field).presenter", code: "tooLong", message: "At most 120 characters."))
        }
        for (i, id) in draft.recommendationIDs.enumerated() where !known.contains(id) {
            issues.append(FieldIssue(field: "\(field).recommendationIds[\(i)]", code: "unknown", message: "There is no such recommendation."))
        }
        if draft.documents.count > 20 { issues.append(FieldIssue(field: "\(field).documents", code: "tooMany", message: "At most 20 documents.")) }
        for (i, doc) in draft.documents.enumerated() where !MeetingRules.isWebURL(doc.url) || doc.title.isEmpty || doc.title.count > 200 {
            issues.append(FieldIssue(field: "\(field).documents[\(i)]", code: "invalid", message: "A title and an http(s) address."))
        }
        guard issues.isEmpty else { throw .validation(issues) }
    }

    // MARK: Tree helpers (a path is the index at each level)

    static func path(of id: AgendaItemID, in items: [AgendaItem]) throws(DomainError) -> [Int] {
        for (i, item) in items.enumerated() {
            if item.id == id { return [i] }
            if let sub = try? path(of: id, in: item.children) { return [i] + sub }
        }
        throw .notFound("agendaItem")
    }

    static func node(at path: [Int], in items: [AgendaItem]) -> AgendaItem {
        path.count == 1 ? items[path[0]] : node(at: Array(path.dropFirst()), in: items[path[0]].children)
    }

    static func children(at path: [Int], in items: [AgendaItem]) -> [AgendaItem] {
        path.isEmpty ? items : node(at: path, in: items).children
    }

    static func replace(at path: [Int], with item: AgendaItem, in items: inout [AgendaItem]) {
        if path.count == 1 { items[path[0]] = item } else { replace(at: Array(path.dropFirst()), with: item, in: &items[path[0]].children) }
    }

    static func remove(at path: [Int], from items: inout [AgendaItem]) -> AgendaItem {
        path.count == 1 ? items.remove(at: path[0]) : remove(at: Array(path.dropFirst()), from: &items[path[0]].children)
    }

    static func insert(_ item: AgendaItem, at parent: [Int], index: Int, in items: inout [AgendaItem]) {
        if parent.isEmpty {
            items.insert(item, at: index)
        } else {
            insert(item, at: Array(parent.dropFirst()), index: index, in: &items[parent[0]].children)
        }
    }

    /// Levels the item occupies itself: 1 for a leaf.
    static func depth(of item: AgendaItem) -> Int { 1 + (item.children.map(depth).max() ?? 0) }

    static func contains(_ item: AgendaItem, id: AgendaItemID) -> Bool { item.id == id || item.children.contains { contains($0, id: id) } }

    static func contains(_ item: AgendaItem, standard: Bool) -> Bool { item.standard != nil || item.children.contains { contains($0, standard: true) } }

    static func requireMovable(_ item: AgendaItem) throws(DomainError) {
        if item.standard != nil { throw fixed("Standard items keep their place; move the other items around them.") }
    }

    static func clean(_ text: String) -> String { MeetingRules.collapsed(text) }

    static func cleanOptional(_ text: String?) -> String? { text.map(clean).flatMap { $0.isEmpty ? nil : $0 } }

    static func unique(_ ids: [RecommendationID]) -> [RecommendationID] {
        var seen = Set<RecommendationID>()
        return ids.filter { seen.insert($0).inserted }
    }

    static func fixed(_ message: String) -> DomainError { DomainError(.invalidTransition, code: "agenda.standardItemFixed", message: message) }
    static func cannotMove(_ message: String) -> DomainError { DomainError(.invalidTransition, code: "agenda.cannotMove", message: message) }
    static func tooDeep() -> DomainError {
        DomainError(.invalidTransition, code: "agenda.tooDeep", message: "Agenda items nest at most \(maxDepth) levels deep (3.1.2).")
    }
    static func limit(_ code: String, _ message: String) -> DomainError { DomainError(.invalidTransition, code: code, message: message) }
}
