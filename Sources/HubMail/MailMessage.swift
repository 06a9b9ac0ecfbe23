import Foundation

/// A MIME message: text/plain, optionally with further parts (e.g. text/calendar).
public struct MailMessage: Sendable {
    public struct Part: Sendable {
        public let contentType: String
        public let body: String

        public init(contentType: String, body: String) {
            self.contentType = contentType
            self.body = body
        }
    }

    public var from: String
    public var to: String
    public var subject: String
    public var text: String
    public var extraParts: [Part]
    /// Files attached after the alternatives (`multipart/mixed`), e.g. `invite.ics`.
    public var attachments: [(filename: String, part: Part)] = []
    public var messageID: String
    public var date: Date

    public init(from: String, to: String, subject: String, text: String, extraParts: [Part] = [], messageID: String, date: Date) {
        self.from = from
        self.to = to
        self.subject = subject
        self.text = text
        self.extraParts = extraParts
        self.messageID = messageID
        self.date = date
    }

    /// The message as sent in DATA: CRLF line ends, bodies in base64 (no dot-stuffing needed,
    /// safe for any UTF-8), non-ASCII subjects as RFC 2047 encoded words.
    public func rendered() -> String {
        var lines = [
            "From: \(Self.headerSafe(from))",
            "To: \(Self.headerSafe(to))",
            "Subject: \(Self.encodedWord(subject))",
            "Date: \(Self.rfc5322Date(date))",
            "Message-ID: <\(Self.headerSafe(messageID))>",
            "MIME-Version: 1.0",
        ]
        if !attachments.isEmpty {
            let mixed = "rt-mixed-" + messageID.filter { $0.isLetter || $0.isNumber }
            let boundary = "rt-" + messageID.filter { $0.isLetter || $0.isNumber }
            lines.append("Content-Type: multipart/mixed; boundary=\"\(mixed)\"")
            lines.append("")
            lines.append("--\(mixed)")
            lines.append("Content-Type: multipart/alternative; boundary=\"\(boundary)\"")
            lines.append("")
            for part in [Part(contentType: "text/plain; charset=utf-8", body: text)] + extraParts {
                lines.append("--\(boundary)")
                lines += Self.partHeaders(part.contentType) + [""] + Self.base64Lines(part.body)
            }
            lines.append("--\(boundary)--")
            for (filename, part) in attachments {
                lines.append("--\(mixed)")
                lines += Self.partHeaders(part.contentType)
                lines.append("Content-Disposition: attachment; filename=\"\(Self.headerSafe(filename).replacingOccurrences(of: "\"", with: ""))\"")
                lines += [""] + Self.base64Lines(part.body)
            }
            lines.append("--\(mixed)--")
        } else if extraParts.isEmpty {
            lines += Self.partHeaders("text/plain; charset=utf-8") + [""] + Self.base64Lines(text)
        } else {
            let boundary = "rt-" + messageID.filter { $0.isLetter || $0.isNumber }
            lines.append("Content-Type: multipart/alternative; boundary=\"\(boundary)\"")
            lines.append("")
            for part in [Part(contentType: "text/plain; charset=utf-8", body: text)] + extraParts {
                lines.append("--\(boundary)")
                lines += Self.partHeaders(part.contentType) + [""] + Self.base64Lines(part.body)
            }
            lines.append("--\(boundary)--")
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    static func partHeaders(_ contentType: String) -> [String] {
        ["Content-Type: \(headerSafe(contentType))", "Content-Transfer-Encoding: base64"]
    }

    static func base64Lines(_ text: String) -> [String] {
        let encoded = Data(text.utf8).base64EncodedString()
        return stride(from: 0, to: encoded.count, by: 76).map { start in
            let from = encoded.index(encoded.startIndex, offsetBy: start)
            let to = encoded.index(from, offsetBy: min(76, encoded.count - start))
            return String(encoded[from..<to])
        }
    }

    /// Removes CR and LF so no header can be injected.
    static func headerSafe(_ value: String) -> String {
        value.replacingOccurrences(of: "\r", with: "").replacingOccurrences(of: "\n", with: "")
    }

    static func encodedWord(_ value: String) -> String {
        let safe = headerSafe(value)
        guard !safe.allSatisfy({ $0.isASCII }) else { return safe }
        return "=?UTF-8?B?\(Data(safe.utf8).base64EncodedString())?="
    }

    static func rfc5322Date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        return formatter.string(from: date)
    }
}
