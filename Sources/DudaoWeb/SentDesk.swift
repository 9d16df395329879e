import Foundation
import DudaoCore
import DudaoMessages
import DudaoSchedules
import DudaoStore

/// 已发送: every message the outbox holds — to whom, when, by which channel, its subject,
/// the text as sent and how it ended — found by agency, item and days, a page at a time.
public struct SentDesk: Sendable {
    let store: StateStore
    let schedules: @Sendable () -> ScheduleSet
    let templates: TemplateSet
    static let pageSize = 50

    /// The page's query, as typed (untrusted): agency, item id, first and last day (ISO), cursor.
    public struct Query: Sendable {
        public var agency, item, from, to: String?
        public var before: Int64?

        public init(agency: String? = nil, item: String? = nil, from: String? = nil, to: String? = nil, before: Int64? = nil) {
            func clean(_ s: String?) -> String? { s.flatMap { $0.isEmpty ? nil : String($0.prefix(200)).trimmingCharacters(in: .whitespaces) } }
            self.agency = clean(agency)
            self.item = clean(item)
            self.from = clean(from)
            self.to = clean(to)
            self.before = before
        }
    }

    /// The list of messages matching `query`.
    public func page(_ query: Query, viewer: Viewer) throws -> String {
        let set = schedules()
        let clock = LocalClock(timeZone: set.policy.timeZone)
        var problems: [String] = []
        func day(_ text: String?, _ name: String) -> CivilDate? {
            guard let text else { return nil }
            guard let d = CivilDate(iso: text) else { problems.append("\(name)应为日期（如2026-12-07），不是“\(text)”。"); return nil }
            return d
        }
        let from = day(query.from, "起始日期"), to = day(query.to, "截止日期")
        let search = MessageSearch(agency: query.agency.map(set.agencies.canonical), item: query.item, from: from.map { clock.instant($0, at: 0) },
                                   until: to.map { clock.instant($0.adding(days: 1), at: 0) }, before: query.before)
        let found = try store.messages(search, limit: Self.pageSize + 1)
        let rows = found.prefix(Self.pageSize).map { Self.row($0, clock: clock) }
        var next = ""
        if found.count > Self.pageSize, let last = found.prefix(Self.pageSize).last {
            var parts: [String] = []
            for (k, v) in [("agency", query.agency), ("item", query.item), ("from", query.from), ("to", query.to)] {
                if let v { parts.append(k + "=" + (v.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")) }
            }
            next = "?" + (parts + ["before=\(last.id)"]).joined(separator: "&")
        }
        let office = set.policy.supervisor ?? "督查室"
        let agencies = ([office] + set.agencies.agencies.filter { !$0.isGroup }.map(\.name)).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        return templates.renderPage("sent", viewer, [
            "page_title": "已发送", "nav_sent": true, "rows": rows, "has_rows": !rows.isEmpty, "next": next, "has_next": !next.isEmpty,
            "first_page": query.before == nil,
            "agencies": agencies.count <= OfficeDesk.listedAgencies ? agencies.map { ["value": $0, "selected": $0 == query.agency] } : [],
            "agency_typed": agencies.count > OfficeDesk.listedAgencies, "agency": query.agency ?? "",
            "item": query.item ?? "", "from": query.from ?? "", "to": query.to ?? "",
            "problems": problems, "has_problems": !problems.isEmpty,
        ]) ?? ""
    }

    /// One message as it was sent; nil when the outbox has no such row.
    public func message(_ id: Int64, viewer: Viewer) throws -> String? {
        guard let entry = try store.message(id: id) else { return nil }
        let set = schedules()
        let clock = LocalClock(timeZone: set.policy.timeZone)
        var values = Self.row(entry, clock: clock)
        let copy = SentCopy(payload: entry.payload)
        values["page_title"] = "已发送 · 第\(id)条"
        values["nav_sent"] = true
        values["recipients"] = copy?.recipients.joined(separator: "、") ?? ""
        values["text"] = copy?.text ?? ""
        values["has_copy"] = copy != nil
        values["enqueued"] = Labels.minute(entry.enqueuedAt, clock: clock)
        values["attempts"] = entry.attempts
        values["is_report"] = entry.message.contains("#report-")
        let files: [[String: Any]] = (copy?.attachments ?? []).enumerated().map { k, a in
            ["index": k, "name": a.filename, "size": "\(max(1, a.data.count / 1024)) KB"]
        }
        values["attachments"] = files
        values["has_attachments"] = !files.isEmpty
        return templates.renderPage("sent_message", viewer, values)
    }

    /// Attachment `index` of message `id` as sent (a 督办通知单, a 督查通报); nil when there
    /// is no such message or file.
    public func attachment(_ id: Int64, index: Int) throws -> SentCopy.Attachment? {
        guard let entry = try store.message(id: id), let copy = SentCopy(payload: entry.payload),
              copy.attachments.indices.contains(index) else { return nil }
        return copy.attachments[index]
    }

    /// A message as a row of the list.
    static func row(_ e: OutboxEntry, clock: LocalClock) -> [String: Any] {
        let copy = SentCopy(payload: e.payload)
        let items = e.notices.map(\.item).filter { !$0.isEmpty }.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        let outcome: String = switch e.state {
        case .sent: "已发送"
        case .pending: e.attempts > 0 ? "待重试（已尝试\(e.attempts)次）" : "待发送"
        case .dead: "投递失败"
        case .cancelled: "未发送（单位已签收）"
        }
        return [
            "id": e.id, "at": Labels.minute(e.sentAt ?? e.enqueuedAt, clock: clock), "agency": e.agency,
            "channel": OfficeDesk.channelName(e.channel.rawValue),
            "subject": copy?.subject ?? "（正文已过保存期限）",
            "items": e.message.contains("#report-") ? (e.message.hasSuffix("month") ? "月报" : "周报") : items.prefix(8).joined(separator: "、") + (items.count > 8 ? "等\(items.count)项" : ""),
            "outcome": outcome, "failed": e.state == .dead, "error": e.state == .sent || e.state == .cancelled ? "" : e.lastError ?? "",
            "has_error": e.state != .sent && e.state != .cancelled && !(e.lastError ?? "").isEmpty,
            // An SMS platform's delivery report, and an outcome not yet known.
            "report": AgencyDesk.orFalse(e.report), "unknown": e.unknownUntil != nil && e.state == .pending,
        ]
    }
}
