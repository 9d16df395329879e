import Foundation

/// Slows password guessing without letting anyone lock an account. Every attempt is counted
/// before its password is checked, under one lock, so no burst gets more than `limit`
/// guesses checked. Failures count per name **and** client address: after `limit` of them
/// the pair waits, twice as long after each further failure (a minute, two, four… at most
/// `window`), while the same name from another address — the real user — is not held up.
/// A client address trying many names is held up after `clientLimit` failures.
final class LoginThrottle: @unchecked Sendable {
    static let limit = 5
    static let clientLimit = 20
    static let window: TimeInterval = 15 * 60
    /// The first wait after `limit` failures; it doubles with each further failure.
    static let firstDelay: TimeInterval = 60
    /// Keys tracked at most; the table is cleared of stale keys when full.
    static let capacity = 50_000

    private struct Record {
        var failures: [Date] = []
        var until: Date?
    }

    private let lock = NSLock()
    private var records: [String: Record] = [:]

    /// Counts an attempt by `name` from `client` before its password is checked; `nil` when
    /// it may go on, else the seconds to wait (the attempt is then not checked at all).
    func attempt(client: String, name: String, now: Date) -> TimeInterval? {
        lock.withLock {
            if records.count >= Self.capacity {
                records = records.filter { $0.value.failures.contains { now.timeIntervalSince($0) < Self.window } || ($0.value.until ?? now) > now }
                if records.count >= Self.capacity { records.removeAll() }
            }
            let keys = [Self.pairKey(client, name), Self.clientKey(client)]
            for key in keys {
                if let until = records[key]?.until, until > now { return until.timeIntervalSince(now) }
            }
            // Counted as failed until the password proves otherwise (`succeeded`).
            for (key, limit) in zip(keys, [Self.limit, Self.clientLimit]) {
                var r = records[key] ?? Record()
                r.failures = r.failures.filter { now.timeIntervalSince($0) < Self.window } + [now]
                if r.failures.count >= limit {
                    let extra = r.failures.count - limit
                    r.until = now.addingTimeInterval(min(Self.window, Self.firstDelay * pow(2, Double(min(extra, 10)))))
                }
                r.failures = Array(r.failures.suffix(limit + 10))
                records[key] = r
            }
            return nil
        }
    }

    /// The password was right: the pair's count starts again (the client's stays).
    func succeeded(client: String, name: String) {
        lock.withLock {
            records[Self.pairKey(client, name)] = nil
            if var r = records[Self.clientKey(client)], !r.failures.isEmpty {
                r.failures.removeLast()
                records[Self.clientKey(client)] = r
            }
        }
    }

    private static func clientKey(_ c: String) -> String { "ip|" + c }
    private static func pairKey(_ c: String, _ n: String) -> String { "pair|" + c + "|" + String(n.prefix(64)) }
}
