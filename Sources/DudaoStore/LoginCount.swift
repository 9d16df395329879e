import Foundation

/// Failed logins counted under one key (a name with a client address, or an address
/// alone), as the store keeps them: so a restart forgets nothing, both machines count
/// together, and an admin can clear them. The rules live with the console's `LoginThrottle`.
public struct LoginCount: Hashable, Sendable {
    /// Recent failures, oldest first.
    public var failures: [Date] = []
    /// Until when further attempts are refused.
    public var until: Date?

    public init(failures: [Date] = [], until: Date? = nil) {
        self.failures = failures
        self.until = until
    }
}

extension StateStore {
    /// Reads the counts under `keys`, lets `update` change them, and writes them back, all
    /// in one write that no other login attempt (here or on the other machine) interleaves
    /// with. Keys untouched for `forgetAfter` are removed on the way.
    public func countLogins<T>(_ keys: [String], now: Date, forgetAfter: TimeInterval,
                               _ update: (inout [String: LoginCount]) -> T) throws -> T {
        try backend.write { t in
            if let lock = backend.dialect.lock("login") { try t.execute(lock) }
            try t.execute("DELETE FROM login_throttle WHERE updated < ? AND (until IS NULL OR until < ?)",
                          [Self.iso(now.addingTimeInterval(-forgetAfter)), Self.iso(now)])
            var counts: [String: LoginCount] = [:]
            for key in keys {
                guard let row = try t.row("SELECT * FROM login_throttle WHERE key = ?", [key]) else { continue }
                let failures = (row["failures"] as String).split(separator: " ").compactMap { Self.date(String($0)) }
                counts[key] = LoginCount(failures: failures, until: Self.date(row["until"]))
            }
            let before = counts
            let result = update(&counts)
            for key in keys where counts[key] != before[key] {
                if let c = counts[key] {
                    try t.execute("""
                        INSERT INTO login_throttle (key, failures, until, updated) VALUES (?, ?, ?, ?)
                        ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, until = excluded.until, updated = excluded.updated
                        """, [key, c.failures.map(Self.iso).joined(separator: " "), c.until.map(Self.iso), Self.iso(now)])
                } else {
                    try t.execute("DELETE FROM login_throttle WHERE key = ?", [key])
                }
            }
            return result
        }
    }

    /// Clears every count held against `name` (whatever the address); how many were held.
    @discardableResult
    public func clearLogins(name: String) throws -> Int {
        let prefix = LoginCount.nameKeyPrefix(name)
        return try backend.write { t in
            try t.execute("DELETE FROM login_throttle WHERE substr(key, 1, CAST(? AS INTEGER)) = ?", [prefix.unicodeScalars.count, prefix])
        }
    }

    /// Names held back now, with when they may try again (the accounts page).
    public func heldLogins(now: Date) throws -> [String: Date] {
        try backend.read { t in
            var held: [String: Date] = [:]
            for row in try t.rows("SELECT key, until FROM login_throttle WHERE until > ?", [Self.iso(now)]) {
                let key: String = row["key"]
                guard key.hasPrefix("name|"), let until = Self.date(row["until"]) else { continue }
                let name = String(key.dropFirst(5).prefix { $0 != "|" })
                held[name] = max(held[name] ?? until, until)
            }
            return held
        }
    }
}

extension LoginCount {
    /// Keys of a name begin so, then the client: `name|张三|127.0.0.1`.
    public static func nameKeyPrefix(_ name: String) -> String { "name|" + name + "|" }
    public static func nameKey(_ name: String, client: String) -> String { nameKeyPrefix(name) + client }
    public static func clientKey(_ client: String) -> String { "client|" + client }
}
