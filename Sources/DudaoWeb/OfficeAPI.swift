import Foundation
import DudaoCore
import DudaoSchedules

/// `/api/items` and `/api/items/ID`: the 台账 as JSON, the same rows `dudao status
/// --format json` prints; an item adds its reports and what was sent about it.
extension OfficeDesk {
    /// Every item and lead agency.
    public func itemsJSON(now: Date) throws -> String {
        let board = try StatusBoard(set: schedules(), store: store, now: now, horizonDays: 60)
        return JSONValue.array(board.rows.map(\.json)).text
    }

    /// One item: its rows, reports (with attachments) and sent log; `nil` when unknown.
    public func itemJSON(_ id: String, now: Date) throws -> String? {
        let set = schedules()
        guard let item = set.items.first(where: { $0.id == id }) else { return nil }
        let clock = LocalClock(timeZone: set.policy.timeZone)
        let board = try StatusBoard(set: set, store: store, now: now, horizonDays: 400)
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
            ("rows", .array(board.rows.filter { $0.id == id }.map(\.json))), ("reports", .array(reports)), ("sent", .array(sent)),
        ]).text
    }
}
