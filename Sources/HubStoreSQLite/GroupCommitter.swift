import Foundation
import GRDB
import HubServices
import Synchronization

/// Group commit: change sets that arrive while a transaction is being made durable wait and
/// then share the next transaction and its single fsync. Each change set runs in its own
/// savepoint, so one refused change set does not affect the others in its group.
///
/// Durability stays at `synchronous=FULL` (see Docs/decisions/0002-durability-group-commit.md);
/// throughput comes from amortizing the fsync, not from skipping it.
final class GroupCommitter: Sendable {
    /// Makes the change set inside the write transaction (most jobs return a fixed one; a
    /// decision that must see the current rows reads them here).
    typealias Work = @Sendable (Database) throws -> ChangeSet

    struct Job: Sendable {
        let work: Work
        let continuation: CheckedContinuation<[StoredEvent], any Error>
    }

    private struct State {
        var jobs: [Job] = []
        var draining = false
    }

    private let state = Mutex(State())
    private let maxGroup: Int
    /// Runs one group in one transaction; returns one result per job, in order.
    private let runGroup: @Sendable ([Work]) async throws -> [Result<[StoredEvent], any Error>]
    /// Called after each durable commit with the group's events, in commit order.
    private let afterCommit: @Sendable ([StoredEvent]) -> Void

    init(maxGroup: Int = 256,
         runGroup: @escaping @Sendable ([Work]) async throws -> [Result<[StoredEvent], any Error>],
         afterCommit: @escaping @Sendable ([StoredEvent]) -> Void) {
        self.maxGroup = maxGroup
        self.runGroup = runGroup
        self.afterCommit = afterCommit
    }

    func submit(_ changeSet: ChangeSet) async throws -> [StoredEvent] {
        try await submit { _ in changeSet }
    }

    func submit(_ work: @escaping Work) async throws -> [StoredEvent] {
        try await withCheckedThrowingContinuation { continuation in
            let start = state.withLock { state -> Bool in
                state.jobs.append(Job(work: work, continuation: continuation))
                guard !state.draining else { return false }
                state.draining = true
                return true
            }
            if start { Task { await self.drain() } }
        }
    }

    /// One drainer at a time; it stops when the queue is empty.
    private func drain() async {
        while true {
            let group = state.withLock { state -> [Job] in
                guard !state.jobs.isEmpty else {
                    state.draining = false
                    return []
                }
                let take = min(state.jobs.count, maxGroup)
                let group = Array(state.jobs.prefix(take))
                state.jobs.removeFirst(take)
                return group
            }
            guard !group.isEmpty else { return }
            do {
                let results = try await runGroup(group.map(\.work))
                // Publish before resuming callers: events reach subscribers in commit order.
                afterCommit(results.flatMap { (try? $0.get()) ?? [] })
                for (job, result) in zip(group, results) { job.continuation.resume(with: result) }
            } catch {
                for job in group { job.continuation.resume(throwing: error) }
            }
        }
    }
}
