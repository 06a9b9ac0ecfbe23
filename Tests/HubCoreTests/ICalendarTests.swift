import Foundation
import HubCore
import Testing

/// Golden iCalendar messages: the exact bytes a calendar client receives.
@Suite("Meetings: iCalendar messages")
struct ICalendarTests {
    typealias F = MeetingFixtures

    static func crlf(_ text: String) -> String { text.replacingOccurrences(of: "\n", with: "\r\n") }

    static let vtimezone = #"""
    BEGIN:VTIMEZONE
    TZID:Europe/Berlin
    X-LIC-LOCATION:Europe/Berlin
    BEGIN:DAYLIGHT
    TZNAME:CEST
    TZOFFSETFROM:+0100
    TZOFFSETTO:+0200
    DTSTART:19700329T020000
    RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
    END:DAYLIGHT
    BEGIN:STANDARD
    TZNAME:CET
    TZOFFSETFROM:+0200
    TZOFFSETTO:+0100
    DTSTART:19701025T030000
    RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
    END:STANDARD
    END:VTIMEZONE
    """#

    static let description = "Schwerpunkt: Suchtprävention an Schulen.\n\nTagesordnung und Unterlagen: https://roundtable.kreis.example/meetings/1"

    /// The invitation after a change of place (SEQUENCE 1), with an answer recorded before.
    static func relocated() throws -> Meeting {
        let invited = F.invited()
        let update = try #require(try MeetingRules.update(invited, with: MeetingPatch(place: "Kreishaus, Sitzungssaal"), expectedVersion: invited.version,
                                                          in: F.workspace, by: F.coordinator, now: F.at(2026, 3, 25, 8, 30), today: F.today))
        return update.meeting
    }

    @Test("The first invitation: METHOD:REQUEST, SEQUENCE 0, VTIMEZONE, every invitee with RSVP")
    func firstInvitation() {
        let ics = MeetingCalendar.message(.request, for: F.invited(), recipients: nil, description: Self.description, people: F.people, settings: F.settings)
        let expected = Self.crlf(#"""
        BEGIN:VCALENDAR
        VERSION:2.0
        PRODID:-//Landkreis Musterkreis//Roundtable//DE
        CALSCALE:GREGORIAN
        METHOD:REQUEST
        \#(Self.vtimezone)
        BEGIN:VEVENT
        UID:meeting-00000000-0000-4000-8000-000000000064@roundtable.kreis.example
        SEQUENCE:0
        DTSTAMP:20260320T090000Z
        DTSTART;TZID=Europe/Berlin:20260414T170000
        DTEND;TZID=Europe/Berlin:20260414T190000
        SUMMARY:Fachbeirat Sucht: Sitzung 2/2026
        DESCRIPTION:Schwerpunkt: Suchtprävention an Schulen.\n\nTagesordnung und U
         nterlagen: https://roundtable.kreis.example/meetings/1
        LOCATION:Kreishaus\, Raum 204\; Musterstraße 1\, 12345 Musterstadt
        URL;VALUE=URI:https://video.kreis.example/b/fachbeirat-sucht
        STATUS:CONFIRMED
        TRANSP:OPAQUE
        ORGANIZER;CN=Jana Koordinatorin:mailto:koordination@kreis.example
        ATTENDEE;CN=Jana Koordinatorin;CUTYPE=INDIVIDUAL;ROLE=CHAIR;PARTSTAT=NEEDS-
         ACTION;RSVP=TRUE:mailto:koordination@kreis.example
        ATTENDEE;CN="Müller, Jörg";CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTA
         T=NEEDS-ACTION;RSVP=TRUE:mailto:joerg.mueller@gemeinde.example
        ATTENDEE;CN=Erika Beispiel;CUTYPE=INDIVIDUAL;ROLE=OPT-PARTICIPANT;PARTSTAT=
         NEEDS-ACTION;RSVP=TRUE:mailto:erika.beispiel@traeger.example
        END:VEVENT
        END:VCALENDAR

        """#)
        #expect(ics == expected)
    }

    @Test("An update: same UID, SEQUENCE 1, a newer DTSTAMP, the recipient's earlier answer kept")
    func update() throws {
        let meeting = try Self.relocated()
        let accepted = RSVP(target: .meeting(meeting.id), invitee: .member(F.memberID), response: .accepted, at: F.at(2026, 3, 21, 9, 0))
        let ics = MeetingCalendar.message(.request, for: meeting, recipients: [.member(F.memberID)], description: "Schwerpunkt: Suchtprävention an Schulen.",
                                          people: F.people, responses: [accepted], settings: F.settings)
        let expected = Self.crlf(#"""
        BEGIN:VCALENDAR
        VERSION:2.0
        PRODID:-//Landkreis Musterkreis//Roundtable//DE
        CALSCALE:GREGORIAN
        METHOD:REQUEST
        \#(Self.vtimezone)
        BEGIN:VEVENT
        UID:meeting-00000000-0000-4000-8000-000000000064@roundtable.kreis.example
        SEQUENCE:1
        DTSTAMP:20260325T073000Z
        DTSTART;TZID=Europe/Berlin:20260414T170000
        DTEND;TZID=Europe/Berlin:20260414T190000
        SUMMARY:Fachbeirat Sucht: Sitzung 2/2026
        DESCRIPTION:Schwerpunkt: Suchtprävention an Schulen.
        LOCATION:Kreishaus\, Sitzungssaal
        URL;VALUE=URI:https://video.kreis.example/b/fachbeirat-sucht
        STATUS:CONFIRMED
        TRANSP:OPAQUE
        ORGANIZER;CN=Jana Koordinatorin:mailto:koordination@kreis.example
        ATTENDEE;CN="Müller, Jörg";CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTA
         T=ACCEPTED;RSVP=TRUE:mailto:joerg.mueller@gemeinde.example
        END:VEVENT
        END:VCALENDAR

        """#)
        #expect(ics == expected)
    }

    @Test("A cancellation: METHOD:CANCEL, STATUS:CANCELLED, SEQUENCE raised again, attendees without RSVP")
    func cancel() throws {
        let meeting = try Self.relocated()
        let (cancelled, _) = try MeetingRules.cancel(meeting, reason: "Erkrankung", expectedVersion: meeting.version, in: F.workspace,
                                                     by: F.coordinator, now: F.at(2026, 4, 10, 12, 0), today: F.today)
        let ics = MeetingCalendar.message(.cancel, for: cancelled, recipients: nil, description: "Die Sitzung entfällt.", people: F.people, settings: F.settings)
        let expected = Self.crlf(#"""
        BEGIN:VCALENDAR
        VERSION:2.0
        PRODID:-//Landkreis Musterkreis//Roundtable//DE
        CALSCALE:GREGORIAN
        METHOD:CANCEL
        \#(Self.vtimezone)
        BEGIN:VEVENT
        UID:meeting-00000000-0000-4000-8000-000000000064@roundtable.kreis.example
        SEQUENCE:2
        DTSTAMP:20260410T100000Z
        DTSTART;TZID=Europe/Berlin:20260414T170000
        DTEND;TZID=Europe/Berlin:20260414T190000
        SUMMARY:Fachbeirat Sucht: Sitzung 2/2026
        DESCRIPTION:Die Sitzung entfällt.
        LOCATION:Kreishaus\, Sitzungssaal
        URL;VALUE=URI:https://video.kreis.example/b/fachbeirat-sucht
        STATUS:CANCELLED
        TRANSP:TRANSPARENT
        ORGANIZER;CN=Jana Koordinatorin:mailto:koordination@kreis.example
        ATTENDEE;CN=Jana Koordinatorin;CUTYPE=INDIVIDUAL;ROLE=CHAIR:mailto:koordina
         tion@kreis.example
        ATTENDEE;CN="Müller, Jörg";CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT:mailto:
         joerg.mueller@gemeinde.example
        ATTENDEE;CN=Erika Beispiel;CUTYPE=INDIVIDUAL;ROLE=OPT-PARTICIPANT:mailto:er
         ika.beispiel@traeger.example
        END:VEVENT
        END:VCALENDAR

        """#)
        #expect(ics == expected)
    }

    /// A monthly series (second Tuesday, six times) with May cancelled and April moved.
    static func series() throws -> MeetingSeries {
        var d = F.draft
        (d.start, d.end) = (F.local(2026, 3, 10, 17, 0), F.local(2026, 3, 10, 19, 0))
        let rule = try RecurrenceRule(parsing: "FREQ=MONTHLY;BYDAY=2TU;COUNT=6")
        let created = F.at(2026, 3, 1, 9, 0)
        var (s, _) = try SeriesRules.create(d, rule: rule, id: MeetingSeriesID(F.uuid(200)), template: F.template, in: F.workspace, by: F.coordinator,
                                            now: created, today: F.today)
        s = try SeriesRules.invite(s, expectedVersion: s.version, in: F.workspace, by: F.coordinator, now: created, today: F.today).0
        s = try SeriesRules.cancelOccurrence(F.local(2026, 5, 12, 17, 0), of: s, meeting: nil, expectedVersion: s.version, in: F.workspace,
                                             by: F.coordinator, now: F.now, today: F.today).0
        s = try SeriesRules.moveOccurrence(F.local(2026, 4, 14, 17, 0), to: F.local(2026, 4, 15, 16, 0), end: F.local(2026, 4, 15, 18, 0), of: s,
                                           meeting: nil, expectedVersion: s.version, in: F.workspace, by: F.coordinator, now: F.now, today: F.today).0
        return s
    }

    @Test("A series: RRULE and EXDATE on the master, the moved occurrence as a RECURRENCE-ID override with the same UID")
    func series() throws {
        let ics = MeetingCalendar.message(.request, for: try Self.series(), recipients: [F.guestKey], description: "Monatliche Sitzung",
                                          people: F.people, settings: F.settings)
        let event = #"""
        SUMMARY:Fachbeirat Sucht: Sitzung 2/2026
        DESCRIPTION:Monatliche Sitzung
        LOCATION:Kreishaus\, Raum 204\; Musterstraße 1\, 12345 Musterstadt
        URL;VALUE=URI:https://video.kreis.example/b/fachbeirat-sucht
        STATUS:CONFIRMED
        TRANSP:OPAQUE
        ORGANIZER;CN=Jana Koordinatorin:mailto:koordination@kreis.example
        ATTENDEE;CN=Erika Beispiel;CUTYPE=INDIVIDUAL;ROLE=OPT-PARTICIPANT;PARTSTAT=
         NEEDS-ACTION;RSVP=TRUE:mailto:erika.beispiel@traeger.example
        END:VEVENT
        """#
        let expected = Self.crlf(#"""
        BEGIN:VCALENDAR
        VERSION:2.0
        PRODID:-//Landkreis Musterkreis//Roundtable//DE
        CALSCALE:GREGORIAN
        METHOD:REQUEST
        \#(Self.vtimezone)
        BEGIN:VEVENT
        UID:series-00000000-0000-4000-8000-0000000000c8@roundtable.kreis.example
        SEQUENCE:2
        DTSTAMP:20260320T090000Z
        DTSTART;TZID=Europe/Berlin:20260310T170000
        DTEND;TZID=Europe/Berlin:20260310T190000
        RRULE:FREQ=MONTHLY;COUNT=6;BYDAY=2TU
        EXDATE;TZID=Europe/Berlin:20260512T170000
        \#(event)
        BEGIN:VEVENT
        UID:series-00000000-0000-4000-8000-0000000000c8@roundtable.kreis.example
        SEQUENCE:2
        DTSTAMP:20260320T090000Z
        RECURRENCE-ID;TZID=Europe/Berlin:20260414T170000
        DTSTART;TZID=Europe/Berlin:20260415T160000
        DTEND;TZID=Europe/Berlin:20260415T180000
        \#(event)
        END:VCALENDAR

        """#)
        #expect(ics == expected)
    }

    @Test("The workspace feed: METHOD:PUBLISH, calendar name, no attendees, no cancelled meetings, planned ones tentative, series once")
    func feed() throws {
        let invited = try Self.relocated()
        var (planned, _) = F.planned()
        planned = Meeting(id: MeetingID(F.uuid(101)), workspaceID: F.wsID, template: F.template.ref, title: "Vorbereitungstreffen", description: "",
                          start: F.local(2026, 6, 2, 10, 0), end: F.local(2026, 6, 2, 11, 0), place: "Kreishaus", onlineURL: nil,
                          organizerID: F.coordinatorID, invitees: planned.invitees, status: .planned, sequence: 0, series: nil,
                          createdAt: F.now, updatedAt: F.now, version: 1)
        let (cancelled, _) = try MeetingRules.cancel(invited, reason: "", expectedVersion: invited.version, in: F.workspace, by: F.coordinator,
                                                     now: F.now, today: F.today)
        let series = try Self.series()
        let (occurrence, _, _) = try SeriesRules.occurrenceMeeting(F.local(2026, 6, 9, 17, 0), of: series, id: MeetingID(F.uuid(102)), template: F.template,
                                                                   by: F.coordinator, newID: F.ids(), now: F.now)
        let feed = MeetingCalendar.feed(name: "Fachbeirat Sucht", meetings: [planned, cancelled, occurrence], series: [series],
                                        people: F.people, settings: F.settings)
        let lines = feed.components(separatedBy: "\r\n")
        #expect(lines.contains("METHOD:PUBLISH") && lines.contains("X-WR-CALNAME:Fachbeirat Sucht") && lines.contains("X-WR-TIMEZONE:Europe/Berlin"))
        #expect(!feed.contains("ATTENDEE"), "a feed at a secret URL must not leak addresses")
        let uids = lines.filter { $0.hasPrefix("UID:") }
        #expect(uids == [
            "UID:series-00000000-0000-4000-8000-0000000000c8@roundtable.kreis.example",
            "UID:series-00000000-0000-4000-8000-0000000000c8@roundtable.kreis.example",
            "UID:meeting-00000000-0000-4000-8000-000000000065@roundtable.kreis.example",
        ], "the series (master, then its override) before the later planned meeting; the cancelled one and the occurrence meeting left out")
        #expect(lines.filter { $0 == "STATUS:TENTATIVE" }.count == 1)
        #expect(lines.filter { $0.hasPrefix("ORGANIZER") }.allSatisfy { $0 == "ORGANIZER;CN=Sozialplanung:mailto:sozialplanung@kreis.example" },
                "no personal address in a feed")
        #expect(feed == MeetingCalendar.feed(name: "Fachbeirat Sucht", meetings: [occurrence, cancelled, planned], series: [series],
                                             people: F.people, settings: F.settings), "input order does not change the bytes")
    }

    @Test("One UID from invitation to cancellation, SEQUENCE strictly increasing with every message")
    func sameUIDIncreasingSequence() throws {
        var meeting = F.invited()
        var messages = [MeetingCalendar.message(.request, for: meeting, recipients: nil, description: "", people: F.people, settings: F.settings)]
        for patch in [MeetingPatch(title: "Fachbeirat Sucht: Sitzung 2/2026 (neu)"), MeetingPatch(start: F.local(2026, 4, 14, 18, 0), end: F.local(2026, 4, 14, 20, 0))] {
            meeting = try #require(try MeetingRules.update(meeting, with: patch, expectedVersion: meeting.version, in: F.workspace, by: F.coordinator,
                                                           now: F.now, today: F.today)).meeting
            messages.append(MeetingCalendar.message(.request, for: meeting, recipients: nil, description: "", people: F.people, settings: F.settings))
        }
        meeting = try MeetingRules.cancel(meeting, reason: "", expectedVersion: meeting.version, in: F.workspace, by: F.coordinator, now: F.now, today: F.today).0
        messages.append(MeetingCalendar.message(.cancel, for: meeting, recipients: nil, description: "", people: F.people, settings: F.settings))
        let uids = Set(messages.map { $0.components(separatedBy: "\r\n").first { $0.hasPrefix("UID:") } })
        let sequences = messages.compactMap { $0.components(separatedBy: "\r\n").first { $0.hasPrefix("SEQUENCE:") }.flatMap { Int($0.dropFirst(9)) } }
        #expect(uids.count == 1)
        #expect(sequences == [0, 1, 2, 3])
    }

    @Test("A removed invitee's CANCEL names them even though they are no longer invited; unknown members are left out")
    func removedInvitee() throws {
        let meeting = F.invited()
        let update = try #require(try MeetingRules.update(meeting, with: MeetingPatch(invitees: Array(meeting.invitees.prefix(2))),
                                                          expectedVersion: meeting.version, in: F.workspace, by: F.coordinator, now: F.now, today: F.today))
        let ics = MeetingCalendar.message(.cancel, for: update.meeting, recipients: [F.guestKey], description: "", people: F.people, settings: F.settings)
        let unfolded = ics.replacingOccurrences(of: "\r\n ", with: "")
        #expect(unfolded.contains("ATTENDEE;CN=erika.beispiel@traeger.example;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT:mailto:erika.beispiel@traeger.example\r\n"))
        #expect(unfolded.components(separatedBy: "\r\n").filter { $0.hasPrefix("ATTENDEE") }.count == 1)
        #expect(ics.contains("SEQUENCE:1\r\n"))
        let nobody = MeetingCalendar.message(.request, for: meeting, recipients: [.member(F.outsiderID)], description: "", people: F.people, settings: F.settings)
        #expect(!nobody.contains("ATTENDEE"))
    }

    @Test("A downloaded .ics has no METHOD and no attendees; an unknown organizer falls back to the planning staff")
    func download() {
        var meeting = F.invited()
        meeting.organizerID = F.outsiderID
        let ics = MeetingCalendar.download(meeting, description: "", people: F.people, settings: F.settings)
        #expect(!ics.contains("METHOD:") && !ics.contains("ATTENDEE"))
        #expect(ics.contains("ORGANIZER;CN=Sozialplanung:mailto:sozialplanung@kreis.example\r\n"))
    }

    @Test("Every message is CRLF-terminated with no line over 75 octets")
    func wireFormat() throws {
        let messages = [
            MeetingCalendar.message(.request, for: F.invited(), recipients: nil, description: String(repeating: "Übergänge 🚸, ", count: 40),
                                    people: F.people, settings: F.settings),
            MeetingCalendar.message(.request, for: try Self.series(), recipients: nil, description: "", people: F.people, settings: F.settings),
        ]
        for ics in messages {
            #expect(ics.hasSuffix("END:VCALENDAR\r\n"))
            #expect(!ics.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
            #expect(!ics.replacingOccurrences(of: "\r\n", with: "").contains("\r"))
            for line in ics.components(separatedBy: "\r\n") { #expect(line.utf8.count <= 75) }
        }
    }
}
