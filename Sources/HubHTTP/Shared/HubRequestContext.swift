import HubCore
import HubServices
import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOCore

/// Per-request state: who is asking (set by `AuthenticationMiddleware`) and the channel
/// (WebSocket connections keep it to force-close a peer that stopped reading).
public struct HubRequestContext: RequestContext, WebSocketRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let webSocket: WebSocketHandlerReference<HubRequestContext>
    public let channel: any Channel
    public var principal: Principal = .anonymous
    public var session: SessionRecord?
    /// HMAC of the client address (throttling, audit); never the address itself.
    public var clientKey = ""

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        webSocket = .init()
        channel = source.channel
    }

    /// The request id Hummingbird's logger carries (`hb.request.id`), shown in 5xx answers.
    public var requestID: String {
        if case .string(let id) = logger[metadataKey: "hb.request.id"] { return id }
        if case .stringConvertible(let id) = logger[metadataKey: "hb.request.id"] { return id.description }
        return "-"
    }
}
