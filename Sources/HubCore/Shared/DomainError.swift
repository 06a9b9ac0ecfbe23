/// A problem with one input field, reported back to the client next to that field.
public struct FieldIssue: Hashable, Sendable, Codable {
    /// The field's name as the client sent it (`name`, `policyFieldIds[2]`).
    public let field: String
    /// A stable machine-readable code (`tooShort`, `required`, `unknown`).
    public let code: String
    /// A human-readable explanation, safe to show.
    public let message: String

    public init(field: String, code: String, message: String) {
        self.field = field
        self.code = code
        self.message = message
    }
}

/// Every refusal the domain can give. Transport maps the kind to a status code, the code
/// and message go to the client verbatim, so they must never contain internals.
public struct DomainError: Error, Hashable, Sendable {
    /// What kind of refusal this is; decides the HTTP status.
    public enum Kind: String, Sendable, Hashable {
        case unauthenticated, forbidden, notFound, validation, conflict, invalidTransition, rateLimited, preconditionRequired
        /// A dependency (the data store) failed; the request may be retried later (`retryAfter`).
        case unavailable
    }

    public let kind: Kind
    /// Stable code such as `workspace.notFound` or `version.conflict`.
    public let code: String
    public let message: String
    public let fields: [FieldIssue]
    /// For `rateLimited`: seconds until a retry can succeed.
    public let retryAfter: Int?

    public init(_ kind: Kind, code: String, message: String, fields: [FieldIssue] = [], retryAfter: Int? = nil) {
        self.kind = kind
        self.code = code
        self.message = message
        self.fields = fields
        self.retryAfter = retryAfter
    }

    public static func validation(_ fields: [FieldIssue]) -> DomainError {
        DomainError(.validation, code: "validation.failed", message: "Some fields are invalid.", fields: fields)
    }

    public static func notFound(_ what: String) -> DomainError {
        DomainError(.notFound, code: "\(what).notFound", message: "The \(what) does not exist or is not visible to you.")
    }

    public static let forbidden = DomainError(.forbidden, code: "forbidden", message: "You are not allowed to do this.")
    public static let secondFactorRequired = DomainError(
        .forbidden, code: "auth.secondFactorRequired",
        message: "Administrator functions need two-factor authentication. Set it up on your account page and sign in with it.")
    public static let unauthenticated = DomainError(.unauthenticated, code: "auth.required", message: "Sign in first.")
    public static let versionConflict = DomainError(
        .conflict, code: "version.conflict", message: "Someone else changed this in the meantime. Reload and apply your change again."
    )
}
