import Foundation
import HubCore
import HubServices
import Hummingbird
import NIOCore

/// Recurring meetings: plan a series (RRULE weekly/monthly), list its occurrences, change it
/// with `If-Match`, cancel or move one occurrence, cancel the series, open one occurrence as
/// a meeting of its own, and the series' `.ics`.
struct MeetingSeriesController {
    let series: MeetingSeriesService
    let outbox: MeetingMailOutbox
    let settings: HTTPSettings

    struct CreateBody: Decodable {
        let templateId: String
        let title: String
        let description: String?
        let start: String
        let end: String
        /// The RRULE value, e.g. `FREQ=WEEKLY;BYDAY=TU;COUNT=10`.
        let rule: String
        let place: String?
        let onlineUrl: String?
        let invitees: [MeetingController.InviteeBody]?
    }

    /// Absent fields stay; `null` for place or link removes it; `rule` replaces the rule.
    struct PatchBody: Decodable {
        let details: MeetingController.PatchBody
        let rule: String?

        enum CodingKeys: String, CodingKey { case rule }

        init(from decoder: any Decoder) throws {
            details = try MeetingController.PatchBody(from: decoder)
            rule = try decoder.container(keyedBy: CodingKeys.self).decodeIfPresent(String.self, forKey: .rule)
        }
    }

    struct MoveBody: Decodable {
        let start: String
        let end: String
    }

    struct OccurrenceMeeting: Encodable, Sendable { let meeting: MeetingView }
    struct LinkAnswer: Encodable, Sendable {
        let series: MeetingSeriesView
        let response: RSVPResponse?
        let tally: RSVPTally?
    }

    static func seriesID(_ context: HubRequestContext) throws -> MeetingSeriesID {
        guard let text = context.parameters.get("sid"), let id = MeetingSeriesID(text) else { throw DomainError.notFound("meetingSeries") }
        return id
    }

    /// `YYYY-MM-DDTHH:MM`, also percent-encoded (`%3A`).
    static func recurrenceID(_ context: HubRequestContext) throws -> LocalDateTime {
        guard let raw = context.parameters.get("rid"), let text = raw.removingPercentEncoding, let value = LocalDateTime(text) else {
            throw DomainError.notFound("occurrence")
        }
        return value
    }

    static func rule(_ text: String) throws -> RecurrenceRule {
        guard text.count <= 500 else {
            throw DomainError.validation([FieldIssue(field: "rule", code: "tooLong", message: "The rule is too long.")])
        }
        return try RecurrenceRule(parsing: text, field: "rule")
    }

    func view(_ s: MeetingSeries, status: HTTPResponse.Status = .ok) -> Response {
        var headers: HTTPFields = [.eTag: JSONIO.etag(s.version)]
        if status == .created { headers[.location] = "/api/v1/meeting-series/\(s.id)" }
        return JSONIO.response(MeetingSeriesView(s, language: series.settings.language), status: status, headers: headers)
    }

    func add(to router: Router<HubRequestContext>) {
        router.get("/api/v1/workspaces/:id/meeting-series") { _, context in
            let list = try await series.list(in: try WorkspaceController.workspaceID(context), by: context.principal)
            return JSONIO.response(ListResponse(items: list.map { MeetingSeriesView($0, language: series.settings.language) }, cursor: nil))
        }
        router.post("/api/v1/workspaces/:id/meeting-series") { request, context in try await create(request, context) }
        router.get("/api/v1/meeting-series/:sid") { request, context in
            let from = try request.uri.queryParameters.get("from").map { text -> LocalDate in
                guard let d = LocalDate(text) else {
                    throw DomainError.validation([FieldIssue(field: "from", code: "invalid", message: "Use YYYY-MM-DD.")])
                }
                return d
            }
            let limit = request.uri.queryParameters.get("limit").flatMap { Int($0) } ?? 20
            guard (1...MeetingSeriesService.maxListed).contains(limit) else {
                throw DomainError.validation([FieldIssue(field: "limit", code: "outOfRange",
                                                         message: "limit is 1 to \(MeetingSeriesService.maxListed).")])
            }
            let detail = try await series.detail(try Self.seriesID(context), from: from, limit: limit, by: context.principal)
            return JSONIO.response(detail, headers: [.eTag: JSONIO.etag(detail.series.version)])
        }
        router.patch("/api/v1/meeting-series/:sid") { request, context in try await patch(request, context) }
        router.post("/api/v1/meeting-series/:sid/invite") { request, context in
            let id = try Self.seriesID(context)
            let version = try JSONIO.expectedVersion(request)
            let s = try await conflictWithCurrent(id, context) { try await series.invite(id, expectedVersion: version, by: context.principal) }
            await outbox.flush()
            return view(s)
        }
        router.post("/api/v1/meeting-series/:sid/cancel") { request, context in
            let id = try Self.seriesID(context)
            let version = try JSONIO.expectedVersion(request)
            let s = try await conflictWithCurrent(id, context) { try await series.cancel(id, expectedVersion: version, by: context.principal) }
            await outbox.flush()
            return view(s)
        }
        router.post("/api/v1/meeting-series/:sid/occurrences/:rid/cancel") { request, context in
            let id = try Self.seriesID(context)
            let s = try await conflictWithCurrent(id, context) {
                try await series.cancelOccurrence(id, try Self.recurrenceID(context), expectedVersion: try JSONIO.expectedVersion(request),
                                                  by: context.principal)
            }
            await outbox.flush()
            return view(s)
        }
        router.post("/api/v1/meeting-series/:sid/occurrences/:rid/move") { request, context in
            let id = try Self.seriesID(context)
            let version = try JSONIO.expectedVersion(request)
            let body = try await JSONIO.decode(MoveBody.self, from: request, context: context, limit: settings.maxBodyBytes)
            let start = try MeetingController.localDateTime(body.start, "start")!
            let end = try MeetingController.localDateTime(body.end, "end")!
            let s = try await conflictWithCurrent(id, context) {
                try await series.moveOccurrence(id, try Self.recurrenceID(context), start: start, end: end, expectedVersion: version,
                                                by: context.principal)
            }
            await outbox.flush()
            return view(s)
        }
        router.post("/api/v1/meeting-series/:sid/occurrences/:rid/meeting") { _, context in
            let (m, created) = try await series.openOccurrence(try Self.seriesID(context), try Self.recurrenceID(context), by: context.principal)
            return JSONIO.response(OccurrenceMeeting(meeting: MeetingView(m)), status: created ? .created : .ok,
                                   headers: [.location: "/api/v1/meetings/\(m.id)"])
        }
        router.post("/api/v1/meeting-series/:sid/rsvp") { request, context in
            let id = try Self.seriesID(context)
            let body = try await JSONIO.decode(MeetingController.ResponseBody.self, from: request, context: context, limit: settings.maxBodyBytes)
            return JSONIO.response(MeetingController.TallyAnswer(tally: try await series.respond(id, body.response, by: context.principal)))
        }
        // The signed answer link from the series invitation: the link is the credential.
        router.get("/api/v1/series-rsvp/:token") { _, context in
            let (s, _, response) = try await series.linkInfo(context.parameters.get("token") ?? "")
            return JSONIO.response(LinkAnswer(series: MeetingSeriesView(s, language: series.settings.language), response: response, tally: nil))
        }
        router.post("/api/v1/series-rsvp/:token") { request, context in
            let body = try await JSONIO.decode(MeetingController.ResponseBody.self, from: request, context: context, limit: settings.maxBodyBytes)
            let token = context.parameters.get("token") ?? ""
            let tally = try await series.respond(token: token, body.response)
            let (s, _, response) = try await series.linkInfo(token)
            return JSONIO.response(LinkAnswer(series: MeetingSeriesView(s, language: series.settings.language), response: response, tally: tally))
        }
        router.get("/api/v1/meeting-series/:sid/series.ics") { _, context in
            let text = try await series.ics(try Self.seriesID(context), by: context.principal)
            return Response(status: .ok, headers: [.contentType: "text/calendar; charset=utf-8",
                                                   .contentDisposition: "attachment; filename=\"series.ics\""],
                            body: .init(byteBuffer: ByteBuffer(string: text)))
        }
    }

    /// A stale `If-Match` is a 409 carrying the current series.
    func conflictWithCurrent(_ id: MeetingSeriesID, _ context: HubRequestContext, _ work: () async throws -> MeetingSeries) async throws -> MeetingSeries {
        do {
            return try await work()
        } catch let error as DomainError where error == .versionConflict {
            let current = try await series.detail(id, by: context.principal)
            throw ConflictError(error: error, current: WireJSON.string(current.series))
        }
    }

    func create(_ request: Request, _ context: HubRequestContext) async throws -> Response {
        let workspace = try WorkspaceController.workspaceID(context)
        guard context.principal.isSignedIn else { throw DomainError.unauthenticated }
        let body = try await JSONIO.decode(CreateBody.self, from: request, context: context, limit: settings.maxBodyBytes)
        guard let templateID = MeetingTemplateID(body.templateId) else {
            throw DomainError.validation([FieldIssue(field: "templateId", code: "invalid", message: "Not a template id.")])
        }
        let draft = MeetingDraft(title: body.title, description: body.description ?? "", start: try MeetingController.localDateTime(body.start, "start")!,
                                 end: try MeetingController.localDateTime(body.end, "end")!, place: body.place, onlineURL: body.onlineUrl,
                                 invitees: try MeetingController.invitees(body.invitees) ?? [])
        let s = try await series.create(draft, rule: try Self.rule(body.rule), template: templateID, in: workspace, by: context.principal)
        return view(s, status: .created)
    }

    func patch(_ request: Request, _ context: HubRequestContext) async throws -> Response {
        let id = try Self.seriesID(context)
        guard context.principal.isSignedIn else { throw DomainError.unauthenticated }
        let version = try JSONIO.expectedVersion(request)
        let body = try await JSONIO.decode(PatchBody.self, from: request, context: context, limit: settings.maxBodyBytes)
        let d = body.details
        let patch = MeetingPatch(title: d.title, description: d.description, start: try MeetingController.localDateTime(d.start, "start"),
                                 end: try MeetingController.localDateTime(d.end, "end"), place: d.place, onlineURL: d.onlineUrl,
                                 invitees: try MeetingController.invitees(d.invitees))
        let rule = try body.rule.map(Self.rule)
        let s = try await conflictWithCurrent(id, context) {
            try await series.update(id, with: patch, rule: rule, expectedVersion: version, by: context.principal)
        }
        await outbox.flush()
        return view(s)
    }
}
