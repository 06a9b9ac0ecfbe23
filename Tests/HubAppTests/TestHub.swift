import Foundation
import HTTPTypes
import HubApp
import HubCore
import HubHTTP
import HubServices
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing

/// A hub instance for tests: a real SQLite file in a fresh folder, the demo data set, the
/// repository's Web/ and OpenAPI document, and two extra accounts (an observer and an
/// outsider) so every role is represented.
struct TestHub {
    let graph: HubGraph
    let directory: URL
    /// Workspace "Integration": the demo member is a member, the observer observes.
    let integration: WorkspaceID
    /// Workspace "Fachbeirat Sucht": the demo member is not in it.
    let sucht: WorkspaceID

    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    enum Role: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case anonymous, outsider, observer, member, coordinator, steering, admin
        var testDescription: String { rawValue }

        var credentials: (String, String)? {
            switch self {
            case .anonymous: nil
            case .outsider: ("aussen@roundtable.example", "test-aussen-passwort")
            case .observer: ("beobachtung@roundtable.example", "test-beobachtung")
            case .member: ("mitglied@roundtable.example", "demo-mitglied")
            case .coordinator: ("koordination@roundtable.example", "demo-koordination")
            case .steering: ("steuerung@roundtable.example", "demo-steuerung")
            case .admin: ("admin@roundtable.example", "demo-admin-passwort")
            }
        }
    }

    init(clock: any HubServices.Clock = SystemClock(), logger custom: Logger? = nil, configure: (inout HubConfiguration) -> Void = { _ in }) async throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("rt-app-\(UUID().uuidString)")
        var configuration = HubConfiguration()
        configuration.dataDir = directory.path
        configuration.port = 0
        configuration.demo = true
        // Test-only: bcrypt's minimum cost keeps sign-ins fast. Production default is 12.
        configuration.bcryptCost = 4
        configuration.webRoot = Self.repositoryRoot.appendingPathComponent("Web").path
        configuration.openAPIPath = Self.repositoryRoot.appendingPathComponent("Docs/api/openapi.json").path
        configure(&configuration)
        AppMetrics.bootstrap()
        var logger = Logger(label: "test")
        logger.logLevel = ProcessInfo.processInfo.environment["RT_TEST_LOG"] == "debug" ? .debug : .warning
        graph = try HubGraph(configuration: configuration, clock: clock, logger: custom ?? logger)
        try await graph.prepareData()
        let workspaces = try await graph.store.workspaces().value
        integration = try #require(workspaces.first { $0.name == "Integration" }).id
        sucht = try #require(workspaces.first { $0.name == "Fachbeirat Sucht" }).id
        let outsider = User(id: UserID(UUID()), email: "aussen@roundtable.example", displayName: "Außenstehend", isAdmin: false)
        let observer = User(id: UserID(UUID()), email: "beobachtung@roundtable.example", displayName: "Beobachtung", isAdmin: false)
        try await graph.deps.commit(ChangeSet(changes: [
            .insertUser(outsider, passwordHash: try await graph.hasher.hash("test-aussen-passwort")),
            .insertUser(observer, passwordHash: try await graph.hasher.hash("test-beobachtung")),
            .upsertMembership(Membership(workspaceID: integration, userID: observer.id, role: .observer, organizationID: nil)),
        ]))
    }

    func application() async throws -> some ApplicationProtocol { try await graph.application() }
}

/// A clock the test moves by hand.
final class ManualClock: HubServices.Clock, @unchecked Sendable {
    private let lock = NSLock()
    private var current = Date(millis: Date().millis)
    func now() -> Date { lock.withLock { current } }
    func advance(_ seconds: TimeInterval) { lock.withLock { current = current.addingTimeInterval(seconds) } }
}

/// JSON helpers for test responses.
enum JSON {
    static func object(_ buffer: ByteBuffer) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(buffer.readableBytesView))) as? [String: Any] ?? [:]
    }

    static func object(_ text: String) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
    }

    static func body(_ value: Any) -> ByteBuffer {
        ByteBuffer(bytes: try! JSONSerialization.data(withJSONObject: value))
    }
}

extension TestClientProtocol {
    /// Signs in through the API and returns a bearer token (nil for anonymous).
    func token(_ role: TestHub.Role) async throws -> String? {
        guard let (email, password) = role.credentials else { return nil }
        return try await execute(uri: "/api/v1/session", method: .post, headers: [.contentType: "application/json"],
                                 body: JSON.body(["email": email, "password": password, "mode": "token"])) { response in
            #expect(response.status == .ok, "sign-in of \(role.rawValue)")
            return JSON.object(response.body)["token"] as? String
        }
    }

    /// A request with an optional bearer token and JSON body.
    func call(_ method: HTTPRequest.Method, _ uri: String, token: String?, json: Any? = nil, headers extra: HTTPFields = [:]) async throws -> TestResponse {
        var headers = extra
        if let token { headers[.authorization] = "Bearer \(token)" }
        if json != nil { headers[.contentType] = "application/json" }
        return try await execute(uri: uri, method: method, headers: headers, body: json.map(JSON.body))
    }
}
