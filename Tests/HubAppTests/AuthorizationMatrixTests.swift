import Foundation
import HubServices
import HTTPTypes
import HubApp
import HubCore
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// Walks every HTTP route in the router for every role and checks allowed or denied.
/// A route without an entry here fails the suite, so new routes must state their rule.
@Suite("Authorization matrix")
struct AuthorizationMatrixTests {
    typealias Role = TestHub.Role

    struct Rule: Sendable {
        /// The request to make; `{ws}` is replaced by the Integration workspace, `{user}` by the outsider.
        let method: HTTPRequest.Method
        let path: String
        let body: [String: String]?
        let needsVersion: Bool
        let allowed: Set<Role>
    }

    static let everyone = Set(Role.allCases)
    static let signedIn = everyone.subtracting([.anonymous])
    static let members: Set<Role> = [.observer, .member, .coordinator, .admin]
    static let writers: Set<Role> = [.member, .coordinator, .admin]

    /// Route pattern (as the router prints it) → rule. Meetings keep theirs in `MeetingMatrix`.
    static let rules: [String: Rule] = baseRules.merging(MeetingMatrix.rules) { a, _ in a }.merging(MeetingSeriesMatrix.rules) { a, _ in a }

    static let baseRules: [String: Rule] = [
        "GET /healthz": Rule(method: .get, path: "/healthz", body: nil, needsVersion: false, allowed: everyone),
        "GET /readyz": Rule(method: .get, path: "/readyz", body: nil, needsVersion: false, allowed: everyone),
        "GET /metrics": Rule(method: .get, path: "/metrics", body: nil, needsVersion: false, allowed: everyone),
        "GET /api/v1/openapi.json": Rule(method: .get, path: "/api/v1/openapi.json", body: nil, needsVersion: false, allowed: everyone),
        "GET /api/**": Rule(method: .get, path: "/api/v1/unknown", body: nil, needsVersion: false, allowed: []),
        "POST /api/v1/session": Rule(method: .post, path: "/api/v1/session", body: ["email": "admin@roundtable.example", "password": "demo-admin-passwort", "mode": "token"],
                                     needsVersion: false, allowed: everyone),
        "DELETE /api/v1/session": Rule(method: .delete, path: "/api/v1/session", body: nil, needsVersion: false, allowed: signedIn),
        "GET /api/v1/me": Rule(method: .get, path: "/api/v1/me", body: nil, needsVersion: false, allowed: signedIn),
        "GET /api/v1/policy-fields": Rule(method: .get, path: "/api/v1/policy-fields", body: nil, needsVersion: false, allowed: everyone),
        "PUT /api/v1/policy-fields/{id}/priorities": Rule(method: .put, path: "/api/v1/policy-fields/{field}/priorities", body: nil,
                                                         needsVersion: true, allowed: [.admin]),
        "GET /api/v1/workspaces": Rule(method: .get, path: "/api/v1/workspaces", body: nil, needsVersion: false, allowed: signedIn),
        "POST /api/v1/workspaces": Rule(method: .post, path: "/api/v1/workspaces", body: ["kind": "focusGroup", "name": "Neue Fokusgruppe"],
                                        needsVersion: false, allowed: [.admin]),
        "GET /api/v1/workspaces/{id}": Rule(method: .get, path: "/api/v1/workspaces/{ws}", body: nil, needsVersion: false, allowed: signedIn),
        "PATCH /api/v1/workspaces/{id}": Rule(method: .patch, path: "/api/v1/workspaces/{ws}", body: ["description": "geändert"],
                                             needsVersion: true, allowed: [.coordinator, .admin]),
        "POST /api/v1/workspaces/{id}/archive": Rule(method: .post, path: "/api/v1/workspaces/{ws}/archive", body: nil, needsVersion: true, allowed: [.admin]),
        "POST /api/v1/workspaces/{id}/restore": Rule(method: .post, path: "/api/v1/workspaces/{ws}/restore", body: nil, needsVersion: true, allowed: [.admin]),
        "GET /api/v1/workspaces/{id}/members": Rule(method: .get, path: "/api/v1/workspaces/{ws}/members", body: nil, needsVersion: false, allowed: members),
        "PUT /api/v1/workspaces/{id}/members/{userId}": Rule(method: .put, path: "/api/v1/workspaces/{ws}/members/{user}", body: ["role": "observer"],
                                                           needsVersion: false, allowed: [.coordinator, .admin]),
        "DELETE /api/v1/workspaces/{id}/members/{userId}": Rule(method: .delete, path: "/api/v1/workspaces/{ws}/members/{user}", body: nil,
                                                              needsVersion: false, allowed: [.coordinator, .admin]),
        // Identity: everyone signed in manages their own account.
        "POST /api/v1/session/second-factor": Rule(method: .post, path: "/api/v1/session/second-factor", body: ["code": "000000"],
                                                   needsVersion: false, allowed: signedIn),
        "POST /api/v1/me/password": Rule(method: .post, path: "/api/v1/me/password", body: ["currentPassword": "falsch", "newPassword": "x"],
                                         needsVersion: false, allowed: signedIn),
        "GET /api/v1/me/sessions": Rule(method: .get, path: "/api/v1/me/sessions", body: nil, needsVersion: false, allowed: signedIn),
        "DELETE /api/v1/me/sessions/{sessionId}": Rule(method: .delete, path: "/api/v1/me/sessions/{session}", body: nil, needsVersion: false,
                                                       allowed: signedIn),
        "POST /api/v1/me/totp": Rule(method: .post, path: "/api/v1/me/totp", body: nil, needsVersion: false, allowed: signedIn),
        "GET /api/v1/me/totp/qr.svg": Rule(method: .get, path: "/api/v1/me/totp/qr.svg", body: nil, needsVersion: false, allowed: signedIn),
        "POST /api/v1/me/totp/confirm": Rule(method: .post, path: "/api/v1/me/totp/confirm", body: ["code": "000000"], needsVersion: false,
                                             allowed: signedIn),
        "DELETE /api/v1/me/totp": Rule(method: .delete, path: "/api/v1/me/totp", body: ["code": "000000"], needsVersion: false, allowed: signedIn),
        "GET /api/v1/me/tokens": Rule(method: .get, path: "/api/v1/me/tokens", body: nil, needsVersion: false, allowed: signedIn),
        "POST /api/v1/me/tokens": Rule(method: .post, path: "/api/v1/me/tokens", body: ["name": "Export", "scope": "read"], needsVersion: false,
                                       allowed: signedIn),
        "DELETE /api/v1/me/tokens/{tokenId}": Rule(method: .delete, path: "/api/v1/me/tokens/{token}", body: nil, needsVersion: false,
                                                   allowed: signedIn),
        // Invitations: coordinators of the workspace and administrators; accepting only the invited person.
        "POST /api/v1/workspaces/{id}/invitations": Rule(method: .post, path: "/api/v1/workspaces/{ws}/invitations",
                                                         body: ["email": "neu@example.org", "role": "member"], needsVersion: false,
                                                         allowed: [.coordinator, .admin]),
        "GET /api/v1/workspaces/{id}/invitations": Rule(method: .get, path: "/api/v1/workspaces/{ws}/invitations", body: nil, needsVersion: false,
                                                        allowed: [.coordinator, .admin]),
        "DELETE /api/v1/workspaces/{id}/invitations/{invitationId}": Rule(method: .delete, path: "/api/v1/workspaces/{ws}/invitations/{invitation}",
                                                                          body: nil, needsVersion: false, allowed: [.coordinator, .admin]),
        "GET /api/v1/invitations/{token}": Rule(method: .get, path: "/api/v1/invitations/{invitationToken}", body: nil, needsVersion: false,
                                                allowed: everyone),
        "POST /api/v1/invitations/{token}/accept": Rule(method: .post, path: "/api/v1/invitations/{invitationToken}/accept",
                                                        body: ["displayName": "Neue Person", "password": "ein langes Passwort"],
                                                        needsVersion: false, allowed: [.anonymous]),
        // Administration.
        "GET /api/v1/users": Rule(method: .get, path: "/api/v1/users", body: nil, needsVersion: false, allowed: [.admin]),
        "PATCH /api/v1/users/{userId}": Rule(method: .patch, path: "/api/v1/users/{user}", body: ["isSteering": "true"], needsVersion: false,
                                             allowed: [.admin]),
        "POST /api/v1/users/{userId}/password-reset": Rule(method: .post, path: "/api/v1/users/{user}/password-reset", body: nil,
                                                           needsVersion: false, allowed: [.admin]),
        "GET /api/v1/audit": Rule(method: .get, path: "/api/v1/audit", body: nil, needsVersion: false, allowed: [.admin]),
        "GET /api/v1/organizations": Rule(method: .get, path: "/api/v1/organizations", body: nil, needsVersion: false, allowed: signedIn),
        "POST /api/v1/organizations": Rule(method: .post, path: "/api/v1/organizations", body: ["name": "Neuer Träger", "kind": "agency"],
                                           needsVersion: false, allowed: [.admin]),
        "PATCH /api/v1/organizations/{organizationId}": Rule(method: .patch, path: "/api/v1/organizations/{organization}", body: ["kind": "council"],
                                                             needsVersion: false, allowed: [.admin]),
        // Password reset is for people who cannot sign in: open to all; without a mail server it answers 409,
        // and a wrong link is 404 for everyone (the link is the credential).
        "POST /api/v1/password-reset": Rule(method: .post, path: "/api/v1/password-reset", body: ["email": "mitglied@roundtable.example"],
                                            needsVersion: false, allowed: everyone),
        "POST /api/v1/password-reset/confirm": Rule(method: .post, path: "/api/v1/password-reset/confirm",
                                                    body: ["token": "not-a-real-link", "newPassword": "vier lange neue Wörter"],
                                                    needsVersion: false, allowed: []),
        // Recommendations: members read; members, coordinators and administrators write; only the coordinator signs off
        // (in a focus group); only the signer withdraws. `{rec}` is a fresh complete draft in Integration.
        "GET /api/v1/workspaces/{id}/recommendations": Rule(method: .get, path: "/api/v1/workspaces/{ws}/recommendations", body: nil,
                                                           needsVersion: false, allowed: members),
        "POST /api/v1/workspaces/{id}/recommendations": Rule(method: .post, path: "/api/v1/workspaces/{ws}/recommendations",
                                                            body: ["title": "Neue Empfehlung"], needsVersion: false, allowed: writers),
        "GET /api/v1/recommendations/{rid}": Rule(method: .get, path: "/api/v1/recommendations/{rec}", body: nil, needsVersion: false, allowed: members),
        "PATCH /api/v1/recommendations/{rid}": Rule(method: .patch, path: "/api/v1/recommendations/{rec}", body: ["goals": "Neue Ziele"],
                                                   needsVersion: true, allowed: writers),
        "GET /api/v1/recommendations/{rid}/revisions": Rule(method: .get, path: "/api/v1/recommendations/{rec}/revisions", body: nil,
                                                           needsVersion: false, allowed: members),
        "GET /api/v1/recommendations/{rid}/revisions/{number}": Rule(method: .get, path: "/api/v1/recommendations/{rec}/revisions/1", body: nil,
                                                                    needsVersion: false, allowed: members),
        "POST /api/v1/recommendations/{rid}/revisions/{number}/restore": Rule(method: .post, path: "/api/v1/recommendations/{rec}/revisions/1/restore",
                                                                             body: nil, needsVersion: true, allowed: writers),
        "GET /api/v1/recommendations/{rid}/similar": Rule(method: .get, path: "/api/v1/recommendations/{rec}/similar", body: nil,
                                                         needsVersion: false, allowed: members),
        "POST /api/v1/recommendations/{rid}/sign-offs": Rule(method: .post, path: "/api/v1/recommendations/{rec}/sign-offs",
                                                            body: ["capacity": "coordinator"], needsVersion: true, allowed: [.coordinator]),
        "DELETE /api/v1/recommendations/{rid}/sign-offs/{capacity}": Rule(method: .delete, path: "/api/v1/recommendations/{signed}/sign-offs/coordinator",
                                                                         body: nil, needsVersion: false, allowed: [.coordinator]),
        // Comments: everyone in the workspace; resolving: the author, the coordinator, administrators; deciding suggestions: the lead.
        "GET /api/v1/recommendations/{rid}/comments": Rule(method: .get, path: "/api/v1/recommendations/{rec}/comments", body: nil,
                                                          needsVersion: false, allowed: members),
        "POST /api/v1/recommendations/{rid}/comments": Rule(method: .post, path: "/api/v1/recommendations/{rec}/comments", body: nil,
                                                           needsVersion: false, allowed: members),
        "POST /api/v1/recommendations/{rid}/comments/{cid}/resolve": Rule(method: .post, path: "/api/v1/recommendations/{rec}/comments/{comment}/resolve",
                                                                         body: nil, needsVersion: false, allowed: [.member, .coordinator, .admin]),
        "POST /api/v1/recommendations/{rid}/comments/{cid}/accept": Rule(method: .post, path: "/api/v1/recommendations/{rec}/comments/{suggestion}/accept",
                                                                        body: nil, needsVersion: false, allowed: [.coordinator, .admin]),
        "POST /api/v1/recommendations/{rid}/comments/{cid}/reject": Rule(method: .post, path: "/api/v1/recommendations/{rec}/comments/{suggestion}/reject",
                                                                        body: nil, needsVersion: false, allowed: [.coordinator, .admin]),
        // The catalogue is public; rating is the steering group's, the consensus the planning staff's.
        "GET /api/v1/catalogue": Rule(method: .get, path: "/api/v1/catalogue", body: nil, needsVersion: false, allowed: everyone),
        "GET /api/v1/catalogue.csv": Rule(method: .get, path: "/api/v1/catalogue.csv", body: nil, needsVersion: false, allowed: everyone),
        "GET /api/v1/catalogue/{reference}": Rule(method: .get, path: "/api/v1/catalogue/{ref}", body: nil, needsVersion: false, allowed: everyone),
        "PUT /api/v1/catalogue/{reference}/consensus": Rule(method: .put, path: "/api/v1/catalogue/{ref}/consensus",
                                                           body: ["level": "relevant", "justification": "In der Sitzung vereinbart."],
                                                           needsVersion: false, allowed: [.admin]),
        "PUT /api/v1/catalogue/{reference}/ratings/mine": Rule(method: .put, path: "/api/v1/catalogue/{ref}/ratings/mine",
                                                              body: ["level": "relevant", "justification": "Steuerungsrelevant."],
                                                              needsVersion: false, allowed: [.steering]),
        // Decision tracking: the planning staff record decisions; the authoring workspace (here AG §78, coordinated by the demo
        // coordinator) and administrators report; charts are public; the due list is for the workspace's members.
        "POST /api/v1/catalogue/{reference}/decisions": Rule(method: .post, path: "/api/v1/catalogue/{ref}/decisions",
                                                            body: ["decidedOn": "2025-01-10", "body": "Kreistag", "outcome": "adopted"],
                                                            needsVersion: false, allowed: [.admin]),
        "POST /api/v1/catalogue/{reference}/reports": Rule(method: .post, path: "/api/v1/catalogue/{ref}/reports",
                                                          body: ["reportedOn": "2025-01-10", "status": "inProgress"], needsVersion: false,
                                                          allowed: [.coordinator, .admin]),
        "GET /api/v1/catalogue/{reference}/indicators/{index}/chart": Rule(method: .get, path: "/api/v1/catalogue/{ref}/indicators/0/chart", body: nil,
                                                                          needsVersion: false, allowed: everyone),
        "GET /api/v1/workspaces/{id}/reports-due": Rule(method: .get, path: "/api/v1/workspaces/{ws}/reports-due", body: nil, needsVersion: false,
                                                       allowed: members),
        // The annual dossier is public: it goes to the council and is published.
        "GET /api/v1/dossiers/{year}/html": Rule(method: .get, path: "/api/v1/dossiers/2023/html", body: nil, needsVersion: false, allowed: everyone),
        "GET /api/v1/dossiers/{year}/pdf": Rule(method: .get, path: "/api/v1/dossiers/2023/pdf", body: nil, needsVersion: false, allowed: everyone),
        // OParl 1.1: the catalogue for council information systems, public like the catalogue.
        "GET /api/oparl/1.1/system": Rule(method: .get, path: "/api/oparl/1.1/system", body: nil, needsVersion: false, allowed: everyone),
        "GET /api/oparl/1.1/bodies": Rule(method: .get, path: "/api/oparl/1.1/bodies", body: nil, needsVersion: false, allowed: everyone),
        "GET /api/oparl/1.1/bodies/district": Rule(method: .get, path: "/api/oparl/1.1/bodies/district", body: nil, needsVersion: false, allowed: everyone),
        "GET /api/oparl/1.1/bodies/district/papers": Rule(method: .get, path: "/api/oparl/1.1/bodies/district/papers", body: nil, needsVersion: false, allowed: everyone),
        "GET /api/oparl/1.1/bodies/district/organizations": Rule(method: .get, path: "/api/oparl/1.1/bodies/district/organizations", body: nil, needsVersion: false, allowed: everyone),
        "GET /api/oparl/1.1/bodies/district/people": Rule(method: .get, path: "/api/oparl/1.1/bodies/district/people", body: nil, needsVersion: false, allowed: everyone),
        "GET /api/oparl/1.1/bodies/district/meetings": Rule(method: .get, path: "/api/oparl/1.1/bodies/district/meetings", body: nil, needsVersion: false, allowed: everyone),
        "GET /api/oparl/1.1/papers/{reference}": Rule(method: .get, path: "/api/oparl/1.1/papers/{ref}", body: nil, needsVersion: false, allowed: everyone),
        "GET /api/v1/rating-rounds": Rule(method: .get, path: "/api/v1/rating-rounds", body: nil, needsVersion: false, allowed: [.steering, .admin]),
        "PUT /api/v1/rating-rounds/{year}": Rule(method: .put, path: "/api/v1/rating-rounds/2040", body: ["opensOn": "2040-04-01", "closesOn": "2040-05-15"],
                                                needsVersion: false, allowed: [.admin]),
        "GET /api/v1/rating-rounds/{year}/summary": Rule(method: .get, path: "/api/v1/rating-rounds/{year}/summary", body: nil, needsVersion: false,
                                                        allowed: [.steering, .admin]),
        // Feedback panels (issue 7): members read panels, items and results; coordinators and administrators
        // manage, moderate and respond; the public pages /p are for everyone (a published public-link panel).
        // `{panel}`, `{open}`, `{closed}`, `{invitePanel}`, `{item}`, `{approved}`, `{invite}` are fresh objects (see PanelMatrixFixture).
        "GET /api/v1/workspaces/{id}/panels": Rule(method: .get, path: "/api/v1/workspaces/{ws}/panels", body: nil, needsVersion: false, allowed: members),
        "POST /api/v1/workspaces/{id}/panels": Rule(method: .post, path: "/api/v1/workspaces/{ws}/panels?{newPanel}", body: nil, needsVersion: false,
                                                    allowed: [.coordinator, .admin]),
        "GET /api/v1/recommendations/{rid}/panels": Rule(method: .get, path: "/api/v1/recommendations/{panelRec}/panels", body: nil, needsVersion: false,
                                                         allowed: members),
        "GET /api/v1/panels/{pid}": Rule(method: .get, path: "/api/v1/panels/{panel}", body: nil, needsVersion: false, allowed: members),
        "PATCH /api/v1/panels/{pid}": Rule(method: .patch, path: "/api/v1/panels/{panel}", body: nil, needsVersion: true, allowed: [.coordinator, .admin]),
        "POST /api/v1/panels/{pid}/open": Rule(method: .post, path: "/api/v1/panels/{panel}/open", body: nil, needsVersion: true, allowed: [.coordinator, .admin]),
        "POST /api/v1/panels/{pid}/close": Rule(method: .post, path: "/api/v1/panels/{open}/close", body: nil, needsVersion: true, allowed: [.coordinator, .admin]),
        "POST /api/v1/panels/{pid}/archive": Rule(method: .post, path: "/api/v1/panels/{closed}/archive", body: nil, needsVersion: true,
                                                  allowed: [.coordinator, .admin]),
        "GET /api/v1/panels/{pid}/invites": Rule(method: .get, path: "/api/v1/panels/{invitePanel}/invites", body: nil, needsVersion: false,
                                                 allowed: [.coordinator, .admin]),
        "POST /api/v1/panels/{pid}/invites": Rule(method: .post, path: "/api/v1/panels/{invitePanel}/invites", body: ["label": "Jugendrat"], needsVersion: false,
                                                  allowed: [.coordinator, .admin]),
        "POST /api/v1/panels/{pid}/invites/{iid}/revoke": Rule(method: .post, path: "/api/v1/panels/{invitePanel}/invites/{invite}/revoke", body: nil,
                                                               needsVersion: false, allowed: [.coordinator, .admin]),
        "GET /api/v1/panels/{pid}/items": Rule(method: .get, path: "/api/v1/panels/{open}/items", body: nil, needsVersion: false, allowed: members),
        "GET /api/v1/panels/{pid}/queue": Rule(method: .get, path: "/api/v1/panels/{open}/queue", body: nil, needsVersion: false, allowed: [.coordinator, .admin]),
        "POST /api/v1/panels/{pid}/items/{sid}/approve": Rule(method: .post, path: "/api/v1/panels/{open}/items/{item}/approve", body: [:], needsVersion: true,
                                                              allowed: [.coordinator, .admin]),
        "POST /api/v1/panels/{pid}/items/{sid}/hide": Rule(method: .post, path: "/api/v1/panels/{open}/items/{item}/hide", body: ["reason": "Beleidigend."],
                                                           needsVersion: true, allowed: [.coordinator, .admin]),
        "PUT /api/v1/panels/{pid}/items/{sid}/response": Rule(method: .put, path: "/api/v1/panels/{open}/items/{approved}/response",
                                                              body: ["text": "Danke, wir nehmen das auf."], needsVersion: false, allowed: [.coordinator, .admin]),
        "GET /api/v1/panels/{pid}/results": Rule(method: .get, path: "/api/v1/panels/{open}/results", body: nil, needsVersion: false, allowed: members),
        "GET /api/v1/panels/{pid}/export.csv": Rule(method: .get, path: "/api/v1/panels/{open}/export.csv?kind=items", body: nil, needsVersion: false,
                                                    allowed: members),
        "GET /api/v1/panels/{pid}/export.json": Rule(method: .get, path: "/api/v1/panels/{open}/export.json?kind=summary", body: nil, needsVersion: false,
                                                     allowed: members),
        "GET /api/v1/panels/{pid}/qr.svg": Rule(method: .get, path: "/api/v1/panels/{open}/qr.svg", body: nil, needsVersion: false, allowed: members),
        "GET /api/v1/panels/{pid}/qr.png": Rule(method: .get, path: "/api/v1/panels/{open}/qr.png", body: nil, needsVersion: false, allowed: members),
        "GET /p/{pid}": Rule(method: .get, path: "/p/{open}", body: nil, needsVersion: false, allowed: everyone),
        "POST /p/{pid}": Rule(method: .post, path: "/p/{open}?{form}", body: nil, needsVersion: false, allowed: everyone),
        "GET /p/{pid}/receipt": Rule(method: .get, path: "/p/{open}/receipt", body: nil, needsVersion: false, allowed: everyone),
        "POST /p/{pid}/receipt": Rule(method: .post, path: "/p/{open}/receipt?{receipt}", body: nil, needsVersion: false, allowed: everyone),
        "GET /p/{pid}/responses": Rule(method: .get, path: "/p/{open}/responses", body: nil, needsVersion: false, allowed: everyone),
        // Lean Coffee: `{lc}` is a fresh board in Integration (started by an administrator, guests allowed) with one topic `{lct}`
        // by the administrator; `{lctk}` a takeaway by the administrator on a board in discussion. Leads: the coordinator and
        // administrators; members take part; observers read; outsiders (and the steering member, not in Integration) see nothing.
        // A wrong phase is a 409, which still counts as allowed: authorization comes first.
        "GET /api/v1/lean-coffee": Rule(method: .get, path: "/api/v1/lean-coffee?workspace={ws}", body: nil, needsVersion: false, allowed: members),
        "POST /api/v1/lean-coffee": Rule(method: .post, path: "/api/v1/lean-coffee", body: ["title": "Lean Coffee Matrix", "workspaceId": "{ws}"],
                                         needsVersion: false, allowed: writers),
        "GET /api/v1/lean-coffee/{board}": Rule(method: .get, path: "/api/v1/lean-coffee/{lc}", body: nil, needsVersion: false, allowed: members),
        "PATCH /api/v1/lean-coffee/{board}": Rule(method: .patch, path: "/api/v1/lean-coffee/{lc}", body: ["title": "Neuer Titel"], needsVersion: true,
                                                  allowed: [.coordinator, .admin]),
        "DELETE /api/v1/lean-coffee/{board}": Rule(method: .delete, path: "/api/v1/lean-coffee/{lc}", body: nil, needsVersion: false,
                                                   allowed: [.coordinator, .admin]),
        "GET /api/v1/lean-coffee/{board}/invitation": Rule(method: .get, path: "/api/v1/lean-coffee/{lc}/invitation", body: nil, needsVersion: false,
                                                           allowed: everyone),
        "POST /api/v1/lean-coffee/{board}/guests": Rule(method: .post, path: "/api/v1/lean-coffee/{lc}/guests", body: ["displayName": "Gast"],
                                                        needsVersion: false, allowed: everyone),
        "POST /api/v1/lean-coffee/{board}/phase": Rule(method: .post, path: "/api/v1/lean-coffee/{lc}/phase", body: ["phase": "vote"], needsVersion: false,
                                                       allowed: [.coordinator, .admin]),
        "POST /api/v1/lean-coffee/{board}/reveal": Rule(method: .post, path: "/api/v1/lean-coffee/{lc}/reveal", body: nil, needsVersion: false,
                                                        allowed: [.coordinator, .admin]),
        "POST /api/v1/lean-coffee/{board}/topics": Rule(method: .post, path: "/api/v1/lean-coffee/{lc}/topics", body: ["title": "Ein Thema"],
                                                        needsVersion: false, allowed: writers),
        "PATCH /api/v1/lean-coffee/{board}/topics/{topic}": Rule(method: .patch, path: "/api/v1/lean-coffee/{lc}/topics/{lct}", body: ["title": "Anders"],
                                                                 needsVersion: false, allowed: [.coordinator, .admin]),
        "POST /api/v1/lean-coffee/{board}/topics/{topic}/withdraw": Rule(method: .post, path: "/api/v1/lean-coffee/{lc}/topics/{lct}/withdraw", body: nil,
                                                                         needsVersion: false, allowed: [.coordinator, .admin]),
        "POST /api/v1/lean-coffee/{board}/topics/{topic}/dots": Rule(method: .post, path: "/api/v1/lean-coffee/{lc}/topics/{lct}/dots", body: nil,
                                                                     needsVersion: false, allowed: writers),
        "DELETE /api/v1/lean-coffee/{board}/topics/{topic}/dots": Rule(method: .delete, path: "/api/v1/lean-coffee/{lc}/topics/{lct}/dots", body: nil,
                                                                       needsVersion: false, allowed: writers),
        "POST /api/v1/lean-coffee/{board}/topics/{topic}/takeaways": Rule(method: .post, path: "/api/v1/lean-coffee/{lc}/topics/{lct}/takeaways",
                                                                          body: ["text": "Erkenntnis"], needsVersion: false, allowed: writers),
        "POST /api/v1/lean-coffee/{board}/topics/{topic}/draft": Rule(method: .post, path: "/api/v1/lean-coffee/{lc}/topics/{lct}/draft", body: nil,
                                                                      needsVersion: false, allowed: writers),
        "PATCH /api/v1/lean-coffee/{board}/takeaways/{takeaway}": Rule(method: .patch, path: "/api/v1/lean-coffee/{lc}/takeaways/{lctk}",
                                                                       body: ["text": "Geändert"], needsVersion: false, allowed: [.coordinator, .admin]),
        "DELETE /api/v1/lean-coffee/{board}/takeaways/{takeaway}": Rule(method: .delete, path: "/api/v1/lean-coffee/{lc}/takeaways/{lctk}", body: nil,
                                                                        needsVersion: false, allowed: [.coordinator, .admin]),
        "POST /api/v1/lean-coffee/{board}/continue": Rule(method: .post, path: "/api/v1/lean-coffee/{lc}/continue", body: ["topicId": "{lct}", "vote": "up"],
                                                          needsVersion: false, allowed: writers),
        "POST /api/v1/lean-coffee/{board}/conclude": Rule(method: .post, path: "/api/v1/lean-coffee/{lc}/conclude", body: ["topicId": "{lct}"],
                                                          needsVersion: false, allowed: [.coordinator, .admin]),
        "POST /api/v1/lean-coffee/{board}/next": Rule(method: .post, path: "/api/v1/lean-coffee/{lc}/next", body: ["topicId": "{lct}"], needsVersion: false,
                                                      allowed: [.coordinator, .admin]),
        "POST /api/v1/lean-coffee/{board}/minutes": Rule(method: .post, path: "/api/v1/lean-coffee/{lc}/minutes",
                                                         body: ["meetingId": "5f0c6f5e-0000-4000-8000-000000000001"], needsVersion: false,
                                                         allowed: [.coordinator, .admin]),
        "GET /api/v1/lean-coffee/{board}/qr.svg": Rule(method: .get, path: "/api/v1/lean-coffee/{lc}/qr.svg", body: nil, needsVersion: false, allowed: members),
        "GET /api/v1/lean-coffee/{board}/qr.png": Rule(method: .get, path: "/api/v1/lean-coffee/{lc}/qr.png", body: nil, needsVersion: false, allowed: members),
        "GET /api/v1/lean-coffee/{board}/export": Rule(method: .get, path: "/api/v1/lean-coffee/{lc}/export?format=csv", body: nil, needsVersion: false,
                                                       allowed: members),
        // Barcamps: `{bc}` is a fresh barcamp in Integration (by an administrator, guests allowed) with one room `{bcr}`, a
        // session slot `{bct}`, a pause, and one session `{bcs}` proposed by the administrator. Moderators: the coordinator and
        // administrators; members take part; observers read.
        "GET /api/v1/barcamps": Rule(method: .get, path: "/api/v1/barcamps?workspace={ws}", body: nil, needsVersion: false, allowed: members),
        "POST /api/v1/barcamps": Rule(method: .post, path: "/api/v1/barcamps", body: ["title": "Barcamp Matrix", "workspaceId": "{ws}"],
                                      needsVersion: false, allowed: writers),
        "GET /api/v1/barcamps/{barcamp}": Rule(method: .get, path: "/api/v1/barcamps/{bc}", body: nil, needsVersion: false, allowed: members),
        "PATCH /api/v1/barcamps/{barcamp}": Rule(method: .patch, path: "/api/v1/barcamps/{bc}", body: ["title": "Umbenannt"], needsVersion: true,
                                                 allowed: [.coordinator, .admin]),
        "DELETE /api/v1/barcamps/{barcamp}": Rule(method: .delete, path: "/api/v1/barcamps/{bc}", body: nil, needsVersion: false,
                                                  allowed: [.coordinator, .admin]),
        "GET /api/v1/barcamps/{barcamp}/invitation": Rule(method: .get, path: "/api/v1/barcamps/{bc}/invitation", body: nil, needsVersion: false,
                                                          allowed: everyone),
        "POST /api/v1/barcamps/{barcamp}/guests": Rule(method: .post, path: "/api/v1/barcamps/{bc}/guests", body: ["displayName": "Gast"],
                                                       needsVersion: false, allowed: everyone),
        "POST /api/v1/barcamps/{barcamp}/sessions": Rule(method: .post, path: "/api/v1/barcamps/{bc}/sessions", body: ["title": "Eine Session"],
                                                         needsVersion: false, allowed: writers),
        "PATCH /api/v1/barcamps/{barcamp}/sessions/{session}": Rule(method: .patch, path: "/api/v1/barcamps/{bc}/sessions/{bcs}",
                                                                    body: ["title": "Anders"], needsVersion: true, allowed: [.coordinator, .admin]),
        "POST /api/v1/barcamps/{barcamp}/sessions/{session}/withdraw": Rule(method: .post, path: "/api/v1/barcamps/{bc}/sessions/{bcs}/withdraw",
                                                                            body: nil, needsVersion: false, allowed: [.coordinator, .admin]),
        "PUT /api/v1/barcamps/{barcamp}/sessions/{session}/interest": Rule(method: .put, path: "/api/v1/barcamps/{bc}/sessions/{bcs}/interest",
                                                                           body: nil, needsVersion: false, allowed: writers),
        "DELETE /api/v1/barcamps/{barcamp}/sessions/{session}/interest": Rule(method: .delete, path: "/api/v1/barcamps/{bc}/sessions/{bcs}/interest",
                                                                              body: nil, needsVersion: false, allowed: writers),
        "PUT /api/v1/barcamps/{barcamp}/sessions/{session}/notes": Rule(method: .put, path: "/api/v1/barcamps/{bc}/sessions/{bcs}/notes",
                                                                        body: ["text": "Notizen"], needsVersion: false, allowed: writers),
        "POST /api/v1/barcamps/{barcamp}/grid": Rule(method: .post, path: "/api/v1/barcamps/{bc}/grid?action=assign",
                                                     body: ["sessionId": "{bcs}", "roomId": "{bcr}", "slotId": "{bct}"], needsVersion: true,
                                                     allowed: [.coordinator, .admin]),
        "POST /api/v1/barcamps/{barcamp}/schedule/proposal": Rule(method: .post, path: "/api/v1/barcamps/{bc}/schedule/proposal", body: nil,
                                                                  needsVersion: false, allowed: [.coordinator, .admin]),
        "POST /api/v1/barcamps/{barcamp}/schedule/apply": Rule(method: .post, path: "/api/v1/barcamps/{bc}/schedule/apply", body: nil,
                                                               needsVersion: true, allowed: [.coordinator, .admin]),
        "POST /api/v1/barcamps/{barcamp}/publish": Rule(method: .post, path: "/api/v1/barcamps/{bc}/publish", body: nil, needsVersion: true,
                                                        allowed: [.coordinator, .admin]),
        "POST /api/v1/barcamps/{barcamp}/close": Rule(method: .post, path: "/api/v1/barcamps/{bc}/close", body: nil, needsVersion: false,
                                                      allowed: [.coordinator, .admin]),
        "GET /api/v1/barcamps/{barcamp}/agenda": Rule(method: .get, path: "/api/v1/barcamps/{bc}/agenda", body: nil, needsVersion: false, allowed: members),
        "GET /api/v1/barcamps/{barcamp}/agenda.ics": Rule(method: .get, path: "/api/v1/barcamps/{bc}/agenda.ics", body: nil, needsVersion: false,
                                                          allowed: members),
        "GET /api/v1/barcamps/{barcamp}/qr.svg": Rule(method: .get, path: "/api/v1/barcamps/{bc}/qr.svg", body: nil, needsVersion: false, allowed: members),
        "GET /api/v1/barcamps/{barcamp}/qr.png": Rule(method: .get, path: "/api/v1/barcamps/{bc}/qr.png", body: nil, needsVersion: false, allowed: members),
        "GET /api/v1/barcamps/{barcamp}/documentation": Rule(method: .get, path: "/api/v1/barcamps/{bc}/documentation?format=html", body: nil,
                                                             needsVersion: false, allowed: members),
    ]

    @Test("Every route in the router has a rule")
    func everyRouteHasARule() async throws {
        let hub = try await TestHub()
        let routers = try await hub.graph.routers()
        let routes = routers.http.routes.map(\.description)
        #expect(!routes.isEmpty)
        for route in routes {
            #expect(Self.rules[route] != nil, "no authorization rule for \(route)")
        }
        for key in Self.rules.keys {
            #expect(routes.contains(key), "rule for a route that does not exist: \(key)")
        }
        #expect(routers.webSocket.routes.map(\.description) == ["GET /ws"], "the WebSocket matrix lives in WebSocketTests")
    }

    @Test("Each role is allowed or denied as the rule says", arguments: Role.allCases)
    func matrix(role: Role) async throws {
        let hub = try await TestHub()
        let outsider = try #require(try await hub.graph.store.credentials(email: "aussen@roundtable.example")?.0.id)
        let field = try #require(try await hub.graph.store.policyFields().value.first?.id)
        try await hub.application().test(.router) { client in
            // One administrator session for the board and barcamp fixtures (signing in for each would hit the sign-in throttle).
            let fixtureAdmin = try await client.token(.admin)
            for (route, rule) in Self.rules.sorted(by: { $0.key < $1.key }) {
                // Start every rule from the same memberships: the outsider belongs nowhere.
                if try await hub.graph.store.membership(hub.integration, outsider) != nil {
                    try await hub.graph.deps.commit(ChangeSet(changes: [.deleteMembership(hub.integration, outsider)]))
                }
                // A fresh session per request: sign-out and archive change state.
                let token = try await client.token(role)
                var headers: HTTPFields = [:]
                var path = rule.path.replacingOccurrences(of: "{ws}", with: hub.integration.description)
                    .replacingOccurrences(of: "{user}", with: outsider.description).replacingOccurrences(of: "{field}", with: field.description)
                if path.contains("{rec}") || path.contains("{signed}") {
                    // A fresh, complete draft in Integration, written by an administrator.
                    let admin = try await client.token(.admin)
                    let created = JSON.object(try await client.call(.post, "/api/v1/workspaces/\(hub.integration)/recommendations", token: admin,
                                                                    json: ["title": "Matrix-Entwurf"]).body)
                    let rid = created["id"] as? String ?? "none"
                    _ = try await client.call(.patch, "/api/v1/recommendations/\(rid)", token: admin,
                                              json: RecommendationAPITests.complete([field.description]), headers: [.ifMatch: "\"v1\""])
                    if path.contains("{signed}") {
                        let coordinator = try await client.token(.coordinator)
                        _ = try await client.call(.post, "/api/v1/recommendations/\(rid)/sign-offs", token: coordinator, json: ["capacity": "coordinator"],
                                                  headers: [.ifMatch: "\"v2\""])
                    }
                    if path.contains("{comment}") || path.contains("{suggestion}") {
                        // The demo member comments and suggests; the rule's role then resolves or decides.
                        let member = try await client.token(.member)
                        let body: [String: Any] = path.contains("{comment}")
                            ? ["body": "Bitte die Quelle ergänzen.", "baseRevision": 2]
                            : ["section": "goals", "suggestion": "Klarere Ziele.", "body": "Vorschlag", "baseRevision": 2]
                        let created = JSON.object(try await client.call(.post, "/api/v1/recommendations/\(rid)/comments", token: member, json: body).body)
                        path = path.replacingOccurrences(of: "{comment}", with: created["id"] as? String ?? "none")
                            .replacingOccurrences(of: "{suggestion}", with: created["id"] as? String ?? "none")
                    }
                    path = path.replacingOccurrences(of: "{rec}", with: rid).replacingOccurrences(of: "{signed}", with: rid)
                    if rule.needsVersion { headers[.ifMatch] = "\"v2\"" }
                }
                let year = LocalDate.berlin(Date()).year
                path = path.replacingOccurrences(of: "{ref}", with: "HE-\(year)-001").replacingOccurrences(of: "{year}", with: "\(year)")
                var body: Any? = rule.body
                var panelForm: String?
                if path.contains("{") && (route.contains("/panels") || route.hasPrefix("GET /p/") || route.hasPrefix("POST /p/")) {
                    let fixture = try await PanelMatrixFixture.prepare(path, route: route, client: client, hub: hub)
                    path = fixture.path
                    panelForm = fixture.form
                    if let version = fixture.version, rule.needsVersion { headers[.ifMatch] = "\"v\(version)\"" }
                    if let json = fixture.json { body = json }
                }
                if path.contains("{lc}") || path.contains("{bc}"), let w = try await hub.graph.store.workspace(hub.integration), w.archived {
                    // Board fixtures need an active workspace (the archive rules may have left it archived).
                    _ = try await client.call(.post, "/api/v1/workspaces/\(hub.integration)/restore", token: fixtureAdmin,
                                              headers: [.ifMatch: "\"v\(w.version)\""])
                }
                if path.contains("{lc}") {
                    let admin = fixtureAdmin
                    let (board, topic, takeaway) = try await LeanCoffeeAPITests.matrixBoard(client, admin: admin, workspace: hub.integration,
                                                                                             discussing: path.contains("{lctk}"))
                    path = path.replacingOccurrences(of: "{lc}", with: board).replacingOccurrences(of: "{lct}", with: topic)
                        .replacingOccurrences(of: "{lctk}", with: takeaway)
                    if rule.needsVersion { headers[.ifMatch] = "\"v1\"" }
                    headers[HTTPField.Name("Idempotency-Key")!] = "matrix-\(UUID().uuidString)"
                }
                var barcampIDs: [String: String] = [:]
                if path.contains("{bc}") {
                    let admin = fixtureAdmin
                    let made = try await BarcampAPITests.matrixBarcamp(client, admin: admin, workspace: hub.integration)
                    barcampIDs = ["{bc}": made.barcamp, "{bcs}": made.session, "{bcr}": made.room, "{bct}": made.slot]
                    // Longest placeholder first: `{bc}` is a prefix of the others.
                    for key in ["{bcs}", "{bcr}", "{bct}", "{bc}"] { path = path.replacingOccurrences(of: key, with: barcampIDs[key] ?? "") }
                    if rule.needsVersion { headers[.ifMatch] = "\"v1\"" }
                }
                path = try await MeetingMatrix.prepare(path, route: route, hub: hub, client: client, headers: &headers, body: &body)
                path = try await MeetingSeriesMatrix.prepare(path, route: route, hub: hub, client: client, headers: &headers, body: &body)
                if rule.needsVersion && !path.contains("/recommendations/") && !path.contains("/lean-coffee/") && !path.contains("/barcamps/")
                    && !path.contains("/panels/") && !path.contains("/meetings/") && !path.contains("/meeting-templates/")
                    && !path.contains("/meeting-series/") {
                    let version: Int
                    if path.contains("/policy-fields/") {
                        version = try #require(try await hub.graph.store.policyField(field)).version
                    } else {
                        version = try #require(try await hub.graph.store.workspace(hub.integration)).version
                    }
                    headers[.ifMatch] = "\"v\(version)\""
                }
                if route.contains("/api/v1/barcamps"), var b = rule.body {
                    for (k, v) in b {
                        var value = v.replacingOccurrences(of: "{ws}", with: hub.integration.description)
                        for key in ["{bcs}", "{bcr}", "{bct}", "{bc}"] { value = value.replacingOccurrences(of: key, with: barcampIDs[key] ?? key) }
                        b[k] = value
                    }
                    var full: [String: Any] = b
                    if route.hasSuffix("/notes") { full["baseVersion"] = 0 }
                    body = full
                }
                if route.hasPrefix("POST /api/v1/lean-coffee"), var b = rule.body {
                    for (k, v) in b { b[k] = v.replacingOccurrences(of: "{ws}", with: hub.integration.description) }
                    if let topic = path.split(separator: "/").dropFirst(3).first, b["topicId"] != nil {
                        // The board's first topic: read it back.
                        let detail = JSON.object(try await client.call(.get, "/api/v1/lean-coffee/\(topic)", token: fixtureAdmin).body)
                        b["topicId"] = ((detail["topics"] as? [[String: Any]])?.first?["id"] as? String) ?? "none"
                    }
                    var full: [String: Any] = b
                    if b["topicId"] != nil { full["timebox"] = 0 }
                    body = full
                }
                if path.hasSuffix("/priorities") { body = ["prioritisedYears": [2026]] }
                if route == "PATCH /api/v1/users/{userId}" { body = ["isSteering": true] }
                if route == "POST /api/v1/recommendations/{rid}/comments" { body = ["section": "goals", "body": "Gut so.", "baseRevision": 1] }
                // Routes that act on an object need one that exists.
                if path.contains("{organization}") {
                    let first = try #require(try await hub.graph.store.organizations().first)
                    path = path.replacingOccurrences(of: "{organization}", with: first.id.description)
                }
                if path.contains("{session}") {
                    let me = JSON.object(try await client.call(.get, "/api/v1/me", token: token).body)
                    path = path.replacingOccurrences(of: "{session}", with: (me["session"] as? [String: Any])?["id"] as? String ?? "none")
                }
                if path.contains("{token}") {
                    let created = JSON.object(try await client.call(.post, "/api/v1/me/tokens", token: token, json: ["name": "Tmp", "scope": "read"]).body)
                    path = path.replacingOccurrences(of: "{token}", with: created["id"] as? String ?? "none")
                }
                if path.contains("{invitation}") || path.contains("{invitationToken}") {
                    let admin = try await client.token(.admin)
                    let created = JSON.object(try await client.call(.post, "/api/v1/workspaces/\(hub.integration)/invitations", token: admin,
                                                                    json: ["email": "person-\(UUID().uuidString.prefix(6))@example.org", "role": "member"]).body)
                    let secret = (created["link"] as? String)?.components(separatedBy: "/invitation/").last ?? "none"
                    path = path.replacingOccurrences(of: "{invitation}", with: created["id"] as? String ?? "none")
                        .replacingOccurrences(of: "{invitationToken}", with: secret)
                }
                if route == "POST /api/v1/workspaces/{id}/restore", rule.allowed.contains(role) {
                    // Restoring needs an archived workspace: archive first as an administrator.
                    let admin = try await client.token(.admin)
                    let v = try #require(try await hub.graph.store.workspace(hub.integration)).version
                    _ = try await client.call(.post, "/api/v1/workspaces/\(hub.integration)/archive", token: admin, headers: [.ifMatch: "\"v\(v)\""])
                    headers[.ifMatch] = "\"v\(v + 1)\""
                }
                if route == "POST /api/v1/workspaces/{id}/archive" || route == "PATCH /api/v1/workspaces/{id}" || route.hasPrefix("PUT /api/v1/workspaces") {
                    // Keep the workspace active for the next rule.
                    if let w = try await hub.graph.store.workspace(hub.integration), w.archived {
                        let admin = try await client.token(.admin)
                        _ = try await client.call(.post, "/api/v1/workspaces/\(hub.integration)/restore", token: admin, headers: [.ifMatch: "\"v\(w.version)\""])
                        if rule.needsVersion { headers[.ifMatch] = "\"v\(w.version + 1)\"" }
                    }
                }
                if route.hasPrefix("DELETE /api/v1/workspaces") {
                    // Deleting needs the outsider to be a member first.
                    let admin = try await client.token(.admin)
                    _ = try await client.call(.put, "/api/v1/workspaces/\(hub.integration)/members/\(outsider)", token: admin, json: ["role": "member"])
                }
                let response = if let panelForm {
                    try await client.execute(uri: path, method: rule.method, headers: PanelMatrixFixture.formHeaders(headers, token: token),
                                             body: ByteBuffer(string: panelForm))
                } else {
                    try await client.call(rule.method, path, token: token, json: body, headers: headers)
                }
                let denied = [401, 403, 404].contains(response.status.code)
                if rule.allowed.contains(role) {
                    #expect(!denied && response.status.code < 500, "\(role.rawValue) should be allowed: \(route) → \(response.status.code) \(String(buffer: response.body))")
                } else {
                    #expect(denied, "\(role.rawValue) should be denied: \(route) → \(response.status.code)")
                }
                let linkIsCredential = ["GET /api/**", "POST /api/v1/password-reset/confirm"].contains(route)
                if role == .anonymous && !rule.allowed.contains(role) && !linkIsCredential {
                    #expect(response.status == .unauthorized, "anonymous gets 401, not \(response.status.code), for \(route)")
                }
            }
        }
    }

    @Test("No object of another workspace is reachable by changing an id")
    func crossWorkspace() async throws {
        let hub = try await TestHub()
        try await hub.application().test(.router) { client in
            // The demo member belongs to Integration but not to Fachbeirat Sucht.
            let member = try await client.token(.member)
            #expect(try await client.call(.get, "/api/v1/workspaces/\(hub.integration)/members", token: member).status == .ok)
            #expect(try await client.call(.get, "/api/v1/workspaces/\(hub.sucht)/members", token: member).status == .forbidden)
            let coordinatorOfIntegrationOnly = try await client.token(.observer)
            #expect(try await client.call(.patch, "/api/v1/workspaces/\(hub.sucht)", token: coordinatorOfIntegrationOnly,
                                          json: ["name": "Übernommen"], headers: [.ifMatch: "\"v1\""]).status == .forbidden)
        }
    }
}
