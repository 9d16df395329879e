import Foundation

/// A person of the supervising office who may log in to the console. Only a password hash
/// is kept (bcrypt, made by the console's `OfficeAccounts`).
public struct Account: Hashable, Sendable {
    /// Login name.
    public var name: String
    /// The bcrypt hash.
    public var passwordHash: String
    /// When it was added or its password last set.
    public var createdAt: Date
}

extension StateStore {
    /// Adds `name`, or sets a new password hash when it exists; true when it was new.
    @discardableResult
    public func setAccount(name: String, passwordHash: String, at now: Date) throws -> Bool {
        try backend.write { t in
            let existed = try t.row("SELECT 1 FROM account WHERE name = ?", [name]) != nil
            try t.execute("""
                INSERT INTO account (name, password_hash, created_at) VALUES (?, ?, ?)
                ON CONFLICT (name) DO UPDATE SET password_hash = excluded.password_hash, created_at = excluded.created_at
                """, [name, passwordHash, Self.iso(now)])
            return !existed
        }
    }

    /// Removes `name`; false when there was no such account.
    public func removeAccount(name: String) throws -> Bool {
        try backend.write { t in
            try t.execute("DELETE FROM account WHERE name = ?", [name]) > 0
        }
    }

    /// The account `name`, if any.
    public func account(name: String) throws -> Account? {
        try backend.read { t in
            try t.row("SELECT * FROM account WHERE name = ?", [name]).map(Self.account)
        }
    }

    /// Every account, by name.
    public func accounts() throws -> [Account] {
        try backend.read { t in try t.rows("SELECT * FROM account ORDER BY name", []).map(Self.account) }
    }

    private static func account(_ row: StoreRow) -> Account {
        Account(name: row["name"], passwordHash: row["password_hash"], createdAt: date(row["created_at"]) ?? Date(timeIntervalSince1970: 0))
    }
}
