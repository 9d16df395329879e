import Foundation

/// What the 已发送 page narrows the outbox's messages to: an agency, an item, a span of
/// days (local midnight to local midnight, as instants), reports only; `before` is the
/// cursor (the last id of the previous page), so a page costs the same at any depth.
public struct MessageSearch: Sendable {
    public var agency: String?
    public var item: String?
    public var from: Date?
    public var until: Date?
    /// Only the office's weekly and monthly reports.
    public var reportsOnly = false
    public var before: Int64?

    public init(agency: String? = nil, item: String? = nil, from: Date? = nil, until: Date? = nil, reportsOnly: Bool = false, before: Int64? = nil) {
        self.agency = agency
        self.item = item
        self.from = from
        self.until = until
        self.reportsOnly = reportsOnly
        self.before = before
    }
}

extension StateStore {
    /// Messages matching `search`, newest first, at most `limit`, with their stored copies.
    /// Every one the outbox holds — sent, waiting or failed — until retention prunes it.
    public func messages(_ search: MessageSearch, limit: Int) throws -> [OutboxEntry] {
        var conditions: [String] = [], values: [any SQLBindable] = []
        if let agency = search.agency { conditions.append("outbox.agency = ?"); values.append(agency) }
        if let item = search.item {
            // notices is [["key","item"],…]: the item's id closes a pair. LIKE's wildcards in
            // an id are escaped; an id with a quote or backslash (never in a list) matches nothing.
            guard !item.contains("\"") && !item.contains("\\") else { return [] }
            conditions.append("outbox.notices LIKE ? ESCAPE '!'")
            values.append("%\"" + item.replacingOccurrences(of: "!", with: "!!").replacingOccurrences(of: "%", with: "!%").replacingOccurrences(of: "_", with: "!_") + "\"]%")
        }
        if let from = search.from { conditions.append("COALESCE(outbox.sent_at, outbox.enqueued_at) >= ?"); values.append(Self.iso(from)) }
        if let until = search.until { conditions.append("COALESCE(outbox.sent_at, outbox.enqueued_at) < ?"); values.append(Self.iso(until)) }
        if search.reportsOnly { conditions.append("outbox.message LIKE '%#report-%'") }
        if let before = search.before { conditions.append("outbox.id < ?"); values.append(before) }
        let filter = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        return try backend.read { t in
            try t.rows("\(Self.selectEntries)\(filter) ORDER BY outbox.id DESC LIMIT \(max(1, min(limit, 1000)))", values).map(Self.entry)
        }
    }

    /// The message stored as outbox row `id`, with its copy.
    /// The outbox row of each message key in `keys` that has one (the first, when a message
    /// went by several channels).
    public func messageIDs(keys: [String]) throws -> [String: Int64] {
        guard !keys.isEmpty else { return [:] }
        return try backend.read { t in
            var out: [String: Int64] = [:]
            for chunk in stride(from: 0, to: keys.count, by: 200).map({ Array(keys[$0..<min($0 + 200, keys.count)]) }) {
                let marks = Array(repeating: "?", count: chunk.count).joined(separator: ", ")
                for row in try t.rows("SELECT message, MIN(id) AS id FROM outbox WHERE message IN (\(marks)) GROUP BY message", chunk) {
                    out[row["message"]] = row["id"]
                }
            }
            return out
        }
    }

    public func message(id: Int64) throws -> OutboxEntry? {
        try backend.read { t in try t.rows("\(Self.selectEntries) WHERE outbox.id = ?", [id]).first.map(Self.entry) }
    }
}

extension StateStore {
    /// A value that changes whenever anything the 台账 is built from changes — a report or
    /// decision, a withdrawal, a message enqueued, sent or given up, a notice logged — on this machine or
    /// another: a handful of index lookups, cheap enough to ask on every page.
    public func changeStamp() throws -> String {
        try backend.read { t in
            guard let row = try t.row("""
                SELECT (SELECT MAX(id) FROM progress) AS reports, (SELECT COUNT(*) FROM withdrawal) AS withdrawals,
                  (SELECT MAX(id) FROM outbox) AS messages, (SELECT COUNT(*) FROM outbox WHERE state = 'pending') AS pending,
                  (SELECT COUNT(*) FROM outbox WHERE state = 'dead') AS dead, (SELECT MAX(rowid) FROM sent) AS sent
                """, []) else { return "" }
            let parts: [Int64?] = [row["reports"], row["withdrawals"], row["messages"], row["pending"], row["dead"], row["sent"]]
            return parts.map { $0.map(String.init) ?? "-" }.joined(separator: ":")
        }
    }
}
