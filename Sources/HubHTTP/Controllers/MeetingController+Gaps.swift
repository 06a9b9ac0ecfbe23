import Foundation
import HubCore
import HubServices
import Hummingbird
import NIOCore

// Routes that close the smaller gaps of issue 4 (deleting meetings, …); kept apart from the
// main controller so they merge cleanly with other meeting work.
extension MeetingController {
    func addGaps(to router: Router<HubRequestContext>) {
        // Deletes a meeting not yet held; 204. Invitees of an invited meeting get a CANCEL.
        router.delete("/api/v1/meetings/:mid") { request, context in
            let id = try Self.meetingID(context)
            guard context.principal.isSignedIn else { throw DomainError.unauthenticated }
            let version = try JSONIO.expectedVersion(request)
            try await meetings.delete(id, expectedVersion: version, by: context.principal)
            await outbox.flush()
            return Response(status: .noContent)
        }

        // A guest's objection to circulated minutes by the signed link in their mail: a
        // public HTML page without JavaScript (the link is the credential).
        router.get("/objection/:token") { request, context in
            let language = PanelController.language(request)
            let token = context.parameters.get("token") ?? ""
            do {
                let page = try await work.objectionPage(token: token, language: language == .de ? .de : .en)
                return PanelController.html(.ok, ObjectionPage.page(page, token: token, language))
            } catch let error as DomainError {
                return PanelController.html(ErrorMiddleware.status(for: error.kind, code: error.code), ObjectionPage.error(error, language))
            }
        }
        router.post("/objection/:token") { request, context in try await objectByLink(request, context) }
        router.post("/objection/:token/withdraw") { request, context in try await withdrawByLink(request, context) }
    }

    /// `POST /objection/<token>/withdraw` (urlencoded `objection`, `lang`): 200 with the page, or the refusal as a page.
    func withdrawByLink(_ request: Request, _ context: HubRequestContext) async throws -> Response {
        let values = try await linkForm(request)
        let language: PanelLanguage = values.value("lang") == "en" || PanelController.language(request) == .en ? .en : .de
        let token = context.parameters.get("token") ?? ""
        do {
            guard let objection = values.value("objection").flatMap(ObjectionID.init) else { throw DomainError.notFound("objection") }
            let page = try await work.withdraw(token: token, objection: objection, language: language == .de ? .de : .en)
            return PanelController.html(.ok, ObjectionPage.page(page, token: token, language, withdrawn: true))
        } catch let error as DomainError {
            return PanelController.html(ErrorMiddleware.status(for: error.kind, code: error.code), ObjectionPage.error(error, language))
        }
    }

    func linkForm(_ request: Request) async throws -> PanelForm {
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

    /// `POST /objection/<token>` (urlencoded `text`, `section`, `lang`): 200 with the page and
    /// the objection listed, 422 with the form refilled and an error summary, or the refusal as
    /// a page with the API's status (404 invalid or expired link, 403 not present, 409 deadline passed).
    func objectByLink(_ request: Request, _ context: HubRequestContext) async throws -> Response {
        guard (request.headers[.contentType] ?? "").lowercased().hasPrefix("application/x-www-form-urlencoded") else {
            throw DomainError(.validation, code: "request.malformed", message: "Send the form as application/x-www-form-urlencoded.")
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: settings.maxBodyBytes)
        } catch {
            throw HTTPError(.contentTooLarge, message: "The request body is too large.")
        }
        let values = PanelForm(urlencoded: String(decoding: buffer.readableBytesView, as: UTF8.self))
        let language: PanelLanguage = values.value("lang") == "en" || PanelController.language(request) == .en ? .en : .de
        let meetingLanguage: MeetingLanguage = language == .de ? .de : .en
        let token = context.parameters.get("token") ?? ""
        let text = values.value("text") ?? ""
        let sectionText = values.value("section") ?? ""
        do {
            let section: MinutesSection? = sectionText.isEmpty ? nil : try Self.section(sectionText)
            let page = try await work.object(token: token, text: text, section: section, language: meetingLanguage)
            return PanelController.html(.ok, ObjectionPage.page(page, token: token, language, saved: true))
        } catch let error as DomainError where error.kind == .validation {
            let page = try? await work.objectionPage(token: token, language: meetingLanguage)
            guard let page else { return PanelController.html(.notFound, ObjectionPage.error(MeetingWork.invalidObjectionLink(), language)) }
            return PanelController.html(.unprocessableContent, ObjectionPage.page(page, token: token, language, text: text,
                                                                                 section: sectionText, issues: error.fields))
        } catch let error as DomainError {
            return PanelController.html(ErrorMiddleware.status(for: error.kind, code: error.code), ObjectionPage.error(error, language))
        }
    }
}
