import Foundation

// Who takes part on a live board (a Lean Coffee board or a barcamp) and with which rights.
// Both components share these types; they live here until a third board format needs them
// in `Shared/`.

/// Identifies a guest; issued by the services when someone joins by link.
public typealias GuestID = Identifier<BoardGuest>

/// Someone who takes part on a board: a signed-in user, or a guest without an account.
/// Dots, ballots, topics, proposals and marks are keyed by this, never by a display name.
public enum ParticipantRef: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    case user(UserID)
    case guest(GuestID)

    /// `user:<uuid>` or `guest:<uuid>`; also the stable sort key.
    public var description: String {
        switch self {
        case .user(let id): "user:\(id)"
        case .guest(let id): "guest:\(id)"
        }
    }

    /// Orders by the text form, so sorted lists are the same on every server.
    public static func < (lhs: ParticipantRef, rhs: ParticipantRef) -> Bool { lhs.description < rhs.description }
}

/// A guest who joined one board by link or QR code with a display name and no account.
/// The display name is the only personal datum kept about a guest.
public struct BoardGuest: Sendable, Hashable, Codable, Identifiable {
    public let id: GuestID
    /// The id of the board or barcamp the guest joined; a guest pass is good for that one only.
    public let scope: UUID
    public var displayName: String
    public let joinedAt: Date

    public init(id: GuestID, scope: UUID, displayName: String, joinedAt: Date) {
        self.id = id
        self.scope = scope
        self.displayName = displayName
        self.joinedAt = joinedAt
    }

    /// Allowed length of a guest's display name.
    public static let displayNameLength = 1...60

    /// Validates and normalizes a guest's display name (one line, no control or bidi characters).
    public static func validDisplayName(_ raw: String) throws(DomainError) -> String {
        var issues: [FieldIssue] = []
        let name = BoardText.line(raw, field: "displayName", length: displayNameLength, issues: &issues)
        guard issues.isEmpty else { throw .validation(issues) }
        return name
    }
}

/// What the services know about a guest's request: the id from the guest's token and the
/// board the token was issued for.
public struct GuestPass: Sendable, Hashable {
    public let guestID: GuestID
    public let scope: UUID

    public init(guestID: GuestID, scope: UUID) {
        self.guestID = guestID
        self.scope = scope
    }
}

/// Who acts on a board: a principal (signed in or not), or a guest holding a pass.
public enum BoardActor: Sendable, Hashable {
    case user(Principal)
    case guest(GuestPass)

    /// The participant identity the actor's dots, topics and marks are recorded under.
    public var participant: ParticipantRef? {
        switch self {
        case .user(let principal): principal.userID.map(ParticipantRef.user)
        case .guest(let pass): .guest(pass.guestID)
        }
    }

    /// The signed-in user, if any.
    public var userID: UserID? {
        if case .user(let principal) = self { return principal.userID }
        return nil
    }
}

/// What someone may do on a board, from least to most. `lead` is the facilitator of a
/// Lean Coffee board or the moderator of a barcamp.
public enum BoardRole: Int, Sendable, Hashable, Comparable, CaseIterable {
    /// Reads only: an observer of the board's workspace.
    case viewer
    /// A guest without an account, admitted because the lead allows guests.
    case guest
    /// A signed-in participant.
    case participant
    /// Facilitator or moderator: runs the board.
    case lead

    /// More rights compare greater.
    public static func < (lhs: BoardRole, rhs: BoardRole) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// The words a component uses in its error codes (`leanCoffee.facilitatorOnly`, `barcamp.moderatorOnly`).
public struct BoardVocabulary: Sendable, Hashable {
    /// The code prefix: `leanCoffee`, `barcamp`.
    public let prefix: String
    /// What the lead is called: `facilitator`, `moderator`.
    public let lead: String
    /// What the board is called in messages: `board`, `barcamp`.
    public let noun: String

    public init(prefix: String, lead: String, noun: String) {
        self.prefix = prefix
        self.lead = lead
        self.noun = noun
    }
}

/// The access rules every board shares, as a pure function of the actor.
///
/// * Inside a workspace: its coordinators and the administrators lead every board; members take
///   part (and lead when listed as leads); observers read only; everyone else does not see it.
/// * Standalone (no workspace, e.g. the planning conference): every signed-in user takes part;
///   the listed leads and administrators lead.
/// * Guests take part only while the lead allows guests, and only on the board their pass names.
public struct BoardAccess: Sendable, Hashable {
    public let scope: UUID
    public let workspaceID: WorkspaceID?
    public let leads: [UserID]
    public let guestsAllowed: Bool
    public let vocabulary: BoardVocabulary

    public init(scope: UUID, workspaceID: WorkspaceID?, leads: [UserID], guestsAllowed: Bool, vocabulary: BoardVocabulary) {
        self.scope = scope
        self.workspaceID = workspaceID
        self.leads = leads
        self.guestsAllowed = guestsAllowed
        self.vocabulary = vocabulary
    }

    /// The actor's role, or `nil` when the board is invisible to them.
    public func role(of actor: BoardActor) -> BoardRole? {
        switch actor {
        case .guest(let pass):
            return pass.scope == scope && guestsAllowed ? .guest : nil
        case .user(let principal):
            guard let userID = principal.userID else { return nil }
            if principal.isAdmin { return .lead }
            let listed = leads.contains(userID)
            guard let workspaceID else { return listed ? .lead : .participant }
            switch principal.role(in: workspaceID) {
            case .coordinator?: return .lead
            case .member?: return listed ? .lead : .participant
            case .observer?: return listed ? .lead : .viewer
            // A listed lead who left the workspace loses the board with it.
            case nil: return nil
            }
        }
    }

    /// Whether the actor may see the board at all (and subscribe to its events).
    public func canView(_ actor: BoardActor) -> Bool { role(of: actor) != nil }

    /// The actor's role if it is at least `minimum`; otherwise the refusal that explains why.
    @discardableResult
    public func require(_ minimum: BoardRole, _ actor: BoardActor) throws(DomainError) -> BoardRole {
        let v = vocabulary
        guard let role = role(of: actor) else {
            switch actor {
            case .user(let principal) where !principal.isSignedIn:
                throw .unauthenticated
            case .guest(let pass) where pass.scope == scope:
                throw DomainError(.forbidden, code: "\(v.prefix).guestsNotAllowed",
                                  message: "Guests cannot take part in this \(v.noun) (any more). Sign in to continue.")
            default:
                throw DomainError(.notFound, code: "\(v.prefix).notFound", message: "The \(v.noun) does not exist or is not visible to you.")
            }
        }
        guard role >= minimum else {
            switch (minimum, role) {
            case (.lead, _):
                throw DomainError(.forbidden, code: "\(v.prefix).\(v.lead)Only", message: "Only a \(v.lead) of this \(v.noun) can do this.")
            case (_, .viewer):
                throw DomainError(.forbidden, code: "\(v.prefix).readOnly", message: "Observers follow the \(v.noun) but do not take part.")
            default:
                throw DomainError(.forbidden, code: "\(v.prefix).accountRequired", message: "Guests cannot do this; sign in with an account.")
            }
        }
        return role
    }
}

/// A client-chosen key that makes a retried or double-sent request count once. Clients send a
/// fresh UUID per intended action; the same key again returns the first result.
public struct IdempotencyKey: Sendable, Hashable, Codable, CustomStringConvertible {
    public let value: String

    /// Allowed key length.
    public static let length = 8...100

    /// `nil` unless 8 to 100 characters of `A–Z a–z 0–9 - _ . :`.
    public init?(_ value: String) {
        guard Self.length.contains(value.count),
              value.unicodeScalars.allSatisfy({ $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "-_.:".unicodeScalars.contains($0)) })
        else { return nil }
        self.value = value
    }

    /// Parses a key from a request, refusing a malformed one as a field issue.
    public static func parse(_ raw: String) throws(DomainError) -> IdempotencyKey {
        guard let key = IdempotencyKey(raw) else {
            throw .validation([FieldIssue(field: "idempotencyKey", code: "invalid",
                                          message: "An idempotency key of 8 to 100 letters, digits, '-', '_', '.' or ':'.")])
        }
        return key
    }

    public var description: String { value }

    /// Decodes a key from its text, refusing a malformed one.
    public init(from decoder: any Decoder) throws {
        let raw = try decoder.singleValueContainer().decode(String.self)
        guard let key = IdempotencyKey(raw) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not an idempotency key"))
        }
        self = key
    }

    /// Encodes the key as its text.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}

/// Validation of the short texts people type on boards.
public enum BoardText {
    /// Unicode bidirectional overrides and isolates: they let a name or title display
    /// differently from what it says, so board texts refuse them.
    static let bidiControls: Set<Unicode.Scalar> = Set(
        (0x202A...0x202E).compactMap(Unicode.Scalar.init) + (0x2066...0x2069).compactMap(Unicode.Scalar.init))

    /// A one-line text: whitespace collapsed, no control characters.
    public static func line(_ raw: String, field: String, length: ClosedRange<Int>, issues: inout [FieldIssue]) -> String {
        let text = raw.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        check(text, field: field, length: length, allowBreaks: false, issues: &issues)
        return text
    }

    /// A multi-line text (Markdown allowed): trimmed, line breaks and tabs kept, other control characters refused.
    public static func text(_ raw: String, field: String, length: ClosedRange<Int>, issues: inout [FieldIssue]) -> String {
        let text = raw.replacingOccurrences(of: "\r\n", with: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
        check(text, field: field, length: length, allowBreaks: true, issues: &issues)
        return text
    }

    static func check(_ text: String, field: String, length: ClosedRange<Int>, allowBreaks: Bool, issues: inout [FieldIssue]) {
        if text.count < length.lowerBound {
            issues.append(FieldIssue(field: field, code: text.isEmpty ? "required" : "tooShort",
                                     message: "At least \(length.lowerBound) characters."))
        } else if text.count > length.upperBound {
            issues.append(FieldIssue(field: field, code: "tooLong", message: "At most \(length.upperBound) characters."))
        }
        let allowed: Set<Unicode.Scalar> = allowBreaks ? ["\n", "\t"] : []
        if text.unicodeScalars.contains(where: {
            ($0.properties.generalCategory == .control && !allowed.contains($0)) || bidiControls.contains($0)
        }) {
            issues.append(FieldIssue(field: field, code: "invalidCharacters", message: "Contains control characters."))
        }
    }
}
