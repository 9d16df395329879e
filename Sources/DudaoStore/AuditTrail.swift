import Foundation
import Crypto
import DudaoCore

/// One row of the audit trail (留痕): who did what to which object, from where, and how it
/// ended. Rows form a hash chain: each holds the SHA-256 of the row before it (`prev`) and
/// of its own content with that (`hash`), so a row edited, deleted or slipped in by SQL
/// breaks the chain at that row, and `StateStore.verifyAudit` names it.
public struct AuditEntry: Hashable, Sendable {
    /// Position in the chain, from 1 without gaps.
    public var seq: Int64 = 0
    public var at: Date
    /// An office account, an agency (via its reply link), or `命令行:USER` for the CLI.
    public var actor: String
    /// The client's address; `local` for the command line.
    public var client: String
    public var action: AuditAction
    /// What was acted on: an item, a report's id, an account, a file, a path.
    public var object: String
    public var outcome: AuditOutcome
    /// What else a reviewer needs (a decision's words, a role's old and new value); never a secret.
    public var detail: String
    public var prev = ""
    public var hash = ""

    public init(at: Date, actor: String, client: String, action: AuditAction, object: String = "", outcome: AuditOutcome = .ok, detail: String = "") {
        self.at = at
        self.actor = String(actor.prefix(200))
        self.client = String(client.prefix(64))
        self.action = action
        self.object = String(object.prefix(500))
        self.outcome = outcome
        self.detail = String(detail.prefix(2000))
    }
}

/// Where the chain breaks.
public struct AuditBreak: Error, Sendable, CustomStringConvertible {
    /// The first row that does not hold (or the missing position).
    public var seq: Int64
    public var reason: String
    public var description: String { "第\(seq)条 row \(seq): \(reason)" }
}

extension StateStore {
    /// `prev` of the first row.
    public static let auditGenesis = String(repeating: "0", count: 64)

    /// Appends `entry` to the chain in a transaction of its own.
    public func audit(_ entry: AuditEntry) throws {
        try backend.write { t in try Self.audit(entry, dialect: backend.dialect, in: t) }
    }

    /// Appends `entry` inside `t`, so an action and its row commit together.
    static func audit(_ entry: AuditEntry, dialect: SQLDialect, in t: any StoreTransaction) throws {
        if let lock = dialect.lock("audit") { try t.execute(lock) }
        let last = try t.row("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1")
        let seq: Int64 = (last.map { $0["seq"] as Int64 } ?? 0) + 1
        let prev: String = last.map { $0["hash"] } ?? auditGenesis
        let at = iso(entry.at)
        let fields = [String(seq), at, entry.actor, entry.client, entry.action.rawValue, entry.object, entry.outcome.rawValue, entry.detail]
        try t.execute("""
            INSERT INTO audit (seq, at, actor, client, action, object, outcome, detail, prev, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [seq, at, entry.actor, entry.client, entry.action.rawValue, entry.object, entry.outcome.rawValue, entry.detail,
                  prev, chainHash(prev: prev, fields: fields)])
    }

    /// SHA-256 over the previous hash and the row's fields, each length-prefixed so no two
    /// different rows hash the same text.
    static func chainHash(prev: String, fields: [String]) -> String {
        var text = prev
        for f in fields { text += "\n\(f.utf8.count):" + f }
        return SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// What `filter` selects, newest first, at most `limit` rows.
    public func auditRows(_ filter: AuditFilter = AuditFilter(), limit: Int = 500) throws -> [AuditEntry] {
        var sql = "SELECT * FROM audit WHERE 1 = 1"
        var args: [any SQLBindable] = []
        if let since = filter.since { sql += " AND at >= ?"; args.append(Self.iso(since)) }
        if let until = filter.until { sql += " AND at < ?"; args.append(Self.iso(until)) }
        if let actor = filter.actor { sql += " AND actor = ?"; args.append(actor) }
        if let action = filter.action { sql += " AND action = ?"; args.append(action.rawValue) }
        if let before = filter.before { sql += " AND seq < ?"; args.append(before) }
        sql += " ORDER BY seq DESC LIMIT ?"
        args.append(max(1, min(limit, 100_000)))
        return try backend.read { t in try t.rows(sql, args).map(Self.auditEntry) }
    }

    /// Walks the whole chain in pages; throws at the first row that was edited, removed or
    /// added by other means than `audit`. Returns how many rows hold and the last hash (to
    /// write down elsewhere: a chain cut at its end is only seen against such a note).
    @discardableResult
    public func verifyAudit() throws -> (rows: Int64, head: String) {
        var expectedSeq: Int64 = 1
        var prev = Self.auditGenesis
        let page = 5_000
        while true {
            let rows = try backend.read { t in
                try t.rows("SELECT * FROM audit WHERE seq >= ? ORDER BY seq LIMIT ?", [expectedSeq, page])
            }
            // Read leniently: a tampered row may hold anything, and is named, not trusted.
            func text(_ row: StoreRow, _ name: String) -> String { String(sqlValue: row.value(name)) ?? "\u{0}" }
            for row in rows {
                let seq = Int64(sqlValue: row.value("seq")) ?? -1
                guard seq == expectedSeq else {
                    throw AuditBreak(seq: expectedSeq, reason: "缺失 missing (the next row is \(seq))")
                }
                guard text(row, "prev") == prev else {
                    throw AuditBreak(seq: seq, reason: "与上一条不相连 does not follow the row before (a row before it was changed or removed)")
                }
                let fields = [String(seq)] + ["at", "actor", "client", "action", "object", "outcome", "detail"].map { text(row, $0) }
                let hash = Self.chainHash(prev: prev, fields: fields)
                guard text(row, "hash") == hash else {
                    throw AuditBreak(seq: seq, reason: "内容被改动 its content was changed")
                }
                prev = hash
                expectedSeq += 1
            }
            if rows.count < page { return (expectedSeq - 1, prev) }
        }
    }

    private static func auditEntry(_ row: StoreRow) -> AuditEntry {
        var e = AuditEntry(at: date(row["at"]) ?? Date(timeIntervalSince1970: 0), actor: row["actor"], client: row["client"],
                           action: AuditAction(rawValue: row["action"]) ?? .denied, object: row["object"],
                           outcome: AuditOutcome(rawValue: row["outcome"]) ?? .refused, detail: row["detail"])
        e.seq = row["seq"]
        e.prev = row["prev"]
        e.hash = row["hash"]
        return e
    }
}

/// Which audit rows to show.
public struct AuditFilter: Sendable {
    public var since, until: Date?
    public var actor: String?
    public var action: AuditAction?
    /// Rows before this position (the next page).
    public var before: Int64?

    public init(since: Date? = nil, until: Date? = nil, actor: String? = nil, action: AuditAction? = nil, before: Int64? = nil) {
        self.since = since
        self.until = until
        self.actor = actor
        self.action = action
        self.before = before
    }
}

extension AuditEntry {
    /// Rows as CSV (RFC 4180) with Chinese headers: times in ISO 8601 (UTC), actions and
    /// outcomes by their stored names, the hashes so a copy can be checked on its own.
    public static func csv(_ rows: [AuditEntry]) -> String {
        var text = CSVLine.of(["序号", "时间", "操作者", "地址", "操作", "对象", "结果", "详情", "上一条哈希", "哈希"])
        for e in rows {
            text += CSVLine.of([String(e.seq), StateStore.iso(e.at), e.actor, e.client, e.action.rawValue, e.object, e.outcome.rawValue, e.detail, e.prev, e.hash])
        }
        return text
    }
}
