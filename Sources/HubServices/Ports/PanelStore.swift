import Foundation
import HubCore

/// Row-level changes of the feedback-panel component, carried in a `ChangeSet` as
/// `Change.panel(_)`. Updates name the version they were based on; the store refuses the whole
/// change set with `StoreError.conflict` when it moved on. No change carries a client address
/// or a user agent: the tables have no column for them.
public enum PanelChange: Sendable {
    case insertPanel(FeedbackPanel)
    /// Refused unless the stored version is `expectedVersion`.
    case updatePanel(FeedbackPanel, expectedVersion: Int)
    case insertSubmission(PanelSubmission)
    /// Refused unless the stored version is `expectedVersion` (retention erases without a new
    /// version and passes the current one).
    case updateSubmission(PanelSubmission, expectedVersion: Int)
    /// A new invite (the digest is unique: a second one with the same digest is a duplicate).
    case insertInvite(PanelInvite)
    /// Uses and revocation; refused unless the stored use count is `expectedUses` (two
    /// submissions racing for the last use of a code cannot both win).
    case updateInvite(PanelInvite, expectedUses: Int)
    /// `expectedVersion` nil inserts (one response per submission: a second insert is a
    /// duplicate); otherwise a conditional update.
    case putResponse(PanelResponse, expectedVersion: Int?)
    /// The limiter state of one client key on one panel, kept until `expiresAt`.
    case putAllowance(PanelID, ClientKey, SubmissionAllowance, expiresAt: Date)
    /// A day secret for client keys, shared by every instance; a second one for the same epoch
    /// is ignored (the first instance to rotate wins, the others read it back).
    case insertClientKeySecret(ClientKeySecret, expiresAt: Date)
    case deleteClientKeySecrets(epochs: [Int])
    /// Deletes limiter states whose buckets are empty.
    case deleteExpiredAllowances(before: Date)
}

/// Reads of the feedback-panel component. Part of `HubStore`; both adapters implement it.
public protocol PanelReads: Sendable {
    func panel(_ id: PanelID) async throws -> FeedbackPanel?
    /// The panels of a workspace, oldest first.
    func panels(in workspace: WorkspaceID) async throws -> [FeedbackPanel]
    /// Every panel not yet archived (for the hourly sweep), oldest first.
    func activePanels() async throws -> [FeedbackPanel]

    func submission(_ id: SubmissionID) async throws -> PanelSubmission?
    /// A panel's submissions, oldest first.
    func submissions(of panel: PanelID) async throws -> [PanelSubmission]
    /// Submissions received at or after `since` (the duplicate window), oldest first.
    func submissions(of panel: PanelID, since: Date) async throws -> [PanelSubmission]
    /// The submission whose receipt hashes to `digest`, if any.
    func submission(of panel: PanelID, receipt digest: PanelCodeDigest) async throws -> PanelSubmission?
    /// Submissions that still hold a pseudonym, an e-mail address, a receipt digest or a fingerprint.
    func submissionsHoldingPersonalData() async throws -> [PanelSubmission]

    func invites(of panel: PanelID) async throws -> [PanelInvite]
    func invite(of panel: PanelID, digest: PanelCodeDigest) async throws -> PanelInvite?

    func response(to submission: SubmissionID) async throws -> PanelResponse?
    /// A panel's responses, oldest first.
    func responses(of panel: PanelID) async throws -> [PanelResponse]

    /// The limiter states stored under `keys` for a panel (expired ones included; the limiter drains them).
    func allowances(of panel: PanelID, keys: [ClientKey]) async throws -> [SubmissionAllowance]
    /// The client-key secrets held, oldest epoch first.
    func clientKeySecrets() async throws -> [ClientKeySecret]
}

/// Builds a submission from the columns both adapters store (the same names and forms), so
/// that the two adapters cannot drift apart in how they read personal data back.
public enum PanelRecords {
    public static func submission(
        id: String, panelID: String, status: String, content: String, pseudonym: String?, email: String?, language: String,
        consentVersion: String, consentMillis: Int64, receiptDigest: String?, fingerprint: String?, moderation: String?,
        receivedMillis: Int64, updatedMillis: Int64, version: Int, erasedMillis: Int64?
    ) throws -> PanelSubmission {
        guard let id = SubmissionID(id), let panelID = PanelID(panelID), let status = SubmissionStatus(rawValue: status),
              let language = PanelLanguage(rawValue: language) else { throw StoreError.missingReference("submission") }
        let decoder = WireJSON.decoder()
        return PanelSubmission(
            id: id, panelID: panelID, content: try decoder.decode(SubmissionContent.self, from: Data(content.utf8)), pseudonym: pseudonym,
            email: email, language: language, consent: ConsentRecord(version: consentVersion, givenAt: Date(millis: consentMillis)),
            receiptDigest: receiptDigest.map(PanelCodeDigest.init(hex:)), fingerprint: fingerprint.map(SubmissionFingerprint.init(hex:)),
            status: status, moderation: try moderation.map { try decoder.decode(ModerationNote.self, from: Data($0.utf8)) },
            receivedAt: Date(millis: receivedMillis), updatedAt: Date(millis: updatedMillis), version: version,
            personalDataErasedAt: erasedMillis.map(Date.init(millis:)))
    }
}

/// The hashing and randomness the panel use cases need (SHA-256, HMAC-SHA-256, the system's
/// secure random source). Implemented with swift-crypto at the edge; HubServices stays free of it.
public protocol PanelCrypto: Sendable {
    func sha256(_ data: Data) -> Data
    func hmacSHA256(key: Data, message: Data) -> Data
    func randomBytes(_ count: Int) -> [UInt8]
}
