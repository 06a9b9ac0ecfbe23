import Foundation

/// What a signed RSVP link says, once the services have verified its signature (HMAC with
/// the installation secret) and expiry: for which meeting or series, for whom, and the
/// SEQUENCE of the invitation it came with.
public struct RSVPTokenClaims: Hashable, Sendable {
    public let target: CalendarTarget
    public let invitee: InviteeKey
    public let sequence: Int

    public init(target: CalendarTarget, invitee: InviteeKey, sequence: Int) {
        self.target = target
        self.invitee = invitee
        self.sequence = sequence
    }
}

/// On whose authority an answer is recorded: a signed-in member answering for themselves,
/// or the holder of a link from an invitation (members and guests, without signing in).
public enum RSVPAuthority: Hashable, Sendable {
    case principal(Principal)
    case token(RSVPTokenClaims)
}

extension MeetingRules {
    /// Records an invitee's answer. `responses` are the answers recorded so far (for the
    /// live tally). A link from before the last change of time is refused: its holder
    /// agreed to a time that no longer holds and has a newer invitation.
    public static func respond(_ response: RSVPResponse, to meeting: Meeting, as invitee: InviteeKey, authority: RSVPAuthority,
                               responses: [RSVP], now: Date) throws(DomainError) -> (RSVP, [MeetingEvent]) {
        try authorize(authority, target: .meeting(meeting.id), invitee: invitee, scheduleSequence: meeting.scheduleSequence)
        guard meeting.invitee(invitee) != nil else { throw .notFound("invitation") }
        guard meeting.status == .invited else {
            throw transition("rsvp.closed", meeting.status == .cancelled ? "The meeting was cancelled." : "Answers are taken while the invitation is open.")
        }
        guard now < meeting.endInstant else { throw transition("rsvp.closed", "The meeting is over.") }
        let rsvp = RSVP(target: .meeting(meeting.id), invitee: invitee, response: response, at: now)
        let tally = RSVPTally(invitees: meeting.invitees, responses: responses.filter { $0.invitee != invitee } + [rsvp])
        return (rsvp, [.rsvpRecorded(rsvp, workspace: meeting.workspaceID, tally: tally)])
    }

    static func authorize(_ authority: RSVPAuthority, target: CalendarTarget, invitee: InviteeKey, scheduleSequence: Int)
        throws(DomainError) {
        switch authority {
        case .principal(let actor):
            guard let userID = actor.userID else { throw .unauthenticated }
            guard invitee == .member(userID) else { throw .forbidden }
        case .token(let claims):
            guard claims.target == target, claims.invitee == invitee else { throw .forbidden }
            guard claims.sequence >= scheduleSequence else {
                throw transition("rsvp.outdated", "The meeting has moved since this invitation. Please use the link in the newest invitation.")
            }
        }
    }
}
