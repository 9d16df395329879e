import Foundation
import DudaoCore
import DudaoSchedules

/// `/api/items` and `/api/items/ID`: the 台账 as JSON, the same rows `dudao status
/// --format json` prints; an item adds its reports and what was sent about it.
extension OfficeDesk {
    /// Rows of `/api/items` a call returns by default, and at most.
    static let apiPage = 1000, apiMaxPage = 5000

    /// Item-and-agency rows in list order: at most `limit`, after the row named by `after`
    /// (`ID|AGENCY`, as the previous page's `next` gives it); `next` names the last row
    /// when more follow.
    public func itemsJSON(now: Date, limit: Int? = nil, after: String? = nil) throws -> (json: String, next: String?) {
        let set = schedules()
        let board = try boards.value(set: set, store: store, now: now) { try StatusBoard(set: set, store: store, now: now, horizonDays: 60) }
        let count = max(1, min(limit ?? Self.apiPage, Self.apiMaxPage))
        var start = 0
        if let after, let bar = after.firstIndex(of: "|") {
            let (id, agency) = (String(after[..<bar]), String(after[after.index(after: bar)...]))
            start = (board.rows.firstIndex { $0.id == id && $0.agency == agency }).map { $0 + 1 } ?? board.rows.count
        }
        let rows = board.rows[start..<min(board.rows.count, start + count)]
        let next = start + count < board.rows.count ? rows.last.map { "\($0.id)|\($0.agency)" } : nil
        return (JSONValue.array(rows.map(\.json)).text, next)
    }

    /// One item: its rows, reports (with attachments) and sent log; `nil` when unknown.
    public func itemJSON(_ id: String, now: Date) throws -> String? {
        let set = schedules()
        guard let item = set.items.first(where: { $0.id == id }) else { return nil }
        let clock = LocalClock(timeZone: set.policy.timeZone)
        let board = try StatusBoard(set: set, items: [item], store: store, now: now, horizonDays: 400)
        let files = try store.attachments(item: id)
        let reports: [JSONValue] = try store.reports(item: id).map { (rowID, r) in
            .object([
                ("at", .string(clock.iso8601(r.at))), ("by", .string(r.by)), ("agency", r.key.agency.map(JSONValue.string) ?? .null),
                ("milestone", r.key.milestone.map(JSONValue.int) ?? .null), ("status", .string(r.status.name)),
                ("extended_to", r.status.extendedTo.map { .string($0.iso) } ?? .null), ("note", .string(r.note)),
                ("next_report", r.nextReport.map { .string($0.iso) } ?? .null),
                ("withdrawn", r.withdrawn.map { .object([("by", .string($0.by)), ("at", .string(clock.iso8601($0.at)))]) } ?? .null),
                ("attachments", .array((files[rowID] ?? []).map {
                    .object([("filename", .string($0.filename)), ("type", .string($0.type)), ("size", .int($0.size)),
                             ("href", .string("/files/" + $0.sha256))])
                })),
            ])
        }
        let sent: [JSONValue] = try store.sentLog(item: id).map { s in
            .object([("at", .string(clock.iso8601(s.at))), ("agency", .string(s.agency)), ("notice", .string(s.notice)),
                     ("channel", .string(s.channel))])
        }
        return JSONValue.object([
            ("id", .string(item.id)), ("title", .string(item.title)), ("lead", .array(item.lead.map(JSONValue.string))),
            ("partners", .array(item.partners.map(JSONValue.string))), ("due_text", .string(item.dueText)),
            ("rows", .array(board.rows.map(\.json))), ("reports", .array(reports)), ("sent", .array(sent)),
        ]).text
    }
}
