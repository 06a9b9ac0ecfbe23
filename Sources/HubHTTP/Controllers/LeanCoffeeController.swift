import Foundation
import HubCore
import HubServices
import HTTPTypes
import Hummingbird

/// Lean Coffee boards: thin glue between HTTP and `LeanCoffeeService`. Guests send the token
/// they got when joining as `X-Guest-Token`; dots carry an `Idempotency-Key`.
struct LeanCoffeeController {
    let service: LeanCoffeeService
    let settings: HTTPSettings

    static let guestHeader = HTTPField.Name("X-Guest-Token")!
    static let idempotencyHeader = HTTPField.Name("Idempotency-Key")!

    struct CreateBody: Decodable {
        let title: String
        let workspaceId: String?
        let settings: LeanCoffeeSettings?
    }

    struct PatchBody: Decodable {
        let title: String?
        let settings: LeanCoffeeSettings?
        let facilitators: [String]?
    }

    struct PhaseBody: Decodable { let phase: LeanCoffeePhase }
    struct TopicBody: Decodable { let title: String; let description: String?; let anonymous: Bool? }
    struct TopicPatchBody: Decodable { let title: String?; let description: String? }
    struct ContinueBody: Decodable { let topicId: String; let timebox: Int; let vote: ContinueVote }
    struct ConcludeBody: Decodable { let topicId: String; let timebox: Int; let override: ContinueDecision? }
    struct NextBody: Decodable { let topicId: String }
    struct TextBody: Decodable { let text: String }
    struct MinutesBody: Decodable { let meetingId: String }
    struct JoinBody: Decodable { let displayName: String }
    struct DraftAnswer: Encodable { let board: LeanCoffeeSnapshotView; let recommendationId: String }

    func add(to router: Router<HubRequestContext>) {
        router.get("/api/v1/lean-coffee") { request, context in try await list(request, context) }
        router.post("/api/v1/lean-coffee") { request, context in try await create(request, context) }
        router.get("/api/v1/lean-coffee/:board") { request, context in
            answer(try await service.get(try Self.boardID(context), by: try await actor(request, context)))
        }
        router.patch("/api/v1/lean-coffee/:board") { request, context in try await patch(request, context) }
        router.delete("/api/v1/lean-coffee/:board") { request, context -> Response in
            try await service.delete(try Self.boardID(context), by: try await actor(request, context))
            return Response(status: .noContent)
        }
        router.get("/api/v1/lean-coffee/:board/invitation") { _, context in
            JSONIO.response(try await service.invitation(try Self.boardID(context)))
        }
        router.get("/api/v1/lean-coffee/:board/qr.svg") { request, context in try await qr(svg: true, request, context) }
        router.get("/api/v1/lean-coffee/:board/qr.png") { request, context in try await qr(svg: false, request, context) }
        router.post("/api/v1/lean-coffee/:board/guests") { request, context in
            let body = try await JSONIO.decode(JoinBody.self, from: request, context: context, limit: settings.maxBodyBytes)
            return JSONIO.response(try await service.joinAsGuest(try Self.boardID(context), displayName: body.displayName), status: .created)
        }
        router.post("/api/v1/lean-coffee/:board/phase") { request, context in
            let body = try await JSONIO.decode(PhaseBody.self, from: request, context: context, limit: settings.maxBodyBytes)
            return try await run(request, context) { id, actor in try await service.changePhase(id, to: body.phase, by: actor) }
        }
        router.post("/api/v1/lean-coffee/:board/reveal") { request, context in
            try await run(request, context) { id, actor in try await service.revealVotes(id, by: actor) }
        }
        router.post("/api/v1/lean-coffee/:board/topics") { request, context in
            let body = try await JSONIO.decode(TopicBody.self, from: request, context: context, limit: settings.maxBodyBytes)
            let draft = LeanCoffeeTopicDraft(title: body.title, description: body.description ?? "", anonymous: body.anonymous ?? false)
            return try await run(request, context, status: .created) { id, actor in try await service.addTopic(id, draft, by: actor) }
        }
        router.patch("/api/v1/lean-coffee/:board/topics/:topic") { request, context in
            let body = try await JSONIO.decode(TopicPatchBody.self, from: request, context: context, limit: settings.maxBodyBytes)
            let topic = try Self.topicID(context.parameters.get("topic"))
            return try await run(request, context) { id, actor in
                try await service.editTopic(id, topic: topic, title: body.title, description: body.description, by: actor)
            }
        }
        router.post("/api/v1/lean-coffee/:board/topics/:topic/withdraw") { request, context in
            let topic = try Self.topicID(context.parameters.get("topic"))
            return try await run(request, context) { id, actor in try await service.withdrawTopic(id, topic: topic, by: actor) }
        }
        router.post("/api/v1/lean-coffee/:board/topics/:topic/dots") { request, context in
            let topic = try Self.topicID(context.parameters.get("topic"))
            let key = try Self.idempotencyKey(request)
            if Self.prefersMinimal(request) { return try await vote(request, context, topic: topic, key: key, place: true) }
            return try await run(request, context) { id, actor in try await service.placeDot(id, topic: topic, key: key, by: actor) }
        }
        router.delete("/api/v1/lean-coffee/:board/topics/:topic/dots") { request, context in
            let topic = try Self.topicID(context.parameters.get("topic"))
            let key = try Self.idempotencyKey(request)
            if Self.prefersMinimal(request) { return try await vote(request, context, topic: topic, key: key, place: false) }
            return try await run(request, context) { id, actor in try await service.removeDot(id, topic: topic, key: key, by: actor) }
        }
        router.post("/api/v1/lean-coffee/:board/topics/:topic/takeaways") { request, context in
            let topic = try Self.topicID(context.parameters.get("topic"))
            let body = try await JSONIO.decode(TextBody.self, from: request, context: context, limit: settings.maxBodyBytes)
            return try await run(request, context, status: .created) { id, actor in
                try await service.addTakeaway(id, topic: topic, text: body.text, by: actor)
            }
        }
        router.post("/api/v1/lean-coffee/:board/topics/:topic/draft") { request, context in
            let topic = try Self.topicID(context.parameters.get("topic"))
            let id = try Self.boardID(context)
            let actor = try await actor(request, context)
            do {
                let (view, recommendation) = try await service.startDraft(id, topic: topic, by: actor)
                return JSONIO.response(DraftAnswer(board: view, recommendationId: recommendation.description), status: .created,
                                       headers: [.location: "/api/v1/recommendations/\(recommendation)"])
            } catch let conflict as LeanCoffeeConflict {
                throw ConflictError(error: conflict.error, current: WireJSON.string(conflict.current))
            }
        }
        router.patch("/api/v1/lean-coffee/:board/takeaways/:takeaway") { request, context in
            let takeaway = try Self.takeawayID(context)
            let body = try await JSONIO.decode(TextBody.self, from: request, context: context, limit: settings.maxBodyBytes)
            return try await run(request, context) { id, actor in try await service.editTakeaway(id, takeaway: takeaway, text: body.text, by: actor) }
        }
        router.delete("/api/v1/lean-coffee/:board/takeaways/:takeaway") { request, context in
            let takeaway = try Self.takeawayID(context)
            return try await run(request, context) { id, actor in try await service.removeTakeaway(id, takeaway: takeaway, by: actor) }
        }
        router.post("/api/v1/lean-coffee/:board/continue") { request, context in
            let body = try await JSONIO.decode(ContinueBody.self, from: request, context: context, limit: settings.maxBodyBytes)
            let topic = try Self.topicID(body.topicId)
            return try await run(request, context) { id, actor in
                try await service.continueVote(id, topic: topic, timebox: body.timebox, vote: body.vote, by: actor)
            }
        }
        router.post("/api/v1/lean-coffee/:board/conclude") { request, context in
            let body = try await JSONIO.decode(ConcludeBody.self, from: request, context: context, limit: settings.maxBodyBytes)
            let topic = try Self.topicID(body.topicId)
            return try await run(request, context) { id, actor in
                try await service.concludeTimebox(id, topic: topic, timebox: body.timebox, override: body.override, by: actor)
            }
        }
        router.post("/api/v1/lean-coffee/:board/next") { request, context in
            let body = try await JSONIO.decode(NextBody.self, from: request, context: context, limit: settings.maxBodyBytes)
            let topic = try Self.topicID(body.topicId)
            return try await run(request, context) { id, actor in try await service.nextTopic(id, after: topic, by: actor) }
        }
        router.post("/api/v1/lean-coffee/:board/minutes") { request, context in
            let body = try await JSONIO.decode(MinutesBody.self, from: request, context: context, limit: settings.maxBodyBytes)
            guard let meeting = UUID(uuidString: body.meetingId) else {
                throw DomainError.validation([FieldIssue(field: "meetingId", code: "invalid", message: "A meeting id.")])
            }
            return try await run(request, context) { id, actor in try await service.sendTakeawaysToMinutes(id, meetingID: meeting, by: actor) }
        }
        router.get("/api/v1/lean-coffee/:board/export") { request, context -> Response in
            let raw = request.uri.queryParameters.get("format") ?? "json"
            guard let format = LeanCoffeeService.ExportFormat(rawValue: raw == "md" ? "markdown" : raw) else {
                throw DomainError.validation([FieldIssue(field: "format", code: "invalid", message: "csv, json or markdown.")])
            }
            let id = try Self.boardID(context)
            let (type, body) = try await service.export(id, format: format, by: try await actor(request, context))
            let ext = format == .markdown ? "md" : format.rawValue
            return Response(status: .ok, headers: [.contentType: type, .contentDisposition: "attachment; filename=\"lean-coffee-\(id).\(ext)\""],
                            body: .init(byteBuffer: .init(string: body)))
        }
    }

    /// The QR code of the guests' join link, for the facilitator to show or print. For those who
    /// may read the board.
    func qr(svg: Bool, _ request: Request, _ context: HubRequestContext) async throws -> Response {
        let id = try Self.boardID(context)
        _ = try await service.get(id, by: try await actor(request, context))
        return try QRCodeImage.boardJoin(origin: settings.publicOrigin, page: "lean-coffee", id: id.description, svg: svg, notFound: "leanCoffee")
    }

    func actor(_ request: Request, _ context: HubRequestContext) async throws -> BoardActor {
        try await service.actor(context.principal, guestToken: request.headers[Self.guestHeader])
    }

    func answer(_ view: LeanCoffeeSnapshotView, status: HTTPResponse.Status = .ok) -> Response {
        JSONIO.response(view, status: status, headers: [.eTag: JSONIO.etag(view.board.version)])
    }

    /// A vote answered briefly (`Prefer: return=minimal`, RFC 7240): the counts after it, not
    /// the board; a 409 still carries the board.
    func vote(_ request: Request, _ context: HubRequestContext, topic: LeanCoffeeTopicID, key: IdempotencyKey, place: Bool) async throws -> Response {
        let id = try Self.boardID(context)
        let actor = try await actor(request, context)
        do {
            let receipt = try await service.vote(id, topic: topic, key: key, place: place, by: actor)
            return JSONIO.response(receipt, headers: [Self.preferenceApplied: "return=minimal"])
        } catch let conflict as LeanCoffeeConflict {
            throw ConflictError(error: conflict.error, current: WireJSON.string(conflict.current))
        }
    }

    static let preferHeader = HTTPField.Name("Prefer")!
    static let preferenceApplied = HTTPField.Name("Preference-Applied")!

    /// Whether the request asks for the short answer (`Prefer: return=minimal`).
    static func prefersMinimal(_ request: Request) -> Bool {
        request.headers[values: preferHeader].contains { value in
            value.split(separator: ",").contains { $0.trimmingCharacters(in: .whitespaces).lowercased() == "return=minimal" }
        }
    }

    /// Runs a change; a 409 carries the board as the requester sees it now.
    func run(_ request: Request, _ context: HubRequestContext, status: HTTPResponse.Status = .ok,
             _ body: (LeanCoffeeBoardID, BoardActor) async throws -> LeanCoffeeSnapshotView) async throws -> Response {
        let id = try Self.boardID(context)
        let actor = try await actor(request, context)
        do {
            return answer(try await body(id, actor), status: status)
        } catch let conflict as LeanCoffeeConflict {
            throw ConflictError(error: conflict.error, current: WireJSON.string(conflict.current))
        }
    }

    func list(_ request: Request, _ context: HubRequestContext) async throws -> Response {
        var workspace: WorkspaceID?
        if let text = request.uri.queryParameters.get("workspace") {
            guard let id = WorkspaceID(String(text)) else { throw DomainError.notFound("workspace") }
            workspace = id
        }
        let items = try await service.list(workspace: workspace, by: context.principal)
        return JSONIO.response(ListResponse(items: items, cursor: nil))
    }

    func create(_ request: Request, _ context: HubRequestContext) async throws -> Response {
        guard context.principal.isSignedIn else { throw DomainError.unauthenticated }
        let body = try await JSONIO.decode(CreateBody.self, from: request, context: context, limit: settings.maxBodyBytes)
        var workspace: WorkspaceID?
        if let text = body.workspaceId {
            guard let id = WorkspaceID(text) else { throw DomainError.notFound("workspace") }
            workspace = id
        }
        let view = try await service.create(LeanCoffeeDraft(title: body.title, workspaceID: workspace, settings: body.settings ?? LeanCoffeeSettings()),
                                            by: context.principal)
        return JSONIO.response(view, status: .created, headers: [.eTag: JSONIO.etag(view.board.version), .location: "/api/v1/lean-coffee/\(view.board.id)"])
    }

    func patch(_ request: Request, _ context: HubRequestContext) async throws -> Response {
        let id = try Self.boardID(context)
        let actor = try await actor(request, context)
        guard case .user(let principal) = actor, principal.isSignedIn else {
            if case .guest = actor { throw DomainError(.forbidden, code: "leanCoffee.facilitatorOnly", message: "Only a facilitator of this board can do this.") }
            throw DomainError.unauthenticated
        }
        let expected = try JSONIO.expectedVersion(request)
        let body = try await JSONIO.decode(PatchBody.self, from: request, context: context, limit: settings.maxBodyBytes)
        var facilitators: [UserID]?
        if let list = body.facilitators {
            facilitators = try list.map { text in
                guard let id = UserID(text) else {
                    throw DomainError.validation([FieldIssue(field: "facilitators", code: "invalid", message: "User ids.")])
                }
                return id
            }
        }
        let patch = LeanCoffeePatch(title: body.title, settings: body.settings, facilitators: facilitators)
        return try await run(request, context) { id, actor in try await service.update(id, patch: patch, expectedVersion: expected, by: actor) }
    }

    static func boardID(_ context: HubRequestContext) throws -> LeanCoffeeBoardID {
        guard let text = context.parameters.get("board"), let id = LeanCoffeeBoardID(text) else {
            throw DomainError(.notFound, code: "leanCoffee.notFound", message: "The board does not exist or is not visible to you.")
        }
        return id
    }

    static func topicID(_ text: String?) throws -> LeanCoffeeTopicID {
        guard let text, let id = LeanCoffeeTopicID(text) else {
            throw DomainError(.notFound, code: "leanCoffee.topicNotFound", message: "There is no such topic on this board.")
        }
        return id
    }

    static func takeawayID(_ context: HubRequestContext) throws -> LeanCoffeeTakeawayID {
        guard let text = context.parameters.get("takeaway"), let id = LeanCoffeeTakeawayID(text) else {
            throw DomainError(.notFound, code: "leanCoffee.takeawayNotFound", message: "There is no such takeaway.")
        }
        return id
    }

    static func idempotencyKey(_ request: Request) throws -> IdempotencyKey {
        guard let raw = request.headers[idempotencyHeader] else {
            throw DomainError(.preconditionRequired, code: "idempotencyKey.required",
                              message: "Send an Idempotency-Key (a fresh UUID per click), so a retry does not count twice.")
        }
        return try IdempotencyKey.parse(raw)
    }
}
