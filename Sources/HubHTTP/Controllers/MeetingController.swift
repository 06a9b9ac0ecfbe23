import Foundation
import HubCore
import HubServices
import Hummingbird
import NIOCore

/// Meetings: district templates, planning, invitations and answers, calendar files and the
/// workspace feed, the agenda (edits and live), minutes, approval and the action list.
struct MeetingController {
    let meetings: Meetings
    let work: MeetingWork
    let outbox: MeetingMailOutbox
    let settings: HTTPSettings

    // MARK: Bodies

    struct TemplateBody: Decodable {
        let name: String
        let invitationSubject: String
        let invitationBody: String
        let agenda: [AgendaSkeletonItem]
        let minutesSections: [MinutesSectionHeading]

        var draft: MeetingTemplateDraft {
            MeetingTemplateDraft(name: name, invitationSubject: invitationSubject, invitationBody: invitationBody, agenda: agenda,
                                 minutesSections: minutesSections)
        }
    }

    struct InviteeBody: Decodable {
        /// `member:<uuid>` or `guest:<email>`.
        let key: String
        let name: String?
        let role: InviteeRole?
    }

    static func invitees(_ list: [InviteeBody]?) throws -> [Invitee]? {
        guard let list else { return nil }
        var issues: [FieldIssue] = []
        let out = list.enumerated().compactMap { i, body -> Invitee? in
            guard let key = InviteeKey(key: body.key) else {
                issues.append(FieldIssue(field: "invitees[\(i)].key", code: "invalid", message: "Use member:<id> or guest:<email>."))
                return nil
            }
            return Invitee(key: key, name: body.name, role: body.role ?? .required)
        }
        guard issues.isEmpty else { throw DomainError.validation(issues) }
        return out
    }

    static func localDateTime(_ text: String?, _ field: String) throws -> LocalDateTime? {
        guard let text else { return nil }
        guard let value = LocalDateTime(text) else {
            throw DomainError.validation([FieldIssue(field: field, code: "invalid", message: "Use YYYY-MM-DDTHH:MM (Berlin time).")])
        }
        return value
    }

    struct CreateBody: Decodable {
        let templateId: String
        let title: String
        let description: String?
        let start: String
        let end: String
        let place: String?
        let onlineUrl: String?
        let invitees: [InviteeBody]?
    }

    /// Absent fields stay; `null` for place or link removes it.
    struct PatchBody: Decodable {
        let title: String?
        let description: String?
        let start: String?
        let end: String?
        let place: String??
        let onlineUrl: String??
        let invitees: [InviteeBody]?

        enum CodingKeys: String, CodingKey { case title, description, start, end, place, onlineUrl, invitees }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            title = try c.decodeIfPresent(String.self, forKey: .title)
            description = try c.decodeIfPresent(String.self, forKey: .description)
            start = try c.decodeIfPresent(String.self, forKey: .start)
            end = try c.decodeIfPresent(String.self, forKey: .end)
            place = c.contains(.place) ? .some(try c.decodeIfPresent(String.self, forKey: .place)) : nil
            onlineUrl = c.contains(.onlineUrl) ? .some(try c.decodeIfPresent(String.self, forKey: .onlineUrl)) : nil
            invitees = try c.decodeIfPresent([InviteeBody].self, forKey: .invitees)
        }
    }

    struct ReasonBody: Decodable { let reason: String? }
    struct ResponseBody: Decodable { let response: RSVPResponse }

    struct ItemBody: Decodable {
        let title: String
        let durationMinutes: Int
        let presenter: String?
        let isPublic: Bool?
        let recommendationIds: [String]?
        let documents: [DocumentLink]?

        func draft() throws -> AgendaItemDraft {
            let ids = try (recommendationIds ?? []).map { text -> RecommendationID in
                guard let id = RecommendationID(text) else {
                    throw DomainError.validation([FieldIssue(field: "item.recommendationIds", code: "invalid", message: "Not a recommendation id.")])
                }
                return id
            }
            return AgendaItemDraft(title: title, durationMinutes: durationMinutes, presenter: presenter, isPublic: isPublic ?? true,
                                   recommendationIDs: ids, documents: documents ?? [])
        }
    }

    struct AgendaEditBody: Decodable {
        enum Op: String, Decodable { case add, update, remove, moveUp, moveDown, indent, outdent, move }
        let op: Op
        let itemId: String?
        let item: ItemBody?
        let parentId: String?
        let afterId: String?
        let index: Int?
    }

    struct LiveBody: Decodable {
        enum Step: String, Decodable { case start, advance, goTo, extend, finish }
        let step: Step
        /// For `advance`: the item the presenter saw as current.
        let fromItemId: String?
        let itemId: String?
        let minutes: Int?
    }

    struct AttendanceBody: Decodable {
        let person: String
        let name: String
        let organization: String?
        let status: AttendanceStatus
        let publicationConsent: Bool?
    }

    struct DecisionBody: Decodable {
        let id: String?
        let agendaItemId: String?
        let text: String
        let votes: Votes?
        let recommendationIds: [String]?
    }

    struct ActionItemBody: Decodable {
        let id: String?
        let agendaItemId: String?
        let text: String
        let ownerId: String?
        let ownerName: String
        let due: String?
    }

    /// One section of the minutes and the version its author started from.
    struct SectionBody: Decodable {
        enum Kind: String, Decodable { case attendance, notes, decision, actionItem, openPoints, remove }
        let kind: Kind
        let baseVersion: Int
        let itemId: String?
        let text: String?
        let attendance: AttendanceBody?
        let decision: DecisionBody?
        let actionItem: ActionItemBody?
        let section: String?
    }

    struct StatusBody: Decodable { let status: ActionStatus }
    struct CirculateBody: Decodable {
        let deadline: String?
        let again: Bool?
    }
    struct ObjectionBody: Decodable {
        let text: String
        let section: String?
    }
    struct AnswerBody: Decodable {
        let text: String
        let resolution: ObjectionResolution
    }

    struct TemplateDetail: Encodable, Sendable {
        let template: MeetingTemplateView
        let versions: [Int]
    }

    struct FeedAnswer: Encodable, Sendable { let url: String }
    struct TallyAnswer: Encodable, Sendable { let tally: RSVPTally }
    struct LinkAnswer: Encodable, Sendable {
        let meeting: MeetingView
        let response: RSVPResponse?
        let tally: RSVPTally?
    }
    struct MinutesAnswer: Encodable, Sendable { let minutes: MinutesView? }

    // MARK: Routes

    func add(to router: Router<HubRequestContext>) {
        router.get("/api/v1/meeting-templates") { _, context in
            JSONIO.response(ListResponse(items: try await meetings.templates(by: context.principal).map(MeetingTemplateView.init), cursor: nil))
        }
        router.post("/api/v1/meeting-templates") { request, context in try await createTemplate(request, context) }
        router.get("/api/v1/meeting-templates/:tid") { request, context in try await template(request, context) }
        router.put("/api/v1/meeting-templates/:tid") { request, context in try await reviseTemplate(request, context) }

        router.get("/api/v1/workspaces/:id/meetings") { _, context in
            let list = try await meetings.list(in: try WorkspaceController.workspaceID(context), by: context.principal)
            return JSONIO.response(ListResponse(items: list.map(MeetingView.init), cursor: nil))
        }
        router.post("/api/v1/workspaces/:id/meetings") { request, context in try await create(request, context) }
        router.post("/api/v1/workspaces/:id/calendar-feed") { _, context in
            JSONIO.response(FeedAnswer(url: try await meetings.rotateFeed(try WorkspaceController.workspaceID(context), by: context.principal)),
                            status: .created)
        }
        router.get("/api/v1/workspaces/:id/action-items") { request, context in
            let all = request.uri.queryParameters.get("all") == "true"
            let list = try await work.actionList(try WorkspaceController.workspaceID(context), includeClosed: all, by: context.principal)
            return JSONIO.response(ListResponse(items: list, cursor: nil))
        }

        router.get("/api/v1/meetings/:mid") { _, context in
            let detail = try await meetings.detail(try Self.meetingID(context), by: context.principal)
            return JSONIO.response(detail, headers: [.eTag: JSONIO.etag(detail.meeting.version)])
        }
        router.patch("/api/v1/meetings/:mid") { request, context in try await patch(request, context) }
        router.post("/api/v1/meetings/:mid/invite") { request, context in
            let m = try await meetings.invite(try Self.meetingID(context), expectedVersion: try JSONIO.expectedVersion(request), by: context.principal)
            await outbox.flush()
            return JSONIO.response(MeetingView(m), headers: [.eTag: JSONIO.etag(m.version)])
        }
        router.post("/api/v1/meetings/:mid/cancel") { request, context in
            let id = try Self.meetingID(context)
            let version = try JSONIO.expectedVersion(request)
            let body = try await JSONIO.decode(ReasonBody.self, from: request, context: context, limit: settings.maxBodyBytes)
            let m = try await meetings.cancel(id, reason: body.reason ?? "", expectedVersion: version, by: context.principal)
            await outbox.flush()
            return JSONIO.response(MeetingView(m), headers: [.eTag: JSONIO.etag(m.version)])
        }
        router.post("/api/v1/meetings/:mid/held") { _, context in
            let m = try await meetings.markHeld(try Self.meetingID(context), by: context.principal)
            return JSONIO.response(MeetingView(m), headers: [.eTag: JSONIO.etag(m.version)])
        }
        router.post("/api/v1/meetings/:mid/publish") { _, context in
            let m = try await meetings.publish(try Self.meetingID(context), by: context.principal)
            return JSONIO.response(MeetingView(m), headers: [.eTag: JSONIO.etag(m.version)])
        }
        router.post("/api/v1/meetings/:mid/rsvp") { request, context in
            let id = try Self.meetingID(context)
            let body = try await JSONIO.decode(ResponseBody.self, from: request, context: context, limit: settings.maxBodyBytes)
            return JSONIO.response(TallyAnswer(tally: try await meetings.respond(id, body.response, by: context.principal)))
        }
        router.get("/api/v1/meetings/:mid/invite.ics") { _, context in
            let text = try await meetings.ics(try Self.meetingID(context), by: context.principal)
            return Response(status: .ok, headers: [.contentType: "text/calendar; charset=utf-8",
                                                   .contentDisposition: "attachment; filename=\"invite.ics\""],
                            body: .init(byteBuffer: ByteBuffer(string: text)))
        }
        router.get("/api/v1/rsvp/:token") { _, context in
            let (meeting, _, response) = try await meetings.linkInfo(context.parameters.get("token") ?? "")
            return JSONIO.response(LinkAnswer(meeting: MeetingView(meeting), response: response, tally: nil))
        }
        router.post("/api/v1/rsvp/:token") { request, context in
            let body = try await JSONIO.decode(ResponseBody.self, from: request, context: context, limit: settings.maxBodyBytes)
            let token = context.parameters.get("token") ?? ""
            let tally = try await meetings.respond(token: token, body.response)
            let (meeting, _, response) = try await meetings.linkInfo(token)
            return JSONIO.response(LinkAnswer(meeting: MeetingView(meeting), response: response, tally: tally))
        }
        router.get("/calendar/:id/:file") { request, context in try await feed(request, context) }

        router.get("/api/v1/meetings/:mid/agenda") { _, context in
            let agenda = try await work.agenda(try Self.meetingID(context), by: context.principal)
            return JSONIO.response(agenda, headers: [.eTag: JSONIO.etag(agenda.version)])
        }
        router.post("/api/v1/meetings/:mid/agenda/edits") { request, context in try await editAgenda(request, context) }
        router.post("/api/v1/meetings/:mid/agenda/live") { request, context in try await live(request, context) }

        router.get("/api/v1/meetings/:mid/minutes") { _, context in
            let stored = try await work.minutes(try Self.meetingID(context), by: context.principal)
            return JSONIO.response(MinutesAnswer(minutes: stored.map(MinutesView.init)))
        }
        router.put("/api/v1/meetings/:mid/minutes/sections") { request, context in try await saveSection(request, context) }
        router.post("/api/v1/meetings/:mid/minutes/action-items/:aid/status") { request, context in
            let id = try Self.meetingID(context)
            guard let item = context.parameters.get("aid").flatMap(ActionItemID.init) else { throw DomainError.notFound("actionItem") }
            let body = try await JSONIO.decode(StatusBody.self, from: request, context: context, limit: settings.maxBodyBytes)
            return JSONIO.response(MinutesView(try await work.setActionStatus(id, item: item, body.status, by: context.principal)))
        }
        router.post("/api/v1/meetings/:mid/minutes/circulate") { request, context in
            let id = try Self.meetingID(context)
            let body = try await JSONIO.decode(CirculateBody.self, orEmpty: CirculateBody(deadline: nil, again: nil), from: request, context: context, limit: settings.maxBodyBytes)
            let deadline = try body.deadline.map { text -> LocalDate in
                guard let d = LocalDate(text) else {
                    throw DomainError.validation([FieldIssue(field: "deadline", code: "invalid", message: "Use YYYY-MM-DD.")])
                }
                return d
            }
            let stored = try await work.circulate(id, deadline: deadline, again: body.again ?? false, by: context.principal)
            await outbox.flush()
            return JSONIO.response(MinutesView(stored))
        }
        router.post("/api/v1/meetings/:mid/minutes/objections") { request, context in
            let id = try Self.meetingID(context)
            let body = try await JSONIO.decode(ObjectionBody.self, from: request, context: context, limit: settings.maxBodyBytes)
            let section = try body.section.map { try Self.section($0) }
            return JSONIO.response(MinutesView(try await work.object(id, text: body.text, section: section, by: context.principal)), status: .created)
        }
        router.post("/api/v1/meetings/:mid/minutes/objections/:oid/answer") { request, context in
            let id = try Self.meetingID(context)
            let objection = try Self.objectionID(context)
            let body = try await JSONIO.decode(AnswerBody.self, from: request, context: context, limit: settings.maxBodyBytes)
            return JSONIO.response(MinutesView(try await work.answer(id, objection: objection, text: body.text, resolution: body.resolution,
                                                                     by: context.principal)))
        }
        router.post("/api/v1/meetings/:mid/minutes/objections/:oid/withdraw") { _, context in
            JSONIO.response(MinutesView(try await work.withdraw(try Self.meetingID(context), objection: try Self.objectionID(context),
                                                                by: context.principal)))
        }
        router.post("/api/v1/meetings/:mid/minutes/approve") { _, context in
            JSONIO.response(MinutesView(try await work.approve(try Self.meetingID(context), by: context.principal)))
        }
        router.get("/api/v1/meetings/:mid/export/:file") { request, context in try await export(request, context) }
        addGaps(to: router)
    }

    static func meetingID(_ context: HubRequestContext) throws -> MeetingID {
        guard let text = context.parameters.get("mid"), let id = MeetingID(text) else { throw DomainError.notFound("meeting") }
        return id
    }

    static func objectionID(_ context: HubRequestContext) throws -> ObjectionID {
        guard let text = context.parameters.get("oid"), let id = ObjectionID(text) else { throw DomainError.notFound("objection") }
        return id
    }

    static func optionalID<T>(_ text: String?, _ field: String) throws -> Identifier<T>? {
        guard let text else { return nil }
        guard let id = Identifier<T>(text) else { throw DomainError.validation([FieldIssue(field: field, code: "invalid", message: "Not an id.")]) }
        return id
    }

    static func requiredID<T>(_ text: String?, _ field: String) throws -> Identifier<T> {
        guard let id: Identifier<T> = try optionalID(text, field) else {
            throw DomainError.validation([FieldIssue(field: field, code: "required", message: "Required.")])
        }
        return id
    }

    /// `attendance:member:<uuid>`, `notes:<id>`, `decision:<id>`, `actionItem:<id>`, `openPoints`.
    static func section(_ text: String) throws -> MinutesSection {
        let invalid = DomainError.validation([FieldIssue(field: "section", code: "invalid", message: "Not a section of the minutes.")])
        if text == "openPoints" { return .openPoints }
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { throw invalid }
        switch parts[0] {
        case "attendance": guard let key = InviteeKey(key: parts[1]) else { throw invalid }; return .attendance(key)
        case "notes": guard let id = AgendaItemID(parts[1]) else { throw invalid }; return .notes(id)
        case "decision": guard let id = MeetingDecisionID(parts[1]) else { throw invalid }; return .decision(id)
        case "actionItem": guard let id = ActionItemID(parts[1]) else { throw invalid }; return .actionItem(id)
        default: throw invalid
        }
    }

    // MARK: Handlers

    func createTemplate(_ request: Request, _ context: HubRequestContext) async throws -> Response {
        guard context.principal.isSignedIn else { throw DomainError.unauthenticated }
        let body = try await JSONIO.decode(TemplateBody.self, from: request, context: context, limit: settings.maxBodyBytes)
        let t = try await meetings.createTemplate(body.draft, by: context.principal)
        return JSONIO.response(MeetingTemplateView(t), status: .created,
                               headers: [.eTag: JSONIO.etag(t.version), .location: "/api/v1/meeting-templates/\(t.id)"])
    }

    func template(_ request: Request, _ context: HubRequestContext) async throws -> Response {
        guard let id = context.parameters.get("tid").flatMap(MeetingTemplateID.init) else { throw DomainError.notFound("meetingTemplate") }
        let version = request.uri.queryParameters.get("version").flatMap { Int($0) }
        let (t, versions) = try await meetings.template(id, version: version, by: context.principal)
        return JSONIO.response(TemplateDetail(template: MeetingTemplateView(t), versions: versions), headers: [.eTag: JSONIO.etag(versions.last ?? t.version)])
    }

    func reviseTemplate(_ request: Request, _ context: HubRequestContext) async throws -> Response {
        guard let id = context.parameters.get("tid").flatMap(MeetingTemplateID.init) else { throw DomainError.notFound("meetingTemplate") }
        guard context.principal.isSignedIn else { throw DomainError.unauthenticated }
        let version = try JSONIO.expectedVersion(request)
        let body = try await JSONIO.decode(TemplateBody.self, from: request, context: context, limit: settings.maxBodyBytes)
        let t = try await meetings.reviseTemplate(id, with: body.draft, expectedVersion: version, by: context.principal)
        return JSONIO.response(MeetingTemplateView(t), headers: [.eTag: JSONIO.etag(t.version)])
    }

    func create(_ request: Request, _ context: HubRequestContext) async throws -> Response {
        let workspace = try WorkspaceController.workspaceID(context)
        guard context.principal.isSignedIn else { throw DomainError.unauthenticated }
        let body = try await JSONIO.decode(CreateBody.self, from: request, context: context, limit: settings.maxBodyBytes)
        guard let templateID = MeetingTemplateID(body.templateId) else {
            throw DomainError.validation([FieldIssue(field: "templateId", code: "invalid", message: "Not a template id.")])
        }
        let draft = MeetingDraft(title: body.title, description: body.description ?? "", start: try Self.localDateTime(body.start, "start")!,
                                 end: try Self.localDateTime(body.end, "end")!, place: body.place, onlineURL: body.onlineUrl,
                                 invitees: try Self.invitees(body.invitees) ?? [])
        let m = try await meetings.create(draft, template: templateID, in: workspace, by: context.principal)
        return JSONIO.response(MeetingView(m), status: .created, headers: [.eTag: JSONIO.etag(m.version), .location: "/api/v1/meetings/\(m.id)"])
    }

    func patch(_ request: Request, _ context: HubRequestContext) async throws -> Response {
        let id = try Self.meetingID(context)
        guard context.principal.isSignedIn else { throw DomainError.unauthenticated }
        let version = try JSONIO.expectedVersion(request)
        let body = try await JSONIO.decode(PatchBody.self, from: request, context: context, limit: settings.maxBodyBytes)
        let patch = MeetingPatch(title: body.title, description: body.description, start: try Self.localDateTime(body.start, "start"),
                                 end: try Self.localDateTime(body.end, "end"), place: body.place, onlineURL: body.onlineUrl,
                                 invitees: try Self.invitees(body.invitees))
        do {
            let m = try await meetings.update(id, with: patch, expectedVersion: version, by: context.principal)
            await outbox.flush()
            return JSONIO.response(MeetingView(m), headers: [.eTag: JSONIO.etag(m.version)])
        } catch let error as DomainError where error == .versionConflict {
            let current = try await meetings.detail(id, by: context.principal)
            throw ConflictError(error: error, current: WireJSON.string(current.meeting))
        }
    }

    func feed(_ request: Request, _ context: HubRequestContext) async throws -> Response {
        guard let workspace = context.parameters.get("id").flatMap(WorkspaceID.init), let file = context.parameters.get("file"),
              file.hasSuffix(".ics"), let text = try await meetings.feed(workspace, secret: String(file.dropLast(4))) else {
            throw DomainError(.notFound, code: "calendar.notFound", message: "No calendar at this address (the link may have been renewed).")
        }
        let etag = "\"\(ContentHash.sha256Hex(text).prefix(32))\""
        if request.headers[.ifNoneMatch] == etag { return Response(status: .notModified, headers: [.eTag: etag]) }
        return Response(status: .ok, headers: [.contentType: "text/calendar; charset=utf-8", .eTag: etag, .cacheControl: "private, max-age=300"],
                        body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    func editAgenda(_ request: Request, _ context: HubRequestContext) async throws -> Response {
        let id = try Self.meetingID(context)
        guard context.principal.isSignedIn else { throw DomainError.unauthenticated }
        let version = try JSONIO.expectedVersion(request)
        let body = try await JSONIO.decode(AgendaEditBody.self, from: request, context: context, limit: settings.maxBodyBytes)
        func item() throws -> AgendaItemDraft {
            guard let item = body.item else { throw DomainError.validation([FieldIssue(field: "item", code: "required", message: "Required.")]) }
            return try item.draft()
        }
        let edit: AgendaEdit
        switch body.op {
        case .add:
            edit = .add(try item(), id: AgendaItemID(UUID()), parent: try Self.optionalID(body.parentId, "parentId"),
                        after: try Self.optionalID(body.afterId, "afterId"))
        case .update: edit = .update(try Self.requiredID(body.itemId, "itemId"), try item())
        case .remove: edit = .remove(try Self.requiredID(body.itemId, "itemId"))
        case .moveUp: edit = .moveUp(try Self.requiredID(body.itemId, "itemId"))
        case .moveDown: edit = .moveDown(try Self.requiredID(body.itemId, "itemId"))
        case .indent: edit = .indent(try Self.requiredID(body.itemId, "itemId"))
        case .outdent: edit = .outdent(try Self.requiredID(body.itemId, "itemId"))
        case .move:
            edit = .move(try Self.requiredID(body.itemId, "itemId"), parent: try Self.optionalID(body.parentId, "parentId"), index: body.index ?? 0)
        }
        do {
            let agenda = try await work.edit(id, edit, expectedVersion: version, by: context.principal)
            return JSONIO.response(agenda, headers: [.eTag: JSONIO.etag(agenda.version)])
        } catch let conflict as AgendaEditConflict {
            throw ConflictError(error: conflict.error, current: WireJSON.string(conflict.current))
        }
    }

    func live(_ request: Request, _ context: HubRequestContext) async throws -> Response {
        let id = try Self.meetingID(context)
        guard context.principal.isSignedIn else { throw DomainError.unauthenticated }
        let body = try await JSONIO.decode(LiveBody.self, from: request, context: context, limit: settings.maxBodyBytes)
        let step: LiveStep
        switch body.step {
        case .start: step = .start
        case .advance: step = .advance(from: try Self.optionalID(body.fromItemId, "fromItemId"))
        case .goTo: step = .goTo(try Self.requiredID(body.itemId, "itemId"))
        case .extend: step = .extend(minutes: body.minutes ?? 5)
        case .finish: step = .finish
        }
        let agenda = try await work.live(id, step, by: context.principal)
        return JSONIO.response(agenda, headers: [.eTag: JSONIO.etag(agenda.version)])
    }

    func saveSection(_ request: Request, _ context: HubRequestContext) async throws -> Response {
        let id = try Self.meetingID(context)
        guard let user = context.principal.userID else { throw DomainError.unauthenticated }
        _ = user
        let body = try await JSONIO.decode(SectionBody.self, from: request, context: context, limit: settings.maxBodyBytes)
        func missing(_ field: String) -> DomainError { .validation([FieldIssue(field: field, code: "required", message: "Required.")]) }
        let edit: MinutesEdit
        switch body.kind {
        case .notes:
            guard let text = body.text else { throw missing("text") }
            edit = .notes(try Self.requiredID(body.itemId, "itemId"), text)
        case .openPoints:
            guard let text = body.text else { throw missing("text") }
            edit = .openPoints(text)
        case .attendance:
            guard let a = body.attendance else { throw missing("attendance") }
            guard let person = InviteeKey(key: a.person) else {
                throw DomainError.validation([FieldIssue(field: "attendance.person", code: "invalid", message: "Use member:<id> or guest:<email>.")])
            }
            edit = .attendance(AttendanceEntry(person: person, name: a.name, organization: a.organization, status: a.status,
                                               publicationConsent: a.publicationConsent ?? false))
        case .decision:
            guard let d = body.decision else { throw missing("decision") }
            let ids: [RecommendationID] = try (d.recommendationIds ?? []).map { try Self.requiredID($0, "decision.recommendationIds") }
            edit = .decision(MeetingDecision(id: try Self.optionalID(d.id, "decision.id") ?? MeetingDecisionID(UUID()),
                                             agendaItemID: try Self.optionalID(d.agendaItemId, "decision.agendaItemId"), text: d.text, votes: d.votes,
                                             recommendationIDs: ids))
        case .actionItem:
            guard let a = body.actionItem else { throw missing("actionItem") }
            let due = try a.due.map { text -> LocalDate in
                guard let d = LocalDate(text) else {
                    throw DomainError.validation([FieldIssue(field: "actionItem.due", code: "invalid", message: "Use YYYY-MM-DD.")])
                }
                return d
            }
            edit = .actionItem(ActionItem(id: try Self.optionalID(a.id, "actionItem.id") ?? ActionItemID(UUID()),
                                          agendaItemID: try Self.optionalID(a.agendaItemId, "actionItem.agendaItemId"), text: a.text,
                                          owner: ActionOwner(userID: try Self.optionalID(a.ownerId, "actionItem.ownerId"), name: a.ownerName), due: due))
        case .remove:
            guard let text = body.section else { throw missing("section") }
            edit = .remove(try Self.section(text))
        }
        do {
            let stored = try await work.save(id, edit, baseVersion: body.baseVersion, by: context.principal)
            return JSONIO.response(MinutesView(stored))
        } catch let conflict as MinutesEditConflict {
            throw ConflictError(error: conflict.error, current: WireJSON.string(conflict.current))
        }
    }

    /// `invitation|agenda|minutes` as `.md`, `.html` or `.pdf`; `public-minutes.*` for everyone once published.
    func export(_ request: Request, _ context: HubRequestContext) async throws -> Response {
        let id = try Self.meetingID(context)
        let file = context.parameters.get("file") ?? ""
        let parts = file.split(separator: ".").map(String.init)
        guard parts.count == 2, ["md", "html", "pdf"].contains(parts[1]) else { throw DomainError.notFound("export") }
        let language: MeetingLanguage = request.uri.queryParameters.get("lang") == "en" ? .en : .de
        let de = language == .de
        let markdown: String, title: String, kicker: String, date: Date
        switch parts[0] {
        case "minutes":
            let (m, text) = try await work.minutesDocument(id, language: language, by: context.principal)
            (markdown, title, kicker, date) = (text, m.title, de ? "Protokoll" : "Minutes", m.updatedAt)
        case "public-minutes":
            let (m, text) = try await work.publishedMinutes(id, language: language)
            (markdown, title, kicker, date) = (text, m.title, de ? "Protokoll (öffentlicher Teil)" : "Minutes (public part)", m.updatedAt)
        case "agenda":
            let detail = try await meetings.detail(id, by: context.principal)
            (markdown, title, kicker, date) = (MeetingExports.agendaMarkdown(detail, language: language), detail.meeting.title,
                                               de ? "Tagesordnung" : "Agenda", detail.meeting.startsAt)
        case "invitation":
            let detail = try await meetings.detail(id, by: context.principal)
            (markdown, title, kicker, date) = (MeetingExports.invitationMarkdown(detail, language: language), detail.meeting.title,
                                               de ? "Einladung" : "Invitation", detail.meeting.startsAt)
        default:
            throw DomainError.notFound("export")
        }
        switch parts[1] {
        case "md":
            return Response(status: .ok, headers: [.contentType: "text/markdown; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: markdown)))
        case "pdf":
            // The hub's own PDF writer: no external engine (Chromium, wkhtmltopdf) is needed on the server.
            let bytes = MarkdownPDF.render(markdown, kicker: kicker, english: !de, date: NotesPDF.pdfDate(date))
            return Response(status: .ok, headers: [.contentType: "application/pdf",
                                                   .contentDisposition: "inline; filename=\"\(parts[0])-\(id).pdf\""],
                            body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        default:
            let html = MeetingExports.html(title: title, markdown: markdown, language: language)
            return Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: html)))
        }
    }
}
