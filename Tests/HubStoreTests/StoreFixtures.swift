import Foundation
import HubCore
import HubServices
import HubStorePostgres
import HubStoreSQLite
import Logging
import Synchronization
import Testing

/// Records what the store tells its commit observer, in order.
final class RecordingObserver: CommitObserver {
    private let events = Mutex<[StoredEvent]>([])
    func didCommit(_ batch: [StoredEvent]) { events.withLock { $0.append(contentsOf: batch) } }
    var all: [StoredEvent] { events.withLock { $0 } }
}

/// A fixed clock that tests can move.
final class TestClock: HubServices.Clock {
    private let current = Mutex(Date(timeIntervalSince1970: 1_790_000_000))
    func now() -> Date { current.withLock { $0 } }
    func advance(_ seconds: TimeInterval) { current.withLock { $0 = $0.addingTimeInterval(seconds) } }
}

/// One store adapter under test. The contract suite runs every test against each backend
/// in `all`: SQLite always, PostgreSQL when `ROUNDTABLE_TEST_POSTGRES_URL` names a server
/// (`export "$(scripts/postgres.sh)"`).
struct StoreBackend: CustomTestStringConvertible, Sendable {
    let name: String
    /// Opens the store that lives in `directory`: a second call with the same directory reopens it.
    let make: @Sendable (_ directory: URL, _ clock: TestClock, _ observer: RecordingObserver) async throws -> any HubStore
    var testDescription: String { name }

    static let sqlite = StoreBackend(name: "SQLite") { directory, clock, observer in
        try SQLiteStore(path: directory.appendingPathComponent("hub.sqlite").path, clock: clock, observer: observer,
                        logger: Logger(label: "test"))
    }

    /// One new database per harness directory, created through the URL's database (the role
    /// needs CREATEDB), dropped when the test ends (see `StoreCleanup`).
    static let postgres: StoreBackend? = ProcessInfo.processInfo.environment["ROUNDTABLE_TEST_POSTGRES_URL"].flatMap { url in
        url.isEmpty ? nil : StoreBackend(name: "PostgreSQL") { directory, clock, observer in
            let admin = try PostgresLocation(url: url)
            let logger = Logger(label: "test")
            let database = "rt_test_" + directory.lastPathComponent.lowercased().filter { $0.isLetter || $0.isNumber }
            guard let cleanup = StoreCleanup.current else {
                throw StoreCleanup.Missing()
            }
            if try await PostgresStore.createDatabase(database, at: admin, logger: logger) {
                cleanup.add { try? await PostgresStore.dropDatabase(database, at: admin, logger: logger) }
            }
            let store = try await PostgresStore.connect(location: admin.database(database), logger: logger, observer: observer, clock: clock)
            cleanup.add { await store.shutdown() }
            return store
        }
    }

    static let all: [StoreBackend] = [.sqlite] + (postgres.map { [$0] } ?? [])
}

/// What a test opened that must be closed after it (PostgreSQL pools and databases), run last
/// registered first once the test ends, also when it failed.
final class StoreCleanup: Sendable {
    @TaskLocal static var current: StoreCleanup?

    struct Missing: Error, CustomStringConvertible {
        var description: String { "PostgreSQL stores need the suite trait .cleansUpStores (which drops their databases)" }
    }

    private let actions = Mutex<[@Sendable () async -> Void]>([])

    func add(_ action: @escaping @Sendable () async -> Void) { actions.withLock { $0.append(action) } }

    func run() async {
        let pending = actions.withLock { actions in
            defer { actions = [] }
            return actions
        }
        for action in pending.reversed() { await action() }
    }
}

/// Gives each test case its own `StoreCleanup` and runs it when the case ends.
struct StoreCleanupTrait: TestTrait, SuiteTrait, TestScoping {
    var isRecursive: Bool { true }

    func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        let cleanup = StoreCleanup()
        do {
            try await StoreCleanup.$current.withValue(cleanup) { try await function() }
        } catch {
            await cleanup.run()
            throw error
        }
        await cleanup.run()
    }
}

extension Trait where Self == StoreCleanupTrait {
    /// Closes the stores a test opened and drops its PostgreSQL database afterwards.
    static var cleansUpStores: Self { StoreCleanupTrait() }
}

/// A fresh store in a fresh temporary folder (and, on PostgreSQL, a fresh database).
struct StoreHarness {
    let store: any HubStore
    let observer: RecordingObserver
    let clock: TestClock
    let directory: URL

    init(_ backend: StoreBackend) async throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("rt-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        observer = RecordingObserver()
        clock = TestClock()
        store = try await backend.make(directory, clock, observer)
    }

    func user(_ email: String = "person-\(UUID().uuidString.prefix(8))@example.org", admin: Bool = false) -> User {
        User(id: UserID(UUID()), email: email, displayName: "Person", isAdmin: admin)
    }

    func workspace(name: String = "Fokusgruppe Integration", fields: [PolicyFieldID] = []) -> Workspace {
        Workspace(id: WorkspaceID(UUID()), kind: .focusGroup, name: name, description: "", policyFieldIDs: fields, endsOn: nil,
                  archived: false, createdAt: clock.now(), updatedAt: clock.now(), version: 1)
    }

    func event(_ topic: Topic, _ name: String = "test.happened", payload: String = "{}") -> NewEvent {
        NewEvent(topic: topic, name: name, payload: payload)
    }
}
