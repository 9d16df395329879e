import Foundation

/// A signed-in session of the office's console, as stored: by the SHA-256 of its cookie
/// token (someone reading the database cannot take it over), with its form token (CSRF).
public struct WebSessionRecord: Hashable, Sendable {
    public var account: String
    public var csrf: String
    public var expires: Date
    /// When it was opened (its absolute lifetime counts from here).
    public var created: Date?

    public init(account: String, csrf: String, expires: Date, created: Date? = nil) {
        self.account = account
        self.csrf = csrf
        self.expires = expires
        self.created = created
    }
}

extension StateStore {
    /// Stores a new session; removes the expired ones, and beyond `capacity` the oldest
    /// (a flood of logins cannot grow the table without bound).
    public func openSession(tokenHash: String, _ s: WebSessionRecord, now: Date, capacity: Int) throws {
        try backend.write { t in
            try t.execute("DELETE FROM web_session WHERE expires <= ?", [Self.iso(now)])
            let count: Int = try t.value("SELECT COUNT(*) FROM web_session") ?? 0
            if count >= capacity {
                try t.execute("""
                    DELETE FROM web_session WHERE token_hash IN
                      (SELECT token_hash FROM web_session ORDER BY expires LIMIT ?)
                    """, [count - capacity + 1])
            }
            try t.execute("INSERT INTO web_session (token_hash, account, csrf, expires, created) VALUES (?, ?, ?, ?, ?)",
                          [tokenHash, s.account, s.csrf, Self.iso(s.expires), Self.iso(s.created ?? now)])
        }
    }

    /// The live session, its expiry moved to `now + idle` (written at most once a minute of
    /// use, not on every page) but never past `created + lifetime`; nil when unknown,
    /// expired, or older than `lifetime`.
    public func session(tokenHash: String, now: Date, idle: TimeInterval, lifetime: TimeInterval) throws -> WebSessionRecord? {
        guard let row = try backend.read({ t in try t.row("SELECT * FROM web_session WHERE token_hash = ?", [tokenHash]) }),
              let expires = Self.date(row["expires"]), expires > now else { return nil }
        let created = Self.date(row["created"]) ?? now
        guard now.timeIntervalSince(created) < lifetime else { return nil }   // ended: `endExpiredSession` reports and removes it
        var s = WebSessionRecord(account: row["account"], csrf: row["csrf"], expires: expires, created: created)
        let extended = min(now.addingTimeInterval(idle), created.addingTimeInterval(lifetime))
        if extended.timeIntervalSince(expires) >= 60 {
            try backend.write { t in
                try t.execute("UPDATE web_session SET expires = ? WHERE token_hash = ?", [Self.iso(extended), tokenHash])
            }
            s.expires = extended
        }
        return s
    }

    /// The account of a session that has ended by time (idle or lifetime) and is still on
    /// record; the record goes, so its end is reported once. Nil for a live or unknown token.
    public func endExpiredSession(tokenHash: String, now: Date, lifetime: TimeInterval) throws -> String? {
        // A cookie of no session (a stale tab, a guess) is looked up, not written for: a flood
        // of them costs reads, never the one writer's lock.
        guard try backend.read({ t in try t.row("SELECT token_hash FROM web_session WHERE token_hash = ?", [tokenHash]) }) != nil else { return nil }
        return try backend.write { t in
            guard let row = try t.row("SELECT * FROM web_session WHERE token_hash = ?", [tokenHash]) else { return nil }
            let expires = Self.date(row["expires"]) ?? now, created = Self.date(row["created"]) ?? now
            guard expires <= now || now.timeIntervalSince(created) >= lifetime else { return nil }
            try t.execute("DELETE FROM web_session WHERE token_hash = ?", [tokenHash])
            return row["account"] as String
        }
    }

    /// Ends every session of `account` (its password changed); returns how many.
    @discardableResult
    public func closeSessions(account: String) throws -> Int {
        try backend.write { t in try t.execute("DELETE FROM web_session WHERE account = ?", [account]) }
    }

    /// Ends a session.
    public func closeSession(tokenHash: String) throws {
        try backend.write { t in try t.execute("DELETE FROM web_session WHERE token_hash = ?", [tokenHash]) }
    }
}
