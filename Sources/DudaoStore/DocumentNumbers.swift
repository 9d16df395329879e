import Foundation

/// A 文号 the store gave: which sequence, the year, the number and what it was given to.
public struct DocumentNumber: Hashable, Sendable {
    /// The sequence: `report` (督查通报) or `notice` (督办通知单).
    public var kind: String
    public var year: Int
    public var n: Int
    /// What it numbers (a report's day, a message's key): asked again, the same number.
    public var key: String
    public var at: Date
    public var actor: String
}

/// A document to number: its sequence, year and key, and what the audit row says of it.
public struct DocumentRequest: Hashable, Sendable {
    public var kind: String
    public var year: Int
    public var key: String
    public var detail: String

    public init(kind: String, year: Int, key: String, detail: String = "") {
        self.kind = kind
        self.year = year
        self.key = key
        self.detail = detail
    }
}

extension StateStore {
    /// The number of document `key` in sequence `kind` for `year`: the one it was given
    /// before, or else the next of that year's sequence, recorded with its audit row in one
    /// transaction. Both machines take the sequence's lock first, so numbers are neither
    /// repeated nor skipped, and a restart continues where the sequence stood.
    public func documentNumber(kind: String, year: Int, key: String, audit: AuditEntry) throws -> DocumentNumber {
        try documentNumbers([DocumentRequest(kind: kind, year: year, key: key, detail: audit.detail)], audit: audit)[0]
    }

    /// The numbers of several documents in one transaction (a morning's 督办通知单), in the
    /// order asked; each new one is audited as `audit` with its own object and detail.
    public func documentNumbers(_ requests: [DocumentRequest], audit: AuditEntry) throws -> [DocumentNumber] {
        guard !requests.isEmpty else { return [] }
        return try backend.write { t in
            if let lock = backend.dialect.lock("document_number") { try t.execute(lock) }
            var out: [DocumentNumber] = []
            var last: [String: Int] = [:]
            for r in requests {
                if let row = try t.row("SELECT year, n, at, actor FROM document_number WHERE kind = ? AND key = ?", [r.kind, r.key]) {
                    out.append(DocumentNumber(kind: r.kind, year: row["year"], n: row["n"], key: r.key,
                                              at: Self.date(row["at"]) ?? Date(timeIntervalSince1970: 0), actor: row["actor"]))
                    continue
                }
                let sequence = "\(r.kind) \(r.year)"
                let n = try (last[sequence] ?? t.value("SELECT MAX(n) FROM document_number WHERE kind = ? AND year = ?", [r.kind, r.year]) ?? 0) + 1
                last[sequence] = n
                _ = try t.execute("INSERT INTO document_number (kind, year, n, key, at, actor) VALUES (?, ?, ?, ?, ?, ?)",
                                  [r.kind, r.year, n, r.key, Self.iso(audit.at), audit.actor])
                var entry = audit
                entry.object = "\(r.kind) \(r.year)-\(n)"
                entry.detail = String((r.detail.isEmpty ? r.key : "\(r.detail)；\(r.key)").prefix(2000))
                try Self.audit(entry, dialect: backend.dialect, in: t)
                out.append(DocumentNumber(kind: r.kind, year: r.year, n: n, key: r.key, at: audit.at, actor: audit.actor))
            }
            return out
        }
    }

    /// The number document `key` of `kind` was given, if any (nothing is given by asking).
    public func existingDocumentNumber(kind: String, key: String) throws -> DocumentNumber? {
        try backend.read { t in
            try t.row("SELECT year, n, at, actor FROM document_number WHERE kind = ? AND key = ?", [kind, key]).map { row in
                DocumentNumber(kind: kind, year: row["year"], n: row["n"], key: key,
                               at: Self.date(row["at"]) ?? Date(timeIntervalSince1970: 0), actor: row["actor"])
            }
        }
    }

    /// The numbers of `kind` given, newest first, at most `limit`.
    public func documentNumbers(kind: String, limit: Int = 200) throws -> [DocumentNumber] {
        try backend.read { t in
            try t.rows("SELECT year, n, key, at, actor FROM document_number WHERE kind = ? ORDER BY year DESC, n DESC LIMIT ?", [kind, limit]).map { row in
                DocumentNumber(kind: kind, year: row["year"], n: row["n"], key: row["key"],
                               at: Self.date(row["at"]) ?? Date(timeIntervalSince1970: 0), actor: row["actor"])
            }
        }
    }
}
