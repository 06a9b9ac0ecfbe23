import Foundation
import HubCore
import HubServices
import Hummingbird
import Logging
import NIOCore

/// Feedback panels: the coordinators' JSON API under /api/v1, and the public pages under /p
/// that work without JavaScript (urlencoded forms, answers rendered on the server).
struct PanelController {
    let panels: Panels
    let submissions: PanelSubmissions
    let settings: HTTPSettings
    let ids: any IDGenerator

    struct SettingsBody: Decodable {
        let recommendationId: String?
        let meetingTopic: String?
        let title: PanelText
        let audience: PanelText
        let summary: PanelText
        let easyReadSummary: PanelText?
        let offersEnglish: Bool?
        let opensOn: LocalDate
        let closesOn: LocalDate
        let questions: [QuestionWire]?
        let sections: [ProfileSection]?
        let access: PanelAccess?
        let moderation: ModerationMode?
        let retentionDays: Int?
        let publicResponses: Bool?
        let consentVersion: String?
        let limits: SubmissionLimits?

        func draft(ids: any IDGenerator) throws -> PanelDraft {
            var questions: [PanelQuestion] = []
            for (i, q) in (self.questions ?? []).enumerated() { questions.append(try q.question(at: i, newID: ids.uuid)) }
            return PanelDraft(title: title, audience: audience, summary: summary, easyReadSummary: easyReadSummary, offersEnglish: offersEnglish ?? false,
                              opensOn: opensOn, closesOn: closesOn, questions: questions, sections: sections ?? [], access: access ?? .publicLink,
                              moderation: moderation ?? .pre, retentionDays: retentionDays ?? PanelRules.defaultRetentionDays,
                              publicResponses: publicResponses ?? true, consentVersion: consentVersion ?? "1", limits: limits ?? .standard)
        }
    }

    struct InviteBody: Decodable { let label: String; let maxUses: Int }
    struct ModerationBody: Decodable { let reason: String?; let note: String? }
    struct ResponseBody: Decodable { let text: String; let changedRevision: Int? }

    func add(to router: Router<HubRequestContext>) {
        router.get("/api/v1/workspaces/:id/panels") { _, c in JSONIO.response(ListResponse(items: try await panels.list(in: try WorkspaceController.workspaceID(c), by: c.principal), cursor: nil)) }
        router.post("/api/v1/workspaces/:id/panels") { r, c in try await create(r, c) }
        router.get("/api/v1/recommendations/:rid/panels") { _, c in
            JSONIO.response(ListResponse(items: try await panels.list(about: try RecommendationController.recommendationID(c), by: c.principal), cursor: nil))
        }
        router.get("/api/v1/panels/:pid") { _, c in
            let view = try await panels.get(try Self.panelID(c), by: c.principal)
            return JSONIO.response(view, headers: [.eTag: JSONIO.etag(view.version)])
        }
        router.patch("/api/v1/panels/:pid") { r, c in try await update(r, c) }
        for transition in [Panels.Transition.open, .close, .archive] {
            router.post("/api/v1/panels/:pid/\(transition.rawValue)") { r, c in
                guard c.principal.isSignedIn else { throw DomainError.unauthenticated }
                let view = try await panels.transition(try Self.panelID(c), transition, expectedVersion: try JSONIO.expectedVersion(r), by: c.principal)
                return JSONIO.response(view, headers: [.eTag: JSONIO.etag(view.version)])
            }
        }
        router.get("/api/v1/panels/:pid/invites") { _, c in JSONIO.response(ListResponse(items: try await panels.invites(try Self.panelID(c), by: c.principal), cursor: nil)) }
        router.post("/api/v1/panels/:pid/invites") { r, c in
            guard c.principal.isSignedIn else { throw DomainError.unauthenticated }
            let body = try await JSONIO.decode(InviteBody.self, from: r, context: c, limit: settings.maxBodyBytes)
            return JSONIO.response(try await panels.createInvite(try Self.panelID(c), label: body.label, maxUses: body.maxUses, by: c.principal),
                                   status: .created, headers: [.cacheControl: "no-store"])
        }
        router.post("/api/v1/panels/:pid/invites/:iid/revoke") { _, c in
            guard c.principal.isSignedIn else { throw DomainError.unauthenticated }
            guard let iid = c.parameters.get("iid").flatMap(PanelInviteID.init) else { throw DomainError.notFound("invite") }
            return JSONIO.response(try await panels.revokeInvite(try Self.panelID(c), invite: iid, by: c.principal))
        }
        router.get("/api/v1/panels/:pid/items") { r, c in
            let status = try r.uri.queryParameters.get("status").map { text -> SubmissionStatus in
                guard let s = SubmissionStatus(rawValue: text) else {
                    throw DomainError.validation([FieldIssue(field: "status", code: "invalid", message: "pending, visible, hidden or withdrawn.")])
                }
                return s
            }
            return JSONIO.response(ListResponse(items: try await panels.items(try Self.panelID(c), status: status, by: c.principal), cursor: nil))
        }
        router.get("/api/v1/panels/:pid/queue") { _, c in JSONIO.response(ListResponse(items: try await panels.queue(try Self.panelID(c), by: c.principal), cursor: nil)) }
        router.post("/api/v1/panels/:pid/items/:sid/approve") { r, c in try await moderate(true, r, c) }
        router.post("/api/v1/panels/:pid/items/:sid/hide") { r, c in try await moderate(false, r, c) }
        router.put("/api/v1/panels/:pid/items/:sid/response") { r, c in
            guard c.principal.isSignedIn else { throw DomainError.unauthenticated }
            let expected = r.headers[.ifMatch] == nil ? nil : try JSONIO.expectedVersion(r)
            let body = try await JSONIO.decode(ResponseBody.self, from: r, context: c, limit: settings.maxBodyBytes)
            let item = try await panels.respond(try Self.panelID(c), item: try Self.submissionID(c), text: body.text, changedRevision: body.changedRevision,
                                                expectedVersion: expected, by: c.principal)
            return JSONIO.response(item, headers: item.response.map { [.eTag: JSONIO.etag($0.version)] } ?? [:])
        }
        router.get("/api/v1/panels/:pid/results") { _, c in JSONIO.response(try await panels.results(try Self.panelID(c), by: c.principal)) }
        router.get("/api/v1/panels/:pid/export.csv") { r, c in
            let (name, text) = try await panels.exportCSV(try Self.panelID(c), kind: try Self.kind(r), language: Self.language(r), by: c.principal)
            return Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"\(name)\""],
                            body: .init(byteBuffer: ByteBuffer(string: text)))
        }
        router.get("/api/v1/panels/:pid/export.json") { r, c in
            let text = try await panels.exportJSON(try Self.panelID(c), kind: try Self.kind(r), language: Self.language(r), by: c.principal)
            return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: text)))
        }
        router.get("/api/v1/panels/:pid/qr.svg") { r, c in try await qr(svg: true, r, c) }
        router.get("/api/v1/panels/:pid/qr.png") { r, c in try await qr(svg: false, r, c) }

        // The public pages.
        router.get("/p/:pid") { r, c in await page(r, c) { language in
            let invite = r.uri.queryParameters.get("invite")
            let page = try await submissions.page(try Self.panelID(c), by: c.principal, inviteCode: invite)
            let issues = invite != nil && page.needsInvite
                ? [FieldIssue(field: "invite", code: "invalid", message: "This invite code is not valid for this panel.")] : []
            return (issues.isEmpty ? .ok : .unprocessableContent, PanelPage.form(page, language, issues: issues, inviteCode: invite))
        } }
        router.post("/p/:pid") { r, c in try await submit(r, c) }
        router.get("/p/:pid/receipt") { r, c in await page(r, c) { language in
            let page = try await submissions.page(try Self.panelID(c), by: c.principal)
            return (.ok, PanelPage.receiptEntry(page.panel, language))
        } }
        router.post("/p/:pid/receipt") { r, c in try await receipt(r, c) }
        router.get("/p/:pid/responses") { r, c in await page(r, c) { language in
            let page = try await submissions.page(try Self.panelID(c), by: c.principal)
            guard !page.needsInvite else { throw DomainError.notFound("panel") }
            return (.ok, PanelPage.responses(page, language))
        } }
    }

    static func panelID(_ context: HubRequestContext) throws -> PanelID {
        guard let text = context.parameters.get("pid"), let id = PanelID(text) else { throw DomainError.notFound("panel") }
        return id
    }

    static func submissionID(_ context: HubRequestContext) throws -> SubmissionID {
        guard let text = context.parameters.get("sid"), let id = SubmissionID(text) else { throw DomainError.notFound("submission") }
        return id
    }

    static func kind(_ request: Request) throws -> Panels.ExportKind {
        guard let text = request.uri.queryParameters.get("kind") else { return .results }
        guard let kind = Panels.ExportKind(rawValue: text) else {
            throw DomainError.validation([FieldIssue(field: "kind", code: "invalid", message: "results, summary or items.")])
        }
        return kind
    }

    static func language(_ request: Request) -> PanelLanguage { request.uri.queryParameters.get("lang") == "en" ? .en : .de }

    func create(_ request: Request, _ context: HubRequestContext) async throws -> Response {
        let workspace = try WorkspaceController.workspaceID(context)
        guard context.principal.isSignedIn else { throw DomainError.unauthenticated }
        let body = try await JSONIO.decode(SettingsBody.self, from: request, context: context, limit: settings.maxBodyBytes)
        let subject: PanelSubject
        if let rid = body.recommendationId {
            guard let id = RecommendationID(rid) else { throw DomainError.notFound("recommendation") }
            subject = .recommendation(id)
        } else if let topic = body.meetingTopic {
            subject = .meetingTopic(topic)
        } else {
            throw DomainError.validation([FieldIssue(field: "recommendationId", code: "required", message: "Name the draft (or meeting topic) the panel asks about.")])
        }
        let view = try await panels.create(in: workspace, subject: subject, draft: try body.draft(ids: ids), by: context.principal)
        return JSONIO.response(view, status: .created, headers: [.eTag: JSONIO.etag(view.version), .location: "/api/v1/panels/\(view.id)"])
    }

    func update(_ request: Request, _ context: HubRequestContext) async throws -> Response {
        let id = try Self.panelID(context)
        guard context.principal.isSignedIn else { throw DomainError.unauthenticated }
        let expected = try JSONIO.expectedVersion(request)
        let body = try await JSONIO.decode(SettingsBody.self, from: request, context: context, limit: settings.maxBodyBytes)
        do {
            let view = try await panels.update(id, draft: try body.draft(ids: ids), expectedVersion: expected, by: context.principal)
            return JSONIO.response(view, headers: [.eTag: JSONIO.etag(view.version)])
        } catch let error as DomainError where error == .versionConflict {
            throw ConflictError(error: error, current: WireJSON.string(try await panels.get(id, by: context.principal)))
        }
    }

    func moderate(_ approve: Bool, _ request: Request, _ context: HubRequestContext) async throws -> Response {
        guard context.principal.isSignedIn else { throw DomainError.unauthenticated }
        let expected = try JSONIO.expectedVersion(request)
        let body = try await JSONIO.decode(ModerationBody.self, from: request, context: context, limit: settings.maxBodyBytes)
        let item = try await panels.moderate(try Self.panelID(context), item: try Self.submissionID(context), approve: approve,
                                             reason: approve ? body.note : body.reason, expectedVersion: expected, by: context.principal)
        return JSONIO.response(item, headers: [.eTag: JSONIO.etag(item.version)])
    }

    /// The QR code of the public link (`?lang=en` adds the language). For the workspace.
    func qr(svg: Bool, _ request: Request, _ context: HubRequestContext) async throws -> Response {
        let view = try await panels.get(try Self.panelID(context), by: context.principal)
        let language = Self.language(request)
        let url = settings.publicOrigin + view.publicPath + (language == .en ? "?lang=en" : "")
        guard let response = QRCodeImage.response(for: url, svg: svg, fileName: "panel-\(view.id)") else { throw DomainError.notFound("panel") }
        return response
    }

    // MARK: Public pages

    static func html(_ status: HTTPResponse.Status, _ text: String, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// Renders a page; refusals become an HTML page with the same status as the API would give.
    func page(_ request: Request, _ context: HubRequestContext,
              _ body: (PanelLanguage) async throws -> (HTTPResponse.Status, String)) async -> Response {
        let language = Self.language(request)
        do {
            let (status, text) = try await body(language)
            return Self.html(status, text)
        } catch let error as DomainError {
            return errorPage(error, language)
        } catch {
            context.logger.error("panel page failed", metadata: ["error.type": "\(type(of: error))"])
            return Self.html(.internalServerError, PanelPage.error(language, message: language == .de ? "Ein Fehler auf unserer Seite." : "An error on our side."))
        }
    }

    func errorPage(_ error: DomainError, _ language: PanelLanguage, panel: FeedbackPanel? = nil) -> Response {
        var headers: HTTPFields = [:]
        if let retry = error.retryAfter { headers[.retryAfter] = String(retry) }
        return Self.html(ErrorMiddleware.status(for: error.kind, code: error.code), PanelPage.error(language, message: PanelPage.message(for: error, language), panel: panel),
                         headers: headers)
    }

    func form(_ request: Request, _ context: HubRequestContext) async throws -> PanelForm {
        guard (request.headers[.contentType] ?? "").lowercased().hasPrefix("application/x-www-form-urlencoded") else {
            throw DomainError(.validation, code: "request.malformed", message: "Send the form as application/x-www-form-urlencoded.")
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: settings.maxBodyBytes)
        } catch {
            throw HTTPError(.contentTooLarge, message: "The request body is too large.")
        }
        return PanelForm(urlencoded: String(decoding: buffer.readableBytesView, as: UTF8.self))
    }

    /// `POST /p/<id>`: 200 with the receipt page (never a redirect: the code must not be in a
    /// URL), 422 with the form refilled and an error summary, or the refusal as a page.
    func submit(_ request: Request, _ context: HubRequestContext) async throws -> Response {
        let values = try await form(request, context)
        let language: PanelLanguage = values.value("lang") == "en" || Self.language(request) == .en ? .en : .de
        let id = try Self.panelID(context)
        let page: PanelSubmissions.Page
        do {
            page = try await submissions.page(id, by: context.principal, inviteCode: values.value("invite"))
        } catch let error as DomainError {
            return errorPage(error, language)
        }
        let panel = page.panel
        let submission = SubmissionRequest(input: values.input(for: panel), language: language, consentVersion: values.text("consent"),
                                           honeypot: values.value("website"), inviteCode: values.value("invite"))
        do {
            let address = AuthenticationMiddleware.clientAddress(request, context, settings: settings)
            switch try await submissions.submit(id, submission, clientAddress: address) {
            case .accepted(let receipt, let status):
                return Self.html(.ok, PanelPage.thanks(panel, language, receipt: receipt, pending: status == .pending))
            case .discarded(let receipt):
                return Self.html(.ok, PanelPage.thanks(panel, language, receipt: receipt, pending: panel.moderation == .pre))
            case .duplicate(let receivedAt):
                return Self.html(.ok, PanelPage.duplicate(panel, language, receivedAt: receivedAt))
            }
        } catch let error as DomainError where error.kind == .validation {
            return Self.html(.unprocessableContent, PanelPage.form(page, language, values: values, issues: error.fields))
        } catch let error as DomainError where ["panel.inviteRequired", "panel.inviteInvalid", "panel.inviteUsedUp"].contains(error.code) {
            return errorPage(error, language, panel: panel)
        } catch let error as DomainError {
            return errorPage(error, language, panel: panel)
        }
    }

    /// `POST /p/<id>/receipt` with `action` view, change or withdraw and the code in the body.
    func receipt(_ request: Request, _ context: HubRequestContext) async throws -> Response {
        let values = try await form(request, context)
        let language: PanelLanguage = values.value("lang") == "en" || Self.language(request) == .en ? .en : .de
        let id = try Self.panelID(context)
        let code = values.value("code") ?? ""
        let address = AuthenticationMiddleware.clientAddress(request, context, settings: settings)
        let page: PanelSubmissions.Page
        do {
            page = try await submissions.page(id, by: context.principal)
        } catch let error as DomainError {
            return errorPage(error, language)
        }
        do {
            switch values.value("action") ?? "view" {
            case "change":
                guard let version = values.value("version").flatMap(Int.init) else { throw DomainError.versionConflict }
                let receipt = try await submissions.receipt(id, code: code, clientAddress: address)
                do {
                    let changed = try await submissions.change(id, code: code, input: values.input(for: receipt.panel), expectedVersion: version,
                                                               clientAddress: address)
                    return Self.html(.ok, PanelPage.receipt(changed, code: code, language, notice: PanelPage.t("changed", language),
                                                            sectionTexts: page.sectionTexts))
                } catch let error as DomainError where error.kind == .validation {
                    return Self.html(.unprocessableContent, PanelPage.receipt(receipt, code: code, language, sectionTexts: page.sectionTexts,
                                                                              values: values, issues: error.fields))
                }
            case "withdraw":
                guard values.value("confirm") == "yes" else {
                    let receipt = try await submissions.receipt(id, code: code, clientAddress: address)
                    let issue = FieldIssue(field: "confirmWithdrawal", code: "required", message: "Tick the box to confirm the withdrawal.")
                    return Self.html(.unprocessableContent, PanelPage.receipt(receipt, code: code, language, sectionTexts: page.sectionTexts,
                                                                              issues: [issue]))
                }
                let receipt = try await submissions.withdraw(id, code: code, clientAddress: address)
                return Self.html(.ok, PanelPage.receipt(receipt, code: code, language, notice: PanelPage.t("withdrawn", language)))
            default:
                let receipt = try await submissions.receipt(id, code: code, clientAddress: address)
                return Self.html(.ok, PanelPage.receipt(receipt, code: code, language, sectionTexts: page.sectionTexts))
            }
        } catch let error as DomainError where error.code == "submission.notFound" {
            return Self.html(.notFound, PanelPage.receiptEntry(page.panel, language, notFound: true))
        } catch let error as DomainError {
            return errorPage(error, language, panel: page.panel)
        }
    }
}
