import Foundation
import DudaoCore

/// One item and lead agency as the office reads it: `dudao status`, the console's 台账 and
/// `/api/items`.
public struct StatusRow: Sendable {
    public let row: LedgerRow
    public let id, title, agency, lead, dueText: String
    public let light: Light
    /// Days until the earliest open date (negative when overdue).
    public let days: Int?
    public let levelName: String?
    public let next: String?
    public let lastReportAt: String?
    /// Dead letters and skipped notices about the item.
    public let failures, skipped: Int

    public init(row: LedgerRow, item: Item, policy: Policy, today: CivilDate, next: Date?, failures: Int, skipped: Int, clock: LocalClock) {
        self.row = row
        id = item.id
        title = item.title
        agency = row.agency
        lead = item.lead.joined(separator: "、")
        dueText = item.dueText
        light = row.light
        days = row.due.map { today.days(until: $0) }
        levelName = row.step.map { Labels.numberedStep($0, ladder: policy.ladder) }
        self.next = next.map(clock.iso8601)
        lastReportAt = row.lastReport.map { clock.iso8601($0.at) }
        self.failures = failures
        self.skipped = skipped
    }

    /// Where it stands in words, as its last decision came (完成时限已调整为… for an order).
    public var stateText: String { Labels.state(row.status, origin: row.origin) }
    public var shortTitle: String { title.count > 16 ? String(title.prefix(15)) + "…" : title }
    public var deadline: String { row.due.map { "\(dueText)（\($0.iso)）" } ?? dueText }
    public var daysText: String {
        guard let d = days else { return "-" }
        return d >= 0 ? "余\(d)天" : "逾期\(-d)天"
    }
    public var lastReportText: String? {
        guard let r = row.lastReport, let at = lastReportAt else { return nil }
        return String(at.prefix(10)) + " " + Labels.event(r.status)
    }

    public static let csvHeader = ["id", "title", "agency", "lead", "due_text", "due", "days", "light", "status", "level", "level_name",
                            "reminders_sent", "first_sent", "last_sent", "last_report", "last_report_at", "next_planned", "failures", "skipped"]

    public var csvFields: [String] {
        [id, title, agency, lead, dueText, row.due?.iso ?? "", days.map(String.init) ?? "", light.rawValue, row.status.name,
         row.step.map { String($0.number) } ?? "", levelName ?? "", String(row.remindersSent), row.firstSent?.iso ?? "",
         row.lastSent?.iso ?? "", row.lastReport?.status.name ?? "", lastReportAt ?? "", next ?? "", String(failures), String(skipped)]
    }

    /// The same columns for the office (`status --format csv`): Chinese headers, states,
    /// lights and levels in words, dates in ISO 8601 (Excel reads them as dates).
    public static let chineseHeader = ["事项编号", "事项", "本行牵头单位", "全部牵头单位", "完成时间", "截止日期", "剩余天数", "灯", "状态", "督办等级",
                                       "等级名称", "已提醒次数", "首次提醒", "最近提醒", "最近报送", "报送时间", "下次提醒", "投递失败", "未发送"]

    public var chineseFields: [String] {
        [id, title, agency, lead, dueText, row.due?.iso ?? "", days.map(String.init) ?? "", light.chinese, stateText,
         row.step.map { String($0.number) } ?? "", levelName ?? "", String(row.remindersSent), row.firstSent?.iso ?? "",
         row.lastSent?.iso ?? "", row.lastReport.map { Labels.event($0.status) } ?? "", lastReportAt ?? "", next ?? "", String(failures), String(skipped)]
    }

    public var json: JSONValue {
        var report: JSONValue = .null
        if let r = row.lastReport {
            report = .object([("status", .string(r.status.name)), ("at", .string(lastReportAt ?? "")), ("by", .string(r.by)),
                              ("note", .string(r.note)), ("next_report", r.nextReport.map { .string($0.iso) } ?? .null)])
        }
        let day: (CivilDate?) -> JSONValue = { $0.map { .string($0.iso) } ?? .null }
        var fields: [(String, JSONValue)] = [
            ("id", .string(id)), ("title", .string(title)), ("agency", .string(agency)), ("lead", .string(lead)),
            ("due_text", .string(dueText)), ("due", day(row.due)), ("days", days.map(JSONValue.int) ?? .null),
        ]
        fields += [
            ("light", .string(light.rawValue)), ("status", .string(row.status.name)), ("extended_to", day(row.status.extendedTo)),
            ("level", row.step.map { .int($0.number) } ?? .null), ("level_name", levelName.map(JSONValue.string) ?? .null),
        ]
        fields += [
            ("reminders_sent", .int(row.remindersSent)), ("first_sent", day(row.firstSent)), ("last_sent", day(row.lastSent)),
            ("last_report", report), ("next_planned", next.map(JSONValue.string) ?? .null),
            ("failures", .int(failures)), ("skipped", .int(skipped)),
        ]
        return .object(fields)
    }
}
