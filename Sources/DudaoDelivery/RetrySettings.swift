import Foundation

/// When to retry a failed delivery and when to give up (channels.yaml `retry:`).
public struct RetrySettings: Hashable, Sendable {
    /// First backoff in seconds; doubles with each attempt (full jitter).
    public var baseSeconds: Double
    /// Longest backoff in seconds.
    public var maxDelaySeconds: Double
    /// Attempts before a message becomes a dead letter.
    public var maxAttempts: Int
    /// Age in seconds after which a message becomes a dead letter.
    public var maxAgeSeconds: Double

    /// Settings; defaults: 60 s doubling to 1 h, 10 attempts, 2 days.
    public init(baseSeconds: Double = 60, maxDelaySeconds: Double = 3600, maxAttempts: Int = 10, maxAgeSeconds: Double = 2 * 86400) {
        self.baseSeconds = baseSeconds
        self.maxDelaySeconds = maxDelaySeconds
        self.maxAttempts = maxAttempts
        self.maxAgeSeconds = maxAgeSeconds
    }

    /// Exponential backoff with full jitter: a random delay up to `base × 2^(attempt−1)`
    /// (capped), never shorter than what the server asked for (`Retry-After`).
    public func delay(afterAttempt attempt: Int, retryAfter: Double?, random: Double) -> Double {
        let ceiling = min(maxDelaySeconds, baseSeconds * pow(2, Double(max(0, attempt - 1))))
        return max(retryAfter ?? 0, ceiling * min(max(random, 0), 1))
    }
}
