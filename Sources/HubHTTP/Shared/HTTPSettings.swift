import Foundation

/// Transport settings, read once from configuration at the composition root.
public struct HTTPSettings: Sendable {
    /// The origin browsers see (`https://roundtable.kreis.example`); decides Secure cookies and HSTS.
    public var publicOrigin: String
    /// Further origins allowed for browser requests and WebSocket upgrades.
    public var allowedOrigins: [String]
    /// Largest request body accepted (bytes); above it, 413.
    public var maxBodyBytes: Int
    /// Largest WebSocket message (bytes); above it the connection closes with 1009.
    public var wsMaxMessageBytes: Int
    /// Messages per second a WebSocket client may send (burst twice that).
    public var wsMessageRate: Double
    /// Outbox capacity per WebSocket connection (events).
    public var wsBufferEvents: Int
    /// Folder with the web front end (index.html, app.js, ...).
    public var webRoot: String
    /// Session lifetime (absolute).
    public var sessionLifetime: TimeInterval
    /// Use the last `X-Forwarded-For` entry as the client address (behind a trusted proxy).
    public var trustForwardedFor = false
    /// How WebSocket connections are written (Docs/benchmarks.md compares them side by side).
    public var wsWriter = WSWriter.loop

    public enum WSWriter: String, Sendable {
        /// An async writer task per connection, woken per event.
        case task
        /// A drain scheduled on the connection's event loop per connection and wake-up.
        case direct
        /// Drains grouped per event loop: one loop task per commit writes every connection
        /// of that loop, events as shared pre-framed buffers, one flush per connection.
        case loop
    }

    public init(publicOrigin: String, allowedOrigins: [String] = [], maxBodyBytes: Int = 1 << 20, wsMaxMessageBytes: Int = 16 << 10,
                wsMessageRate: Double = 20, wsBufferEvents: Int = 256, webRoot: String = "Web", sessionLifetime: TimeInterval = 12 * 3600) {
        self.publicOrigin = publicOrigin
        self.allowedOrigins = allowedOrigins
        self.maxBodyBytes = maxBodyBytes
        self.wsMaxMessageBytes = wsMaxMessageBytes
        self.wsMessageRate = wsMessageRate
        self.wsBufferEvents = wsBufferEvents
        self.webRoot = webRoot
        self.sessionLifetime = sessionLifetime
    }

    /// Served over TLS: Secure cookies with the `__Host-` prefix, HSTS.
    public var isSecure: Bool { publicOrigin.lowercased().hasPrefix("https://") }

    /// The session cookie's name. Over plain http (local development only) browsers refuse
    /// `__Host-` cookies, so the documented exception drops the prefix and `Secure`.
    public var cookieName: String { isSecure ? "__Host-rt_session" : "rt_session" }

    /// Whether a browser `Origin` may talk to the hub. Same-origin requests always may.
    /// Browsers send only `http(s)://…` or `null`; any other scheme (a native WebSocket
    /// client sends `ws://host`) is not a browser page and carries no ambient credentials.
    public func allows(origin: String, host: String?) -> Bool {
        let origin = origin.lowercased()
        if !origin.hasPrefix("http://") && !origin.hasPrefix("https://") && origin != "null" { return true }
        if origin == publicOrigin.lowercased() || allowedOrigins.contains(where: { $0.lowercased() == origin }) { return true }
        guard let host = host?.lowercased() else { return false }
        return origin == "http://\(host)" || origin == "https://\(host)"
    }
}
