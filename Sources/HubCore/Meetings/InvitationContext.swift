import Foundation

/// The language an invitation or export is written in.
public enum MeetingLanguage: String, Sendable, Hashable, Codable, CaseIterable {
    case de, en
}

/// The data an invitation template is rendered with (by swift-mustache, in the services).
/// A typed struct instead of `[String: Any]`: its property paths are exactly the allow-list
/// `TemplatePlaceholders.invitation` (a test compares them), and every value is already text
/// formatted for the recipient's language, so rendering needs no logic.
public struct InvitationContext: Sendable, Hashable, Codable {
    /// The meeting as the invitation describes it.
    public struct MeetingInfo: Sendable, Hashable, Codable {
        public let title: String
        /// "Dienstag, 14. April 2026" / "Tuesday, 14 April 2026".
        public let date: String
        public let startTime: String
        public let endTime: String
        public let place: String?
        public let onlineLink: String?
        /// The meeting's page in the hub.
        public let url: String
        /// The organizer's note (the meeting's description); nil when empty.
        public let note: String?
    }

    /// A name to address or sign with.
    public struct Named: Sendable, Hashable, Codable {
        public let name: String
    }

    /// One-click answers; each link carries a signed token (made by the services).
    public struct RSVPLinks: Sendable, Hashable, Codable {
        public let acceptURL: String
        public let tentativeURL: String
        public let declineURL: String

        public init(acceptURL: String, tentativeURL: String, declineURL: String) {
            self.acceptURL = acceptURL
            self.tentativeURL = tentativeURL
            self.declineURL = declineURL
        }
    }

    /// One agenda item with its derived number and planned start.
    public struct AgendaLine: Sendable, Hashable, Codable {
        public let number: String
        public let title: String
        public let minutes: Int
        public let presenter: String?
        /// When the item is planned to begin ("17:25").
        public let startTime: String
        public let isPublic: Bool
    }

    public let meeting: MeetingInfo
    public let workspace: Named
    public let organizer: Named
    public let recipient: Named
    /// Absent for people who cannot answer (e.g. a preview).
    public let rsvp: RSVPLinks?
    public let agenda: [AgendaLine]

    /// Builds the context for one recipient.
    public init(meeting: Meeting, agenda: Agenda, workspaceName: String, organizerName: String, recipientName: String,
                rsvp: RSVPLinks?, meetingURL: String, language: MeetingLanguage) {
        self.meeting = MeetingInfo(
            title: meeting.title, date: MeetingText.longDate(meeting.start.date, language), startTime: meeting.start.timeText,
            endTime: meeting.end.timeText, place: meeting.place, onlineLink: meeting.onlineURL, url: meetingURL,
            note: meeting.description.isEmpty ? nil : meeting.description)
        self.workspace = Named(name: workspaceName)
        self.organizer = Named(name: organizerName)
        self.recipient = Named(name: recipientName)
        self.rsvp = rsvp
        self.agenda = agenda.schedule(from: meeting.start).map {
            AgendaLine(number: $0.number, title: $0.item.title, minutes: $0.plannedMinutes, presenter: $0.item.presenter,
                       startTime: $0.start.timeText, isPublic: $0.isPublic)
        }
    }
}

/// Dates and times as people read them, in German or English, without locale data from the
/// host (the output must not change with the server's ICU version).
public enum MeetingText {
    static let weekdays: [MeetingLanguage: [String]] = [
        .de: ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"],
        .en: ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
    ]
    static let months: [MeetingLanguage: [String]] = [
        .de: ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"],
        .en: ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"],
    ]

    /// "Dienstag, 14. April 2026" / "Tuesday, 14 April 2026".
    public static func longDate(_ date: LocalDate, _ language: MeetingLanguage) -> String {
        let weekday = weekdays[language]![date.isoWeekday - 1]
        let month = months[language]![date.month - 1]
        switch language {
        case .de: return "\(weekday), \(date.day). \(month) \(date.year)"
        case .en: return "\(weekday), \(date.day) \(month) \(date.year)"
        }
    }

    /// "14.04.2026" / "14/04/2026".
    public static func shortDate(_ date: LocalDate, _ language: MeetingLanguage) -> String {
        let d = LocalDateTime.pad(date.day), m = LocalDateTime.pad(date.month)
        return language == .de ? "\(d).\(m).\(date.year)" : "\(d)/\(m)/\(date.year)"
    }
}
