import Foundation

/// Identifies a session proposal.
public typealias BarcampSessionID = Identifier<BarcampSession>

/// The kind of session a host offers.
public enum BarcampFormat: String, Sendable, Hashable, Codable, CaseIterable {
    case talk, discussion, workshop, demo, other
}

/// Whether a proposal still stands.
public enum BarcampSessionStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case proposed, withdrawn
}

/// A session proposal: what a host offers to hold.
public struct BarcampSession: Sendable, Hashable, Codable, Identifiable {
    public let id: BarcampSessionID
    public let barcampID: BarcampID
    public var title: String
    public var description: String
    /// The proposer, who holds the session.
    public let host: ParticipantRef
    /// People who hold it together with the host; they may never be double-booked either.
    public var coHosts: [ParticipantRef]
    public var format: BarcampFormat
    /// The host's estimate of attendance, used where interest marks are tied.
    public var expectedSize: Int?
    public var status: BarcampSessionStatus
    public let createdAt: Date
    public var updatedAt: Date
    /// Increases with every edit (optimistic concurrency among host, co-hosts and moderators).
    public var version: Int

    public init(id: BarcampSessionID, barcampID: BarcampID, title: String, description: String, host: ParticipantRef, coHosts: [ParticipantRef],
                format: BarcampFormat, expectedSize: Int?, status: BarcampSessionStatus, createdAt: Date, updatedAt: Date, version: Int) {
        self.id = id
        self.barcampID = barcampID
        self.title = title
        self.description = description
        self.host = host
        self.coHosts = coHosts
        self.format = format
        self.expectedSize = expectedSize
        self.status = status
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.version = version
    }

    /// Host and co-hosts: the people who must be in this session's room.
    public var hosts: [ParticipantRef] { [host] + coHosts }
}

/// A participant's mark "I want to attend this session". A set: marking twice is one mark.
public struct InterestMark: Sendable, Hashable, Codable {
    public let barcampID: BarcampID
    public let sessionID: BarcampSessionID
    public let participant: ParticipantRef
    public let at: Date

    public init(barcampID: BarcampID, sessionID: BarcampSessionID, participant: ParticipantRef, at: Date) {
        self.barcampID = barcampID
        self.sessionID = sessionID
        self.participant = participant
        self.at = at
    }
}

/// The shared notes of one session (Markdown), written by several people. Together the notes
/// of all sessions form the event's documentation.
public struct SessionNotes: Sendable, Hashable, Codable {
    public let barcampID: BarcampID
    public let sessionID: BarcampSessionID
    public var text: String
    /// Everyone who saved a version, in the order they first did.
    public var authors: [ParticipantRef]
    /// 0 before the first save; a save names the version it was based on.
    public var version: Int
    public var updatedAt: Date

    public init(barcampID: BarcampID, sessionID: BarcampSessionID, text: String, authors: [ParticipantRef], version: Int, updatedAt: Date) {
        self.barcampID = barcampID
        self.sessionID = sessionID
        self.text = text
        self.authors = authors
        self.version = version
        self.updatedAt = updatedAt
    }
}
