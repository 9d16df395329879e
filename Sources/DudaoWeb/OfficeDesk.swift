import Foundation
import DudaoCore
import DudaoMessages
import DudaoSchedules
import DudaoStore

/// The office's side of the console: the 台账, an item's file, the review queue, the plan
/// and the outbox as pages, and the decisions taken on them. Handlers are thin over it.
public struct OfficeDesk: Sendable {
    let store: StateStore
    let schedules: @Sendable () -> ScheduleSet
    let templates: TemplateSet
    /// The whole 台账 and a day's plan as last built, while nothing they depend on changed.
    let boards: RecordsCache<StatusBoard>
    let plans: RecordsCache<Plan>
    let reports: RecordsCache<String>
    let figures: RecordsCache<ReportFigures>
    /// Rows a dashboard page shows; the counts at the top cover every row.
    static let pageSize = 200
    /// Up to this many agencies a filter lists them; beyond, the name is typed.
    static let listedAgencies = 300

    /// A desk over the state, the schedules in force and the templates.
    public init(store: StateStore, schedules: @escaping @Sendable () -> ScheduleSet, templates: TemplateSet) {
        self.store = store
        self.schedules = schedules
        self.templates = templates
        boards = RecordsCache()
        plans = RecordsCache()
        reports = RecordsCache()
        figures = RecordsCache()
    }

    /// What the dashboard is narrowed to (query parameters `agency`, `light`, `state`, `list`,
    /// `mine` — only what waits for the office — and `page`).
    public struct Filter: Sendable {
        public var agency, light, state, list: String?
        public var mine = false
        public var page = 1

        public init(agency: String? = nil, light: String? = nil, state: String? = nil, list: String? = nil, mine: Bool = false, page: Int = 1) {
            self.mine = mine
            func clean(_ s: String?) -> String? { s.flatMap { $0.isEmpty ? nil : String($0.prefix(200)) } }
            self.agency = clean(agency)
            self.light = clean(light)
            self.state = clean(state)
            self.list = clean(list)
            self.page = max(1, min(page, 10_000))
        }
    }

    // MARK: Pages

    /// The 台账.
    /// Agencies with overdue notices past their time to sign, unsigned (`sign:` policy), most first.
    func unsigned(set: ScheduleSet, now: Date) throws -> [[String: Any]] {
        guard let policy = set.policy.sign else { return [] }
        let signing = try store.signing(policy, calendar: set.calendar, clock: LocalClock(timeZone: set.policy.timeZone), now: now,
                                        canFollowUp: { _ in false })
        return signing.unsigned.sorted { ($1.value, $0.key) < ($0.value, $1.key) }
            .map { ["agency": $0.key, "count": $0.value, "path": AgencyDesk.path($0.key)] }
    }

    public func dashboard(_ filter: Filter, viewer: Viewer, now: Date) throws -> String {
        let set = schedules()
        let board = try boards.value(set: set, store: store, now: now) { try StatusBoard(set: set, store: store, now: now, horizonDays: 60) }
        let listOf = Dictionary(set.listTitles.map { ($0.file, $0.title) }, uniquingKeysWith: { a, _ in a })
        // Which list each item is in, worked out only when the office filters by list.
        lazy var listOfItem: [String: String] = Dictionary(
            set.items.indices.map { (set.items[$0].id, set.place(ofItemAt: $0).flatMap { listOf[$0.file] } ?? "") },
            uniquingKeysWith: { first, _ in first })
        func list(_ id: String) -> String { listOfItem[id] ?? "" }
        let top = set.policy.ladder.levels.last?.level ?? Int.max
        // 待我处理: a report to review, a message that could not be delivered, or work at the
        // ladder's top (to be circulated).
        func waitsForOffice(_ r: StatusRow) -> Bool {
            switch r.row.status {
            case .doneReported, .extensionRequested: true
            default: r.failures > 0 || (r.row.step?.number ?? -1) >= top
            }
        }
        let waiting = board.rows.reduce(0) { $0 + (waitsForOffice($1) ? 1 : 0) }
        let agency = filter.agency.map(set.agencies.canonical)
        let shown = board.rows.filter { r in
            (!filter.mine || waitsForOffice(r)) && (agency == nil || r.agency == agency) && (filter.light == nil || r.light.rawValue == filter.light)
                && (filter.state == nil || r.row.status.name == filter.state) && (filter.list == nil || list(r.id) == filter.list)
        }
        let counts = board.lightCounts
        let pages = max(1, (shown.count + Self.pageSize - 1) / Self.pageSize)
        let page = min(filter.page, pages)
        let rows: [[String: Any]] = shown.dropFirst((page - 1) * Self.pageSize).prefix(Self.pageSize).map { r in
            ["id": r.id, "title": r.title, "agency": r.agency, "light": r.light.chinese, "light_class": r.light.rawValue,
             "state": r.stateText, "deadline": r.deadline, "days": r.daysText, "overdue": (r.days ?? 0) < 0,
             "level": r.levelName ?? "", "last_report": r.lastReportText ?? "", "reminders": r.row.remindersSent,
             "failures": r.failures, "has_failures": r.failures > 0]
        }
        func options(_ values: [String], selected: String?, label: (String) -> String = { $0 }) -> [[String: Any]] {
            values.map { ["value": $0, "label": label($0), "selected": $0 == selected] }
        }
        let agencies = Array(Set(board.rows.map(\.agency))).sorted()
        let states = ItemStatus.names.map { ($0, Labels.stateKind($0)) }
        func query(_ p: Int) -> String {
            var parts: [String] = []
            for (k, v) in [("agency", filter.agency), ("light", filter.light), ("state", filter.state), ("list", filter.list)] {
                if let v { parts.append(k + "=" + (v.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")) }
            }
            if filter.mine { parts.append("mine=1") }
            parts.append("page=\(p)")
            return "?" + parts.joined(separator: "&")
        }
        let unsigned = try unsigned(set: set, now: now)
        let values: [String: Any] = [
            "unsigned": unsigned, "has_unsigned": !unsigned.isEmpty,
            "page_title": "督办台账", "nav_dashboard": true,
            "office": set.policy.supervisor ?? "督查室", "today": Labels.date(board.today),
            "counts": Light.allCases.map { ["light": $0.chinese, "light_class": $0.rawValue, "count": counts[$0] ?? 0, "color": $0.colour] },
            "total": board.rows.count, "shown": shown.count, "waiting": waiting, "mine": filter.mine, "rows": rows, "has_rows": !rows.isEmpty,
            // A province's thousands of agencies are typed, not listed in every page.
            "agencies": agencies.count <= Self.listedAgencies ? options(agencies, selected: filter.agency) : [],
            "agency_typed": agencies.count > Self.listedAgencies, "agency": filter.agency ?? "",
            "lights": options(Light.allCases.map(\.rawValue), selected: filter.light) { Light(rawValue: $0)?.chinese ?? $0 },
            "states": states.map { ["value": $0.0, "label": $0.1, "selected": $0.0 == filter.state] },
            "lists": options(set.listTitles.map(\.title), selected: filter.list),
            "page": page, "pages": pages, "has_pages": pages > 1,
            "prev": AgencyDesk.orFalse(page > 1 ? query(page - 1) : nil), "next": AgencyDesk.orFalse(page < pages ? query(page + 1) : nil),
        ]
        return templates.renderPage("dashboard", viewer, values) ?? ""
    }

    /// Builds the 台账's board ahead (after the service's wake), when the office looked at it
    /// in the last half hour: its next page is then served from what is kept.
    public func prepare(now: Date) {
        let set = schedules()
        boards.prepare(set: set, store: store, now: now, recently: 1800) { try StatusBoard(set: set, store: store, now: now, horizonDays: 60) }
    }

    /// The 台账 workbook as of `now` (`LedgerWorkbook`) and the file name to offer: the
    /// rows the dashboard shows (its kept board, next reminders 60 days ahead).
    public func ledgerWorkbook(now: Date) throws -> (data: Data, name: String) {
        let set = schedules()
        let clock = LocalClock(timeZone: set.policy.timeZone)
        let board = try boards.value(set: set, store: store, now: now) { try StatusBoard(set: set, store: store, now: now, horizonDays: 60) }
        return (try LedgerWorkbook.spreadsheet(set: set, board: board, clock: clock).data(), "督办台账-\(clock.day(of: now).iso).xlsx")
    }

    /// One item's file: milestones, each lead's standing, everything sent and reported, and
    /// for a clerk the 办理 panel (`notice` the line after an action, `problem` an action
    /// to correct). `nil` when no item has that id.
    public func item(_ id: String, viewer: Viewer, now: Date, notice: String? = nil,
                     problem: (action: ItemAction, error: String?)? = nil) throws -> String? {
        let set = schedules()
        guard let item = set.items.first(where: { $0.id == id }) else { return nil }
        let clock = LocalClock(timeZone: set.policy.timeZone)
        let board = try StatusBoard(set: set, items: [item], store: store, now: now, horizonDays: 400)
        let rows = board.rows.map { r -> [String: Any] in
            ["agency": r.agency, "light": r.light.chinese, "light_class": r.light.rawValue, "state": r.stateText,
             "deadline": r.deadline, "days": r.daysText, "level": r.levelName ?? "", "reminders": r.row.remindersSent,
             "next": r.next.map { String($0.prefix(16)).replacingOccurrences(of: "T", with: " ") } ?? ""]
        }
        // The date in force after extensions and orders, the same for every lead or each lead's.
        let milestones: [[String: Any]] = item.milestones.indices.map { m in
            let dues = item.lead.map { (lead: $0, due: board.supervision.standings.standing(item, milestone: m, agency: $0).due ?? item.milestones[m].due) }
            let effective = Set(dues.map(\.due)).count == 1 ? Labels.date(dues[0].due) : dues.map { "\($0.lead) \(Labels.date($0.due))" }.joined(separator: "；")
            return ["number": m + 1, "text": item.milestones[m].text, "due": Labels.date(item.milestones[m].due), "effective": effective]
        }
        let files = try store.attachments(item: id)
        let reports: [[String: Any]] = try store.reports(item: id).reversed().map { (rowID, r) in
            var e: [String: Any] = ["at": Labels.minute(r.at, clock: clock), "by": r.by,
                                    "state": r.origin.isOfficeInitiative ? Labels.decision(r) ?? Labels.event(r.status) : Labels.event(r.status),
                                    "agency": r.key.agency ?? "全部牵头单位", "milestone": r.key.milestone.map { "第\($0)项" } ?? "",
                                    "note": r.note, "agency_report": r.status.isAgencyReport]
            if let next = r.nextReport { e["next_report"] = Labels.date(next) }
            if let w = r.withdrawn { e["withdrawn"] = "已于\(Labels.minute(w.at, clock: clock))由\(w.by)撤回" }
            e["lacks_evidence"] = r.status == .doneReported && r.files == 0
            e["files"] = (files[rowID] ?? []).map { ["name": $0.filename, "href": "/files/\($0.sha256)", "size": Self.size($0.size)] }
            return e
        }
        let sent: [[String: Any]] = try store.sentLog(item: id).reversed().map { s in
            let rule = NoticeKey(s.notice)?.rule
            return ["at": Labels.minute(s.at, clock: clock), "agency": s.agency, "channel": Self.channelName(s.channel),
                    "what": rule.map { Labels.rule($0, ladder: set.policy.ladder) } ?? s.notice,
                    "outcome": s.channel == "skipped" ? "未发送（服务停机期间错过，已记录）" : "已送达"]
        }
        let failing: [[String: Any]] = try store.entries().filter { e in e.state != .sent && e.notices.contains { $0.item == id } }.map { e in
            ["at": Labels.minute(e.enqueuedAt, clock: clock), "agency": e.agency, "channel": Self.channelName(e.channel.rawValue),
             "state": e.state == .dead ? "投递失败" : "待发送", "attempts": e.attempts, "error": e.lastError ?? ""]
        }
        var values: [String: Any] = [
            "message": notice ?? "", "has_message": notice != nil,
            "page_title": "事项\(item.id)", "id": item.id, "title": item.title, "content": item.content,
            "lead": item.lead.joined(separator: "、"), "partners": item.partners.joined(separator: "、"), "has_partners": !item.partners.isEmpty,
            "due_text": item.dueText, "milestones": milestones, "has_milestones": !milestones.isEmpty, "rows": rows,
            "reports": reports, "has_reports": !reports.isEmpty, "sent": sent, "has_sent": !sent.isEmpty,
            "failing": failing, "has_failing": !failing.isEmpty,
        ]
        if viewer.role >= .clerk {
            values.merge(actions.panel(item, today: clock.day(of: now), problem: problem)) { _, panel in panel }
        }
        return templates.renderPage("item", viewer, values)
    }

    /// Rows the plan page shows at most; the count covers the whole day.
    static let planRows = 200

    /// What will be sent on one day (`day`, ISO; default the next send day), to one agency
    /// or all: a day at a time, so the page stays small at any scale.
    public func plan(viewer: Viewer, now: Date, day text: String? = nil, agency: String? = nil) throws -> String {
        let set = schedules()
        let clock = LocalClock(timeZone: set.policy.timeZone)
        let today = clock.day(of: now)
        let first = now < clock.instant(today, at: set.policy.sendTime.seconds) ? today : today.adding(days: 1)
        var day = first
        var problem: String? = nil
        if let text, !text.isEmpty {
            if let d = CivilDate(iso: String(text.prefix(40))), d >= today, d <= today.adding(days: 400) { day = d } else {
                problem = "日期应为今天起400天内的日期（如\(first.iso)）。"
            }
        }
        // Planned from now, as `dudao plan` does (each message assumed sent, so the ladder
        // climbs), then the day's messages taken.
        let from = clock.instant(day, at: 0), until = clock.instant(day.adding(days: 1), at: 0)
        let plan = try plans.value(set: set, store: store, now: now, detail: day.iso) {
            Plan(items: set.items, policy: set.policy, calendar: set.calendar, from: now, until: until,
                 supervision: try store.supervision(clock: clock))
        }
        let agency = agency.flatMap { $0.isEmpty ? nil : String($0.prefix(200)) }
        let onDay = plan.messages.filter { $0.sendAt >= from }
        let chosen = onDay.filter { agency == nil || $0.to.agency == agency }
        let messages: [[String: Any]] = chosen.prefix(Self.planRows).map { m in
            let indexes = plan.itemIndexes(m)
            let items: [[String: Any]] = indexes.prefix(10).map { ["id": plan.items[Int($0)].id, "title": plan.items[Int($0)].title] }
            return ["at": Labels.minute(m.sendAt, clock: clock), "agency": m.to.agency, "kind": Labels.kind(m.kind, level: m.level, ladder: set.policy.ladder),
                    "items": items, "more": indexes.count > 10 ? "等共\(indexes.count)项" : "", "cc": m.cc.map(MessageContext.cc).joined(separator: "、")]
        }
        func link(_ d: CivilDate) -> String {
            "/plan?day=\(d.iso)" + (agency.map { "&agency=" + ($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "") } ?? "")
        }
        let agencies = Array(Set(onDay.map(\.to.agency))).sorted()
        let values: [String: Any] = ["page_title": "发送计划", "nav_plan": true, "day": day.iso, "day_text": day.chinese,
                                     "is_workday": set.calendar.isWorkday(day),
                                     "messages": messages, "has_messages": !messages.isEmpty, "count": chosen.count,
                                     "truncated": chosen.count > Self.planRows, "rows": Self.planRows,
                                     "agencies": agencies.map { ["value": $0, "selected": $0 == agency] },
                                     "prev": day > today ? link(day.adding(days: -1)) : "", "has_prev": day > today,
                                     "next": link(day.adding(days: 1)), "problem": problem ?? "", "has_problem": problem != nil]
        return templates.renderPage("plan", viewer, values) ?? ""
    }

    /// The outbox: what waits to be sent and the dead letters, with retry.
    public func outbox(viewer: Viewer, now: Date, message: String? = nil) throws -> String {
        let set = schedules()
        let clock = LocalClock(timeZone: set.policy.timeZone)
        func values(_ e: OutboxEntry) -> [String: Any] {
            ["entry": e.id, "agency": e.agency, "channel": Self.channelName(e.channel.rawValue), "attempts": e.attempts,
             "error": e.lastError ?? "", "enqueued": Labels.minute(e.enqueuedAt, clock: clock),
             "next": Labels.minute(e.nextAttemptAt, clock: clock), "items": Array(Set(e.notices.map(\.item))).sorted().joined(separator: "、")]
        }
        let pending = try store.entries(state: .pending).map(values)
        let dead = try store.entries(state: .dead).map(values)
        let page: [String: Any] = ["page_title": "发件箱", "nav_outbox": true,
                                   "pending": pending, "has_pending": !pending.isEmpty, "dead": dead, "has_dead": !dead.isEmpty,
                                   "message": message ?? "", "has_message": message != nil]
        return templates.renderPage("outbox", viewer, page) ?? ""
    }

    /// The login page.
    public func login(error: String?, csrf: String) -> String {
        let set = schedules()
        return templates.renderPage("login", ["page_title": "登录", "office": set.policy.supervisor ?? "督查室", "csrf": csrf,
                                              "error": error ?? "", "has_error": error != nil]) ?? ""
    }

    /// The item page's 办理 panel and what it records.
    public var actions: ItemActionDesk { ItemActionDesk(store: store, schedules: schedules, templates: templates) }

    /// 已发送: every message, as sent.
    public var sent: SentDesk { SentDesk(store: store, schedules: schedules, templates: templates) }

    /// The weekly and monthly report as pages.
    public var report: ReportDesk { ReportDesk(store: store, schedules: schedules, templates: templates, rendered: reports, figures: figures) }

    /// The review queue and its decisions.
    public var review: ReviewDesk { ReviewDesk(store: store, schedules: schedules, templates: templates) }

    /// Retries dead letter `id` now, `audit` committed with it; the line to show.
    public func retry(_ id: Int64, now: Date, audit: AuditEntry? = nil) -> (message: String, done: Bool) {
        let done = (try? store.retry(id: id, at: now, audit: audit.map { var e = $0; e.detail = "已重新排队"; return e })) ?? false
        return (done ? "已重新排队：第\(id)条。" : "第\(id)条不是失败消息，未处理。", done)
    }

    // MARK: Words

    static func size(_ bytes: Int) -> String {
        bytes >= 1 << 20 ? String(format: "%.1f MB", Double(bytes) / Double(1 << 20)) : "\(max(1, bytes / 1024)) KB"
    }

    static func channelName(_ c: String) -> String {
        switch c {
        case "email": "邮件"
        case "outbox": "发件目录"
        case "skipped": "未发送"
        default: c.hasPrefix("sms/") ? "短信" : c
        }
    }

}

/// Why a decision was not recorded, in words for the office.
public struct DecisionError: Error, Sendable, CustomStringConvertible {
    public let description: String
    init(_ text: String) { description = text }
}
