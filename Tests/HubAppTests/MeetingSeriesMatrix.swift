import Foundation
import HTTPTypes
import HubApp
import HubCore
import HubServices
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// The recurring-meetings part of the authorization matrix. `{series}` is a fresh invited weekly
/// series in Integration (the demo member and a guest invited), `{occurrence}` its first date.
enum MeetingSeriesMatrix {
    typealias Rule = AuthorizationMatrixTests.Rule
    static let members = AuthorizationMatrixTests.members
    static let managers = MeetingMatrix.managers

    static func rule(_ method: HTTPRequest.Method, _ path: String, _ allowed: Set<TestHub.Role>, version: Bool = false) -> Rule {
        Rule(method: method, path: path, body: nil, needsVersion: version, allowed: allowed)
    }

    static let rules: [String: Rule] = [
        "GET /api/v1/workspaces/{id}/meeting-series": rule(.get, "/api/v1/workspaces/{ws}/meeting-series", members),
        "POST /api/v1/workspaces/{id}/meeting-series": rule(.post, "/api/v1/workspaces/{ws}/meeting-series", managers),
        "GET /api/v1/meeting-series/{sid}": rule(.get, "/api/v1/meeting-series/{series}", members),
        "PATCH /api/v1/meeting-series/{sid}": rule(.patch, "/api/v1/meeting-series/{series}", managers, version: true),
        // Already invited: the managers get 409 (allowed, refused by state), the rest are denied.
        "POST /api/v1/meeting-series/{sid}/invite": rule(.post, "/api/v1/meeting-series/{series}/invite", managers, version: true),
        "POST /api/v1/meeting-series/{sid}/cancel": rule(.post, "/api/v1/meeting-series/{series}/cancel", managers, version: true),
        "POST /api/v1/meeting-series/{sid}/occurrences/{rid}/cancel": rule(.post, "/api/v1/meeting-series/{series}/occurrences/{occurrence}/cancel",
                                                                           managers, version: true),
        "POST /api/v1/meeting-series/{sid}/occurrences/{rid}/move": rule(.post, "/api/v1/meeting-series/{series}/occurrences/{occurrence}/move",
                                                                         managers, version: true),
        "POST /api/v1/meeting-series/{sid}/occurrences/{rid}/meeting": rule(.post, "/api/v1/meeting-series/{series}/occurrences/{occurrence}/meeting",
                                                                            managers),
        // Only invitees answer (the demo member is invited; the others are not: 404 invitation).
        "POST /api/v1/meeting-series/{sid}/rsvp": Rule(method: .post, path: "/api/v1/meeting-series/{series}/rsvp", body: ["response": "accepted"],
                                                       needsVersion: false, allowed: [.member]),
        // The signed link is the credential: anyone holding it (`{srsvp}`: the guest's link from the invitation).
        "GET /api/v1/series-rsvp/{token}": Rule(method: .get, path: "/api/v1/series-rsvp/{srsvp}", body: nil, needsVersion: false,
                                                allowed: AuthorizationMatrixTests.everyone),
        "POST /api/v1/series-rsvp/{token}": Rule(method: .post, path: "/api/v1/series-rsvp/{srsvp}", body: ["response": "declined"],
                                                 needsVersion: false, allowed: AuthorizationMatrixTests.everyone),
        "GET /api/v1/meeting-series/{sid}/series.ics": rule(.get, "/api/v1/meeting-series/{series}/series.ics", members),
    ]

    /// Fills `{series}` and `{occurrence}`; sets `If-Match` and the body where the route needs them.
    static func prepare(_ path: String, route: String, hub: TestHub, client: some TestClientProtocol, headers: inout HTTPFields,
                        body: inout Any?) async throws -> String {
        guard path.contains("{series}") || path.contains("{srsvp}") || route == "POST /api/v1/workspaces/{id}/meeting-series" else { return path }
        let (start, end) = MeetingSeriesAPITests.tuesday()
        if route == "POST /api/v1/workspaces/{id}/meeting-series" {
            body = ["templateId": try await MeetingAPITests.templateID(client), "title": "Matrix-Reihe", "start": start.description,
                    "end": end.description, "rule": "FREQ=WEEKLY;BYDAY=TU;COUNT=4", "place": "Kreishaus"]
            return path
        }
        let (id, first) = try await MeetingSeriesAPITests.series(hub, client, invite: true, title: "Matrix-Reihe")
        if path.contains("{srsvp}") {
            return path.replacingOccurrences(of: "{srsvp}", with: try await MeetingSeriesAPITests.guestToken(hub))
        }
        headers[.ifMatch] = "\"v2\""
        if route.hasPrefix("PATCH") { body = ["title": "Geänderte Reihe"] }
        if route.hasSuffix("/move") {
            body = ["start": LocalDateTime(date: first.date, hour: 18, minute: 0)!.description,
                    "end": LocalDateTime(date: first.date, hour: 20, minute: 0)!.description]
        }
        return path.replacingOccurrences(of: "{series}", with: id).replacingOccurrences(of: "{occurrence}", with: first.description)
    }
}
