import Foundation
import DudaoCore

/// Dudao's durable state: reports and decisions with their full history, the log of which
/// notice reached which agency, and the outbox. On SQLite (`state_dir/dudao.sqlite`, the
/// default) or on PostgreSQL shared by two machines; the SQL is the same on both.
///
/// Schema changes are versioned migrations (`StoreMigrations`); opening an older store
/// migrates it forward.
public final class StateStore: Sendable {
    /// The database, for the store's extensions in this module.
    let backend: any StoreBackend
    private let sentLog = SentLogCache()
    /// Who claims the outbox entries this store sends (`StoreInstance`).
    public let instance: String
    /// True when several instances may use this store at once (PostgreSQL): they then claim
    /// each outbox entry before sending it.
    public var isShared: Bool { backend.isShared }

    /// Opens the store on `backend`, applying the migrations it lacks; `instance` names the
    /// claimant (tests play two instances in one process).
    public init(backend: any StoreBackend, instance: String = StoreInstance.current) throws {
        self.backend = backend
        self.instance = instance
        try backend.migrate(StoreMigrations.all)
    }

    /// Opens (creating if needed) the SQLite store in `directory`.
    public convenience init(directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try self.init(backend: SQLiteBackend(path: Self.sqlitePath(directory: directory)))
    }

    /// The SQLite store in `directory` if one was ever created there, else `nil` (read-only
    /// commands such as `plan` do not create state).
    public static func existing(directory: String) throws -> StateStore? {
        FileManager.default.fileExists(atPath: sqlitePath(directory: directory))
            ? try StateStore(directory: directory) : nil
    }

    /// Where a state folder keeps its SQLite database.
    public static func sqlitePath(directory: String) -> String {
        (directory as NSString).appendingPathComponent("dudao.sqlite")
    }

    /// A store in memory, for tests.
    public convenience init() throws {
        try self.init(backend: SQLiteBackend())
    }

    /// Where the data is, for messages.
    public var location: String { backend.location }

    /// Names of the migrations applied, oldest first.
    public func appliedMigrations() throws -> [String] {
        try backend.appliedMigrations()
    }

    // MARK: Progress

    /// Records a report (never overwrites: the history is the audit trail), with the files
    /// attached to it; returns its row id.
    @discardableResult
    public func record(_ r: ProgressReport, attachments: [Attachment] = []) throws -> Int64 {
        try backend.write { t in
            let id: Int64 = try t.value("""
                INSERT INTO progress (item, milestone, agency, status, extended_to, next_report, note, "by", at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id
                """, [r.key.item, r.key.milestone, r.key.agency, r.status.name, r.status.extendedTo?.iso,
                      r.nextReport?.iso, r.note, r.by, Self.iso(r.at)]) ?? 0
            for a in attachments {
                try t.execute("INSERT INTO attachment (progress, filename, type, size, sha256) VALUES (?, ?, ?, ?, ?)",
                              [id, a.filename, a.type, a.size, a.sha256])
            }
            return id
        }
    }

    /// Every report, oldest first (optionally for one item).
    public func history(item: String? = nil) throws -> [ProgressReport] {
        try backend.read { t in
            let rows = try item.map { try t.rows("SELECT * FROM progress WHERE item = ? ORDER BY id", [$0]) }
                ?? t.rows("SELECT * FROM progress ORDER BY id", [])
            return rows.compactMap(Self.report)
        }
    }

    /// The reports about `item` with their row ids (to find their attachments), oldest first.
    public func reports(item: String) throws -> [(id: Int64, report: ProgressReport)] {
        try backend.read { t in
            try t.rows("SELECT * FROM progress WHERE item = ? ORDER BY id", [item]).compactMap { row in
                Self.report(row).map { (row["id"], $0) }
            }
        }
    }

    /// What the sent log holds about `item`, oldest first: (agency, notice key, channel, at).
    public func sentLog(item: String) throws -> [(agency: String, notice: String, channel: String, at: Date)] {
        try backend.read { t in
            try t.rows("SELECT agency, notice, channel, at FROM sent WHERE item = ? ORDER BY at, rowid", [item]).compactMap { row in
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
        try backend.read { t in
            let reports = try t.rows("SELECT * FROM progress ORDER BY id", []).compactMap(Self.report)
            var history = try sentLog.read(t, clock: clock)
            var records: [SentHistory.Record] = []
            for row in try t.rows("SELECT agency, notices, state, enqueued_at FROM outbox WHERE state != 'sent'", []) {
                guard let at = Self.date(row["enqueued_at"]) else { continue }
                let fate: SentHistory.Fate = (row["state"] as String) == "pending" ? .pending : .notSent
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
        try backend.read { t in
            Set(try t.rows("SELECT agency, notice FROM sent", []).map { Claim.key(agency: $0["agency"], notice: $0["notice"]) })
        }
    }

    /// Records that `notices` reached `agency` in `message` over `channel`, in one transaction.
    public func markSent(notices: [(key: String, item: String)], agency: String, message: String, channel: String, at: Date) throws {
        try backend.write { t in
            for n in notices {
                try t.execute(Self.insertSent, [n.key, agency, message, n.item, channel, Self.iso(at)])
            }
        }
    }

    /// A notice reaching an agency, once: a second record of the same is ignored.
    static let insertSent = "INSERT INTO sent (notice, agency, message, item, channel, at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING"

    /// Notices recorded as skipped (missed while the service was down), per item.
    public func skippedCounts() throws -> [String: Int] {
        try backend.read { t in
            var out: [String: Int] = [:]
            for row in try t.rows("SELECT item, COUNT(*) AS n FROM sent WHERE channel = 'skipped' GROUP BY item", []) {
                out[row["item"]] = row["n"]
            }
            return out
        }
    }

    // MARK: Encoding

    private static func report(_ row: StoreRow) -> ProgressReport? {
        let extendedTo = (row["extended_to"] as String?).flatMap(CivilDate.init(iso:))
        guard let status = ItemStatus(name: row["status"], extendedTo: extendedTo) else { return nil }
        guard let at = date(row["at"]) else { return nil }
        return ProgressReport(key: ProgressKey(item: row["item"], milestone: row["milestone"], agency: row["agency"]), status: status,
                              note: row["note"], by: row["by"], at: at,
                              nextReport: (row["next_report"] as String?).flatMap(CivilDate.init(iso:)))
    }

    /// Instants are stored as ISO 8601 in UTC (`2024-12-24T01:00:00+00:00`): readable in
    /// a SQL shell and ordered as text.
    static let utc = LocalClock(timeZone: TimeZone(identifier: "UTC")!)

    static func iso(_ date: Date) -> String { utc.iso8601(date) }

    static func date(_ text: String?) -> Date? { text.flatMap(utc.parse) }
}
