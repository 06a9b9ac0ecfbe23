import Foundation

/// The lexical layer of RFC 5545: escaping TEXT values, quoting parameters, folding content
/// lines at 75 octets, CRLF line endings. Everything above it builds `ContentLine`s.
public enum ICalendarText {
    /// The longest a physical line may be, in octets, excluding the CRLF (RFC 5545 §3.1).
    public static let maxLineOctets = 75

    /// Escapes a TEXT value (RFC 5545 §3.3.11): backslash, semicolon and comma get a
    /// backslash; every line break (CRLF, CR or LF) becomes `\n`. Other control characters
    /// are dropped: they are not allowed in TEXT and no client would show them.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        var previousWasCR = false
        for scalar in text.unicodeScalars {
            defer { previousWasCR = scalar == "\r" }
            switch scalar {
            case "\\": out += "\\\\"
            case ";": out += "\\;"
            case ",": out += "\\,"
            case "\r": out += "\\n"
            // A CRLF pair is one line break; the CR already wrote it.
            case "\n": if !previousWasCR { out += "\\n" }
            case "\t": out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// A parameter value (RFC 5545 §3.2), e.g. a person's name in `CN=`. Values with `:`, `;`
    /// or `,` are put in double quotes; a double quote inside is written with the caret
    /// encoding of RFC 6868 (`^'`, and `^^` for a caret), a line break becomes a space (a name
    /// has none), so no input can end the parameter early.
    public static func parameterValue(_ value: String) -> String {
        var body = ""
        var needsQuotes = false
        for scalar in value.unicodeScalars {
            switch scalar {
            case "^": body += "^^"
            case "\"": body += "^'"
            case "\n", "\r": body += " "
            case ":", ";", ",": needsQuotes = true; body.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F { continue }
                body.unicodeScalars.append(scalar)
            }
        }
        return needsQuotes ? "\"" + body + "\"" : body
    }

    /// Folds one logical line into physical lines of at most 75 octets each: a continuation
    /// line starts with one space, which counts towards its 75. Lines break between Unicode
    /// scalars, never inside a UTF-8 sequence, so every physical line is valid UTF-8.
    public static func fold(_ line: String) -> [String] {
        var lines: [String] = []
        var current = ""
        var octets = 0
        for scalar in line.unicodeScalars {
            let size = String(scalar).utf8.count
            if octets + size > maxLineOctets {
                lines.append(current)
                current = " "
                octets = 1
            }
            current.unicodeScalars.append(scalar)
            octets += size
        }
        lines.append(current)
        return lines
    }

    /// Joins logical lines into a document: each folded, each physical line ended by CRLF.
    public static func document(_ lines: [String]) -> String {
        var out = ""
        for line in lines {
            for physical in fold(line) {
                out += physical
                out += "\r\n"
            }
        }
        return out
    }
}

/// One content line before folding: `NAME;PARAM=value:VALUE`.
public struct ContentLine: Sendable, Hashable {
    public let name: String
    public let parameters: [(String, String)]
    /// The value, already in its final form (escaped TEXT, a URI, a date).
    public let value: String

    public init(_ name: String, _ parameters: [(String, String)] = [], _ value: String) {
        self.name = name
        self.parameters = parameters
        self.value = value
    }

    /// A TEXT property: the value is escaped here.
    public static func text(_ name: String, _ value: String, _ parameters: [(String, String)] = []) -> ContentLine {
        ContentLine(name, parameters, ICalendarText.escape(value))
    }

    /// The unfolded line.
    public var rendered: String {
        var out = name
        for (key, value) in parameters { out += ";" + key + "=" + ICalendarText.parameterValue(value) }
        return out + ":" + value
    }

    public static func == (a: ContentLine, b: ContentLine) -> Bool { a.rendered == b.rendered }
    public func hash(into hasher: inout Hasher) { hasher.combine(rendered) }
}
