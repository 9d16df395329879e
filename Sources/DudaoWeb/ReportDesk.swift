import Foundation
import DudaoCore
import DudaoMessages
import DudaoSchedules
import DudaoStore

/// 督办周报 on its own page: this week's (or month's) report as the office's email would
/// carry it, rendered from the records now, and every report sent before exactly as it was
/// sent (from the outbox's copy), each ready to print.
public struct ReportDesk: Sendable {
    let store: StateStore
    let schedules: @Sendable () -> ScheduleSet
    let templates: TemplateSet
    /// The report's HTML as last rendered for a period and day, while the records are unchanged.
    let rendered: RecordsCache<String>

    /// The report of `period` as of `day` (today when nil), or the copy sent as outbox row
    /// `sent`; nil when `sent` is not a report the outbox holds.
    public func page(monthly: Bool, day text: String?, sent: Int64?, viewer: Viewer, now: Date) throws -> String? {
        let set = schedules()
        let clock = LocalClock(timeZone: set.policy.timeZone)
        let today = clock.day(of: now)
        var values: [String: Any] = ["page_title": "督办\(monthly ? "月" : "周")报", "nav_report": true, "monthly": monthly]
        var problem: String? = nil
        if let sent {
            guard let entry = try store.message(id: sent), entry.message.contains("#report-") else { return nil }
            let copy = SentCopy(payload: entry.payload)
            values["body"] = copy.map { Self.body(of: $0.html) } ?? ""
            values["has_body"] = !(copy?.html.isEmpty ?? true)
            values["heading"] = "\(entry.message.hasSuffix("month") ? "月报" : "周报")（\(Labels.minute(entry.sentAt ?? entry.enqueuedAt, clock: clock))发送至\(entry.agency)）"
            values["as_sent"] = true
        } else {
            // Without a day, the next report as it would go out: today's until the send
            // time, then tomorrow's, so what the office did this morning is in it.
            var day = now < clock.instant(today, at: set.policy.sendTime.seconds) ? today : today.adding(days: 1)
            if let text, !text.isEmpty {
                if let d = CivilDate(iso: String(text.prefix(40))), d <= today.adding(days: 1), d >= today.adding(days: -3660) { day = d } else {
                    problem = "日期应为明天或以前的日期（如\(today.iso)），已显示下一期报告。"
                }
            }
            guard set.policy.supervisor != nil else {
                values["body"] = ""
                values["has_body"] = false
                values["heading"] = "policy.yaml 未设置 supervisor（督查室），没有报告。"
                return templates.renderPage("report", viewer, values)
            }
            let body = try rendered.value(set: set, store: store, now: now, detail: "\(monthly ? "month" : "week") \(day.iso)") {
                let supervision = try store.supervision(clock: clock)
                guard let plan = MessagePreview.officeReport(items: set.items, policy: set.policy, calendar: set.calendar, supervision: supervision,
                                                             day: day, monthly: monthly), let message = plan.messages.first else { return "" }
                let renderer = MessageRenderer(templates: templates,
                                               context: MessageContext(office: set.policy.supervisor, reportTo: set.messages.reportTo, contact: set.officeContact))
                return Self.body(of: renderer.render(message, in: plan).html)
            }
            let sendAt = clock.instant(day, at: set.policy.sendTime.seconds)
            values["body"] = body
            values["has_body"] = !body.isEmpty
            values["heading"] = "\(Labels.minute(sendAt, clock: clock))\(sendAt > now ? "将发送" : "")，按现有记录生成"
            values["day"] = day.iso
        }
        let past = try store.messages(MessageSearch(reportsOnly: true), limit: 30).map { e in
            ["id": e.id, "at": Labels.minute(e.sentAt ?? e.enqueuedAt, clock: clock), "agency": e.agency,
             "kind": e.message.hasSuffix("month") ? "月报" : "周报", "state": e.state == .sent ? "已发送" : e.state == .dead ? "投递失败" : "待发送",
             "current": e.id == sent] as [String: Any]
        }
        values["past"] = past
        values["has_past"] = !past.isEmpty
        values["problem"] = problem ?? ""
        values["has_problem"] = problem != nil
        return templates.renderPage("report", viewer, values)
    }

    /// What is inside an HTML document's `<body>`: the report's own document, set into the
    /// console's page. Dudao rendered it, every value escaped by the templates.
    static func body(of html: String) -> String {
        guard let open = html.range(of: "<body"), let start = html[open.upperBound...].firstIndex(of: ">") else { return html }
        let rest = html[html.index(after: start)...]
        return String(rest.range(of: "</body>").map { rest[..<$0.lowerBound] } ?? rest)
    }
}
