import Foundation

/// Slows password guessing: after `limit` failed logins within `window` from one client
/// address, or for one name, further attempts are refused until the window has passed.
final class LoginThrottle: @unchecked Sendable {
    static let limit = 5
    static let window: TimeInterval = 15 * 60
    /// Keys tracked at most (addresses and names); the table is cleared of stale keys when full.
    static let capacity = 50_000

    private let lock = NSLock()
    private var failures: [String: [Date]] = [:]

    /// True when `client` or `name` has used up its attempts.
    func blocked(client: String, name: String, now: Date) -> Bool {
        lock.withLock {
            [Self.clientKey(client), Self.nameKey(name)].contains { key in
                (failures[key] ?? []).filter { now.timeIntervalSince($0) < Self.window }.count >= Self.limit
            }
        }
    }

    /// Counts a failed attempt.
    func failed(client: String, name: String, now: Date) {
        lock.withLock {
            if failures.count >= Self.capacity {
                failures = failures.filter { $0.value.contains { now.timeIntervalSince($0) < Self.window } }
                if failures.count >= Self.capacity { failures.removeAll() }
            }
            for key in [Self.clientKey(client), Self.nameKey(name)] {
                var list = (failures[key] ?? []).filter { now.timeIntervalSince($0) < Self.window }
                list.append(now)
                failures[key] = Array(list.suffix(Self.limit))
            }
        }
    }

    /// Forgets a name's failures after it logged in.
    func succeeded(name: String) {
        lock.withLock { failures[Self.nameKey(name)] = nil }
    }

    private static func clientKey(_ c: String) -> String { "ip|" + c }
    private static func nameKey(_ n: String) -> String { "name|" + String(n.prefix(64)) }
}
