import Foundation
import HTTPTypes
import HubCore
import HubServices
import Hummingbird

/// Barcamps: thin glue between HTTP and `BarcampService`. Guests send `X-Guest-Token`; grid
/// changes, publishing, applying a schedule and barcamp settings carry `If-Match` on the
/// barcamp's version, session edits on the session's version.
struct BarcampController {
    let service: BarcampService
    let settings: HTTPSettings

    struct CreateBody: Decodable {
        let title: String
        let workspaceId: String?
        let rooms: [BarcampRoom]?
        let slots: [BarcampSlot]?
        let settings: BarcampSettings?
    }

    struct PatchBody: Decodable {
        let title: String?
        let settings: BarcampSettings?
        let rooms: [BarcampRoom]?
        let slots: [BarcampSlot]?
    }

    struct ProposalBody: Decodable {
        let title: String
        let description: String?
        let format: BarcampFormat?
        let expectedSize: Int?
        let coHosts: [String]?
    }

    struct ProposalPatchBody: Decodable {
        let title: String?
        let description: String?
        let format: BarcampFormat?
        let expectedSize: Int?
    }

    struct GridBody: Decodable {
        let sessionId: String
        let roomId: String?
        let slotId: String?
        let swap: Bool?
        let pinned: Bool?
    }

    struct NotesBody: Decodable { let text: String; let baseVersion: Int }
    struct JoinBody: Decodable { let displayName: String }

    func add(to router: Router<HubRequestContext>) {
        let base = "/api/v1/barcamps"
        router.get(RouterPath(base)) { request, context in
            var workspace: WorkspaceID?
            if let text = request.uri.queryParameters.get("workspace") {
                guard let id = WorkspaceID(String(text)) else { throw DomainError.notFound("workspace") }
                workspace = id
            }
            return JSONIO.response(ListResponse(items: try await service.list(workspace: workspace, by: context.principal), cursor: nil))
        }
        router.post(RouterPath(base)) { request, context in
            guard context.principal.isSignedIn else { throw DomainError.unauthenticated }
            let body = try await JSONIO.decode(CreateBody.self, from: request, context: context, limit: settings.maxBodyBytes)
            var workspace: WorkspaceID?
            if let text = body.workspaceId {
                guard let id = WorkspaceID(text) else { throw DomainError.notFound("workspace") }
                workspace = id
            }
            let view = try await service.create(BarcampDraft(title: body.title, workspaceID: workspace, rooms: body.rooms ?? [], slots: body.slots ?? [],
                                                             settings: body.settings ?? BarcampSettings()), by: context.principal)
            return JSONIO.response(view, status: .created, headers: [.eTag: JSONIO.etag(view.barcamp.version), .location: "\(base)/\(view.barcamp.id)"])
        }
        router.get(RouterPath("\(base)/:barcamp")) { request, context in
            answer(try await service.get(try Self.barcampID(context), by: try await actor(request, context)))
        }
        router.delete(RouterPath("\(base)/:barcamp")) { request, context -> Response in
            try await service.delete(try Self.barcampID(context), by: try await actor(request, context))
            return Response(status: .noContent)
        }
        router.patch(RouterPath("\(base)/:barcamp")) { request, context in
            let expected = try JSONIO.expectedVersion(request)
            let body = try await JSONIO.decode(PatchBody.self, from: request, context: context, limit: settings.maxBodyBytes)
            let patch = BarcampPatch(title: body.title, settings: body.settings, rooms: body.rooms, slots: body.slots)
            return try await run(request, context) { id, actor in try await service.update(id, patch: patch, expectedVersion: expected, by: actor) }
        }
        router.get(RouterPath("\(base)/:barcamp/invitation")) { _, context in
            JSONIO.response(try await service.invitation(try Self.barcampID(context)))
        }
        router.get(RouterPath("\(base)/:barcamp/qr.svg")) { request, context in try await qr(svg: true, request, context) }
        router.get(RouterPath("\(base)/:barcamp/qr.png")) { request, context in try await qr(svg: false, request, context) }
        router.post(RouterPath("\(base)/:barcamp/guests")) { request, context in
            let body = try await JSONIO.decode(JoinBody.self, from: request, context: context, limit: settings.maxBodyBytes)
            return JSONIO.response(try await service.joinAsGuest(try Self.barcampID(context), displayName: body.displayName), status: .created)
        }
        router.post(RouterPath("\(base)/:barcamp/sessions")) { request, context in
            let body = try await JSONIO.decode(ProposalBody.self, from: request, context: context, limit: settings.maxBodyBytes)
            let coHosts = try (body.coHosts ?? []).map { text -> ParticipantRef in
                guard let ref = Self.participant(text) else {
                    throw DomainError.validation([FieldIssue(field: "coHosts", code: "invalid", message: "user:<id> or guest:<id>.")])
                }
                return ref
            }
            let proposal = BarcampProposal(title: body.title, description: body.description ?? "", format: body.format ?? .discussion,
                                           expectedSize: body.expectedSize, coHosts: coHosts)
            return try await run(request, context, status: .created) { id, actor in try await service.propose(id, proposal, by: actor) }
        }
        router.patch(RouterPath("\(base)/:barcamp/sessions/:session")) { request, context in
            let session = try Self.sessionID(context)
            let expected = try JSONIO.expectedVersion(request)
            let body = try await JSONIO.decode(ProposalPatchBody.self, from: request, context: context, limit: settings.maxBodyBytes)
            let patch = BarcampProposalPatch(title: body.title, description: body.description, format: body.format,
                                             expectedSize: body.expectedSize.map { Optional($0) })
            return try await run(request, context) { id, actor in
                try await service.editSession(id, session: session, patch: patch, expectedVersion: expected, by: actor)
            }
        }
        router.post(RouterPath("\(base)/:barcamp/sessions/:session/withdraw")) { request, context in
            let session = try Self.sessionID(context)
            return try await run(request, context) { id, actor in try await service.withdrawSession(id, session: session, by: actor) }
        }
        router.put(RouterPath("\(base)/:barcamp/sessions/:session/interest")) { request, context in
            let session = try Self.sessionID(context)
            return try await run(request, context) { id, actor in try await service.mark(id, session: session, marked: true, by: actor) }
        }
        router.delete(RouterPath("\(base)/:barcamp/sessions/:session/interest")) { request, context in
            let session = try Self.sessionID(context)
            return try await run(request, context) { id, actor in try await service.mark(id, session: session, marked: false, by: actor) }
        }
        router.put(RouterPath("\(base)/:barcamp/sessions/:session/notes")) { request, context in
            let session = try Self.sessionID(context)
            let body = try await JSONIO.decode(NotesBody.self, from: request, context: context, limit: settings.maxBodyBytes)
            return try await run(request, context) { id, actor in
                try await service.saveNotes(id, session: session, text: body.text, baseVersion: body.baseVersion, by: actor)
            }
        }
        router.post(RouterPath("\(base)/:barcamp/grid")) { request, context in
            let expected = try JSONIO.expectedVersion(request)
            let body = try await JSONIO.decode(GridBody.self, from: request, context: context, limit: settings.maxBodyBytes)
            guard let session = BarcampSessionID(body.sessionId) else { throw DomainError.notFound("session") }
            let action: BarcampService.GridAction
            switch request.uri.queryParameters.get("action") ?? "" {
            case "assign": action = .assign(try Self.cell(body))
            case "move": action = .move(try Self.cell(body), swap: body.swap ?? false)
            case "unassign": action = .unassign
            case "pin": action = .pin(body.pinned ?? true)
            default: throw DomainError.validation([FieldIssue(field: "action", code: "invalid", message: "assign, move, unassign or pin.")])
            }
            return try await run(request, context) { id, actor in
                try await service.grid(id, session: session, action, expectedVersion: expected, by: actor)
            }
        }
        router.post(RouterPath("\(base)/:barcamp/schedule/proposal")) { request, context in
            JSONIO.response(try await service.proposeSchedule(try Self.barcampID(context), by: try await actor(request, context)))
        }
        router.post(RouterPath("\(base)/:barcamp/schedule/apply")) { request, context in
            let expected = try JSONIO.expectedVersion(request)
            return try await run(request, context) { id, actor in try await service.applySchedule(id, expectedVersion: expected, by: actor) }
        }
        router.post(RouterPath("\(base)/:barcamp/publish")) { request, context in
            let expected = try JSONIO.expectedVersion(request)
            return try await run(request, context) { id, actor in try await service.publish(id, expectedVersion: expected, by: actor) }
        }
        router.post(RouterPath("\(base)/:barcamp/close")) { request, context in
            try await run(request, context) { id, actor in try await service.close(id, by: actor) }
        }
        router.get(RouterPath("\(base)/:barcamp/agenda")) { request, context in
            JSONIO.response(ListResponse(items: try await service.agenda(try Self.barcampID(context), by: try await actor(request, context)), cursor: nil))
        }
        router.get(RouterPath("\(base)/:barcamp/agenda.ics")) { request, context -> Response in
            let text = try await service.agendaCalendar(try Self.barcampID(context), by: try await actor(request, context),
                                                        host: request.head.authority ?? "roundtable")
            return Response(status: .ok, headers: [.contentType: "text/calendar; charset=utf-8"], body: .init(byteBuffer: .init(string: text)))
        }
        router.get(RouterPath("\(base)/:barcamp/documentation")) { request, context -> Response in
            let query = request.uri.queryParameters
            let format = try Self.documentationFormat(query.get("format"))
            let english = query.get("lang") == "en"
            let bytes = try await service.documentation(try Self.barcampID(context), format: format, english: english,
                                                        by: try await actor(request, context))
            var headers: HTTPFields = [.contentType: Self.contentType(format)]
            if format == .pdf {
                headers[.contentDisposition] = "inline; filename=\"barcamp-\(context.parameters.get("barcamp") ?? "")-\(english ? "documentation" : "dokumentation").pdf\""
            }
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        }
    }

    static func documentationFormat(_ text: String?) throws -> BarcampService.DocumentationFormat {
        guard let text else { return .markdown }
        guard let format = BarcampService.DocumentationFormat(rawValue: text) else {
            throw DomainError(.validation, code: "barcamp.formatUnknown", message: "The format must be markdown, html or pdf.",
                              fields: [FieldIssue(field: "format", code: "barcamp.formatUnknown", message: "Use markdown, html or pdf.")])
        }
        return format
    }

    static func contentType(_ format: BarcampService.DocumentationFormat) -> String {
        switch format {
        case .markdown: "text/markdown; charset=utf-8"
        case .html: "text/html; charset=utf-8"
        case .pdf: "application/pdf"
        }
    }

    /// The QR code of the guests' join link, for moderators to show or print. For those who may
    /// read the barcamp.
    func qr(svg: Bool, _ request: Request, _ context: HubRequestContext) async throws -> Response {
        let id = try Self.barcampID(context)
        _ = try await service.get(id, by: try await actor(request, context))
        return try QRCodeImage.boardJoin(origin: settings.publicOrigin, page: "barcamps", id: id.description, svg: svg, notFound: "barcamp")
    }

    func actor(_ request: Request, _ context: HubRequestContext) async throws -> BoardActor {
        try await service.actor(context.principal, guestToken: request.headers[LeanCoffeeController.guestHeader])
    }

    func answer(_ view: BarcampSnapshotView, status: HTTPResponse.Status = .ok) -> Response {
        JSONIO.response(view, status: status, headers: [.eTag: JSONIO.etag(view.barcamp.version)])
    }

    func run(_ request: Request, _ context: HubRequestContext, status: HTTPResponse.Status = .ok,
             _ body: (BarcampID, BoardActor) async throws -> BarcampSnapshotView) async throws -> Response {
        let id = try Self.barcampID(context)
        let actor = try await actor(request, context)
        do {
            return answer(try await body(id, actor), status: status)
        } catch let conflict as BarcampConflict {
            throw ConflictError(error: conflict.error, current: WireJSON.string(conflict.current))
        }
    }

    static func barcampID(_ context: HubRequestContext) throws -> BarcampID {
        guard let text = context.parameters.get("barcamp"), let id = BarcampID(text) else {
            throw DomainError(.notFound, code: "barcamp.notFound", message: "The barcamp does not exist or is not visible to you.")
        }
        return id
    }

    static func sessionID(_ context: HubRequestContext) throws -> BarcampSessionID {
        guard let text = context.parameters.get("session"), let id = BarcampSessionID(text) else {
            throw DomainError(.notFound, code: "barcamp.sessionNotFound", message: "There is no such session.")
        }
        return id
    }

    static func cell(_ body: GridBody) throws -> BarcampCell {
        guard let room = body.roomId.flatMap(BarcampRoomID.init), let slot = body.slotId.flatMap(BarcampSlotID.init) else {
            throw DomainError.validation([FieldIssue(field: "roomId", code: "required", message: "A room and a slot.")])
        }
        return BarcampCell(roomID: room, slotID: slot)
    }

    static func participant(_ text: String) -> ParticipantRef? {
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return nil }
        switch parts[0] {
        case "user": return UserID(parts[1]).map(ParticipantRef.user)
        case "guest": return GuestID(parts[1]).map(ParticipantRef.guest)
        default: return nil
        }
    }
}
