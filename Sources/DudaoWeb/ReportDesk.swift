import Foundation
import DudaoCore
import DudaoMessages
import DudaoSchedules
import DudaoStore

/// 督办周报 and what comes from it: this week's (or month's) report as the office's email
/// would carry it, rendered from the records now, and every report sent before exactly as
/// it was sent (from the outbox's copy), each ready to print; its downloads (the 督查通报
/// with its 文号, the figures as Excel or CSV); the figures on their own page (指标) and on
/// the big screen (大屏); the register of every 文号 given (文号).
public struct ReportDesk: Sendable {
    let store: StateStore
    let schedules: @Sendable () -> ScheduleSet
    let templates: TemplateSet
    /// The report's HTML as last rendered for a period and day, while the records are unchanged.
    let rendered: RecordsCache<String>
    /// The figures of a period and day, while the records are unchanged.
    let figures: RecordsCache<ReportFigures>

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
            let (day, wrong) = Self.day(text, set: set, now: now)
            if wrong { problem = "日期应为明天或以前的日期（如\(today.iso)），已显示下一期报告。" }
            guard set.policy.supervisor != nil else {
                values["body"] = ""
                values["has_body"] = false
                values["heading"] = "policy.yaml 未设置 supervisor（督查室），没有报告。"
                return templates.renderPage("report", viewer, values)
            }
            // One computation of the figures for the report's text and the chart beside it.
            let kept = try figures(monthly: monthly, day: day, set: set, now: now)
            let body = try rendered.value(set: set, store: store, now: now, detail: "\(monthly ? "month" : "week") \(day.iso)") {
                guard let (figures, plan) = kept, let message = plan.messages.first else { return "" }
                return Self.body(of: renderer(set).render(message, in: plan, figures: figures).html)
            }
            let sendAt = clock.instant(day, at: set.policy.sendTime.seconds)
            values["body"] = body
            values["has_body"] = !body.isEmpty
            values["heading"] = "\(Labels.minute(sendAt, clock: clock))\(sendAt > now ? "将发送" : "")，按现有记录生成"
            values["day"] = day.iso
            values["downloads"] = "period=\(monthly ? "month" : "week")&day=\(day.iso)"
            // Beside the report as emailed, each agency's figures drawn (the 指标 page's chart).
            if let (figures, _) = kept {
                values["chart"] = FiguresChart.svg(figures.assessment)
                values["has_chart"] = !figures.assessment.agencies.isEmpty
            }
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

    /// The office's report as its email renders it.
    func renderer(_ set: ScheduleSet) -> MessageRenderer {
        MessageRenderer(templates: templates, context: MessageContext(office: set.policy.supervisor, reportTo: set.messages.reportTo,
                                                                      contact: set.officeContact, itemLists: { set.itemLists }))
    }

    /// The report's day: `text` when it is a day up to tomorrow (and not ten years back),
    /// else the next report as it would go out — today's until the send time, then
    /// tomorrow's, so what the office did this morning is in it. `wrong`: `text` was refused.
    static func day(_ text: String?, set: ScheduleSet, now: Date) -> (day: CivilDate, wrong: Bool) {
        let clock = LocalClock(timeZone: set.policy.timeZone)
        let today = clock.day(of: now)
        let next = now < clock.instant(today, at: set.policy.sendTime.seconds) ? today : today.adding(days: 1)
        guard let text, !text.isEmpty else { return (next, false) }
        if let d = CivilDate(iso: String(text.prefix(40))), d <= today.adding(days: 1), d >= today.adding(days: -3660) { return (d, false) }
        return (next, true)
    }

    /// The report's plan and message on `day`; nil without a supervising office.
    static func plan(set: ScheduleSet, supervision: Supervision, day: CivilDate, monthly: Bool) -> (Plan, PlannedMessage)? {
        guard let plan = MessagePreview.officeReport(items: set.items, policy: set.policy, calendar: set.calendar, supervision: supervision,
                                                     day: day, monthly: monthly), let message = plan.messages.first else { return nil }
        return (plan, message)
    }

    /// The figures of `period` on `day`, kept while the records are unchanged; nil without a
    /// supervising office.
    func figures(monthly: Bool, day: CivilDate, set: ScheduleSet, now: Date) throws -> (figures: ReportFigures, plan: Plan)? {
        let clock = LocalClock(timeZone: set.policy.timeZone)
        guard set.policy.supervisor != nil else { return nil }
        // 未签收 in the report as the service counts it (who can be followed up does not change it).
        let supervision = try store.supervision(clock: clock, policy: set.policy, calendar: set.calendar, now: now, canFollowUp: { _ in false }).0
        guard let (plan, message) = Self.plan(set: set, supervision: supervision, day: day, monthly: monthly) else { return nil }
        let built = try figures.value(set: set, store: store, now: now, detail: "\(monthly ? "month" : "week") \(day.iso)") {
            ReportFigures(plan: plan, message: message, monthly: monthly, lists: set.itemLists)
        }
        return (built, plan)
    }

    /// A download of the report: the 督查通报 (docx, given its 文号 on first issue, the same
    /// one after), the figures (xlsx, csv), or the email's html, text or markdown.
    public struct Download: Sendable {
        public var data: Data
        public var type: String
        public var name: String
        /// The 文号 the download was given, if a 通报.
        public var number: String?
    }

    public enum Format: String, Sendable, CaseIterable { case docx, xlsx, csv, html, text, markdown }

    /// The report of `period` on `day` as `format`; nil without a supervising office.
    public func download(monthly: Bool, day text: String?, format: Format, viewer: Viewer, client: String, now: Date) throws -> Download? {
        let set = schedules()
        let (day, _) = Self.day(text, set: set, now: now)
        guard let (figures, plan) = try figures(monthly: monthly, day: day, set: set, now: now) else { return nil }
        let word = monthly ? "月报" : "周报"
        let office = set.policy.supervisor ?? "督查室"
        switch format {
        case .docx:
            guard let message = plan.messages.first else { return nil }
            // The report's message key: the one the emailed report was numbered by, so the
            // report sent and the one downloaded carry the same 文号.
            let given = try store.documentNumber(kind: DocumentKind.report.rawValue, year: day.year, key: plan.messageKey(message),
                                                 audit: AuditEntry(at: now, actor: viewer.user, client: client, action: .documentNumber,
                                                                   detail: "督查通报 \(day.iso)"))
            let number = DocumentKind.report.number(set.policy, year: given.year, n: given.n)
            let data = try CirculatedReport.document(figures, plan: plan, office: office, number: number).data()
            return Download(data: data, type: OfficialDocument.mediaType, name: "督查通报-\(number).docx", number: number)
        case .xlsx:
            return Download(data: try FiguresWorkbook.spreadsheet(figures, items: plan.items).data(),
                            type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", name: "督办\(word)指标-\(day.iso).xlsx")
        case .csv:
            return Download(data: Data(FiguresWorkbook.csv(figures).utf8), type: "text/csv; charset=utf-8", name: "督办\(word)指标-\(day.iso).csv")
        case .html, .text, .markdown:
            guard let message = plan.messages.first else { return nil }
            let r = renderer(set).render(message, in: plan, figures: figures)
            let (body, type, ext) = format == .html ? (r.html, "text/html; charset=utf-8", "html")
                : format == .text ? ("Subject: \(r.subject)\n\n\(r.text)", "text/plain; charset=utf-8", "txt") : (r.markdown, "text/markdown; charset=utf-8", "md")
            return Download(data: Data(body.utf8), type: type, name: "督办\(word)-\(day.iso).\(ext)")
        }
    }

    /// 考核指标: the figures of a period with a chart per agency (SVG drawn here, no scripts).
    public func figuresPage(monthly: Bool, day text: String?, viewer: Viewer, now: Date) throws -> String {
        let set = schedules()
        let (day, wrong) = Self.day(text, set: set, now: now)
        var values: [String: Any] = ["page_title": "考核指标", "nav_figures": true, "monthly": monthly, "day": day.iso,
                                     "period": monthly ? "月" : "周", "has_problem": wrong,
                                     "problem": wrong ? "日期应为明天或以前的日期，已显示下一期。" : "",
                                     "downloads": "period=\(monthly ? "month" : "week")&day=\(day.iso)"]
        if let (figures, plan) = try figures(monthly: monthly, day: day, set: set, now: now) {
            values.merge(AssessmentValues.values(figures, items: plan.items)) { $1 }
            values["since_date"] = Labels.date(figures.assessment.since)
            values["send_date"] = Labels.date(day)
            values["chart"] = FiguresChart.svg(figures.assessment)
            values["top_level_name"] = set.policy.ladder.levels.last?.name ?? "通报"
        } else {
            values["has_figures"] = false
        }
        return templates.renderPage("figures", viewer, values) ?? ""
    }

    /// 文号登记: every 督查通报 and 督办通知单 number given, newest first (200 of each), with
    /// what it was given to, when, by whom, and the message that carried it.
    public func documentsPage(viewer: Viewer) throws -> String {
        let set = schedules()
        let clock = LocalClock(timeZone: set.policy.timeZone)
        var values: [String: Any] = ["page_title": "文号登记", "nav_documents": true]
        for kind in DocumentKind.allCases {
            let numbers = try store.documentNumbers(kind: kind.rawValue)
            let sent = try store.messageIDs(keys: numbers.map(\.key))
            let rows: [[String: Any]] = numbers.map { n in
                // Message keys read AGENCY@TIME[#report-week]; the console's own keys are shown as they are.
                let agency = n.key.split(separator: "@").first.map(String.init) ?? n.key
                var row: [String: Any] = ["number": kind.number(set.policy, year: n.year, n: n.n), "to": agency,
                                          "at": Labels.minute(n.at, clock: clock), "by": n.actor]
                if let id = sent[n.key] { row["sent"] = id }
                return row
            }
            values[kind.rawValue] = rows
            values["has_\(kind.rawValue)"] = !rows.isEmpty
        }
        return templates.renderPage("documents", viewer, values) ?? ""
    }

    /// The big screen: the week's key figures in large type, the worst agencies and items;
    /// reloads itself every five minutes.
    public func screen(viewer: Viewer, now: Date) throws -> String {
        let set = schedules()
        let (day, _) = Self.day(nil, set: set, now: now)
        var values: [String: Any] = ["office": set.policy.supervisor ?? "督查室", "at": Labels.minute(now, clock: LocalClock(timeZone: set.policy.timeZone))]
        if let (figures, plan) = try figures(monthly: false, day: day, set: set, now: now) {
            values.merge(AssessmentValues.values(figures, items: plan.items)) { $1 }
            values["worst_items"] = Array((values["worst_items"] as? [[String: Any]] ?? []).prefix(5))
        } else {
            values["has_figures"] = false
        }
        return templates.renderPage("screen", viewer, values) ?? ""
    }
}
