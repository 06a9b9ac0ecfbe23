import Foundation
import HubCore
import HubServices
import Logging
import NIOCore
import Synchronization

/// The WebSocket protocol, independent of the transport: authorizes and answers client
/// messages, runs subscribe-with-replay so a reconnecting client gets exactly what it
/// missed, in order, and then live events with no gap and no duplicate.
public struct LiveGateway: Sendable {
    let hub: TopicHub
    let log: any EventLog
    let authenticator: Authenticator
    let store: any HubStore
    let logger: Logger
    let clock: any HubServices.Clock
    /// How many events a subscribe may replay; a client further behind reloads the snapshot.
    let maxReplay: Int
    /// Authorizes the topics of live boards (they need the board to decide).
    let boards: (any BoardTopicAuthorizer)?

    public init(hub: TopicHub, store: any HubStore, authenticator: Authenticator, clock: any HubServices.Clock, logger: Logger, maxReplay: Int = 1000,
                boards: (any BoardTopicAuthorizer)? = nil) {
        self.boards = boards
        self.clock = clock
        self.hub = hub
        self.log = store
        self.store = store
        self.authenticator = authenticator
        self.logger = logger
        self.maxReplay = maxReplay
    }

    /// Registers a new connection and queues the greeting.
    public func open(principal: Principal, session: SessionRecord?, capacity: Int) -> LiveConnection {
        let id = hub.nextConnectionID()
        let connection = LiveConnection(id: id, principal: principal, sessionHash: session?.tokenHash,
                                        sessionExpiresAt: session?.expiresAt, capacity: capacity)
        hub.connect(connection)
        connection.send(Frames.control(ServerMessage.Hello(protocol: 1, epoch: log.epoch, user: Self.ref(principal))))
        return connection
    }

    public func close(_ connection: LiveConnection) {
        hub.disconnect(connection)
        connection.finish()
    }

    /// Handles one client message.
    public func handle(_ message: ClientMessage, on connection: LiveConnection) async {
        switch message {
        case .ping(let id):
            connection.send(Frames.control(ServerMessage.Pong(id: id)))
        case .auth(let token):
            await authenticate(token, connection)
        case .unsubscribe(let id, let topic):
            connection.endSubscription(topic)
            hub.remove(connection, from: topic)
            connection.send(Frames.control(ServerMessage.Unsubscribed(id: id, topic: topic, reason: nil)))
        case .subscribe(let id, let topicText, let epoch, let seq, let guest):
            await subscribe(id: id, topicText: topicText, epoch: epoch, seq: seq, guest: guest, connection)
        case .focus(let topic, let focus):
            // Only on a topic the connection follows (so it was authorized) and that shows presence.
            guard Topic(topic)?.hasPresence == true, hub.setFocus(focus, of: connection, on: topic) else {
                return reject(connection, topic: topic, code: "focus.notSubscribed", message: "Subscribe to the topic first.")
            }
        }
    }

    /// Sends an error answer.
    public func reject(_ connection: LiveConnection, id: String? = nil, topic: String? = nil, code: String, message: String) {
        connection.send(Frames.control(ServerMessage.Error(id: id, topic: topic, code: code, message: message)))
    }

    private func authenticate(_ token: String, _ connection: LiveConnection) async {
        do {
            guard let (principal, session) = try await authenticator.authenticate(token: token) else {
                return reject(connection, code: "auth.invalidToken", message: "The token is unknown or expired.")
            }
            connection.authenticate(principal, sessionHash: session.tokenHash, expiresAt: session.expiresAt)
            if let user = Self.ref(principal) {
                connection.send(Frames.control(ServerMessage.Authenticated(user: user)))
            }
        } catch {
            logger.error("ws auth failed", metadata: ["error": "\(error)"])
            reject(connection, code: "internal", message: "Try again later.")
        }
    }

    private func subscribe(id: String?, topicText: String, epoch: String?, seq: Int64?, guest: String?, _ connection: LiveConnection) async {
        guard let topic = Topic(topicText) else {
            return reject(connection, id: id, topic: topicText, code: "subscription.unknownTopic", message: "There is no such topic.")
        }
        do {
            // Authorize against the current memberships and session, not the state at upgrade.
            let principal = try await currentPrincipal(connection)
            guard let principal else {
                connection.close(code: 4401, reason: "session ended")
                return
            }
            var allowed = Permissions.canSubscribe(principal, to: topic)
            if !allowed, let boards {
                allowed = try await boards.canSubscribe(topic, principal: principal, guestToken: guest)
            }
            guard allowed else {
                return reject(connection, id: id, topic: topicText, code: "subscription.forbidden", message: "You may not follow this topic.")
            }
            if case .panel(let panelID) = topic {
                // A panel's public topic exists for published public-link panels (and for the
                // workspace's members); drafts and invite-only panels are not found, as over HTTP.
                let panel = try await store.panel(panelID)
                guard let panel, PanelPermissions.canViewPage(panel, by: principal, invite: nil, holdsReceipt: false) else {
                    return reject(connection, id: id, topic: topicText, code: "subscription.forbidden", message: "You may not follow this topic.")
                }
            }
            let key = topic.description
            connection.beginSubscription(key)
            hub.add(connection, to: key)
            let sameEpoch = epoch == nil || epoch == log.epoch
            let from = seq ?? 0
            let range = try await log.events(topic: topic, after: seq == nil ? 0 : from, limit: seq == nil ? 0 : maxReplay)
            let recovered = seq == nil || (sameEpoch && range.complete)
            let base = recovered && seq != nil ? from : range.head
            // Superseded tallies are left out of a replay as they are live (`Conflation`).
            let replay = !(recovered && seq != nil) ? []
                : hub.conflates ? Conflation.replay(range.events, after: from).map { ($0.event.seq, Frames.framedEvent($0.event, epoch: log.epoch, prev: $0.prev)) }
                : range.events.map { ($0.seq, Frames.framedEvent($0, epoch: log.epoch)) }
            let answer = Frames.control(ServerMessage.Subscribed(
                id: id, topic: key, epoch: log.epoch, seq: range.head, recovered: recovered, replayed: replay.count))
            _ = connection.completeSubscription(key, answer: answer, replay: replay, base: base)
            hub.broadcastPresence(key)
        } catch {
            logger.error("ws subscribe failed", metadata: ["error": "\(error)", "topic": "\(topicText)"])
            connection.endSubscription(topicText)
            hub.remove(connection, from: topicText)
            reject(connection, id: id, topic: topicText, code: "internal", message: "Try again later.")
        }
    }

    /// Re-reads the principal for a signed-in connection; `nil` when its session ended.
    private func currentPrincipal(_ connection: LiveConnection) async throws -> Principal? {
        let principal = connection.principal
        guard let userID = principal.userID else { return principal }
        let fresh: Principal
        if let hash = connection.sessionHash {
            // Session, user and memberships in one read (a reconnect storm subscribes thousands at once).
            guard let found = try await store.signedIn(tokenHash: hash), found.session.expiresAt > clock.now(), found.user.id == userID else { return nil }
            fresh = authenticator.principal(for: found.user, session: found.session, memberships: found.memberships)
        } else {
            guard let user = try await store.user(userID) else { return nil }
            fresh = try await authenticator.principal(for: user, session: nil)
        }
        connection.refresh(fresh)
        return fresh
    }

    static func ref(_ principal: Principal) -> ServerMessage.UserRef? {
        principal.userID.map { ServerMessage.UserRef(id: $0.description, displayName: principal.displayName ?? "") }
    }
}
