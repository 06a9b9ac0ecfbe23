import Foundation

/// The current time. Tests pass a fixed or stepping clock.
public protocol Clock: Sendable {
    func now() -> Date
}

/// The system clock.
public struct SystemClock: Clock {
    public init() {}
    /// Rounded to the millisecond, the precision of storage and the wire, so a value read
    /// back equals the value written.
    public func now() -> Date { Date(millis: Date().millis) }
}

/// New identifiers. Random v4 UUIDs in production.
public protocol IDGenerator: Sendable {
    func uuid() -> UUID
}

public struct RandomIDs: IDGenerator {
    public init() {}
    public func uuid() -> UUID { UUID() }
}

/// Password hashing (bcrypt in production; see Docs/decisions/0003-passwords.md).
public protocol PasswordHasher: Sendable {
    func hash(_ password: String) async throws -> String
    func verify(_ password: String, against hash: String) async throws -> Bool
}

/// RFC 6238 one-time passwords.
public protocol TOTPGenerator: Sendable {
    /// A new random secret, base32 (160 bits).
    func newSecret() -> String
    /// The 6-digit code of `secret` for time step `step`.
    func code(secret: String, step: Int64) -> String
}

/// Sends mail. `deliver` returns false when no mail server is configured, so callers fall
/// back to showing the link.
public protocol Mailer: Sendable {
    var isConfigured: Bool { get }
    func send(to: String, subject: String, text: String) async throws
}

/// A calendar part for `CalendarMailer.sendCalendar`: sent inline as
/// `text/calendar; method=…` and attached as `invite.ics`.
public struct CalendarAttachment: Sendable, Hashable {
    public let method: String
    public let body: String

    public init(method: String, body: String) {
        self.method = method
        self.body = body
    }
}

/// Mail with calendar parts (the SMTP adapter implements it; others send text only).
public protocol CalendarMailer: Mailer {
    func sendCalendar(to: String, subject: String, text: String, calendar: CalendarAttachment) async throws
}

/// No mail server: nothing is sent; invitation links are shown to the coordinator.
public struct NoMailer: Mailer {
    public init() {}
    public var isConfigured: Bool { false }
    public func send(to: String, subject: String, text: String) async throws {}
}

/// Secrets for session tokens: generation and the one-way digest that is stored.
public protocol TokenDigest: Sendable {
    /// A new random secret, URL-safe, at least 256 bits.
    func newToken() -> String
    /// Hex SHA-256 of the token; what the store keeps.
    func digest(_ token: String) -> String
}
