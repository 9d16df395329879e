import Foundation

/// At most `limit` sends per `window` seconds to one endpoint (DingTalk and WeCom robots
/// allow 20 a minute). `reserve()` says how long to wait before the next send; the caller
/// sleeps, so a test can use a fake clock and no real time passes.
public final class RateLimiter: @unchecked Sendable {
    /// Sends allowed per window.
    public let limit: Int
    /// Window length in seconds.
    public let window: Double
    private let now: @Sendable () -> Double
    private var sent: [Double] = []
    private let lock = NSLock()

    /// A limiter; `now` is a monotonic clock in seconds.
    public init(limit: Int, window: Double = 60, now: @escaping @Sendable () -> Double = { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }) {
        self.limit = max(1, limit)
        self.window = window
        self.now = now
    }

    /// Claims the next slot and returns the seconds to wait before using it (0 if none).
    public func reserve() -> Double {
        lock.lock()
        defer { lock.unlock() }
        let t = now()
        sent.removeAll { $0 <= t - window }
        var at = t
        if sent.count >= limit { at = sent[sent.count - limit] + window }
        sent.append(at)
        return max(0, at - t)
    }
}
