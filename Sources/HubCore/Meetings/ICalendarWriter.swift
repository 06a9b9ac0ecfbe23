import Foundation

/// A person in a calendar message: display name and e-mail address.
public struct CalendarPerson: Hashable, Sendable {
    public let name: String
    public let email: String

    public init(name: String, email: String) {
        self.name = name
        self.email = email
    }
}

/// An ATTENDEE line: who, in which role, with which answer so far.
public struct CalendarAttendee: Hashable, Sendable {
    public let person: CalendarPerson
    public let role: InviteeRole
    public let response: RSVPResponse?

    public init(person: CalendarPerson, role: InviteeRole, response: RSVPResponse?) {
        self.person = person
        self.role = role
        self.response = response
    }
}

/// One VEVENT, independent of where its data came from.
public struct CalendarEvent: Hashable, Sendable {
        /// STATUS: TENTATIVE only in feeds (planned meetings), CANCELLED in CANCEL messages.
    public enum Status: String, Sendable, Hashable {
        case tentative = "TENTATIVE", confirmed = "CONFIRMED", cancelled = "CANCELLED"
    }

    public var uid: String
    public var sequence: Int
    /// DTSTAMP: when this version was written (the record's last change, so output is stable).
    public var stamp: Date
    /// Set for an override of one occurrence of a series.
    public var recurrenceID: LocalDateTime?
    public var start: LocalDateTime
    public var end: LocalDateTime
    public var rule: RecurrenceRule?
    public var exceptions: [LocalDateTime]
    public var summary: String
    public var description: String
    public var location: String?
    public var url: String?
    public var status: Status
    public var organizer: CalendarPerson
    public var attendees: [CalendarAttendee]
}

/// Installation-wide calendar settings, read once from the configuration.
public struct CalendarSettings: Hashable, Sendable {
    /// PRODID, e.g. `-//Landkreis Musterkreis//Roundtable//DE`.
    public let productID: String
    /// The right-hand side of every UID (the installation's host name), so UIDs are globally
    /// unique and stable: `meeting-<uuid>@<domain>`.
    public let uidDomain: String
    /// The installation's own organizer (e.g. the planning office's address): named in feeds,
    /// which carry no personal addresses, and when an organizer's account no longer exists.
    public let fallbackOrganizer: CalendarPerson

    public init(productID: String, uidDomain: String, fallbackOrganizer: CalendarPerson) {
        self.productID = productID
        self.uidDomain = uidDomain
        self.fallbackOrganizer = fallbackOrganizer
    }
}

/// Serializes VCALENDAR objects: RFC 5545 syntax, RFC 5546 methods, a VTIMEZONE for
/// Europe/Berlin, properties in a fixed order, folded at 75 octets, CRLF line ends. The same
/// input always gives the same bytes.
public enum ICalendarWriter {
    /// The iTIP method; nil writes none (a plain calendar file).
    public enum Method: String, Sendable, Hashable {
        case request = "REQUEST", cancel = "CANCEL", publish = "PUBLISH"
    }

    /// A whole VCALENDAR. `calendarName` adds the feed properties (name, time zone, refresh
    /// interval) that subscribed calendars read.
    public static func document(method: Method?, events: [CalendarEvent], settings: CalendarSettings, calendarName: String? = nil) -> String {
        var lines = ["BEGIN:VCALENDAR", "VERSION:2.0", ContentLine.text("PRODID", settings.productID).rendered, "CALSCALE:GREGORIAN"]
        if let method { lines.append("METHOD:\(method.rawValue)") }
        if let calendarName {
            lines.append(ContentLine.text("NAME", calendarName).rendered)
            lines.append(ContentLine.text("X-WR-CALNAME", calendarName).rendered)
            lines.append("X-WR-TIMEZONE:\(BerlinTime.zoneID)")
            lines.append("REFRESH-INTERVAL;VALUE=DURATION:PT1H")
            lines.append("X-PUBLISHED-TTL:PT1H")
        }
        lines += BerlinTime.vtimezone
        for event in events { lines += vevent(event, method: method) }
        lines.append("END:VCALENDAR")
        return ICalendarText.document(lines)
    }

    /// The lines of one VEVENT (unfolded).
    static func vevent(_ e: CalendarEvent, method: Method?) -> [String] {
        let tz = [("TZID", BerlinTime.zoneID)]
        var lines: [ContentLine] = [
            ContentLine.text("UID", e.uid),
            ContentLine("SEQUENCE", [], String(e.sequence)),
            ContentLine("DTSTAMP", [], BerlinTime.utcText(e.stamp)),
        ]
        if let id = e.recurrenceID { lines.append(ContentLine("RECURRENCE-ID", tz, id.icalText)) }
        lines.append(ContentLine("DTSTART", tz, e.start.icalText))
        lines.append(ContentLine("DTEND", tz, e.end.icalText))
        if let rule = e.rule {
            lines.append(ContentLine("RRULE", [], rule.description))
            if !e.exceptions.isEmpty { lines.append(ContentLine("EXDATE", tz, e.exceptions.sorted().map(\.icalText).joined(separator: ","))) }
        }
        lines.append(ContentLine.text("SUMMARY", e.summary))
        if !e.description.isEmpty { lines.append(ContentLine.text("DESCRIPTION", e.description)) }
        if let location = e.location { lines.append(ContentLine.text("LOCATION", location)) }
        if let url = e.url { lines.append(ContentLine("URL", [("VALUE", "URI")], url)) }
        lines.append(ContentLine("STATUS", [], e.status.rawValue))
        lines.append(ContentLine("TRANSP", [], e.status == .cancelled ? "TRANSPARENT" : "OPAQUE"))
        lines.append(ContentLine("ORGANIZER", [("CN", e.organizer.name)], "mailto:" + e.organizer.email))
        // A published feed names no attendees (RFC 5546 §3.2.1), which also keeps addresses private.
        if method != .publish && method != nil {
            for a in e.attendees {
                var params: [(String, String)] = [("CN", a.person.name), ("CUTYPE", "INDIVIDUAL"), ("ROLE", role(a.role))]
                if method == .request {
                    params.append(("PARTSTAT", partstat(a.response)))
                    params.append(("RSVP", "TRUE"))
                }
                lines.append(ContentLine("ATTENDEE", params, "mailto:" + a.person.email))
            }
        }
        return ["BEGIN:VEVENT"] + lines.map(\.rendered) + ["END:VEVENT"]
    }

    static func role(_ role: InviteeRole) -> String {
        switch role {
        case .chair: "CHAIR"
        case .required: "REQ-PARTICIPANT"
        case .optional: "OPT-PARTICIPANT"
        }
    }

    static func partstat(_ response: RSVPResponse?) -> String {
        switch response {
        case nil: "NEEDS-ACTION"
        case .accepted: "ACCEPTED"
        case .tentative: "TENTATIVE"
        case .declined: "DECLINED"
        }
    }
}
