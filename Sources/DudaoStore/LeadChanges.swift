import Foundation
import DudaoCore

extension StateStore {
    /// Every lead the office added or removed, oldest first.
    public func leadChanges() throws -> [LeadChange] {
        try backend.read { t in
            try t.rows("SELECT item, agency, added, reason, actor, at FROM lead_change ORDER BY id", []).map { row in
                LeadChange(item: row["item"], agency: row["agency"], added: (row["added"] as Int) != 0, reason: row["reason"],
                           by: row["actor"], at: Self.date(row["at"]) ?? Date(timeIntervalSince1970: 0))
            }
        }
    }

    /// Records `change` with its audit row and, on PostgreSQL, the announcement to the other
    /// machine (the schedules are read again with it); returns its row id.
    public func record(_ change: LeadChange, audit: AuditEntry) throws -> Int64 {
        try backend.write { t in
            let id: Int64 = try t.value("""
                INSERT INTO lead_change (item, agency, added, reason, actor, at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id
                """, [change.item, change.agency, change.added ? 1 : 0, change.reason, change.by, Self.iso(change.at)]) ?? 0
            try Self.ownedChanged(audit, object: "事项\(change.item)·\(change.agency)", detail: "记录\(id)；\(audit.detail)", dialect: backend.dialect, in: t)
            return id
        }
    }
}
