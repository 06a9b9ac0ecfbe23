import Foundation
import HTTPTypes
import HubApp
import HubCore
import HubHTTP
import HubServices
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@Suite("Identity")
struct IdentityTests {
    /// The current TOTP code for a secret, `offset` steps from now.
    static func code(_ secret: String, offset: Int64 = 0) -> String {
        TOTP().code(secret: secret, step: SecondFactorRules.step(at: Date()) + offset)
    }

    static func error(_ response: TestResponse) -> String? {
        (JSON.object(response.body)["error"] as? [String: Any])?["code"] as? String
    }

    @Test("TOTP follows RFC 6238 (test vector, 6 digits) and base32 round-trips")
    func totpVector() {
        // RFC 6238 appendix B: secret "12345678901234567890", T = 59 s → 94287082 (8 digits).
        let secret = TOTP.base32(Array("12345678901234567890".utf8))
        #expect(secret == "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ")
        #expect(TOTP().code(secret: secret, step: 1) == "287082")
        #expect(TOTP().code(secret: secret, step: 1_111_111_109 / 30) == "081804")
        #expect(TOTP.base32Decode(TOTP().newSecret())?.count == 20)
    }

    @Test("Enrol TOTP, then sign-in needs the code; codes and recovery codes work once")
    func secondFactorFlow() async throws {
        let hub = try await TestHub()
        try await hub.application().test(.router) { client in
            let first = try #require(try await client.token(.member))
            let enrolment = JSON.object(try await client.call(.post, "/api/v1/me/totp", token: first).body)
            let secret = try #require(enrolment["secret"] as? String)
            #expect((enrolment["otpauthUri"] as? String)?.hasPrefix("otpauth://totp/Roundtable:mitglied%40roundtable.example?secret=\(secret)") == true)
            // The QR code of the enrolment carries the same URI (for the authenticator app's camera).
            let qr = try await client.call(.get, "/api/v1/me/totp/qr.svg", token: first)
            #expect(qr.status == .ok && qr.headers[.contentType]?.hasPrefix("image/svg+xml") == true)
            #expect(String(buffer: qr.body).contains("secret=\(secret)&amp;issuer=Roundtable"))
            #expect(qr.headers[.cacheControl]?.contains("no-store") == true, "the secret is never cached")
            #expect(try await client.call(.post, "/api/v1/me/totp/confirm", token: first, json: ["code": "000000"]).status == .unprocessableContent)
            let confirmed = try await client.call(.post, "/api/v1/me/totp/confirm", token: first, json: ["code": Self.code(secret)])
            let recovery = try #require(JSON.object(confirmed.body)["recoveryCodes"] as? [String])
            #expect(recovery.count == 10 && Set(recovery).count == 10)
            let afterwards = try await client.call(.get, "/api/v1/me/totp/qr.svg", token: first)
            #expect(afterwards.status == .conflict && Self.error(afterwards) == "totp.notStarted", "no QR code once the factor is on")

            // Sign in again: the session waits for the second factor.
            let signIn = try await client.call(.post, "/api/v1/session", token: nil,
                                               json: ["email": "mitglied@roundtable.example", "password": "demo-mitglied", "mode": "token"])
            #expect(JSON.object(signIn.body)["secondFactor"] as? String == "required")
            let pending = try #require(JSON.object(signIn.body)["token"] as? String)
            let held = try await client.call(.get, "/api/v1/workspaces", token: pending)
            #expect(held.status == .unauthorized && Self.error(held) == "auth.secondFactorRequired")
            let wrong = try await client.call(.post, "/api/v1/session/second-factor", token: pending, json: ["code": "123456"])
            #expect(wrong.status == .unauthorized && Self.error(wrong) == "auth.invalidSecondFactor")
            // The code used to confirm enrolment cannot be replayed; the next one works.
            #expect(try await client.call(.post, "/api/v1/session/second-factor", token: pending, json: ["code": Self.code(secret)]).status == .unauthorized)
            let verified = try await client.call(.post, "/api/v1/session/second-factor", token: pending, json: ["code": Self.code(secret, offset: 1)])
            #expect(verified.status == .ok && JSON.object(verified.body)["secondFactor"] as? String == "verified")
            #expect(try await client.call(.get, "/api/v1/workspaces", token: pending).status == .ok)

            // A recovery code replaces the app once.
            for expected in [HTTPResponse.Status.ok, .unauthorized] {
                let again = JSON.object(try await client.call(.post, "/api/v1/session", token: nil,
                                                              json: ["email": "mitglied@roundtable.example", "password": "demo-mitglied", "mode": "token"]).body)
                let token = try #require(again["token"] as? String)
                let response = try await client.call(.post, "/api/v1/session/second-factor", token: token,
                                                     json: ["recoveryCode": recovery[0].uppercased()])
                #expect(response.status == expected)
            }
            let me = JSON.object(try await client.call(.get, "/api/v1/me", token: pending).body)
            #expect(me["totpEnabled"] as? Bool == true)
        }
    }

    @Test("Administrators act as administrators only after a verified second factor")
    func adminNeedsSecondFactor() async throws {
        let hub = try await TestHub { $0.adminSecondFactor = "required" }
        try await hub.application().test(.router) { client in
            let admin = try #require(try await client.token(.admin))
            let refused = try await client.call(.post, "/api/v1/workspaces", token: admin, json: ["kind": "focusGroup", "name": "Ohne zweiten Faktor"])
            #expect(refused.status == .forbidden && Self.error(refused) == "auth.secondFactorRequired")
            #expect(try await client.call(.get, "/api/v1/audit", token: admin).status == .forbidden)
            #expect(JSON.object(try await client.call(.get, "/api/v1/me", token: admin).body)["adminNeedsSecondFactor"] as? Bool == true)
            let secret = try #require(JSON.object(try await client.call(.post, "/api/v1/me/totp", token: admin).body)["secret"] as? String)
            #expect(try await client.call(.post, "/api/v1/me/totp/confirm", token: admin, json: ["code": Self.code(secret)]).status == .ok)
            #expect(try await client.call(.post, "/api/v1/workspaces", token: admin, json: ["kind": "focusGroup", "name": "Mit zweitem Faktor"]).status == .created)
            let disable = try await client.call(.delete, "/api/v1/me/totp", token: admin, json: ["code": Self.code(secret, offset: 1)])
            #expect(disable.status == .conflict && Self.error(disable) == "totp.requiredForRole")
        }
    }

    @Test("Password change: policy with field codes, other sessions end, the new password works")
    func changePassword() async throws {
        let hub = try await TestHub()
        try await hub.application().test(.router) { client in
            let token = try await client.token(.member)
            let other = try await client.token(.member)
            for (new, code) in [("kurz", "tooShort"), ("passwort123", "common"), ("Mitglied-und-mehr", "containsEmail"),
                                (String(repeating: "x", count: 257), "tooLong")] {
                let r = try await client.call(.post, "/api/v1/me/password", token: token, json: ["currentPassword": "demo-mitglied", "newPassword": new])
                #expect(r.status == .unprocessableContent)
                #expect(((JSON.object(r.body)["error"] as? [String: Any])?["fields"] as? [[String: Any]])?.first?["code"] as? String == code, "\(new)")
            }
            let wrongCurrent = try await client.call(.post, "/api/v1/me/password", token: token, json: ["currentPassword": "falsch", "newPassword": "drei ganz andere Wörter"])
            #expect(wrongCurrent.status == .unprocessableContent)
            let long = "drei ganz andere Wörter und noch viel mehr, " + String(repeating: "ä", count: 60)
            #expect(try await client.call(.post, "/api/v1/me/password", token: token, json: ["currentPassword": "demo-mitglied", "newPassword": long]).status == .noContent)
            #expect(try await client.call(.get, "/api/v1/me", token: other).status == .unauthorized, "other sessions ended")
            #expect(try await client.call(.get, "/api/v1/me", token: token).status == .ok, "this session stays")
            let old = try await client.call(.post, "/api/v1/session", token: nil, json: ["email": "mitglied@roundtable.example", "password": "demo-mitglied"])
            #expect(old.status == .unauthorized)
            // bcrypt alone would ignore everything after 72 bytes; the pre-hash counts it all.
            let truncated = String(long.utf8.prefix(72)) ?? ""
            #expect(try await client.call(.post, "/api/v1/session", token: nil, json: ["email": "mitglied@roundtable.example", "password": truncated]).status == .unauthorized)
            #expect(try await client.call(.post, "/api/v1/session", token: nil, json: ["email": "mitglied@roundtable.example", "password": long]).status == .ok)
        }
    }

    @Test("Personal API tokens: shown once, scoped, listed with last use, revocable")
    func apiTokens() async throws {
        let hub = try await TestHub()
        try await hub.application().test(.router) { client in
            let session = try await client.token(.coordinator)
            let created = try await client.call(.post, "/api/v1/me/tokens", token: session, json: ["name": "Auswertung", "scope": "read", "expiresInDays": 30])
            #expect(created.status == .created)
            let body = JSON.object(created.body)
            let readToken = try #require(body["token"] as? String)
            #expect(readToken.hasPrefix("rt_"))
            #expect(try await client.call(.get, "/api/v1/workspaces", token: readToken).status == .ok)
            let write = try await client.call(.patch, "/api/v1/workspaces/\(hub.integration)", token: readToken, json: ["description": "x"],
                                              headers: [.ifMatch: "\"v1\""])
            #expect(write.status == .forbidden && Self.error(write) == "token.readOnly")
            #expect(Self.error(try await client.call(.get, "/api/v1/me/tokens", token: readToken)) == "token.notForAccount")
            let list = JSON.object(try await client.call(.get, "/api/v1/me/tokens", token: session).body)["items"] as? [[String: Any]] ?? []
            #expect(list.map { $0["name"] as? String } == ["Auswertung"])
            #expect(list.first?["token"] == nil, "the secret is never shown again")
            let id = try #require(body["id"] as? String)
            #expect(try await client.call(.delete, "/api/v1/me/tokens/\(id)", token: session).status == .noContent)
            #expect(try await client.call(.get, "/api/v1/workspaces", token: readToken).status == .unauthorized)
            let invalid = try await client.call(.post, "/api/v1/me/tokens", token: session, json: ["name": "", "scope": "write", "expiresInDays": 999])
            #expect(invalid.status == .unprocessableContent)
        }
    }

    @Test("Browser sessions end after the idle timeout and after the absolute lifetime")
    func sessionTimeouts() async throws {
        let clock = ManualClock()
        let hub = try await TestHub(clock: clock) { $0.sessionIdleMinutes = 30; $0.sessionHours = 2 }
        try await hub.application().test(.router) { client in
            let login = try await client.call(.post, "/api/v1/session", token: nil, json: ["email": "mitglied@roundtable.example", "password": "demo-mitglied"])
            let cookie = String((login.headers[.setCookie] ?? "").prefix { $0 != ";" })
            func status() async throws -> HTTPResponse.Status {
                try await client.execute(uri: "/api/v1/me", method: .get, headers: [.cookie: cookie]).status
            }
            clock.advance(25 * 60)
            #expect(try await status() == .ok, "activity within the idle window")
            clock.advance(25 * 60)
            #expect(try await status() == .ok, "activity renews the idle window")
            clock.advance(31 * 60)
            #expect(try await status() == .unauthorized, "idle too long")
        }
    }

    @Test("Invitations: link when no mail server, single use, account creation, existing accounts accept signed in")
    func invitations() async throws {
        let hub = try await TestHub()
        try await hub.application().test(.router) { client in
            let coordinator = try await client.token(.coordinator)
            let uri = "/api/v1/workspaces/\(hub.integration)/invitations"
            #expect(try await client.call(.post, uri, token: coordinator, json: ["email": "kein-email", "role": "member"]).status == .unprocessableContent)
            let admin = try await client.token(.admin)
            let agency = JSON.object(try await client.call(.post, "/api/v1/organizations", token: admin, json: ["name": "Beratungsverbund", "kind": "agency"]).body)
            let agencyID = try #require(agency["id"] as? String)
            #expect(try await client.call(.post, "/api/v1/organizations", token: admin, json: ["name": "beratungsverbund"]).status == .conflict)
            let created = try await client.call(.post, uri, token: coordinator, json: ["email": " Neu@Beispiel.example ", "role": "member", "organizationId": agencyID])
            #expect(created.status == .created)
            let invitation = JSON.object(created.body)
            #expect(invitation["delivery"] as? String == "link" && invitation["email"] as? String == "neu@beispiel.example")
            let token = try #require((invitation["link"] as? String)?.components(separatedBy: "/#/invitation/").last)
            let pendingList = JSON.object(try await client.call(.get, uri, token: coordinator).body)["items"] as? [[String: Any]] ?? []
            #expect(pendingList.count == 1 && pendingList.first?["link"] == nil)

            let preview = JSON.object(try await client.call(.get, "/api/v1/invitations/\(token)", token: nil).body)
            #expect(preview["accountExists"] as? Bool == false && (preview["workspace"] as? [String: Any])?["name"] as? String == "Integration")
            let weak = try await client.call(.post, "/api/v1/invitations/\(token)/accept", token: nil, json: ["displayName": "Neu", "password": "12345678"])
            #expect(weak.status == .unprocessableContent)
            let accepted = try await client.call(.post, "/api/v1/invitations/\(token)/accept", token: nil,
                                                 json: ["displayName": "Beratungsstelle Nord", "password": "ein gutes langes Passwort"])
            #expect(accepted.status == .ok)
            #expect(accepted.headers[.setCookie]?.hasPrefix("rt_session=") == true, "the new person is signed in")
            #expect(try await client.call(.get, "/api/v1/invitations/\(token)", token: nil).status == .notFound, "single use")
            #expect(try await client.call(.post, "/api/v1/invitations/\(token)/accept", token: nil,
                                          json: ["displayName": "X", "password": "noch ein Passwort"]).status == .notFound)
            let members = JSON.object(try await client.call(.get, "/api/v1/workspaces/\(hub.integration)/members", token: coordinator).body)["items"] as? [[String: Any]] ?? []
            #expect(members.contains { $0["displayName"] as? String == "Beratungsstelle Nord" && $0["organization"] as? String == "Beratungsverbund" })

            // An existing account: the invited person signs in and accepts; nobody else can.
            let forMember = JSON.object(try await client.call(.post, "/api/v1/workspaces/\(hub.sucht)/invitations", token: coordinator,
                                                              json: ["email": "mitglied@roundtable.example", "role": "observer"]).body)
            let memberToken = try #require((forMember["link"] as? String)?.components(separatedBy: "/#/invitation/").last)
            #expect(JSON.object(try await client.call(.get, "/api/v1/invitations/\(memberToken)", token: nil).body)["accountExists"] as? Bool == true)
            #expect(try await client.call(.post, "/api/v1/invitations/\(memberToken)/accept", token: nil, json: [:]).status == .unauthorized)
            let other = try await client.call(.post, "/api/v1/invitations/\(memberToken)/accept", token: coordinator, json: [:])
            #expect(other.status == .forbidden && Self.error(other) == "invitation.otherAccount")
            let member = try await client.token(.member)
            #expect(try await client.call(.post, "/api/v1/invitations/\(memberToken)/accept", token: member, json: [:]).status == .ok)
            #expect(try await client.call(.get, "/api/v1/workspaces/\(hub.sucht)/members", token: member).status == .ok)

            // Revoking closes a pending invitation.
            let revocable = JSON.object(try await client.call(.post, uri, token: coordinator, json: ["email": "spaeter@beispiel.example", "role": "observer"]).body)
            let id = try #require(revocable["id"] as? String)
            #expect(try await client.call(.delete, "\(uri)/\(id)", token: coordinator).status == .noContent)
            let revokedToken = (revocable["link"] as? String)?.components(separatedBy: "/#/invitation/").last ?? ""
            #expect(try await client.call(.get, "/api/v1/invitations/\(revokedToken)", token: nil).status == .notFound)
        }
    }

    @Test("Reset access: an administrator gets a single-use link for another account; using it ends that account's sessions")
    func resetAccess() async throws {
        let hub = try await TestHub()
        try await hub.application().test(.router) { client in
            let admin = try await client.token(.admin)
            let coordinator = try await client.token(.coordinator)
            let memberSession = try await client.token(.member)
            let member = try #require(try await hub.graph.store.credentials(email: "mitglied@roundtable.example")?.0.id)
            let adminID = try #require(try await hub.graph.store.credentials(email: "admin@roundtable.example")?.0.id)
            #expect(try await client.call(.post, "/api/v1/users/\(member)/password-reset", token: coordinator).status == .forbidden)
            #expect(try await client.call(.post, "/api/v1/users/\(member)/password-reset", token: nil).status == .unauthorized)
            let own = try await client.call(.post, "/api/v1/users/\(adminID)/password-reset", token: admin)
            #expect(own.status == .conflict && Self.error(own) == "passwordReset.ownAccount")
            #expect(try await client.call(.post, "/api/v1/users/\(UUID())/password-reset", token: admin).status == .notFound)

            let issued = try await client.call(.post, "/api/v1/users/\(member)/password-reset", token: admin)
            #expect(issued.status == .created)
            let body = JSON.object(issued.body)
            let link = try #require(body["link"] as? String)
            #expect(link.contains("/#/reset/"))
            let expires = try #require((body["expiresAt"] as? String).flatMap { try? Date($0, strategy: .iso8601.year().month().day().time(includingFractionalSeconds: true)) })
            #expect(abs(expires.timeIntervalSinceNow - 24 * 3600) < 120, "valid for a day")
            let token = String(link[link.range(of: "/#/reset/")!.upperBound...])
            #expect(try await client.call(.get, "/api/v1/me", token: memberSession).status == .ok)
            let confirm = try await client.call(.post, "/api/v1/password-reset/confirm", token: nil,
                                                json: ["token": token, "newPassword": "ein neuer langer Satz"])
            #expect(confirm.status == .noContent)
            #expect(try await client.call(.get, "/api/v1/me", token: memberSession).status == .unauthorized, "the member's sessions ended")
            #expect(try await client.call(.post, "/api/v1/session", token: nil,
                                          json: ["email": "mitglied@roundtable.example", "password": "ein neuer langer Satz"]).status == .ok)
            let again = try await client.call(.post, "/api/v1/password-reset/confirm", token: nil, json: ["token": token, "newPassword": "noch ein anderer Satz"])
            #expect(again.status == .notFound, "single use")
            let audit = JSON.object(try await client.call(.get, "/api/v1/audit?type=password.resetIssued", token: admin).body)["items"] as? [[String: Any]] ?? []
            #expect(audit.count == 1 && audit.first?["subject"] as? String == member.description && audit.first?["actorId"] as? String == adminID.description)
            #expect(!String(buffer: try await client.call(.get, "/api/v1/audit", token: admin).body).contains(token), "the link is not in the audit log")
        }
    }

    @Test("Audit log: security events with actor and address hash, never the raw address; filter by type")
    func audit() async throws {
        let hub = try await TestHub()
        try await hub.application().test(.live) { client in
            _ = try await client.call(.post, "/api/v1/session", token: nil, json: ["email": "mitglied@roundtable.example", "password": "falsch-falsch"])
            let admin = try await client.token(.admin)
            let outsider = try #require(try await hub.graph.store.credentials(email: "aussen@roundtable.example")?.0.id)
            #expect(try await client.call(.patch, "/api/v1/users/\(outsider)", token: admin, json: ["isSteering": true]).status == .ok)
            let response = try await client.call(.get, "/api/v1/audit", token: admin)
            let text = String(buffer: response.body)
            let items = JSON.object(response.body)["items"] as? [[String: Any]] ?? []
            let types = items.compactMap { $0["type"] as? String }
            #expect(types.contains("auth.failed") && types.contains("auth.ok") && types.contains("role.changed"))
            #expect(items.first { $0["type"] as? String == "role.changed" }?["detail"] as? String == "steering=true")
            #expect(!text.contains("127.0.0.1") && !text.contains("::1") && !text.contains("password"))
            #expect((items.first?["addressHash"] as? String)?.count == 24)
            let failed = JSON.object(try await client.call(.get, "/api/v1/audit?type=auth.failed", token: admin).body)["items"] as? [[String: Any]] ?? []
            #expect(failed.count == 1)
            let users = JSON.object(try await client.call(.get, "/api/v1/users?query=aussen", token: admin).body)["items"] as? [[String: Any]] ?? []
            #expect(users.count == 1 && users.first?["isSteering"] as? Bool == true)
            let self_ = try await client.call(.patch, "/api/v1/users/\(try #require(try await hub.graph.store.credentials(email: "admin@roundtable.example")?.0.id))",
                                              token: admin, json: ["isAdmin": false])
            #expect(self_.status == .conflict, "an administrator cannot demote themselves")
        }
    }
}
