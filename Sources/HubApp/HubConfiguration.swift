import Foundation

/// All settings of a hub instance, read once at start from flags, environment and an
/// optional file (`KEY=value` lines, the same keys as the environment; a systemd
/// `EnvironmentFile` works as is). Precedence: flag > environment > file > default.
/// Every key is documented in Docs/configuration.md.
public struct HubConfiguration: Sendable {
    public var host = "127.0.0.1"
    public var port = 8080
    /// Folder of the SQLite database (`roundtable.sqlite`).
    public var dataDir = "data"
    /// `postgres://user:password@host:port/database?sslmode=require`: use PostgreSQL (several
    /// instances may share it) instead of SQLite in the data folder.
    public var databaseURL: String?
    /// Load the demo data set into an empty store at start.
    public var demo = false
    /// The origin browsers use; `https://` turns on Secure cookies and HSTS.
    public var publicOrigin: String?
    public var allowedOrigins: [String] = []
    public var webRoot = "Web"
    public var openAPIPath = "Docs/api/openapi.json"
    public var logLevel = "info"
    /// `json` (one object per line, for log shippers) or `text`.
    public var logFormat = "json"
    /// `full` (default: survives power loss) or `normal` (survives a process crash only).
    public var synchronous = "full"
    public var bcryptCost = 12
    public var sessionHours = 12
    /// A browser session unused this long ends.
    public var sessionIdleMinutes = 120
    /// `required`: administrators act as administrators only after a second factor.
    /// `optional`: only for demos and tests. Unset, it is `required`, except with `--demo`.
    public var adminSecondFactor: String?
    public var wsMaxMessageBytes = 16 * 1024
    public var wsMessageRate = 20.0
    public var wsBufferEvents = 256
    /// `loop` (default, the fastest measured): see below; `task`: an async writer task per
    /// connection drains its outbox;
    /// `direct`: frames are written on the connection's event loop, one loop task per
    /// connection and wake-up; `loop`: drains grouped per event loop, one loop task per
    /// commit for all of the loop's connections (Docs/benchmarks.md compares the three).
    public var wsWriter = "loop"
    /// Milliseconds within which live tallies of one topic are conflated (only the newest per
    /// key is sent at the interval's end); 0 sends every event.
    public var liveConflateMs = 20
    /// How many connections may wait to be accepted (the listen backlog; the kernel caps it
    /// at `net.core.somaxconn`). A reconnect storm (every browser of a district after a
    /// restart) opens thousands at once: with a short queue the rest are dropped and retried
    /// by TCP only after 1, then 3 seconds.
    public var listenBacklog = 4096
    /// Events older than this are pruned from the log; clients further behind reload.
    public var eventRetentionDays = 30
    /// Days after a board (Lean Coffee, barcamp) ended until its guests' names are erased.
    public var boardGuestRetentionDays = 90
    /// Days audit entries are kept.
    public var auditRetentionDays = 365
    /// Days sent meeting mail stays in the outbox (recipients' addresses, answer links).
    public var mailRetentionDays = 30
    /// Behind a reverse proxy: take the client address for sign-in throttling from the last
    /// `X-Forwarded-For` entry (the one the proxy added). Off when clients connect directly.
    public var trustForwardedFor = false
    /// Outgoing mail (invitations, password reset). Without a host, links are shown instead.
    public var smtpHost: String?
    public var smtpPort = 587
    public var smtpSecurity = "starttls"
    public var smtpUsername: String?
    public var smtpPassword: String?
    public var smtpFrom: String?
    public var smtpCAFile: String?
    /// Things worth telling the operator at start (unknown variables), logged by `serve`.
    public var warnings: [String] = []

    public init() {}

    /// The key table: environment name, flag name, and how to apply a value.
    struct Key: Sendable {
        let env: String
        let flag: String
        let apply: @Sendable (inout HubConfiguration, String) -> String?
    }

    static func int(_ range: ClosedRange<Int>, _ set: @escaping @Sendable (inout HubConfiguration, Int) -> Void) -> @Sendable (inout HubConfiguration, String) -> String? {
        { config, text in
            guard let value = Int(text), range.contains(value) else { return "must be a whole number in \(range.lowerBound)...\(range.upperBound)" }
            set(&config, value)
            return nil
        }
    }

    static func oneOf(_ options: [String], _ set: @escaping @Sendable (inout HubConfiguration, String) -> Void) -> @Sendable (inout HubConfiguration, String) -> String? {
        { config, text in
            guard options.contains(text) else { return "must be one of \(options.joined(separator: ", "))" }
            set(&config, text)
            return nil
        }
    }

    static func origin(_ text: String) -> Bool {
        guard let url = URL(string: text), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil,
              url.path.isEmpty, url.query == nil else { return false }
        return true
    }

    static let keys: [Key] = [
        Key(env: "ROUNDTABLE_HOST", flag: "host") { c, v in
            guard !v.isEmpty else { return "must not be empty" }
            c.host = v
            return nil
        },
        Key(env: "ROUNDTABLE_PORT", flag: "port", apply: int(0...65535) { $0.port = $1 }),
        Key(env: "ROUNDTABLE_DATA_DIR", flag: "data-dir") { c, v in
            guard !v.isEmpty else { return "must not be empty" }
            c.dataDir = v
            return nil
        },
        Key(env: "ROUNDTABLE_DATABASE_URL", flag: "database-url") { c, v in
            guard v.hasPrefix("postgres://") || v.hasPrefix("postgresql://") else { return "must be a postgres:// URL" }
            c.databaseURL = v
            return nil
        },
        Key(env: "ROUNDTABLE_DEMO", flag: "demo", apply: oneOf(["true", "false"]) { $0.demo = $1 == "true" }),
        Key(env: "ROUNDTABLE_PUBLIC_ORIGIN", flag: "public-origin") { c, v in
            guard origin(v) else { return "must be an origin such as https://roundtable.example (scheme and host, no path)" }
            c.publicOrigin = v
            return nil
        },
        Key(env: "ROUNDTABLE_ALLOWED_ORIGINS", flag: "allowed-origins") { c, v in
            let list = v.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            guard list.allSatisfy(origin) else { return "must be a comma-separated list of origins" }
            c.allowedOrigins = list
            return nil
        },
        Key(env: "ROUNDTABLE_WEB_ROOT", flag: "web-root") { c, v in c.webRoot = v; return nil },
        Key(env: "ROUNDTABLE_OPENAPI", flag: "openapi") { c, v in c.openAPIPath = v; return nil },
        Key(env: "ROUNDTABLE_LOG_LEVEL", flag: "log-level",
            apply: oneOf(["trace", "debug", "info", "notice", "warning", "error", "critical"]) { $0.logLevel = $1 }),
        Key(env: "ROUNDTABLE_LOG_FORMAT", flag: "log-format", apply: oneOf(["json", "text"]) { $0.logFormat = $1 }),
        Key(env: "ROUNDTABLE_SQLITE_SYNCHRONOUS", flag: "sqlite-synchronous", apply: oneOf(["full", "normal"]) { $0.synchronous = $1 }),
        Key(env: "ROUNDTABLE_BCRYPT_COST", flag: "bcrypt-cost", apply: int(4...16) { $0.bcryptCost = $1 }),
        Key(env: "ROUNDTABLE_SESSION_HOURS", flag: "session-hours", apply: int(1...720) { $0.sessionHours = $1 }),
        Key(env: "ROUNDTABLE_SESSION_IDLE_MINUTES", flag: "session-idle-minutes", apply: int(5...1440) { $0.sessionIdleMinutes = $1 }),
        Key(env: "ROUNDTABLE_ADMIN_SECOND_FACTOR", flag: "admin-second-factor", apply: oneOf(["required", "optional"]) { $0.adminSecondFactor = $1 }),
        Key(env: "ROUNDTABLE_WS_MAX_MESSAGE", flag: "ws-max-message", apply: int(1024...(1 << 20)) { $0.wsMaxMessageBytes = $1 }),
        Key(env: "ROUNDTABLE_WS_RATE", flag: "ws-rate", apply: int(1...10_000) { $0.wsMessageRate = Double($1) }),
        Key(env: "ROUNDTABLE_WS_BUFFER", flag: "ws-buffer", apply: int(8...100_000) { $0.wsBufferEvents = $1 }),
        Key(env: "ROUNDTABLE_WS_WRITER", flag: "ws-writer", apply: oneOf(["loop", "direct", "task"]) { $0.wsWriter = $1 }),
        Key(env: "ROUNDTABLE_LIVE_CONFLATE_MS", flag: "live-conflate-ms", apply: int(0...1000) { $0.liveConflateMs = $1 }),
        Key(env: "ROUNDTABLE_LISTEN_BACKLOG", flag: "listen-backlog", apply: int(16...65535) { $0.listenBacklog = $1 }),
        Key(env: "ROUNDTABLE_TRUST_FORWARDED_FOR", flag: "trust-forwarded-for", apply: oneOf(["true", "false"]) { $0.trustForwardedFor = $1 == "true" }),
        Key(env: "ROUNDTABLE_SMTP_HOST", flag: "smtp-host") { c, v in c.smtpHost = v.isEmpty ? nil : v; return nil },
        Key(env: "ROUNDTABLE_SMTP_PORT", flag: "smtp-port", apply: int(1...65535) { $0.smtpPort = $1 }),
        Key(env: "ROUNDTABLE_SMTP_SECURITY", flag: "smtp-security", apply: oneOf(["starttls", "tls", "none"]) { $0.smtpSecurity = $1 }),
        Key(env: "ROUNDTABLE_SMTP_USERNAME", flag: "smtp-username") { c, v in c.smtpUsername = v.isEmpty ? nil : v; return nil },
        Key(env: "ROUNDTABLE_SMTP_PASSWORD", flag: "smtp-password") { c, v in c.smtpPassword = v.isEmpty ? nil : v; return nil },
        Key(env: "ROUNDTABLE_SMTP_FROM", flag: "smtp-from") { c, v in
            guard v.contains("@"), !v.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "<" || $0 == ">" }) else { return "must be an email address" }
            c.smtpFrom = v
            return nil
        },
        Key(env: "ROUNDTABLE_SMTP_CA_FILE", flag: "smtp-ca-file") { c, v in
            guard FileManager.default.isReadableFile(atPath: v) else { return "must be a readable PEM file" }
            c.smtpCAFile = v
            return nil
        },
        Key(env: "ROUNDTABLE_EVENT_RETENTION_DAYS", flag: "event-retention-days", apply: int(1...3650) { $0.eventRetentionDays = $1 }),
        Key(env: "ROUNDTABLE_BOARD_GUEST_RETENTION_DAYS", flag: "board-guest-retention-days",
            apply: int(1...3650) { $0.boardGuestRetentionDays = $1 }),
        Key(env: "ROUNDTABLE_AUDIT_RETENTION_DAYS", flag: "audit-retention-days", apply: int(7...3650) { $0.auditRetentionDays = $1 }),
        Key(env: "ROUNDTABLE_MAIL_RETENTION_DAYS", flag: "mail-retention-days", apply: int(1...3650) { $0.mailRetentionDays = $1 }),
    ]

    /// Every problem found, so an operator fixes them all at once.
    public struct Problems: Error, CustomStringConvertible {
        public let messages: [String]
        public var description: String { "Configuration problems:\n" + messages.map { "  - \($0)" }.joined(separator: "\n") }
    }

    /// Reads the configuration. `flags` maps flag names (without dashes) to values.
    public static func load(flags: [String: String] = [:], environment: [String: String] = [:], file: String? = nil) throws -> HubConfiguration {
        var problems: [String] = []
        var fileValues: [String: String] = [:]
        if let file {
            if let text = try? String(contentsOfFile: file, encoding: .utf8) {
                for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                    let line = raw.trimmingCharacters(in: .whitespaces)
                    if line.isEmpty || line.hasPrefix("#") { continue }
                    guard let eq = line.firstIndex(of: "=") else {
                        problems.append("\(file):\(number + 1): expected KEY=value")
                        continue
                    }
                    let key = String(line[..<eq]).trimmingCharacters(in: .whitespaces)
                    var value = String(line[line.index(after: eq)...]).trimmingCharacters(in: .whitespaces)
                    if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = String(value.dropFirst().dropLast()) }
                    guard keys.contains(where: { $0.env == key }) else {
                        problems.append("\(file):\(number + 1): unknown key \(key)")
                        continue
                    }
                    fileValues[key] = value
                }
            } else {
                problems.append("configuration file \(file) cannot be read")
            }
        }
        for name in flags.keys where !keys.contains(where: { $0.flag == name }) {
            problems.append("unknown option --\(name)")
        }
        // The environment is shared with other tools (test harnesses, shells), so an unknown
        // ROUNDTABLE_* variable is a warning (likely a typo), not a reason to refuse to start.
        var warnings: [String] = []
        for name in environment.keys.sorted() where name.hasPrefix("ROUNDTABLE_") && name != "ROUNDTABLE_CONFIG"
            && name != "ROUNDTABLE_ADMIN_PASSWORD" && !keys.contains(where: { $0.env == name }) {
            warnings.append("ignoring unknown environment variable \(name)")
        }
        var config = HubConfiguration()
        for key in keys {
            let (value, source): (String?, String) =
                if let v = flags[key.flag] { (v, "--\(key.flag)") }
                else if let v = environment[key.env] { (v, key.env) }
                else if let v = fileValues[key.env] { (v, "\(key.env) in \(file ?? "")") }
                else { (nil, "") }
            if let value, let problem = key.apply(&config, value) { problems.append("\(source) \(problem) (got \"\(value)\")") }
        }
        if config.smtpHost != nil && config.smtpFrom == nil { problems.append("ROUNDTABLE_SMTP_FROM is required when ROUNDTABLE_SMTP_HOST is set") }
        if let host = config.smtpHost, config.smtpSecurity == "none", !["127.0.0.1", "::1", "localhost"].contains(host) {
            problems.append("ROUNDTABLE_SMTP_SECURITY=none is allowed only for a loopback mail host (got \(host))")
        }
        if (config.smtpUsername == nil) != (config.smtpPassword == nil) { problems.append("ROUNDTABLE_SMTP_USERNAME and ROUNDTABLE_SMTP_PASSWORD go together") }
        guard problems.isEmpty else { throw Problems(messages: problems) }
        config.warnings = warnings
        return config
    }

    /// The origin the hub is reached at when none is configured.
    public var effectiveOrigin: String {
        publicOrigin ?? "http://\(host.contains(":") ? "[\(host)]" : host):\(port)"
    }

    /// Whether administrators need a verified second factor (see `adminSecondFactor`).
    public var adminSecondFactorRequired: Bool { (adminSecondFactor ?? (demo ? "optional" : "required")) == "required" }

    /// Web/ and the OpenAPI document are found relative to the working directory, or else
    /// next to the executable (`/opt/roundtable/bin/../Web`, `.build/debug/../../Web`), so the
    /// hub serves its front end wherever it is started from. Returns the problems left.
    public mutating func locateAssets(executable: String) -> [String] {
        let manager = FileManager.default
        // Resolve symlinks first (`.build/debug` is one), so `..` means the real parent.
        let binDir = URL(fileURLWithPath: executable).resolvingSymlinksInPath().deletingLastPathComponent().path
        func locate(_ path: String) -> String? {
            if manager.fileExists(atPath: path) { return path }
            guard !path.hasPrefix("/") else { return nil }
            for up in ["..", "../..", "../../.."] {
                let candidate = ((binDir as NSString).appendingPathComponent(up) as NSString).appendingPathComponent(path)
                if manager.fileExists(atPath: candidate) { return (candidate as NSString).standardizingPath }
            }
            return nil
        }
        var problems: [String] = []
        if let web = locate(webRoot) { webRoot = web } else { problems.append("web front end not found at \(webRoot) (set ROUNDTABLE_WEB_ROOT)") }
        if let api = locate(openAPIPath) { openAPIPath = api } else { problems.append("OpenAPI document not found at \(openAPIPath) (set ROUNDTABLE_OPENAPI)") }
        return problems
    }

    public var databasePath: String { (dataDir as NSString).appendingPathComponent("roundtable.sqlite") }
}
