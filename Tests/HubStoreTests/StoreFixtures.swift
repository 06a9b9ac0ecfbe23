import Foundation
import HubCore
import HubServices
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
/// in `all`; the PostgreSQL adapter joins this list (issue: scale-out).
struct StoreBackend: CustomTestStringConvertible, Sendable {
    let name: String
    let make: @Sendable (_ directory: URL, _ clock: TestClock, _ observer: RecordingObserver) throws -> any HubStore
    var testDescription: String { name }

    static let sqlite = StoreBackend(name: "SQLite") { directory, clock, observer in
        try SQLiteStore(path: directory.appendingPathComponent("hub.sqlite").path, clock: clock, observer: observer,
                        logger: Logger(label: "test"))
    }

    static let all: [StoreBackend] = [.sqlite]
}

/// A fresh store in a fresh temporary folder.
struct StoreHarness {
    let store: any HubStore
    let observer: RecordingObserver
    let clock: TestClock
    let directory: URL

    init(_ backend: StoreBackend) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("rt-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        observer = RecordingObserver()
        clock = TestClock()
        store = try backend.make(directory, clock, observer)
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
