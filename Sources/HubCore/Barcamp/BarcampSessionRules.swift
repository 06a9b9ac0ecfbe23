import Foundation

/// What a host proposes.
public struct BarcampProposal: Sendable, Hashable {
    public var title: String
    public var description: String
    public var format: BarcampFormat
    public var expectedSize: Int?
    public var coHosts: [ParticipantRef]

    public init(title: String, description: String = "", format: BarcampFormat = .discussion, expectedSize: Int? = nil,
                coHosts: [ParticipantRef] = []) {
        self.title = title
        self.description = description
        self.format = format
        self.expectedSize = expectedSize
        self.coHosts = coHosts
    }
}

/// A partial change to a proposal; `nil` leaves a property as it is (`expectedSize: .some(nil)` clears it).
public struct BarcampProposalPatch: Sendable, Hashable {
    public var title: String?
    public var description: String?
    public var format: BarcampFormat?
    public var expectedSize: Int??
    public var coHosts: [ParticipantRef]?

    public init(title: String? = nil, description: String? = nil, format: BarcampFormat? = nil, expectedSize: Int?? = nil,
                coHosts: [ParticipantRef]? = nil) {
        self.title = title
        self.description = description
        self.format = format
        self.expectedSize = expectedSize
        self.coHosts = coHosts
    }
}

/// Session proposals and interest marks.
public enum BarcampSessionRules {
    /// Allowed length of a proposal's title.
    public static let titleLength = 3...120
    /// Allowed length of a proposal's description.
    public static let descriptionLength = 0...4000
    /// At most this many co-hosts.
    public static let maxCoHosts = 5
    /// Allowed expected attendance.
    public static let expectedSizeRange = 1...5000

    /// Anyone taking part proposes a session while proposals are open and becomes its host.
    /// The same host sending the same title again gets nothing new (a double-sent form).
    public static func propose(_ proposal: BarcampProposal, id: BarcampSessionID, barcamp: Barcamp, sessions: [BarcampSession],
                               by actor: BoardActor, now: Date) throws(DomainError) -> BarcampOutcome {
        try barcamp.access.require(.guest, actor)
        guard let me = actor.participant else { throw .unauthenticated }
        try BarcampRules.requireOpen(barcamp)
        guard barcamp.settings.proposalsOpen else { throw BarcampErrors.proposalsClosed }
        var issues: [FieldIssue] = []
        let title = BoardText.line(proposal.title, field: "title", length: titleLength, issues: &issues)
        let description = BoardText.text(proposal.description, field: "description", length: descriptionLength, issues: &issues)
        let coHosts = validCoHosts(proposal.coHosts, host: me, issues: &issues)
        validExpectedSize(proposal.expectedSize, issues: &issues)
        guard issues.isEmpty else { throw .validation(issues) }
        let mine = sessions.filter { $0.host == me && $0.status == .proposed }
        if mine.contains(where: { $0.title.lowercased() == title.lowercased() }) { return BarcampOutcome(barcamp: barcamp) }
        guard mine.count < barcamp.settings.proposalsPerParticipant else { throw BarcampErrors.proposalLimit }
        let session = BarcampSession(id: id, barcampID: barcamp.id, title: title, description: description, host: me, coHosts: coHosts,
                                     format: proposal.format, expectedSize: proposal.expectedSize, status: .proposed, createdAt: now,
                                     updatedAt: now, version: 1)
        return BarcampOutcome(barcamp: barcamp, changes: [.session(session)], events: [.sessionProposed(session)])
    }

    /// Hosts, co-hosts and moderators edit a proposal. New co-hosts must be free in the
    /// session's slot if it is already placed.
    public static func edit(_ sessionID: BarcampSessionID, with patch: BarcampProposalPatch, expectedVersion: Int, barcamp: Barcamp,
                            sessions: [BarcampSession], by actor: BoardActor, now: Date) throws(DomainError) -> BarcampOutcome {
        let role = try barcamp.access.require(.guest, actor)
        try BarcampRules.requireOpen(barcamp)
        guard var session = sessions.first(where: { $0.id == sessionID }) else { throw BarcampErrors.sessionNotFound }
        guard role == .lead || session.hosts.contains(where: { $0 == actor.participant }) else { throw BarcampErrors.notHost }
        guard session.status == .proposed else { throw BarcampErrors.sessionWithdrawn }
        guard expectedVersion == session.version else { throw .versionConflict }
        var issues: [FieldIssue] = []
        if let title = patch.title { session.title = BoardText.line(title, field: "title", length: titleLength, issues: &issues) }
        if let description = patch.description {
            session.description = BoardText.text(description, field: "description", length: descriptionLength, issues: &issues)
        }
        if let format = patch.format { session.format = format }
        if let expectedSize = patch.expectedSize {
            validExpectedSize(expectedSize, issues: &issues)
            session.expectedSize = expectedSize
        }
        if let coHosts = patch.coHosts { session.coHosts = validCoHosts(coHosts, host: session.host, issues: &issues) }
        guard issues.isEmpty else { throw .validation(issues) }
        if let placed = barcamp.assignment(of: sessionID),
           BarcampGridRules.hostsBusy(session, in: placed.cell.slotID, barcamp: barcamp, sessions: sessions) {
            throw BarcampErrors.hostConflict
        }
        guard session != sessions.first(where: { $0.id == sessionID }) else { return BarcampOutcome(barcamp: barcamp) }
        session.version += 1
        session.updatedAt = now
        return BarcampOutcome(barcamp: barcamp, changes: [.session(session)], events: [.sessionEdited(session)])
    }

    /// The host or a moderator withdraws a proposal; a placed session leaves the grid (announced
    /// when the schedule is published). Withdrawing again changes nothing.
    public static func withdraw(_ sessionID: BarcampSessionID, barcamp: Barcamp, sessions: [BarcampSession], by actor: BoardActor,
                                now: Date) throws(DomainError) -> BarcampOutcome {
        let role = try barcamp.access.require(.guest, actor)
        try BarcampRules.requireOpen(barcamp)
        guard var session = sessions.first(where: { $0.id == sessionID }) else { throw BarcampErrors.sessionNotFound }
        guard role == .lead || session.host == actor.participant else { throw BarcampErrors.notHost }
        guard session.status == .proposed else { return BarcampOutcome(barcamp: barcamp) }
        session.status = .withdrawn
        session.version += 1
        session.updatedAt = now
        var events: [BarcampEvent] = [.sessionWithdrawn(session)]
        guard let placed = barcamp.assignment(of: sessionID) else {
            return BarcampOutcome(barcamp: barcamp, changes: [.session(session)], events: events)
        }
        var next = barcamp
        next.grid.removeAll { $0.sessionID == sessionID }
        next.version += 1
        next.updatedAt = now
        events += BarcampGridRules.gridEvents(next, [ScheduleChange(sessionID: sessionID, from: placed.cell, to: nil)])
        return BarcampOutcome(barcamp: next, barcampChanged: true, changes: [.session(session)], events: events)
    }

    /// Marks interest in a session. Marking a marked session changes nothing (a set, so a retry
    /// or double click never counts twice). `interest` is the session's current number of marks.
    public static func markInterest(in sessionID: BarcampSessionID, barcamp: Barcamp, sessions: [BarcampSession], myMarks: [InterestMark],
                                    interest: Int, by actor: BoardActor, now: Date) throws(DomainError) -> BarcampOutcome {
        try barcamp.access.require(.guest, actor)
        guard let me = actor.participant else { throw .unauthenticated }
        try BarcampRules.requireOpen(barcamp)
        guard let session = sessions.first(where: { $0.id == sessionID }) else { throw BarcampErrors.sessionNotFound }
        let mine = myMarks.filter { $0.participant == me }
        if mine.contains(where: { $0.sessionID == sessionID }) { return BarcampOutcome(barcamp: barcamp) }
        guard session.status == .proposed else { throw BarcampErrors.sessionWithdrawn }
        // Marks on withdrawn sessions do not use up the limit.
        let withdrawn = Set(sessions.filter { $0.status == .withdrawn }.map(\.id))
        guard mine.filter({ !withdrawn.contains($0.sessionID) }).count < barcamp.settings.interestLimit else { throw BarcampErrors.interestLimit }
        let mark = InterestMark(barcampID: barcamp.id, sessionID: sessionID, participant: me, at: now)
        return BarcampOutcome(barcamp: barcamp, changes: [.markAdded(mark)],
                              events: [.interestChanged(barcamp: barcamp.id, session: sessionID, interest: interest + 1)])
    }

    /// Removes the actor's mark; removing a mark that is not there changes nothing.
    public static func unmarkInterest(in sessionID: BarcampSessionID, barcamp: Barcamp, myMarks: [InterestMark], interest: Int,
                                      by actor: BoardActor) throws(DomainError) -> BarcampOutcome {
        try barcamp.access.require(.guest, actor)
        guard let me = actor.participant else { throw .unauthenticated }
        try BarcampRules.requireOpen(barcamp)
        guard let mark = myMarks.first(where: { $0.participant == me && $0.sessionID == sessionID }) else { return BarcampOutcome(barcamp: barcamp) }
        return BarcampOutcome(barcamp: barcamp, changes: [.markRemoved(mark)],
                              events: [.interestChanged(barcamp: barcamp.id, session: sessionID, interest: max(0, interest - 1))])
    }

    static func validCoHosts(_ coHosts: [ParticipantRef], host: ParticipantRef, issues: inout [FieldIssue]) -> [ParticipantRef] {
        var seen: Set<ParticipantRef> = [host]
        let unique = coHosts.filter { seen.insert($0).inserted }
        if unique.count > maxCoHosts {
            issues.append(FieldIssue(field: "coHosts", code: "tooMany", message: "At most \(maxCoHosts) co-hosts."))
        }
        return unique
    }

    static func validExpectedSize(_ size: Int?, issues: inout [FieldIssue]) {
        if let size, !expectedSizeRange.contains(size) {
            issues.append(FieldIssue(field: "expectedSize", code: "outOfRange", message: "Between 1 and 5000 people."))
        }
    }
}
