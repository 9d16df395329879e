import Foundation
import GRDB
import DudaoCore

/// Dudao's durable state in one SQLite file (`state_dir/dudao.sqlite`): reports and
/// decisions with their full history, and the log of which notice reached which agency.
///
/// WAL mode with `synchronous = FULL`: once a write returns, it survives a crash or a power
/// cut, so recording happens before the next message is handed to a transport. Schema
/// changes are versioned migrations; opening a newer or older file migrates it forward.
public final class StateStore: Sendable {
    private let db: any DatabaseWriter
    private let sentLog = SentLogCache()
    /// The database, for the store's extensions in this module.
    var writer: any DatabaseWriter { db }

    /// Opens (creating if needed) the store in `directory`.
    public init(directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var config = Configuration()
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        config.busyMode = .timeout(10)
        db = try DatabasePool(path: (directory as NSString).appendingPathComponent("dudao.sqlite"), configuration: config)
        try Self.migrator.migrate(db)
    }

    /// The store in `directory` if one was ever created there, else `nil` (read-only
    /// commands such as `plan` do not create state).
    public static func existing(directory: String) throws -> StateStore? {
        FileManager.default.fileExists(atPath: (directory as NSString).appendingPathComponent("dudao.sqlite"))
            ? try StateStore(directory: directory) : nil
    }

    /// A store in memory, for tests.
    public init() throws {
        db = try DatabaseQueue()
        try Self.migrator.migrate(db)
    }

    // MARK: Migrations

    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1: progress reports and sent log") { db in
            try db.create(table: "progress") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("item", .text).notNull().indexed()
                t.column("milestone", .integer)
                t.column("status", .text).notNull()
                t.column("extended_to", .text)
                t.column("note", .text).notNull().defaults(to: "")
                t.column("by", .text).notNull()
                t.column("at", .text).notNull()
            }
            try db.create(table: "sent") { t in
                t.column("notice", .text).notNull()
                t.column("agency", .text).notNull()
                t.column("message", .text).notNull()
                t.column("item", .text).notNull().indexed()
                t.column("channel", .text).notNull()
                t.column("at", .text).notNull()
                t.primaryKey(["notice", "agency"])
            }
        }
        m.registerMigration("v2: outbox with attempts and dead letters; service metadata") { db in
            try db.create(table: "outbox") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("message", .text).notNull()
                t.column("agency", .text).notNull()
                t.column("channel", .text).notNull()
                t.column("notices", .text).notNull()
                t.column("payload", .text).notNull()
                t.column("state", .text).notNull().indexed()
                t.column("attempts", .integer).notNull().defaults(to: 0)
                t.column("next_attempt_at", .text).notNull()
                t.column("last_error", .text)
                t.column("enqueued_at", .text).notNull()
                t.column("sent_at", .text)
                t.uniqueKey(["message", "channel"])
            }
            try db.create(table: "meta") { t in
                t.primaryKey("key", .text)
                t.column("value", .text).notNull()
            }
        }
        m.registerMigration("v3: indexes for reading recent claims") { db in
            try db.create(index: "sent_at", on: "sent", columns: ["at"])
            try db.create(index: "outbox_enqueued_at", on: "outbox", columns: ["enqueued_at"])
        }
        m.registerMigration("v4: channel circuits; index for pruning delivered bodies") { db in
            try db.create(table: "circuit") { t in
                t.primaryKey("channel", .text)
                t.column("state", .text).notNull()
                t.column("failures", .integer).notNull()
                t.column("open_until", .text)
                t.column("last_error", .text)
                t.column("at", .text).notNull()
            }
            try db.create(index: "outbox_sent_at", on: "outbox", columns: ["sent_at"])
        }
        m.registerMigration("v5: reports per lead agency, promised report dates") { db in
            // Existing reports keep agency NULL: they were about every lead.
            try db.alter(table: "progress") { t in
                t.add(column: "agency", .text)
                t.add(column: "next_report", .text)
            }
            try db.create(index: "sent_agency_item", on: "sent", columns: ["agency", "item"])
        }
        m.registerMigration("v6: the office's accounts; files attached to reports") { db in
            try db.create(table: "account") { t in
                t.primaryKey("name", .text)
                t.column("password_hash", .text).notNull()
                t.column("created_at", .text).notNull()
            }
            try db.create(table: "attachment") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("progress", .integer).notNull().indexed().references("progress")
                t.column("filename", .text).notNull()
                t.column("type", .text).notNull()
                t.column("size", .integer).notNull()
                t.column("sha256", .text).notNull()
            }
        }
        return m
    }

    /// Names of the migrations applied, oldest first.
    public func appliedMigrations() throws -> [String] {
        try db.read { try Self.migrator.appliedMigrations($0) }
    }

    // MARK: Progress

    /// Records a report (never overwrites: the history is the audit trail), with the files
    /// attached to it; returns its row id.
    @discardableResult
    public func record(_ r: ProgressReport, attachments: [Attachment] = []) throws -> Int64 {
        try db.write { db in
            try db.execute(sql: """
                INSERT INTO progress (item, milestone, agency, status, extended_to, next_report, note, by, at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [r.key.item, r.key.milestone, r.key.agency, r.status.name, r.status.extendedTo?.iso,
                                 r.nextReport?.iso, r.note, r.by, Self.iso(r.at)])
            let id = db.lastInsertedRowID
            for a in attachments {
                try db.execute(sql: "INSERT INTO attachment (progress, filename, type, size, sha256) VALUES (?, ?, ?, ?, ?)",
                               arguments: [id, a.filename, a.type, a.size, a.sha256])
            }
            return id
        }
    }

    /// Every report, oldest first (optionally for one item).
    public func history(item: String? = nil) throws -> [ProgressReport] {
        try db.read { db in
            let rows = item == nil
                ? try Row.fetchAll(db, sql: "SELECT * FROM progress ORDER BY id")
                : try Row.fetchAll(db, sql: "SELECT * FROM progress WHERE item = ? ORDER BY id", arguments: [item])
            return rows.compactMap(Self.report)
        }
    }

    /// The reports about `item` with their row ids (to find their attachments), oldest first.
    public func reports(item: String) throws -> [(id: Int64, report: ProgressReport)] {
        try db.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM progress WHERE item = ? ORDER BY id", arguments: [item]).compactMap { row in
                Self.report(row).map { (row["id"], $0) }
            }
        }
    }

    /// What the sent log holds about `item`, oldest first: (agency, notice key, channel, at).
    public func sentLog(item: String) throws -> [(agency: String, notice: String, channel: String, at: Date)] {
        try db.read { db in
            try Row.fetchAll(db, sql: "SELECT agency, notice, channel, at FROM sent WHERE item = ? ORDER BY at, rowid", arguments: [item]).compactMap { row in
                Self.date(row["at"]).map { (row["agency"], row["notice"], row["channel"], $0) }
            }
        }
    }

    /// Every report and what was sent: the records the ladder and the ledger follow. Days
    /// are local days of `clock`.
    ///
    /// The service asks on every wake, and the sent log only grows: its rows are read once
    /// and kept (`SentLogCache`), so a wake reads the rows added since the last one, the
    /// outbox's unsent entries and the reports. Rows pruned by retention stay in a running
    /// service's memory until it restarts.
    public func supervision(clock: LocalClock) throws -> Supervision {
        try db.read { db in
            let reports = try Row.fetchAll(db, sql: "SELECT * FROM progress ORDER BY id").compactMap(Self.report)
            var history = try sentLog.read(db, clock: clock)
            var records: [SentHistory.Record] = []
            let outbox = try Row.fetchCursor(db, sql: "SELECT agency, notices, state, enqueued_at FROM outbox WHERE state != 'sent'")
            while let row = try outbox.next() {
                guard let at = Self.date(row["enqueued_at"]) else { continue }
                let fate: SentHistory.Fate = row["state"] == "pending" ? .pending : .notSent
                for n in Self.decode(row["notices"]) {
                    records.append(SentHistory.Record(agency: row["agency"], key: n.key, day: clock.day(of: at), fate: fate))
                }
            }
            history.add(records)
            return Supervision(standings: Standings(reports: reports), history: history)
        }
    }

    // MARK: Sent log

    /// Keys (`agency|notice`) of notices already delivered.
    public func sentKeys() throws -> Set<String> {
        try db.read { db in
            Set(try Row.fetchAll(db, sql: "SELECT agency, notice FROM sent").map { Claim.key(agency: $0["agency"], notice: $0["notice"]) })
        }
    }

    /// Records that `notices` reached `agency` in `message` over `channel`, in one transaction.
    public func markSent(notices: [(key: String, item: String)], agency: String, message: String, channel: String, at: Date) throws {
        try db.write { db in
            for n in notices {
                try db.execute(sql: "INSERT OR IGNORE INTO sent (notice, agency, message, item, channel, at) VALUES (?, ?, ?, ?, ?, ?)",
                               arguments: [n.key, agency, message, n.item, channel, Self.iso(at)])
            }
        }
    }

    /// Notices recorded as skipped (missed while the service was down), per item.
    public func skippedCounts() throws -> [String: Int] {
        try db.read { db in
            var out: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT item, COUNT(*) AS n FROM sent WHERE channel = 'skipped' GROUP BY item") {
                out[row["item"]] = row["n"]
            }
            return out
        }
    }

    // MARK: Encoding

    private static func report(_ row: Row) -> ProgressReport? {
        let extendedTo = (row["extended_to"] as String?).flatMap(CivilDate.init(iso:))
        guard let status = ItemStatus(name: row["status"], extendedTo: extendedTo) else { return nil }
        guard let at = date(row["at"]) else { return nil }
        return ProgressReport(key: ProgressKey(item: row["item"], milestone: row["milestone"], agency: row["agency"]), status: status,
                              note: row["note"], by: row["by"], at: at,
                              nextReport: (row["next_report"] as String?).flatMap(CivilDate.init(iso:)))
    }

    /// Instants are stored as ISO 8601 in UTC (`2024-12-24T01:00:00+00:00`): readable in
    /// the sqlite3 shell and ordered as text.
    static let utc = LocalClock(timeZone: TimeZone(identifier: "UTC")!)

    static func iso(_ date: Date) -> String { utc.iso8601(date) }

    static func date(_ text: String?) -> Date? { text.flatMap(utc.parse) }
}
