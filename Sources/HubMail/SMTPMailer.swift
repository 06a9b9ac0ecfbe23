import Foundation
import HubServices
import Logging
import NIOCore
import NIOPosix
import NIOSSL

/// Sends mail over SMTP (RFC 5321) with STARTTLS (RFC 3207) or implicit TLS, and AUTH PLAIN
/// (RFC 4954) when credentials are configured. One connection per message: invitations and
/// resets are rare, and a fresh connection never carries a broken state.
public struct SMTPMailer: CalendarMailer {
    let settings: SMTPSettings
    let logger: Logger
    let ids: any IDGenerator
    let clock: any HubServices.Clock

    public init(settings: SMTPSettings, ids: any IDGenerator, clock: any HubServices.Clock, logger: Logger) {
        self.settings = settings
        self.ids = ids
        self.clock = clock
        self.logger = logger
    }

    public var isConfigured: Bool { true }

    public func send(to: String, subject: String, text: String) async throws {
        let domain = settings.from.split(separator: "@").last.map(String.init) ?? "roundtable"
        let message = MailMessage(from: settings.from, to: to, subject: subject, text: text,
                                  messageID: "\(ids.uuid().uuidString.lowercased())@\(domain)", date: clock.now())
        try await send(message)
    }

    /// An invitation or cancellation: text, the inline `text/calendar; method=…` part that
    /// calendar clients act on, and the same as an `invite.ics` attachment for those that don't.
    public func sendCalendar(to: String, subject: String, text: String, calendar: CalendarAttachment) async throws {
        let domain = settings.from.split(separator: "@").last.map(String.init) ?? "roundtable"
        let method = calendar.method.filter { $0.isLetter }
        var message = MailMessage(from: settings.from, to: to, subject: subject, text: text,
                                  extraParts: [.init(contentType: "text/calendar; method=\(method); charset=UTF-8", body: calendar.body)],
                                  messageID: "\(ids.uuid().uuidString.lowercased())@\(domain)", date: clock.now())
        message.attachments = [("invite.ics", .init(contentType: "application/ics; name=\"invite.ics\"", body: calendar.body))]
        try await send(message)
    }

    /// Sends one message; gives up after `timeout` (a hanging relay must not hold a request).
    public func send(_ message: MailMessage, timeout: Duration = .seconds(20)) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await deliver(message) }
            group.addTask {
                try await Task.sleep(for: timeout)
                throw SMTPError.timedOut
            }
            defer { group.cancelAll() }
            try await group.next()
        }
    }

    func deliver(_ message: MailMessage) async throws {
        let session = try await SMTPConnection.open(settings)
        // Cancellation (the timeout) closes the channel, which ends any pending read.
        try await withTaskCancellationHandler {
            try await dialogue(message, session)
        } onCancel: {
            session.close()
        }
    }

    func dialogue(_ message: MailMessage, _ session: SMTPConnection) async throws {
        do {
            try await session.expect(220)
            var capabilities = try await session.command("EHLO \(settings.heloName)", expect: 250)
            if settings.security == .starttls {
                guard capabilities.contains(where: { $0.uppercased().hasPrefix("STARTTLS") }) else { throw SMTPError.noStartTLS }
                _ = try await session.command("STARTTLS", expect: 220)
                try await session.startTLS(settings)
                capabilities = try await session.command("EHLO \(settings.heloName)", expect: 250)
            }
            if let username = settings.username, let password = settings.password {
                let credentials = Data(("\0" + username + "\0" + password).utf8).base64EncodedString()
                _ = try await session.command("AUTH PLAIN \(credentials)", expect: 235, redacted: "AUTH PLAIN ***")
            }
            _ = try await session.command("MAIL FROM:<\(MailMessage.headerSafe(message.from))>", expect: 250)
            _ = try await session.command("RCPT TO:<\(MailMessage.headerSafe(message.to))>", expect: 250, 251)
            _ = try await session.command("DATA", expect: 354)
            _ = try await session.command(message.rendered() + ".", expect: 250, redacted: "<message>")
            _ = try? await session.command("QUIT", expect: 221)
            session.close()
            logger.info("mail sent", metadata: ["event": "mail.sent"])
        } catch {
            session.close()
            throw error
        }
    }
}

/// Why sending failed; the message is safe to log (no credentials, no content).
public enum SMTPError: Error, CustomStringConvertible {
    case unexpectedReply(command: String, code: Int, text: String)
    case noStartTLS
    case connectionClosed
    case plainToRemoteHost
    case timedOut

    public var description: String {
        switch self {
        case .unexpectedReply(let command, let code, let text): "SMTP \(command) answered \(code) \(text)"
        case .noStartTLS: "the mail server does not offer STARTTLS"
        case .connectionClosed: "the mail server closed the connection"
        case .plainToRemoteHost: "unencrypted SMTP is allowed only to a loopback host"
        case .timedOut: "the mail server did not answer in time"
        }
    }
}

/// One SMTP dialogue on a NIO channel. Replies arrive through `SMTPReplyDecoder` into a stream.
final class SMTPConnection: @unchecked Sendable {
    let channel: any Channel
    var replies: AsyncThrowingStream<(Int, [String]), any Error>.AsyncIterator

    init(channel: any Channel, replies: AsyncThrowingStream<(Int, [String]), any Error>) {
        self.channel = channel
        self.replies = replies.makeAsyncIterator()
    }

    static func open(_ settings: SMTPSettings) async throws -> SMTPConnection {
        if settings.security == .none, !["127.0.0.1", "::1", "localhost"].contains(settings.host) { throw SMTPError.plainToRemoteHost }
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: (Int, [String]).self)
        let tlsHandler = settings.security == .tls ? try makeTLSHandler(settings) : nil
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(10))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tlsHandler { try channel.pipeline.syncOperations.addHandler(tlsHandler) }
                    try channel.pipeline.syncOperations.addHandler(SMTPReplyDecoder(continuation: continuation), name: "smtp")
                }
            }
            .connect(host: settings.host, port: settings.port).get()
        return SMTPConnection(channel: channel, replies: stream)
    }

    static func makeTLSHandler(_ settings: SMTPSettings) throws -> NIOSSLClientHandler {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.minimumTLSVersion = .tlsv12
        if let caFile = settings.caFile { configuration.trustRoots = .file(caFile) }
        let context = try NIOSSLContext(configuration: configuration)
        let isAddress = settings.host.contains(":") || settings.host.allSatisfy { $0.isNumber || $0 == "." }
        return try NIOSSLClientHandler(context: context, serverHostname: isAddress ? nil : settings.host)
    }

    func startTLS(_ settings: SMTPSettings) async throws {
        let handler = try Self.makeTLSHandler(settings)
        try await channel.pipeline.addHandler(handler, position: .first).get()
    }

    func expect(_ codes: Int...) async throws {
        guard let (code, lines) = try await replies.next() else { throw SMTPError.connectionClosed }
        guard codes.contains(code) else { throw SMTPError.unexpectedReply(command: "greeting", code: code, text: lines.joined(separator: " ")) }
    }

    /// Sends one command line and returns the reply's text lines when its code is expected.
    @discardableResult
    func command(_ line: String, expect codes: Int..., redacted: String? = nil) async throws -> [String] {
        try await channel.writeAndFlush(ByteBuffer(string: line + "\r\n")).get()
        guard let (code, lines) = try await replies.next() else { throw SMTPError.connectionClosed }
        guard codes.contains(code) else {
            throw SMTPError.unexpectedReply(command: redacted ?? String(line.prefix(12)), code: code, text: lines.joined(separator: " "))
        }
        return lines
    }

    func close() { channel.close(promise: nil) }
}

/// Splits the byte stream into lines and groups multi-line replies (`250-…` … `250 …`).
final class SMTPReplyDecoder: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer

    let continuation: AsyncThrowingStream<(Int, [String]), any Error>.Continuation
    /// Bytes of an incomplete line. Bytes, not a String: Swift treats "\r\n" as one
    /// Character, so searching a String for "\n" would never find a CRLF line end.
    var pending: [UInt8] = []
    var lines: [String] = []

    init(continuation: AsyncThrowingStream<(Int, [String]), any Error>.Continuation) {
        self.continuation = continuation
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        pending += buffer.readBytes(length: buffer.readableBytes) ?? []
        while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
            var bytes = pending[..<newline]
            if bytes.last == UInt8(ascii: "\r") { bytes = bytes.dropLast() }
            let line = String(decoding: bytes, as: UTF8.self)
            pending.removeSubrange(...newline)
            guard line.count >= 3, let code = Int(line.prefix(3)) else { continue }
            lines.append(String(line.dropFirst(4)))
            if line.count == 3 || line[line.index(line.startIndex, offsetBy: 3)] == " " {
                continuation.yield((code, lines))
                lines = []
            }
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        continuation.finish()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        continuation.finish(throwing: error)
        context.close(promise: nil)
    }
}
