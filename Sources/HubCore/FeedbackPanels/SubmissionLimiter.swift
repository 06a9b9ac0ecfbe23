import Foundation

/// What the limiter remembers about one client key on one panel: two token buckets (hour and
/// day), each stored as how many submissions it currently holds ("level") at instant `at`.
/// A bucket drains continuously at its limit per window; a submission adds one; a submission
/// is allowed while both levels stay within their limits. So a client may send `perHour` at
/// once and then one every `3600 / perHour` seconds, and at most about `perDay` in a day.
///
/// Levels count submissions rather than time, so when a coordinator raises a panel's limits
/// (a workshop room answering from one network) the raise takes effect at once.
public struct SubmissionAllowance: Sendable, Hashable, Codable {
    /// Submissions in the hourly bucket at `at` (at most `perHour`).
    public var hourLevel: Double
    /// Submissions in the daily bucket at `at` (at most `perDay`).
    public var dayLevel: Double
    /// When the levels were measured: the last allowed submission.
    public var at: Date

    public init(hourLevel: Double, dayLevel: Double, at: Date) {
        self.hourLevel = hourLevel
        self.dayLevel = dayLevel
        self.at = at
    }

    /// The levels drained to `now`.
    func drained(to now: Date, limits: SubmissionLimits) -> (hour: Double, day: Double) {
        let elapsed = max(0, now.timeIntervalSince(at))
        // Multiply before dividing: 360 s at 10 an hour drains exactly 1.
        return (max(0, hourLevel - elapsed * Double(limits.hourLimit) / 3600), max(0, dayLevel - elapsed * Double(limits.dayLimit) / 86_400))
    }

    /// The storage TTL under `limits`: from this instant both buckets are empty and the entry
    /// says nothing any more (at most a day after the last submission).
    public func expiresAt(under limits: SubmissionLimits) -> Date {
        at.addingTimeInterval(max(hourLevel * 3600 / Double(limits.hourLimit), dayLevel * 86_400 / Double(limits.dayLimit)))
    }
}

extension SubmissionLimits {
    /// Guard the divisions against a zero limit, which validation refuses anyway.
    var hourLimit: Int { max(1, perHour) }
    var dayLimit: Int { max(1, perDay) }
}

/// The limiter's answer.
public enum LimitDecision: Sendable, Hashable {
    /// Allowed; store `allowance` under the keyring's current key until `expiresAt`.
    case allow(SubmissionAllowance, expiresAt: Date)
    /// Refused; a retry can succeed after this many seconds (the `Retry-After` header).
    case deny(retryAfter: Int)
}

/// Submission limits per panel and client key, as a pure decision with injected time.
public enum SubmissionLimiter {
    /// Floating-point slack, in submissions: seven at once under a limit of seven an hour must
    /// not be refused by a rounding error.
    static let slack = 1e-6

    /// Decides one submission.
    /// - Parameter states: the allowances stored under each key of the client's keyring (the
    ///   current and the still-live earlier ones). The fullest bucket counts, so a client does
    ///   not get a fresh budget when the key secret rotates at midnight.
    public static func decide(limits: SubmissionLimits, states: [SubmissionAllowance], now: Date) -> LimitDecision {
        let levels = states.map { $0.drained(to: now, limits: limits) }
        let hour = (levels.map(\.hour).max() ?? 0) + 1
        let day = (levels.map(\.day).max() ?? 0) + 1
        let perHour = Double(limits.hourLimit), perDay = Double(limits.dayLimit)
        guard hour <= perHour + slack, day <= perDay + slack else {
            let wait = max((hour - perHour) * 3600 / perHour, (day - perDay) * 86_400 / perDay)
            // A microsecond off, so that rounding noise does not add a whole second.
            return .deny(retryAfter: max(1, Int((wait - 1e-6).rounded(.up))))
        }
        let allowance = SubmissionAllowance(hourLevel: hour, dayLevel: day, at: now)
        return .allow(allowance, expiresAt: allowance.expiresAt(under: limits))
    }
}
