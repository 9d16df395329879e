import Foundation
import DudaoCore

/// A person of the supervising office who may log in to the console. Only a password hash
/// is kept (bcrypt, made by the console's `OfficeAccounts`).
public struct Account: Hashable, Sendable {
    /// Login name.
    public var name: String
    /// The bcrypt hash.
    public var passwordHash: String
    /// When it was added or its password last set (a password's age counts from here).
    public var createdAt: Date
    /// What the account may do.
    public var role: Role
}

/// Why an account change was refused.
public struct AccountError: Error, Sendable, CustomStringConvertible {
    public var description: String
}

extension StateStore {
    /// Adds `name` with `role` (default clerk), or sets a new password hash when it exists
    /// (and its role, when `role` is given); true when it was new.
    @discardableResult
    public func setAccount(name: String, passwordHash: String, role: Role? = nil, at now: Date) throws -> Bool {
        try backend.write { t in
            let existed = try t.row("SELECT 1 FROM account WHERE name = ?", [name]) != nil
            if existed, let role, role != .admin { try Self.keepAnAdmin(besides: name, t) }
            try t.execute("""
                INSERT INTO account (name, password_hash, created_at, role) VALUES (?, ?, ?, ?)
                ON CONFLICT (name) DO UPDATE SET password_hash = excluded.password_hash, created_at = excluded.created_at
                """, [name, passwordHash, Self.iso(now), (role ?? .clerk).rawValue])
            if existed, let role { try t.execute("UPDATE account SET role = ? WHERE name = ?", [role.rawValue, name]) }
            return !existed
        }
    }

    /// Adds `name` only when there is no such account (two admins adding one name at once:
    /// the first wins, the second is told); true when it was added.
    public func addAccount(name: String, passwordHash: String, role: Role, at now: Date) throws -> Bool {
        try backend.write { t in
            try t.execute("""
                INSERT INTO account (name, password_hash, created_at, role) VALUES (?, ?, ?, ?) ON CONFLICT (name) DO NOTHING
                """, [name, passwordHash, Self.iso(now), role.rawValue]) > 0
        }
    }

    /// Makes `name` the first admin, only while no account exists at all (the one-time
    /// setup link); false when somebody was quicker.
    public func addFirstAdmin(name: String, passwordHash: String, at now: Date) throws -> Bool {
        try backend.write { t in
            if let lock = backend.dialect.lock("account") { try t.execute(lock) }
            guard try t.row("SELECT 1 FROM account LIMIT 1") == nil else { return false }
            try t.execute("INSERT INTO account (name, password_hash, created_at, role) VALUES (?, ?, ?, ?)",
                          [name, passwordHash, Self.iso(now), Role.admin.rawValue])
            return true
        }
    }

    /// Sets `name`'s role; the last admin cannot be demoted. Returns the role it had.
    @discardableResult
    public func setRole(name: String, _ role: Role) throws -> Role {
        try backend.write { t in
            guard let row = try t.row("SELECT role FROM account WHERE name = ?", [name]) else {
                throw AccountError(description: "没有账号 no account named “\(name)”")
            }
            if role != .admin { try Self.keepAnAdmin(besides: name, t) }
            try t.execute("UPDATE account SET role = ? WHERE name = ?", [role.rawValue, name])
            return Role(rawValue: row["role"]) ?? .clerk
        }
    }

    /// Removes `name` and its sessions; false when there was no such account. The last admin
    /// cannot be removed.
    public func removeAccount(name: String) throws -> Bool {
        try backend.write { t in
            guard try t.row("SELECT 1 FROM account WHERE name = ?", [name]) != nil else { return false }
            try Self.keepAnAdmin(besides: name, t)
            try t.execute("DELETE FROM web_session WHERE account = ?", [name])
            return try t.execute("DELETE FROM account WHERE name = ?", [name]) > 0
        }
    }

    /// Refuses a change that would leave no admin (nobody could manage accounts again).
    private static func keepAnAdmin(besides name: String, _ t: any StoreTransaction) throws {
        let isAdmin = try t.row("SELECT 1 FROM account WHERE name = ? AND role = ?", [name, Role.admin.rawValue]) != nil
        let others: Int = try t.value("SELECT COUNT(*) FROM account WHERE role = ? AND name <> ?", [Role.admin.rawValue, name]) ?? 0
        if isAdmin && others == 0 {
            throw AccountError(description: "不能取消最后一个管理员 “\(name)” is the last admin; make another admin first")
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

    /// Whether any account exists (none: the console offers the one-time setup).
    public func hasAccounts() throws -> Bool {
        try backend.read { t in try t.row("SELECT 1 FROM account LIMIT 1") != nil }
    }

    private static func account(_ row: StoreRow) -> Account {
        Account(name: row["name"], passwordHash: row["password_hash"], createdAt: date(row["created_at"]) ?? Date(timeIntervalSince1970: 0),
                role: Role(rawValue: row["role"]) ?? .leader)
    }
}
