import Foundation
import HubCore
import HubServices
import Hummingbird
import Logging
import NIOCore

/// A 409 that carries the current state, so the client can show both versions and merge.
struct ConflictError: Error {
    let error: DomainError
    /// JSON of the current object.
    let current: String
}

/// The one place where errors become answers: `{"error":{"code","message","fields"}}`.
/// Domain errors keep their code and safe message; anything unexpected is a 500 that
/// shows only the request id and is logged with it.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = HubRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as DomainError {
            return Self.response(for: error, requestID: context.requestID)
        } catch let conflict as ConflictError {
            return Self.response(for: conflict.error, requestID: context.requestID, current: conflict.current)
        } catch let error as HTTPError {
            let (code, message) = Self.describe(error.status)
            var response = Self.body(status: error.status, code: code, message: error.body ?? message, fields: [], extra: nil)
            for field in error.headers where field.name != .contentType && field.name != .contentLength { response.headers.append(field) }
            return response
        } catch {
            context.logger.error("unhandled error", metadata: ["error.type": "\(type(of: error))", "error": "\(error)"])
            return Self.body(status: .internalServerError, code: "internal",
                             message: "Something went wrong on our side. Quote request id \(context.requestID) when reporting it.",
                             fields: [], extra: ("requestId", "\"\(context.requestID)\""))
        }
    }

    static func status(for kind: DomainError.Kind, code: String) -> HTTPResponse.Status {
        switch kind {
        case .unauthenticated: .unauthorized
        case .forbidden: .forbidden
        case .notFound: .notFound
        case .validation: code.hasSuffix(".malformed") ? .badRequest : .unprocessableContent
        case .conflict, .invalidTransition: .conflict
        case .rateLimited: .tooManyRequests
        case .preconditionRequired: .init(code: 428, reasonPhrase: "Precondition Required")
        case .unavailable: .serviceUnavailable
        }
    }

    static func response(for error: DomainError, requestID: String, current: String? = nil) -> Response {
        var response = body(status: status(for: error.kind, code: error.code), code: error.code, message: error.message,
                            fields: error.fields, extra: current.map { ("current", $0) })
        if let retry = error.retryAfter { response.headers[.retryAfter] = String(retry) }
        return response
    }

    static func describe(_ status: HTTPResponse.Status) -> (String, String) {
        switch status.code {
        case 400: ("request.invalid", "The request is not valid.")
        case 401: ("auth.required", "Sign in first.")
        case 403: ("forbidden", "You are not allowed to do this.")
        case 404: ("route.notFound", "There is nothing at this address.")
        case 405: ("method.notAllowed", "This method is not allowed here.")
        case 413: ("request.tooLarge", "The request body is too large.")
        default: ("http.\(status.code)", status.reasonPhrase)
        }
    }

    private struct Envelope: Encodable {
        struct Body: Encodable {
            let code: String
            let message: String
            let fields: [FieldIssue]
        }
        let error: Body
    }

    /// Builds the error body; `extra` splices one more top-level key with raw JSON.
    static func body(status: HTTPResponse.Status, code: String, message: String, fields: [FieldIssue], extra: (String, String)?) -> Response {
        var text = WireJSON.string(Envelope(error: .init(code: code, message: message, fields: fields)))
        if let (key, json) = extra {
            text.removeLast()
            text += ",\"\(key)\":\(json)}"
        }
        return Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
