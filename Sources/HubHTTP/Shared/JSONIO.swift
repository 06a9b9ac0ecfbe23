import Foundation
import HubCore
import HubServices
import Hummingbird
import NIOCore

/// Reading JSON bodies and writing JSON answers in the wire dialect (`WireJSON`).
enum JSONIO {
    /// Decodes a body; malformed JSON is 400 `request.malformed`, the wrong shape 422.
    static func decode<T: Decodable>(_ type: T.Type, from request: Request, context: HubRequestContext, limit: Int) async throws -> T {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: limit)
        } catch {
            throw HTTPError(.contentTooLarge, message: "The request body is too large.")
        }
        let data = Data(buffer.readableBytesView)
        guard (try? JSONSerialization.jsonObject(with: data)) != nil else {
            throw DomainError(.validation, code: "request.malformed", message: "The body is not valid JSON.")
        }
        do {
            return try WireJSON.decoder().decode(T.self, from: data)
        } catch let error as DecodingError {
            throw DomainError.validation([issue(for: error)])
        }
    }

    /// Like `decode`, but an empty body is `fallback` (for routes whose fields are all optional,
    /// so an empty POST reaches the authorization check instead of failing as malformed).
    static func decode<T: Decodable>(_ type: T.Type, orEmpty fallback: T, from request: Request, context: HubRequestContext,
                                     limit: Int) async throws -> T {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: limit)
        } catch {
            throw HTTPError(.contentTooLarge, message: "The request body is too large.")
        }
        let data = Data(buffer.readableBytesView)
        if data.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) { return fallback }
        guard (try? JSONSerialization.jsonObject(with: data)) != nil else {
            throw DomainError(.validation, code: "request.malformed", message: "The body is not valid JSON.")
        }
        do {
            return try WireJSON.decoder().decode(T.self, from: data)
        } catch let error as DecodingError {
            throw DomainError.validation([issue(for: error)])
        }
    }

    static func issue(for error: DecodingError) -> FieldIssue {
        func path(_ keys: [any CodingKey]) -> String {
            keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().trimmingCharacters(in: CharacterSet(charactersIn: "."))
        }
        switch error {
        case .keyNotFound(let key, let context):
            return FieldIssue(field: path(context.codingPath + [key]), code: "required", message: "This field is required.")
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return FieldIssue(field: path(context.codingPath), code: "invalidType", message: "This field has the wrong type.")
        case .dataCorrupted(let context):
            // Swift's own messages name types; clients get a plain one.
            return FieldIssue(field: path(context.codingPath), code: "invalid", message: "This field has an invalid value.")
        @unknown default:
            return FieldIssue(field: "", code: "invalid", message: "The body does not have the expected shape.")
        }
    }

    static func response<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: WireJSON.string(value))))
    }

    /// `ETag: "v<version>"` for optimistic concurrency.
    static func etag(_ version: Int) -> String { "\"v\(version)\"" }

    /// The version a client based a change on, from `If-Match`. Required for updates: 428 without it.
    static func expectedVersion(_ request: Request) throws -> Int {
        guard let value = request.headers[.ifMatch] else {
            throw DomainError(.preconditionRequired, code: "version.required",
                              message: "Send If-Match with the ETag you read, so concurrent changes are not overwritten.")
        }
        let trimmed = value.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "W/", with: "")
        guard trimmed.hasPrefix("\"v"), trimmed.hasSuffix("\""), let version = Int(trimmed.dropFirst(2).dropLast()) else {
            throw DomainError(.validation, code: "version.malformed", message: "If-Match must be an ETag of the form \"v<number>\".")
        }
        return version
    }
}

/// A list answer with the cursor of the topic it was read from.
struct ListResponse<Item: Encodable & Sendable>: Encodable, Sendable {
    let items: [Item]
    let cursor: Cursor?
}
