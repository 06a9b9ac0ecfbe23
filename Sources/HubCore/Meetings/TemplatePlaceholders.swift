import Foundation

/// Checks the Mustache placeholders in a template against an allow-list before the template
/// is saved, so a typo (`{{meeting.titel}}`) is refused with its name instead of rendering as
/// an empty string in hundreds of invitations.
///
/// Refused outright: unescaped output (`{{{x}}}`, `{{&x}}`: invitation text is also shown as
/// HTML, and names come from users), partials (`{{>x}}`) and delimiter changes (`{{=<% %>=}}`),
/// which would let a template reach outside the data it is given.
public struct TemplatePlaceholders: Sendable, Hashable {
    /// Names usable anywhere (and as conditional sections: `{{#meeting.place}}…{{/meeting.place}}`).
    public let values: Set<String>
    /// List sections and the names each list item adds inside the section.
    public let lists: [String: Set<String>]

    /// An allow-list; `invitation` is the one templates use.
    public init(values: Set<String>, lists: [String: Set<String>]) {
        self.values = values
        self.lists = lists
    }

    /// The data an invitation is rendered with: exactly the paths of `InvitationContext`.
    public static let invitation = TemplatePlaceholders(
        values: [
            "meeting", "meeting.title", "meeting.date", "meeting.startTime", "meeting.endTime", "meeting.place", "meeting.onlineLink",
            "meeting.url", "meeting.note", "workspace", "workspace.name", "organizer", "organizer.name", "recipient", "recipient.name",
            "rsvp", "rsvp.acceptURL", "rsvp.tentativeURL", "rsvp.declineURL",
        ],
        lists: ["agenda": ["number", "title", "minutes", "presenter", "startTime", "isPublic"]]
    )

    /// Every placeholder problem in `text`, reported on `field`.
    public func issues(in text: String, field: String) -> [FieldIssue] {
        var issues: [FieldIssue] = []
        func add(_ code: String, _ message: String) {
            let issue = FieldIssue(field: field, code: code, message: message)
            if !issues.contains(issue) { issues.append(issue) }
        }
        // Open sections: name, and the item names a list section adds.
        var stack: [(name: String, names: Set<String>)] = []
        var rest = Substring(text)
        while let open = rest.range(of: "{{") {
            rest = rest[open.upperBound...]
            if rest.hasPrefix("{") {
                add("unescaped", "Triple braces print text unescaped; use {{name}}.")
                guard let close = rest.range(of: "}}}") else { add("unclosed", "A placeholder is not closed with }}."); break }
                rest = rest[close.upperBound...]
                continue
            }
            guard let close = rest.range(of: "}}") else {
                add("unclosed", "A placeholder is not closed with }}.")
                break
            }
            let tag = rest[..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            rest = rest[close.upperBound...]
            guard let sigil = tag.first else { add("empty", "An empty placeholder {{}}."); continue }
            let name = String(tag.dropFirst()).trimmingCharacters(in: .whitespaces)
            switch sigil {
            case "!":
                continue
            case "&":
                add("unescaped", "{{&name}} prints text unescaped; use {{name}}.")
            case ">":
                add("partial", "Partials ({{>name}}) are not available in templates.")
            case "=":
                add("delimiters", "Changing the delimiters is not available in templates.")
            case "#", "^":
                if let listNames = lists[name], sigil == "#" {
                    stack.append((name, listNames))
                } else if known(name, stack) {
                    // A section on an object makes its fields visible by their short names.
                    let prefix = name + "."
                    stack.append((name, Set(values.filter { $0.hasPrefix(prefix) }.map { String($0.dropFirst(prefix.count)) })))
                } else {
                    add("unknown", "Unknown placeholder {{\(name)}}.")
                    stack.append((name, []))
                }
            case "/":
                if let last = stack.last, last.name == name {
                    stack.removeLast()
                } else {
                    add("unbalanced", "{{/\(name)}} closes a section that is not open.")
                }
            default:
                if tag == "." {
                    if stack.isEmpty { add("unknown", "{{.}} is only meaningful inside a section.") }
                } else if !known(tag, stack) {
                    add("unknown", "Unknown placeholder {{\(tag)}}.")
                }
            }
        }
        for open in stack.reversed() { add("unbalanced", "The section {{#\(open.name)}} is not closed.") }
        return issues
    }

    /// The placeholder names used in `text` (for documentation and previews).
    public static func names(in text: String) -> [String] {
        var out: [String] = []
        var rest = Substring(text)
        while let open = rest.range(of: "{{"), let close = rest[open.upperBound...].range(of: "}}") {
            let tag = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            let name = tag.first.map { "#^/!&>={".contains($0) } == true ? String(tag.dropFirst()).trimmingCharacters(in: .whitespaces) : tag
            if !name.isEmpty && !out.contains(name) && tag.first != "!" { out.append(name) }
            rest = rest[close.upperBound...]
        }
        return out
    }

    private func known(_ name: String, _ stack: [(name: String, names: Set<String>)]) -> Bool {
        values.contains(name) || stack.contains { $0.names.contains(name) }
    }
}
