import Foundation
import HubCore
import Logging

/// What every use case needs from the outside world. Built once at the composition root.
public struct ServiceDependencies: Sendable {
    public let store: any HubStore
    public let clock: any Clock
    public let ids: any IDGenerator
    public let logger: Logger

    public init(store: any HubStore, clock: any Clock, ids: any IDGenerator, logger: Logger) {
        self.store = store
        self.clock = clock
        self.ids = ids
        self.logger = logger
    }

    /// Commits a change set, translating store refusals into domain errors.
    @discardableResult
    public func commit(_ changeSet: ChangeSet) async throws -> [StoredEvent] {
        guard !changeSet.isEmpty else { return [] }
        do {
            return try await store.commit(changeSet)
        } catch let error as StoreError {
            throw Self.domainError(for: error)
        }
    }

    /// How a store refusal reads to the client.
    public static func domainError(for error: StoreError) -> DomainError {
        switch error {
        case .conflict: DomainError.versionConflict
        case .duplicate(let what): DomainError(.conflict, code: "\(what).duplicate", message: "This \(what) already exists.")
        case .missingReference(let what): DomainError.notFound(what)
        case .unavailable:
            DomainError(.unavailable, code: "store.unavailable",
                        message: "The change could not be saved with certainty because the data store is unavailable. Reload, then try again.",
                        retryAfter: 5)
        }
    }

    public var today: LocalDate { LocalDate.berlin(clock.now()) }
}
