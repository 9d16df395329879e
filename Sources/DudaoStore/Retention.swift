import Foundation
import DudaoCore

/// What one pruning removed.
public struct PruneSummary: Hashable, Sendable {
    /// Sent-log rows past the audit retention.
    public var sentRows = 0
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
    @discardableResult
    public func prune(_ retention: Retention, now: Date) throws -> PruneSummary {
        let audit = Self.iso(now.addingTimeInterval(-Double(retention.auditSeconds)))
        let bodies = Self.iso(now.addingTimeInterval(-Double(retention.bodySeconds)))
        return try backend.write { t in
            var s = PruneSummary()
            s.sentRows = try t.execute("DELETE FROM sent WHERE at < ?", [audit])
            let finished = "SELECT id FROM outbox WHERE state != 'pending' AND enqueued_at < ? AND COALESCE(sent_at, enqueued_at) < ?"
            try t.execute("DELETE FROM outbox_payload WHERE id IN (\(finished))", [audit, audit])
            s.outboxRows = try t.execute("DELETE FROM outbox WHERE id IN (\(finished))", [audit, audit])
            s.bodies = try t.execute("DELETE FROM outbox_payload WHERE id IN (SELECT id FROM outbox WHERE state = 'sent' AND sent_at < ?)", [bodies])
            return s
        }
    }
}
