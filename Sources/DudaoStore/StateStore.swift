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
    /// With `audit`, its row (given the report's id) is written in the same transaction:
    /// a report is never kept without its line in the trail, nor the line without the report.
    @discardableResult
    public func record(_ r: ProgressReport, attachments: [Attachment] = [], audit: (@Sendable (Int64) -> AuditEntry)? = nil) throws -> Int64 {
        try backend.write { t in
            let id = try Self.insert(r, attachments: attachments, in: t)
            if let audit { try Self.audit(audit(id), dialect: backend.dialect, in: t) }
            return id
        }
    }

    /// Records a report posted with a reply form's one-time id, once: a second post of the
    /// same id — a double tap, a refresh, two at once from two machines — records nothing
    /// and answers the first one's row, so the agency sees its first receipt again.
    public func record(_ r: ProgressReport, attachments: [Attachment] = [], submission: String,
                       audit: (@Sendable (Int64) -> AuditEntry)? = nil) throws -> (id: Int64, isNew: Bool) {
        try backend.write { t in
            // The key's conflict waits for a concurrent insert of the same id to commit.
            let claimed = try t.execute("INSERT INTO submission (id, agency, at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                                        [submission, r.key.agency ?? "", Self.iso(r.at)])
            guard claimed == 1 else {
                let first: Int64? = try t.value("SELECT progress FROM submission WHERE id = ?", [submission])
                return (first ?? 0, false)
            }
            let id = try Self.insert(r, attachments: attachments, in: t)
            try t.execute("UPDATE submission SET progress = ? WHERE id = ?", [id, submission])
            if let audit { try Self.audit(audit(id), dialect: backend.dialect, in: t) }
            return (id, true)
        }
    }

    private static func insert(_ r: ProgressReport, attachments: [Attachment], in t: any StoreTransaction) throws -> Int64 {
        let id: Int64 = try t.value("""
            INSERT INTO progress (item, milestone, agency, status, extended_to, next_report, note, "by", at, origin)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id
            """, [r.key.item, r.key.milestone, r.key.agency, r.status.name, r.status.extendedTo?.iso,
                  r.nextReport?.iso, r.note, r.by, iso(r.at), r.origin == .reply ? nil : r.origin.rawValue]) ?? 0
        for a in attachments {
            try t.execute("INSERT INTO attachment (progress, filename, type, size, sha256) VALUES (?, ?, ?, ?, ?)",
                          [id, a.filename, a.type, a.size, a.sha256])
        }
        return id
    }

    /// The report recorded as row `id`, if any.
    public func report(id: Int64) throws -> ProgressReport? {
        try backend.read { t in try t.rows(Self.selectReports + " WHERE p.id = ?", [id]).first.flatMap(Self.report) }
    }

    /// Withdraws the office's decision recorded as row `id` (撤回决定), by `by` at `at`: it
    /// stays in the history and no longer counts. Whether it may be withdrawn is the
    /// caller's rule (`DecisionWithdrawal`); a decision is withdrawn once.
    /// Returns false when the row is not a decision or was already withdrawn.
    public func withdraw(decision id: Int64, by: String, at: Date, audit: AuditEntry? = nil) throws -> Bool {
        try backend.write { t in
            guard let row = try t.row("SELECT status FROM progress WHERE id = ?", [id]),
                  let status = ItemStatus(name: row["status"], extendedTo: CivilDate(year: 2000, month: 1, day: 1)), status.isDecision else { return false }
            let done = try t.execute("INSERT INTO withdrawal (progress, \"by\", at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                                     [id, by, Self.iso(at)]) == 1
            if done, let audit { try Self.audit(audit, dialect: backend.dialect, in: t) }
            return done
        }
    }

    /// Reports with their files counted and their withdrawal, if any.
    static let selectReports = """
        SELECT p.*, w."by" AS withdrawn_by, w.at AS withdrawn_at, (SELECT COUNT(*) FROM attachment a WHERE a.progress = p.id) AS files
        FROM progress p LEFT JOIN withdrawal w ON w.progress = p.id
        """

    /// Every report, oldest first (optionally for one item), withdrawn decisions included.
    public func history(item: String? = nil) throws -> [ProgressReport] {
        try backend.read { t in
            let rows = try item.map { try t.rows(Self.selectReports + " WHERE p.item = ? ORDER BY p.id", [$0]) }
                ?? t.rows(Self.selectReports + " ORDER BY p.id", [])
            return rows.compactMap(Self.report)
        }
    }

    /// The reports about `item` with their row ids (to find their attachments), oldest first.
    public func reports(item: String) throws -> [(id: Int64, report: ProgressReport)] {
        try history(item: item).map { ($0.id ?? 0, $0) }
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
            let reports = try t.rows(Self.selectReports + " ORDER BY p.id", []).compactMap(Self.report)
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
        var withdrawn: Withdrawal? = nil
        if let by = row["withdrawn_by"] as String?, let when = date(row["withdrawn_at"]) { withdrawn = Withdrawal(by: by, at: when) }
        return ProgressReport(key: ProgressKey(item: row["item"], milestone: row["milestone"], agency: row["agency"]), status: status,
                              note: row["note"], by: row["by"], at: at,
                              nextReport: (row["next_report"] as String?).flatMap(CivilDate.init(iso:)),
                              id: row["id"], files: (row["files"] as Int?) ?? 0, withdrawn: withdrawn,
                              origin: (row["origin"] as String?).flatMap(ReportOrigin.init(rawValue:)) ?? .reply)
    }

    /// Instants are stored as ISO 8601 in UTC (`2024-12-24T01:00:00+00:00`): readable in
    /// a SQL shell and ordered as text.
    static let utc = LocalClock(timeZone: TimeZone(identifier: "UTC")!)

    static func iso(_ date: Date) -> String { utc.iso8601(date) }

    static func date(_ text: String?) -> Date? { text.flatMap(utc.parse) }
}
