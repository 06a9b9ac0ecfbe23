import Foundation
import HubCore

/// TOTP (RFC 6238) enrolment, verification at sign-in, and recovery codes.
public struct SecondFactor: Sendable {
    let deps: ServiceDependencies
    let totp: any TOTPGenerator
    let digest: any TokenDigest
    let throttle: LoginThrottle
    let issuer: String

    public init(deps: ServiceDependencies, totp: any TOTPGenerator, digest: any TokenDigest, throttle: LoginThrottle, issuer: String = "Roundtable") {
        self.deps = deps
        self.totp = totp
        self.digest = digest
        self.throttle = throttle
        self.issuer = issuer
    }

    public struct Enrolment: Sendable {
        public let secret: String
        public let uri: String
    }

    /// Starts (or restarts) enrolment: a new secret, not active until confirmed.
    public func start(for user: User) async throws -> Enrolment {
        let existing = try await deps.store.totp(user.id)
        if existing?.enabled == true {
            throw DomainError(.invalidTransition, code: "totp.alreadyEnabled", message: "Two-factor authentication is already on.")
        }
        let secret = totp.newSecret()
        try await deps.commit(ChangeSet(changes: [.upsertTOTP(TOTPCredential(
            userID: user.id, secret: secret, enabled: false, lastStep: 0, createdAt: deps.clock.now()))]))
        return enrolment(secret: secret, email: user.email)
    }

    /// The enrolment that is waiting for its first code (for the QR code on the account page);
    /// nil when none was started or the factor is already on.
    public func pending(for user: User) async throws -> Enrolment? {
        guard let credential = try await deps.store.totp(user.id), !credential.enabled else { return nil }
        return enrolment(secret: credential.secret, email: user.email)
    }

    func enrolment(secret: String, email: String) -> Enrolment {
        // Key URI format: label "Issuer:account", each part percent-encoded, the colon literal.
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
        func encode(_ text: String) -> String { text.addingPercentEncoding(withAllowedCharacters: allowed) ?? "" }
        let label = encode(issuer) + ":" + encode(email)
        return Enrolment(secret: secret, uri: "otpauth://totp/\(label)?secret=\(secret)&issuer=\(encode(issuer))&algorithm=SHA1&digits=6&period=30")
    }

    /// Confirms enrolment with a first code; returns ten recovery codes (shown once) and
    /// marks the current session as verified.
    public func confirm(code: String, for user: User, session: SessionRecord, clientKey: String?) async throws -> [String] {
        guard var credential = try await deps.store.totp(user.id), !credential.enabled else {
            throw DomainError(.invalidTransition, code: "totp.notStarted", message: "Start setting up two-factor authentication first.")
        }
        let now = deps.clock.now()
        try throttle.check(account: "totp:" + user.email, address: clientKey ?? "-", now: now)
        guard let step = match(code, credential, now) else {
            throttle.recordFailure(account: "totp:" + user.email, address: clientKey ?? "-", now: now)
            throw DomainError.validation([FieldIssue(field: "code", code: "invalid", message: "The code does not match. Check the time on your phone and try the next code.")])
        }
        credential.enabled = true
        credential.lastStep = step
        let codes = (0..<10).map { _ in Self.recoveryCode() }
        var verified = session
        verified.secondFactor = .verified
        try await deps.commit(ChangeSet(changes: [
            .upsertTOTP(credential),
            .replaceRecoveryCodes(user.id, hashes: codes.map { digest.digest(Self.normalize($0)) }),
            .updateSession(verified),
            .appendAudit(AuditEntry(at: now, type: "totp.enabled", actorID: user.id, addressHash: clientKey)),
        ]))
        return codes
    }

    /// Completes a pending sign-in with a TOTP code or a recovery code.
    public func verify(code: String?, recoveryCode: String?, session: SessionRecord, clientKey: String) async throws -> (User, SessionRecord) {
        guard session.secondFactor == .pending, let user = try await deps.store.user(session.userID),
              let credential = try await deps.store.totp(user.id), credential.enabled else {
            throw DomainError(.invalidTransition, code: "auth.noSecondFactorPending", message: "There is no sign-in waiting for a second factor.")
        }
        let now = deps.clock.now()
        try throttle.check(account: user.email, address: clientKey, now: now)
        var changes: [Change] = []
        var verified = session
        verified.secondFactor = .verified
        if let code, let step = match(code, credential, now) {
            var used = credential
            used.lastStep = step
            changes.append(.upsertTOTP(used))
        } else if let recoveryCode, try await deps.store.hasUnusedRecoveryCode(user.id, hash: digest.digest(Self.normalize(recoveryCode))) {
            changes.append(.useRecoveryCode(user.id, hash: digest.digest(Self.normalize(recoveryCode)), at: now))
        } else {
            throttle.recordFailure(account: user.email, address: clientKey, now: now)
            try await deps.commit(ChangeSet(changes: [.appendAudit(AuditEntry(at: now, type: "auth.secondFactorFailed", actorID: user.id, addressHash: clientKey))]))
            throw DomainError(.unauthenticated, code: "auth.invalidSecondFactor", message: "The code is wrong or was already used.")
        }
        throttle.recordSuccess(account: user.email)
        changes.append(.updateSession(verified))
        changes.append(.appendAudit(AuditEntry(at: now, type: "auth.secondFactorOk", actorID: user.id, addressHash: clientKey,
                                               detail: code == nil ? "recovery code" : "totp")))
        try await deps.commit(ChangeSet(changes: changes))
        return (user, verified)
    }

    /// Switches TOTP off after checking a current code. Administrators keep it.
    public func disable(code: String, for user: User, clientKey: String?) async throws {
        if user.isAdmin {
            throw DomainError(.invalidTransition, code: "totp.requiredForRole", message: "Administrators must keep two-factor authentication.")
        }
        guard let credential = try await deps.store.totp(user.id), credential.enabled else {
            throw DomainError(.invalidTransition, code: "totp.notEnabled", message: "Two-factor authentication is not on.")
        }
        let now = deps.clock.now()
        try throttle.check(account: "totp:" + user.email, address: clientKey ?? "-", now: now)
        guard match(code, credential, now) != nil else {
            throttle.recordFailure(account: "totp:" + user.email, address: clientKey ?? "-", now: now)
            throw DomainError.validation([FieldIssue(field: "code", code: "invalid", message: "The code does not match.")])
        }
        try await deps.commit(ChangeSet(changes: [
            .deleteTOTP(user.id), .replaceRecoveryCodes(user.id, hashes: []),
            .appendAudit(AuditEntry(at: deps.clock.now(), type: "totp.disabled", actorID: user.id, addressHash: clientKey)),
        ]))
    }

    func match(_ code: String, _ credential: TOTPCredential, _ now: Date) -> Int64? {
        let candidates = SecondFactorRules.window(at: now).map { ($0, totp.code(secret: credential.secret, step: $0)) }
        return SecondFactorRules.accept(code: code, candidates: candidates, lastUsedStep: credential.lastStep)
    }

    /// `xxxx-xxxx-xxxx` from an alphabet without look-alikes (60 bits).
    static func recoveryCode() -> String {
        let alphabet = Array("abcdefghjkmnpqrstuvwxyz23456789")
        var generator = SystemRandomNumberGenerator()
        let chars = (0..<12).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] }
        return [0, 4, 8].map { String(chars[$0..<$0 + 4]) }.joined(separator: "-")
    }

    static func normalize(_ code: String) -> String {
        code.lowercased().filter { $0.isLetter || $0.isNumber }
    }
}
