import Foundation
import HubCore
import Testing

/// Recurring meetings: one calendar entry, cancelled and moved occurrences, and the
/// occurrence meetings that carry agenda and minutes.
@Suite("Meetings: series")
struct MeetingSeriesTests {
    typealias F = MeetingFixtures

    /// "Every second Tuesday, 17:00–19:00", from 10 March 2026, six times; invited on 1 March.
    static func invitedSeries() throws -> MeetingSeries {
        var d = F.draft
        (d.start, d.end) = (F.local(2026, 3, 10, 17, 0), F.local(2026, 3, 10, 19, 0))
        let (s, _) = try SeriesRules.create(d, rule: try RecurrenceRule(parsing: "FREQ=MONTHLY;BYDAY=2TU;COUNT=6"), id: MeetingSeriesID(F.uuid(200)),
                                            template: F.template, in: F.workspace, by: F.coordinator, now: F.at(2026, 3, 1, 9, 0), today: F.today)
        return try SeriesRules.invite(s, expectedVersion: 1, in: F.workspace, by: F.coordinator, now: F.at(2026, 3, 1, 9, 0), today: F.today).0
    }

    static func dates(_ s: MeetingSeries) -> [String] { s.occurrences().map(\.start.description) }

    @Test("Creating refuses a first meeting the rule does not describe")
    func create() throws {
        var d = F.draft
        (d.start, d.end) = (F.local(2026, 3, 11, 17, 0), F.local(2026, 3, 11, 19, 0))
        do {
            _ = try SeriesRules.create(d, rule: try RecurrenceRule(parsing: "FREQ=MONTHLY;BYDAY=2TU"), id: MeetingSeriesID(F.uuid(200)),
                                       template: F.template, in: F.workspace, by: F.coordinator, now: F.now, today: F.today)
            Issue.record("accepted")
        } catch {
            #expect(error.fields.map(\.code) == ["startNotInPattern"])
        }
        let series = try Self.invitedSeries()
        #expect(Self.dates(series) == ["2026-03-10T17:00", "2026-04-14T17:00", "2026-05-12T17:00", "2026-06-09T17:00", "2026-07-14T17:00",
                                       "2026-08-11T17:00"])
        #expect(series.status == .invited && series.sequence == 0)
    }

    @Test("Cancelling one occurrence adds an EXDATE, raises SEQUENCE, re-sends the series and cancels its prepared meeting")
    func cancelOccurrence() throws {
        let series = try Self.invitedSeries()
        let (meeting, _, _) = try SeriesRules.occurrenceMeeting(F.local(2026, 5, 12, 17, 0), of: series, id: MeetingID(F.uuid(300)), template: F.template,
                                                                by: F.coordinator, newID: F.ids(), now: F.now)
        let (next, cancelled, events) = try SeriesRules.cancelOccurrence(F.local(2026, 5, 12, 17, 0), of: series, meeting: meeting, expectedVersion: series.version,
                                                                         in: F.workspace, by: F.coordinator, now: F.now, today: F.today)
        #expect(next.cancelledOccurrences == [F.local(2026, 5, 12, 17, 0)] && next.sequence == 1)
        #expect(!Self.dates(next).contains("2026-05-12T17:00") && Self.dates(next).count == 5)
        #expect(cancelled?.status == .cancelled && cancelled?.sequence == 1)
        #expect(MeetingRulesTests.dispatches(events) == ["REQUEST update seq1 → 3"])
        #expect(F.code { try SeriesRules.cancelOccurrence(F.local(2026, 5, 12, 17, 0), of: next, meeting: nil, expectedVersion: next.version,
                                                          in: F.workspace, by: F.coordinator, now: F.now, today: F.today) } == "occurrence.notFound")
        #expect(F.code { try SeriesRules.cancelOccurrence(F.local(2026, 5, 13, 17, 0), of: series, meeting: nil, expectedVersion: series.version,
                                                          in: F.workspace, by: F.coordinator, now: F.now, today: F.today) } == "occurrence.notFound")
    }

    @Test("Moving one occurrence makes an override; moving it back removes it; answers to the old time no longer hold")
    func moveOccurrence() throws {
        let series = try Self.invitedSeries()
        let (meeting, _, _) = try SeriesRules.occurrenceMeeting(F.local(2026, 4, 14, 17, 0), of: series, id: MeetingID(F.uuid(300)), template: F.template,
                                                                by: F.coordinator, newID: F.ids(), now: F.now)
        let (moved, movedMeeting, _) = try SeriesRules.moveOccurrence(F.local(2026, 4, 14, 17, 0), to: F.local(2026, 4, 15, 16, 0),
                                                                      end: F.local(2026, 4, 15, 18, 0), of: series, meeting: meeting,
                                                                      expectedVersion: series.version, in: F.workspace, by: F.coordinator, now: F.now,
                                                                      today: F.today)
        #expect(moved.moves == [OccurrenceMove(recurrenceID: F.local(2026, 4, 14, 17, 0), start: F.local(2026, 4, 15, 16, 0), end: F.local(2026, 4, 15, 18, 0))])
        #expect(Self.dates(moved)[1] == "2026-04-15T16:00")
        #expect(movedMeeting?.start == F.local(2026, 4, 15, 16, 0) && movedMeeting?.sequence == 1 && movedMeeting?.scheduleSequence == 1)
        #expect(moved.scheduleSequence == 1)
        let (back, _, _) = try SeriesRules.moveOccurrence(F.local(2026, 4, 14, 17, 0), to: F.local(2026, 4, 14, 17, 0), end: F.local(2026, 4, 14, 19, 0),
                                                          of: moved, meeting: nil, expectedVersion: moved.version, in: F.workspace, by: F.coordinator,
                                                          now: F.now, today: F.today)
        #expect(back.moves.isEmpty && back.sequence == 2)
        #expect(F.code { try SeriesRules.moveOccurrence(F.local(2026, 4, 14, 17, 0), to: F.local(2026, 3, 1, 17, 0), end: F.local(2026, 3, 1, 19, 0),
                                                        of: series, meeting: nil, expectedVersion: series.version, in: F.workspace, by: F.coordinator,
                                                        now: F.now, today: F.today) } == "validation.failed")
    }

    @Test("A new time of day for the series carries its exceptions along by date; exceptions on dates the new rule lacks are dropped")
    func updateCarriesExceptions() throws {
        var series = try Self.invitedSeries()
        series = try SeriesRules.cancelOccurrence(F.local(2026, 5, 12, 17, 0), of: series, meeting: nil, expectedVersion: series.version,
                                                  in: F.workspace, by: F.coordinator, now: F.now, today: F.today).0
        series = try SeriesRules.moveOccurrence(F.local(2026, 6, 9, 17, 0), to: F.local(2026, 6, 10, 17, 0), end: F.local(2026, 6, 10, 19, 0),
                                                of: series, meeting: nil, expectedVersion: series.version, in: F.workspace, by: F.coordinator,
                                                now: F.now, today: F.today).0
        let (later, events) = try #require(try SeriesRules.update(series, with: MeetingPatch(start: F.local(2026, 3, 10, 18, 0), end: F.local(2026, 3, 10, 20, 0)),
                                                                  expectedVersion: series.version, in: F.workspace, by: F.coordinator, now: F.now, today: F.today))
        #expect(later.cancelledOccurrences == [F.local(2026, 5, 12, 18, 0)])
        #expect(later.moves.map(\.recurrenceID) == [F.local(2026, 6, 9, 18, 0)])
        #expect(Self.dates(later) == ["2026-03-10T18:00", "2026-04-14T18:00", "2026-06-10T17:00", "2026-07-14T18:00", "2026-08-11T18:00"])
        #expect(later.sequence == 3 && later.scheduleSequence == 3)
        #expect(events.contains(.responsesReset(.series(series.id), workspace: F.wsID)))
        let (fewer, _) = try #require(try SeriesRules.update(later, with: MeetingPatch(), rule: try RecurrenceRule(parsing: "FREQ=MONTHLY;BYDAY=2TU;COUNT=3"),
                                                             expectedVersion: later.version, in: F.workspace, by: F.coordinator, now: F.now, today: F.today))
        #expect(fewer.cancelledOccurrences.count == 1 && fewer.moves.isEmpty, "June is no longer part of a three-time series; May still is")
    }

    @Test("An occurrence meeting copies the series, refuses its own schedule changes and follows the series via sync")
    func occurrenceMeeting() throws {
        let series = try Self.invitedSeries()
        let (meeting, agenda, _) = try SeriesRules.occurrenceMeeting(F.local(2026, 6, 9, 17, 0), of: series, id: MeetingID(F.uuid(300)),
                                                                     template: F.template, by: F.coordinator, newID: F.ids(), now: F.now)
        #expect(meeting.status == .invited && meeting.series == SeriesLink(seriesID: series.id, recurrenceID: F.local(2026, 6, 9, 17, 0)))
        #expect(agenda.items.count == 5)
        #expect(F.code { try MeetingRules.update(meeting, with: MeetingPatch(place: .some("Rathaus")), expectedVersion: 1, in: F.workspace,
                                                 by: F.coordinator, now: F.now, today: F.today) } == "meeting.partOfSeries")
        #expect(F.code { try MeetingRules.update(meeting, with: MeetingPatch(description: "Schwerpunkt Pflege"), expectedVersion: 1, in: F.workspace,
                                                 by: F.coordinator, now: F.now, today: F.today) } == nil)
        #expect(F.code { try MeetingRules.cancel(meeting, reason: "", expectedVersion: 1, in: F.workspace, by: F.coordinator, now: F.now,
                                                 today: F.today) } == "meeting.partOfSeries")
        let (later, _) = try #require(try SeriesRules.update(series, with: MeetingPatch(start: F.local(2026, 3, 10, 18, 0), end: F.local(2026, 3, 10, 20, 0),
                                                                                        place: .some("Rathaus")),
                                                             expectedVersion: series.version, in: F.workspace, by: F.coordinator, now: F.now, today: F.today))
        let (synced, events) = try #require(SeriesRules.sync(meeting, with: later, now: F.now))
        #expect(synced.start == F.local(2026, 6, 9, 18, 0) && synced.place == "Rathaus" && synced.sequence == later.sequence)
        #expect(synced.series?.recurrenceID == F.local(2026, 6, 9, 18, 0))
        #expect(events == [.meetingUpdated(synced, changes: [.rescheduled, .relocated])])
        #expect(SeriesRules.sync(synced, with: later, now: F.now) == nil, "nothing left to do")
        let (cancelled, _) = try SeriesRules.cancel(later, expectedVersion: later.version, in: F.workspace, by: F.coordinator, now: F.now, today: F.today)
        #expect(SeriesRules.sync(synced, with: cancelled, now: F.now)?.0.status == .cancelled)
        #expect(F.code { try SeriesRules.occurrenceMeeting(F.local(2026, 6, 10, 17, 0), of: series, id: MeetingID(F.uuid(301)), template: F.template,
                                                           by: F.coordinator, newID: F.ids(), now: F.now) } == "occurrence.notFound")
    }

    @Test("An endless series finds any occurrence by its id, also far beyond the first 500")
    func farOccurrence() throws {
        var d = F.draft
        (d.start, d.end) = (F.local(2026, 3, 17, 17, 0), F.local(2026, 3, 17, 19, 0))
        let (series, _) = try SeriesRules.create(d, rule: try RecurrenceRule(parsing: "FREQ=WEEKLY"), id: MeetingSeriesID(F.uuid(201)),
                                                 template: F.template, in: F.workspace, by: F.coordinator, now: F.now, today: F.today)
        let far = try #require(series.occurrence(F.local(2040, 1, 3, 17, 0)))
        #expect(far.startInstant == F.at(2040, 1, 3, 17, 0) && far.end == F.local(2040, 1, 3, 19, 0))
        #expect(series.occurrence(F.local(2040, 1, 4, 17, 0)) == nil, "a Wednesday is not an occurrence")
        #expect(series.occurrences(from: F.at(2040, 1, 1, 0, 0), to: F.at(2040, 2, 1, 0, 0)).map(\.start.date.day) == [3, 10, 17, 24, 31])
    }

    @Test("Cancelling the series sends one CANCEL for its UID; answers are taken for the whole series")
    func cancelAndAnswer() throws {
        let series = try Self.invitedSeries()
        let claims = RSVPTokenClaims(target: .series(series.id), invitee: F.guestKey, sequence: 0)
        let (rsvp, _) = try SeriesRules.respond(.accepted, to: series, as: F.guestKey, authority: .token(claims), responses: [], now: F.now)
        #expect(rsvp.target == .series(series.id))
        #expect(F.code { try SeriesRules.respond(.accepted, to: series, as: F.guestKey,
                                                 authority: .token(RSVPTokenClaims(target: .meeting(MeetingID(series.id.uuid)), invitee: F.guestKey, sequence: 0)),
                                                 responses: [], now: F.now) } == "forbidden", "a meeting link is no series link, even with the same uuid")
        let (cancelled, events) = try SeriesRules.cancel(series, expectedVersion: series.version, in: F.workspace, by: F.coordinator, now: F.now, today: F.today)
        #expect(cancelled.status == .cancelled && cancelled.sequence == 1)
        #expect(MeetingRulesTests.dispatches(events) == ["CANCEL cancellation seq1 → 3"])
        let ics = MeetingCalendar.message(.cancel, for: cancelled, recipients: nil, description: "", people: F.people, settings: F.settings)
        #expect(ics.components(separatedBy: "BEGIN:VEVENT").count == 2 && !ics.contains("RECURRENCE-ID") && ics.contains("STATUS:CANCELLED"))
        #expect(F.code { try SeriesRules.respond(.accepted, to: cancelled, as: F.guestKey, authority: .token(claims), responses: [], now: F.now) } == "rsvp.closed")
    }
}
