import Foundation
import HubCore
import HubRealtime
import HubServices
import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOCore
import NIOWebSocket

/// The one WebSocket endpoint. Thin: it checks the origin at the upgrade, then pumps
/// frames between the socket and the `LiveGateway`, which does the protocol.
struct LiveController {
    let gateway: LiveGateway
    let settings: HTTPSettings

    func add(to router: Router<HubRequestContext>) {
        router.ws("/ws", shouldUpgrade: { request, context in
            // Browsers always send Origin; only our own origin and the allowlist may connect.
            if let origin = request.headers[.origin],
               !settings.allows(origin: origin, host: request.head.authority) {
                throw DomainError(.forbidden, code: "ws.originForbidden", message: "This origin may not connect.")
            }
            return .upgrade([:])
        }, onUpgrade: { inbound, outbound, wsContext in
            try await run(inbound: inbound, outbound: outbound, context: wsContext.requestContext)
        })
    }

    func run(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, context: HubRequestContext) async throws {
        let connection = gateway.open(principal: context.principal, session: context.session, capacity: settings.wsBufferEvents)
        let channel = context.channel
        connection.setForceClose { channel.close(promise: nil) }
        defer { gateway.close(connection) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await write(connection, to: outbound) }
            var bucket = TokenBucket(rate: settings.wsMessageRate, burst: settings.wsMessageRate * 2)
            var strikes = 0
            var closing = false
            for try await message in inbound.messages(maxSize: settings.wsMaxMessageBytes) {
                // After asking to close, read on until the peer answers the close frame.
                if closing { continue }
                guard bucket.take() else {
                    strikes += 1
                    if strikes > Int(settings.wsMessageRate) {
                        connection.close(code: 1008, reason: "rate limit")
                        closing = true
                        continue
                    }
                    gateway.reject(connection, code: "rateLimited", message: "Too many messages; slow down.")
                    continue
                }
                strikes = 0
                guard case .text(let text) = message else {
                    gateway.reject(connection, code: "message.invalid", message: "Send JSON text messages.")
                    continue
                }
                do {
                    await gateway.handle(try ClientMessage.parse(text), on: connection)
                } catch {
                    gateway.reject(connection, code: "message.invalid", message: (error as? ClientMessage.ParseError)?.message ?? "Invalid message.")
                }
            }
            connection.finish()
            group.cancelAll()
        }
    }

    /// Drains the outbox: single events go out as the shared buffer; several queued events
    /// are coalesced into `batch` frames (one write each instead of one per event).
    func write(_ connection: LiveConnection, to outbound: WebSocketOutboundWriter) async throws {
        for await _ in connection.wakeups {
            var pending: [ByteBuffer] = []
            func flush() async throws {
                guard !pending.isEmpty else { return }
                let bytes = pending.count == 1 ? pending[0] : Frames.batch(pending)
                pending.removeAll(keepingCapacity: true)
                try await outbound.write(.custom(WebSocketFrame(fin: true, opcode: .text, data: bytes)))
            }
            for item in connection.take() {
                switch item {
                case .event(_, _, let bytes):
                    pending.append(bytes)
                    if pending.count >= 64 { try await flush() }
                case .control(let bytes):
                    try await flush()
                    try await outbound.write(.custom(WebSocketFrame(fin: true, opcode: .text, data: bytes)))
                case .close(let code, let reason):
                    try await flush()
                    try await outbound.close(WebSocketErrorCode(codeNumber: Int(code)), reason: reason)
                    return
                }
            }
            try await flush()
        }
    }
}
