import Foundation
import DudaoCore

/// What one pruning removed.
public struct PruneSummary: Hashable, Sendable {
    /// Sent-log rows past the audit retention.
    public var sentRows = 0
    /// Agencies' milestones whose pruned rows were folded into their summary.
    public var summarised = 0
    /// Outbox rows (delivered or dead) past the audit retention.
    public var outboxRows = 0
    /// Delivered messages whose bodies were dropped (the row stays for the record).
    public var bodies = 0
}

extension StateStore {
    /// Drops what is older than `retention` at `now`: sent-log rows and finished outbox
    /// entries past `audit`, bodies of delivered messages past `bodies`. Pending entries
    /// and progress reports (the office's record of who reported what) are never pruned.
    /// Planning reads claims of the last weeks only, so pruning older ones repeats nothing.
    ///
    /// What the pruned sent-log rows say about each agency's milestone is first folded into
    /// its summary (`SentHistory.Summary`, in local days of `clock`), in the same
    /// transaction: the ladder and the count of reminders outlive the rows.
    @discardableResult
    public func prune(_ retention: Retention, now: Date, clock: LocalClock) throws -> PruneSummary {
        let audit = Self.iso(now.addingTimeInterval(-Double(retention.auditSeconds)))
        let bodies = Self.iso(now.addingTimeInterval(-Double(retention.bodySeconds)))
        return try backend.write { t in
            var s = PruneSummary()
            s.summarised = try Self.fold(sentBefore: audit, clock: clock, in: t)
            s.sentRows = try t.execute("DELETE FROM sent WHERE at < ?", [audit])
            let finished = "SELECT id FROM outbox WHERE state != 'pending' AND enqueued_at < ? AND COALESCE(sent_at, enqueued_at) < ?"
            try t.execute("DELETE FROM outbox_payload WHERE id IN (\(finished))", [audit, audit])
            s.outboxRows = try t.execute("DELETE FROM outbox WHERE id IN (\(finished))", [audit, audit])
            s.bodies = try t.execute("DELETE FROM outbox_payload WHERE id IN (SELECT id FROM outbox WHERE state = 'sent' AND sent_at < ?)", [bodies])
            return s
        }
    }

    /// Folds the delivered sent-log rows older than `cutoff` into their tracks' summaries;
    /// returns how many summaries changed.
    private static func fold(sentBefore cutoff: String, clock: LocalClock, in t: any StoreTransaction) throws -> Int {
        var changed: [String: SentHistory.Summary] = [:]
        let rows = try t.rows("SELECT agency, notice, at FROM sent WHERE at < ? AND channel != 'skipped' ORDER BY at", [cutoff])
        for row in rows {
            guard let key = NoticeKey(row["notice"] as String), !key.item.isEmpty, let at = date(row["at"]) else { continue }
            let agency: String = row["agency"]
            let id = "\(agency)\u{1F}\(key.item)\u{1F}\(key.milestone)"
            if changed[id] == nil {
                changed[id] = try summary(agency: agency, item: key.item, milestone: key.milestone, in: t)
                    ?? SentHistory.Summary(agency: agency, item: key.item, milestone: key.milestone)
            }
            changed[id]!.fold(day: clock.day(of: at), key: key)
        }
        for s in changed.values {
            try t.execute("""
                INSERT INTO track_summary (agency, item, milestone, delivered, first_day, last_day, escalations, requests)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (agency, item, milestone) DO UPDATE SET delivered = excluded.delivered, first_day = excluded.first_day,
                  last_day = excluded.last_day, escalations = excluded.escalations, requests = excluded.requests
                """, [s.agency, s.item, Int64(s.milestone), s.delivered, s.first?.iso, s.last?.iso, s.escalationText,
                      s.requests.map(\.iso).joined(separator: " ")])
        }
        return changed.count
    }

    private static func summary(agency: String, item: String, milestone: Int32, in t: any StoreTransaction) throws -> SentHistory.Summary? {
        try t.row("SELECT * FROM track_summary WHERE agency = ? AND item = ? AND milestone = ?", [agency, item, Int64(milestone)])
            .map(summary)
    }

    /// A summary row read back.
    static func summary(_ row: StoreRow) -> SentHistory.Summary {
        SentHistory.Summary(agency: row["agency"], item: row["item"], milestone: Int32(row["milestone"] as Int64), delivered: row["delivered"],
                            first: (row["first_day"] as String?).flatMap(CivilDate.init(iso:)),
                            last: (row["last_day"] as String?).flatMap(CivilDate.init(iso:)),
                            escalations: SentHistory.Summary.escalations(row["escalations"]),
                            requests: (row["requests"] as String).split(separator: " ").compactMap { CivilDate(iso: $0) })
    }

    /// Every summary (what `supervision` reads before the sent log's rows).
    public func trackSummaries() throws -> [SentHistory.Summary] {
        try backend.read { t in try t.rows("SELECT * FROM track_summary", []).map(Self.summary) }
    }
}
