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
        switch settings.wsWriter {
        case .task:
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await write(connection, to: outbound) }
                try await read(inbound, connection)
                connection.finish()
                group.cancelAll()
            }
        case .direct, .loop:
            // No writer task: the event-loop drain asks for the close handshake, which runs
            // in a task of its own only then (an idle socket holds no second task).
            connection.setCloseAction { code, reason in
                Task { try? await outbound.close(WebSocketErrorCode(codeNumber: Int(code)), reason: reason) }
            }
            if settings.wsWriter == .loop {
                connection.setLoopWriter(LoopWriter(connection: connection, channel: channel))
            } else {
                DirectWriter(connection: connection, channel: channel).install()
            }
            try await read(inbound, connection)
            connection.finish()
        }
    }

    /// Reads client messages (rate-limited) and hands them to the gateway.
    func read(_ inbound: WebSocketInboundStream, _ connection: LiveConnection) async throws {
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
                let parsed = try ClientMessage.parse(text)
                // In a task of its own: subscribe reads the store and authorizes, and the
                // async frames of that would otherwise stay allocated in this connection's
                // task for as long as the socket is open (the task allocator keeps its slabs).
                await Task { await gateway.handle(parsed, on: connection) }.value
            } catch {
                gateway.reject(connection, code: "message.invalid", message: error.message)
            }
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
                case .event(_, _, let frame):
                    pending.append(Frames.payload(ofFrame: frame))
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

/// Writes a connection's outbox on its channel's event loop: a wake-up schedules one drain,
/// which takes everything queued, writes it (several events coalesced into `batch` frames)
/// and flushes once. No task switch and no async writer per delivery: the cost per delivered
/// event approaches the kernel's `send()` (Docs/benchmarks.md). While the socket's send buffer
/// is full the drain waits (polling writability every 5 ms); the outbox stays bounded and a
/// peer that does not read gets `resync` and then is closed, as with the task writer.
struct DirectWriter: Sendable {
    let connection: LiveConnection
    let channel: any Channel

    func install() {
        let writer = self
        connection.setDirectWake { writer.channel.eventLoop.execute { writer.drain() } }
    }

    func drain() {
        guard channel.isActive else { _ = connection.take(); return }
        guard channel.isWritable else {
            // Leave the items queued; look again shortly (the outbox bounds the backlog).
            let writer = self
            channel.eventLoop.scheduleTask(in: .milliseconds(5)) { writer.retry() }
            return
        }
        var pending: [ByteBuffer] = []
        func flushEvents() {
            guard !pending.isEmpty else { return }
            let bytes = pending.count == 1 ? pending[0] : Frames.batch(pending)
            pending.removeAll(keepingCapacity: true)
            channel.write(WebSocketFrame(fin: true, opcode: .text, data: bytes), promise: nil)
        }
        for item in connection.take() {
            switch item {
            case .event(_, _, let frame):
                pending.append(Frames.payload(ofFrame: frame))
                if pending.count >= 64 { flushEvents() }
            case .control(let bytes):
                flushEvents()
                channel.write(WebSocketFrame(fin: true, opcode: .text, data: bytes), promise: nil)
            case .close(let code, let reason):
                flushEvents()
                channel.flush()
                connection.requestClose(code: code, reason: reason)
                return
            }
        }
        flushEvents()
        channel.flush()
    }

    /// A drain postponed while the socket was not writable.
    private func retry() {
        if channel.isWritable { drain() } else if channel.isActive {
            let writer = self
            channel.eventLoop.scheduleTask(in: .milliseconds(5)) { writer.retry() }
        }
    }
}

/// Writes a connection's outbox on its channel's event loop, called from the one task per
/// loop and commit that the hub schedules (`LoopDrains`). Events are complete frames built
/// once per event (`Frames.framedEvent`), written through the WebSocket encoder's context
/// so they skip per-recipient frame encoding; everything queued goes out with one flush
/// (one `writev`). While the socket's send buffer is full the drain waits (polling
/// writability every 5 ms) and leaves the items in the bounded outbox: a peer that does not
/// read gets `resync` and then is closed, as with the task writer.
final class LoopWriter: LoopDrainer, @unchecked Sendable {
    // @unchecked: `encoder` and `lookedUp` are only touched on `eventLoop` (drain runs there).
    let connection: LiveConnection
    let channel: any Channel
    let eventLoop: any EventLoop
    private var encoder: ChannelHandlerContext?
    private var lookedUp = false

    init(connection: LiveConnection, channel: any Channel) {
        self.connection = connection
        self.channel = channel
        self.eventLoop = channel.eventLoop
    }

    /// The frame encoder's context: a write from there goes to the handlers before it (the
    /// socket), so an already framed buffer is not framed again.
    private func encoderContext() -> ChannelHandlerContext? {
        if !lookedUp {
            lookedUp = true
            encoder = try? channel.pipeline.syncOperations.context(handlerType: WebSocketFrameEncoder.self)
        }
        return encoder
    }

    func drain() {
        eventLoop.preconditionInEventLoop()
        guard channel.isActive else { _ = connection.take(); return }
        guard channel.isWritable else {
            // Leave the items queued (the drain stays scheduled, so no other wake-up piles
            // up); look again shortly. The outbox bounds the backlog.
            eventLoop.scheduleTask(in: .milliseconds(5)) { self.drain() }
            return
        }
        let items = connection.take()
        guard !items.isEmpty else { return }
        guard let context = encoderContext() else { return fallback(items) }
        for item in items {
            switch item {
            case .event(_, _, let frame):
                context.write(NIOAny(frame), promise: nil)
            case .control(let bytes):
                context.write(NIOAny(Frames.textFrame(payload: bytes)), promise: nil)
            case .close(let code, let reason):
                context.flush()
                connection.requestClose(code: code, reason: reason)
                return
            }
        }
        context.flush()
    }

    /// Without the encoder in the pipeline (not expected): frames through the channel.
    private func fallback(_ items: [LiveConnection.Outgoing]) {
        for item in items {
            switch item {
            case .event(_, _, let frame):
                channel.write(WebSocketFrame(fin: true, opcode: .text, data: Frames.payload(ofFrame: frame)), promise: nil)
            case .control(let bytes):
                channel.write(WebSocketFrame(fin: true, opcode: .text, data: bytes), promise: nil)
            case .close(let code, let reason):
                channel.flush()
                connection.requestClose(code: code, reason: reason)
                return
            }
        }
        channel.flush()
    }
}
