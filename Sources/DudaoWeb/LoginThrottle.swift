import Foundation
import DudaoStore

/// Slows password guessing without letting anyone lock an account. Every attempt is counted
/// before its password is checked, in one write to the store (so no burst gets more than
/// `limit` guesses checked, a restart forgets nothing and both machines count together).
/// Failures count per name **and** client address: after `limit` of them the pair waits,
/// twice as long after each further failure (a minute, two, four… at most `window`), while
/// the same name from another address — the real user — is not held up. A client address
/// trying many names is held up after `clientLimit` failures. An admin can clear a name.
struct LoginThrottle: Sendable {
    static let limit = 5
    static let clientLimit = 20
    static let window: TimeInterval = 15 * 60
    /// The first wait after `limit` failures; it doubles with each further failure.
    static let firstDelay: TimeInterval = 60

    let store: StateStore

    /// Counts an attempt by `name` from `client` before its password is checked; `nil` when
    /// it may go on, else the seconds to wait (the attempt is then not checked at all). A
    /// store that cannot be written lets nobody try.
    func attempt(client: String, name: String, now: Date) -> TimeInterval? {
        let keys = [LoginCount.nameKey(String(name.prefix(64)), client: client), LoginCount.clientKey(client)]
        do {
            return try store.countLogins(keys, now: now, forgetAfter: Self.window) { counts -> TimeInterval? in
            for key in keys {
                if let until = counts[key]?.until, until > now { return until.timeIntervalSince(now) }
            }
            // Counted as failed until the password proves otherwise (`succeeded`).
            for (key, limit) in zip(keys, [Self.limit, Self.clientLimit]) {
                var c = counts[key] ?? LoginCount()
                c.failures = c.failures.filter { now.timeIntervalSince($0) < Self.window } + [now]
                if c.failures.count >= limit {
                    let extra = c.failures.count - limit
                    c.until = now.addingTimeInterval(min(Self.window, Self.firstDelay * pow(2, Double(min(extra, 10)))))
                }
                c.failures = Array(c.failures.suffix(limit + 10))
                counts[key] = c
            }
            return nil
            }
        } catch {
            return Self.window
        }
    }

    /// The password was right: the pair's count starts again (the client's stays, less this attempt).
    func succeeded(client: String, name: String, now: Date) {
        let pair = LoginCount.nameKey(String(name.prefix(64)), client: client), address = LoginCount.clientKey(client)
        _ = try? store.countLogins([pair, address], now: now, forgetAfter: Self.window) { counts in
            counts[pair] = nil
            if var c = counts[address], !c.failures.isEmpty {
                c.failures.removeLast()
                counts[address] = c
            }
        }
    }
}
