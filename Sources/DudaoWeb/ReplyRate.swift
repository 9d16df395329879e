import Foundation

/// Bounds how often reply posts come: per link (`perLink` in `window`) and per client
/// address (`perClient`), so a leaked link or a script cannot fill the store with reports.
/// In the serving process's memory; a refused post is answered 429 and records nothing.
final class ReplyRate: @unchecked Sendable {
    static let perLink = 30
    static let perClient = 120
    static let window: TimeInterval = 10 * 60
    /// Keys tracked at most; the table is cleared of stale keys when full.
    static let capacity = 50_000

    private let lock = NSLock()
    private var posts: [String: [Date]] = [:]

    /// Counts a post with `token` from `client`; the seconds to wait when one of them has
    /// used up its window, else `nil`.
    func allow(token: String, client: String, now: Date) -> TimeInterval? {
        lock.withLock {
            if posts.count >= Self.capacity {
                posts = posts.filter { $0.value.contains { now.timeIntervalSince($0) < Self.window } }
                if posts.count >= Self.capacity { posts.removeAll() }
            }
            let keys = [("link|" + String(token.suffix(64)), Self.perLink), ("ip|" + client, Self.perClient)]
            for (key, limit) in keys {
                let recent = (posts[key] ?? []).filter { now.timeIntervalSince($0) < Self.window }
                if recent.count >= limit { return Self.window - now.timeIntervalSince(recent[recent.count - limit]) }
            }
            for (key, _) in keys { posts[key] = (posts[key] ?? []).filter { now.timeIntervalSince($0) < Self.window } + [now] }
            return nil
        }
    }
}
