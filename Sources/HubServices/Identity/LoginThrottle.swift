import Foundation
import HubCore
import Synchronization

/// Counts failed sign-ins per account and per client address in a sliding window and
/// refuses further attempts with `auth.rateLimited` until the window has room again.
/// In memory: an instance restart forgets the counts, which only helps a legitimate user.
public final class LoginThrottle: Sendable {
    public struct Limits: Sendable {
        public var perAccount: Int
        public var perAddress: Int
        public var window: TimeInterval

        public init(perAccount: Int = 5, perAddress: Int = 20, window: TimeInterval = 15 * 60) {
            self.perAccount = perAccount
            self.perAddress = perAddress
            self.window = window
        }
    }

    private let limits: Limits
    private let failures = Mutex<[String: [Date]]>([:])

    public init(limits: Limits = Limits()) { self.limits = limits }

    /// Throws `rateLimited` (with seconds to wait) when either key is over its limit.
    public func check(account: String, address: String, now: Date) throws(DomainError) {
        let wait = failures.withLock { table -> Int? in
            // Forget stale entries so typed emails do not linger in memory.
            if table.count > 1000 {
                table = table.filter { _, dates in dates.contains { now.timeIntervalSince($0) < limits.window } }
            }
            var longest: TimeInterval = 0
            for (key, limit) in [("a:" + account, limits.perAccount), ("i:" + address, limits.perAddress)] {
                let recent = (table[key] ?? []).filter { now.timeIntervalSince($0) < limits.window }
                table[key] = recent.isEmpty ? nil : recent
                if recent.count >= limit, let oldest = recent.first {
                    longest = max(longest, limits.window - now.timeIntervalSince(oldest))
                }
            }
            return longest > 0 ? Int(longest.rounded(.up)) : nil
        }
        if let wait {
            throw DomainError(.rateLimited, code: "auth.rateLimited", message: "Too many failed sign-ins. Try again later.", retryAfter: wait)
        }
    }

    public func recordFailure(account: String, address: String, now: Date) {
        failures.withLock { table in
            table["a:" + account, default: []].append(now)
            table["i:" + address, default: []].append(now)
        }
    }

    public func recordSuccess(account: String) {
        _ = failures.withLock { $0.removeValue(forKey: "a:" + account) }
    }
}
