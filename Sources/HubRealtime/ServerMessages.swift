import HubServices

/// The control messages the server sends (events go through `Frames.event`).
/// Field names are the wire names documented in Docs/api/websocket.md.
public enum ServerMessage {
    public struct UserRef: Codable, Sendable, Hashable {
        public let id: String
        public let displayName: String
        /// Where in the topic the user is working (e.g. `<recommendationId>:goals`); only
        /// in presence lists, null when they are just looking.
        public var focus: String?

        public init(id: String, displayName: String, focus: String? = nil) {
            self.id = id
            self.displayName = displayName
            self.focus = focus
        }
    }

    public struct Hello: Encodable, Sendable {
        public var type = "hello"
        public let `protocol`: Int
        public let epoch: String
        public let user: UserRef?
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(type, forKey: .type)
            try c.encode(`protocol`, forKey: .protocol)
            try c.encode(epoch, forKey: .epoch)
            try c.encode(user, forKey: .user)
        }
        enum CodingKeys: String, CodingKey { case type, `protocol`, epoch, user }
    }

    public struct Authenticated: Encodable, Sendable {
        public var type = "authenticated"
        public let user: UserRef
    }

    public struct Subscribed: Encodable, Sendable {
        public var type = "subscribed"
        public let id: String?
        public let topic: String
        public let epoch: String
        public let seq: Int64
        public let recovered: Bool
        public let replayed: Int
    }

    public struct Unsubscribed: Encodable, Sendable {
        public var type = "unsubscribed"
        public let id: String?
        public let topic: String
        public let reason: String?
    }

    public struct Presence: Encodable, Sendable {
        public var type = "presence"
        public let topic: String
        /// At most `TopicHub.presenceListLimit` people: those with a focus first, then by name.
        public let users: [UserRef]
        /// How many distinct people follow the topic (may exceed `users.count`).
        public let count: Int
    }

    public struct Resync: Encodable, Sendable {
        public var type = "resync"
        public let topic: String
        public let seq: Int64
    }

    public struct Pong: Encodable, Sendable {
        public var type = "pong"
        public let id: String?
    }

    public struct Error: Encodable, Sendable {
        public var type = "error"
        public let id: String?
        public let topic: String?
        public let code: String
        public let message: String
    }
}
