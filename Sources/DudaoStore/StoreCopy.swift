import Foundation

/// What `dudao store copy` moved, table by table.
public struct StoreCopySummary: Sendable, CustomStringConvertible {
    public var rows: [(table: String, count: Int)] = []
    public var description: String { rows.map { "\($0.table) \($0.count)" }.joined(separator: ", ") }
}

/// Why a copy was refused.
public struct StoreCopyError: Error, CustomStringConvertible {
    public var description: String
}

extension StateStore {
    /// Every table, parents before children, with the column that orders its rows and the
    /// generated id to keep following (`sent` has no id, only its insertion order).
    static let copiedTables: [(name: String, order: String, generated: String?)] = [
        ("progress", "id", "id"), ("attachment", "id", "id"), ("attachment_file", "sha256", nil), ("sent", "rowid", "rowid"), ("outbox", "id", "id"),
        ("outbox_payload", "id", nil), ("meta", "key", nil), ("circuit", "channel", nil), ("account", "name", nil),
        ("track_summary", "agency, item, milestone", nil), ("withdrawal", "progress", nil), ("submission", "id", nil),
        ("audit", "seq", nil), ("login_throttle", "key", nil), ("list_revision", "list, revision", nil), ("list_draft", "id", nil),
        ("agency_revision", "name, revision", nil), ("lead_change", "id", "id"), ("document_number", "kind, year, n", nil),
        ("sms_event", "id", "id"), ("short_link", "code", nil), ("agency_receipt", "id", "id"),
    ]

    /// Copies everything this store holds into `target`, which must be empty: an office moves
    /// its history from SQLite to PostgreSQL (or back) with ids, order and the sent log intact.
    /// One read of the source and one transaction on the target: a failure leaves the target
    /// as empty as it was.
    @discardableResult
    public func copy(to target: StateStore) throws -> StoreCopySummary {
        let dialect = target.backend.dialect
        let tables = try backend.read { t in
            try Self.copiedTables.map { table in
                let columns = table.name == "sent" ? "rowid, *" : "*"
                return (table, try t.rows("SELECT \(columns) FROM \(table.name) ORDER BY \(table.order)", []))
            }
        }
        return try target.backend.write { t in
            let held = try Self.copiedTables.compactMap { table -> String? in
                let n: Int = try t.value("SELECT COUNT(*) FROM \(table.name)") ?? 0
                return n > 0 ? "\(table.name) \(n)" : nil
            }
            guard held.isEmpty else {
                throw StoreCopyError(description: "目标库已有数据 the target already holds state (\(held.joined(separator: ", "))); "
                    + "copy only into an empty store (hint: a new database, then dudao store copy)")
            }
            var summary = StoreCopySummary()
            for (table, rows) in tables {
                if let first = rows.first {
                    // SQLite's `rowid, *` may name the rowid twice when a table has a column so named; keep the first.
                    var seen = Set<String>()
                    let keep = first.columns.indices.filter { seen.insert(first.columns[$0]).inserted }
                    let names = keep.map { "\"\(first.columns[$0])\"" }.joined(separator: ", ")
                    let marks = Array(repeating: "?", count: keep.count).joined(separator: ", ")
                    let insert = "INSERT INTO \(table.name) (\(names)) VALUES (\(marks))"
                    for row in rows {
                        try t.execute(insert, keep.map { row.values[$0] })
                    }
                }
                if let column = table.generated, let sql = dialect.followInsertedIDs(table.name, column) {
                    try t.execute(sql)
                }
                summary.rows.append((table.name, rows.count))
            }
            return summary
        }
    }
}
