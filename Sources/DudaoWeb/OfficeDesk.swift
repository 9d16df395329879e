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
    /// Rows a dashboard page shows; the counts at the top cover every row.
    static let pageSize = 500

    /// A desk over the state, the schedules in force and the templates.
    public init(store: StateStore, schedules: @escaping @Sendable () -> ScheduleSet, templates: TemplateSet) {
        self.store = store
        self.schedules = schedules
        self.templates = templates
    }

    /// What the dashboard is narrowed to (query parameters `agency`, `light`, `state`, `list`, `page`).
    public struct Filter: Sendable {
        public var agency, light, state, list: String?
        public var page = 1

        public init(agency: String? = nil, light: String? = nil, state: String? = nil, list: String? = nil, page: Int = 1) {
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
    public func dashboard(_ filter: Filter, user: String, csrf: String, now: Date) throws -> String {
        let set = schedules()
        let board = try StatusBoard(set: set, store: store, now: now, horizonDays: 60)
        let listOf = Dictionary(set.listTitles.map { ($0.file, $0.title) }, uniquingKeysWith: { a, _ in a })
        // Which list each item is in, worked out only when the office filters by list.
        lazy var listOfItem: [String: String] = Dictionary(
            set.items.indices.map { (set.items[$0].id, set.place(ofItemAt: $0).flatMap { listOf[$0.file] } ?? "") },
            uniquingKeysWith: { first, _ in first })
        func list(_ id: String) -> String { listOfItem[id] ?? "" }
        let shown = board.rows.filter { r in
            (filter.agency == nil || r.agency == filter.agency) && (filter.light == nil || r.light.rawValue == filter.light)
                && (filter.state == nil || r.row.status.name == filter.state) && (filter.list == nil || list(r.id) == filter.list)
        }
        let counts = board.lightCounts
        let pages = max(1, (shown.count + Self.pageSize - 1) / Self.pageSize)
        let page = min(filter.page, pages)
        let rows: [[String: Any]] = shown.dropFirst((page - 1) * Self.pageSize).prefix(Self.pageSize).map { r in
            ["id": r.id, "title": r.title, "agency": r.agency, "light": r.light.chinese, "light_class": r.light.rawValue,
             "state": r.row.status.chinese, "deadline": r.deadline, "days": r.daysText, "overdue": (r.days ?? 0) < 0,
             "level": r.levelName ?? "", "last_report": r.lastReportText ?? "", "reminders": r.row.remindersSent,
             "failures": r.failures, "has_failures": r.failures > 0]
        }
        func options(_ values: [String], selected: String?, label: (String) -> String = { $0 }) -> [[String: Any]] {
            values.map { ["value": $0, "label": label($0), "selected": $0 == selected] }
        }
        let agencies = Array(Set(board.rows.map(\.agency))).sorted()
        let states = ItemStatus.names.map { ($0, ItemStatus(name: $0, extendedTo: CivilDate(year: 2000, month: 1, day: 1))?.chinese ?? $0) }
        func query(_ p: Int) -> String {
            var parts: [String] = []
            for (k, v) in [("agency", filter.agency), ("light", filter.light), ("state", filter.state), ("list", filter.list)] {
                if let v { parts.append(k + "=" + (v.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")) }
            }
            parts.append("page=\(p)")
            return "?" + parts.joined(separator: "&")
        }
        let values: [String: Any] = [
            "page_title": "督办台账", "user": user, "csrf": csrf, "nav_dashboard": true,
            "office": set.policy.supervisor ?? "督查室", "today": board.today.chinese,
            "counts": Light.allCases.map { ["light": $0.chinese, "light_class": $0.rawValue, "count": counts[$0] ?? 0, "color": $0.colour] },
            "total": board.rows.count, "shown": shown.count, "rows": rows, "has_rows": !rows.isEmpty,
            "agencies": options(agencies, selected: filter.agency),
            "lights": options(Light.allCases.map(\.rawValue), selected: filter.light) { Light(rawValue: $0)?.chinese ?? $0 },
            "states": states.map { ["value": $0.0, "label": $0.1, "selected": $0.0 == filter.state] },
            "lists": options(set.listTitles.map(\.title), selected: filter.list),
            "page": page, "pages": pages, "has_pages": pages > 1,
            "prev": page > 1 ? query(page - 1) : "", "next": page < pages ? query(page + 1) : "",
        ]
        return templates.renderPage("dashboard", values) ?? ""
    }

    /// One item's file: milestones, each lead's standing, everything sent and reported.
    /// `nil` when no item has that id.
    public func item(_ id: String, user: String, csrf: String, now: Date) throws -> String? {
        let set = schedules()
        guard let item = set.items.first(where: { $0.id == id }) else { return nil }
        let clock = LocalClock(timeZone: set.policy.timeZone)
        let board = try StatusBoard(set: set, store: store, now: now, horizonDays: 400)
        let rows = board.rows.filter { $0.id == id }.map { r -> [String: Any] in
            ["agency": r.agency, "light": r.light.chinese, "light_class": r.light.rawValue, "state": r.row.status.chinese,
             "deadline": r.deadline, "days": r.daysText, "level": r.levelName ?? "", "reminders": r.row.remindersSent,
             "next": r.next.map { String($0.prefix(16)).replacingOccurrences(of: "T", with: " ") } ?? ""]
        }
        let milestones: [[String: Any]] = item.milestones.indices.map { m in
            ["number": m + 1, "text": item.milestones[m].text, "due": item.milestones[m].due.chinese,
             "effective": item.effectiveDue(ofMilestone: m).chinese]
        }
        let files = try store.attachments(item: id)
        let reports: [[String: Any]] = try store.reports(item: id).reversed().map { (rowID, r) in
            var e: [String: Any] = ["at": Self.minute(clock.iso8601(r.at)), "by": r.by, "state": r.status.decision ?? r.status.chinese,
                                    "agency": r.key.agency ?? "全部牵头单位", "milestone": r.key.milestone.map { "第\($0)项" } ?? "",
                                    "note": r.note, "agency_report": r.status.isAgencyReport]
            if let to = r.status.extendedTo { e["date"] = to.chinese }
            if let next = r.nextReport { e["next_report"] = next.chinese }
            e["files"] = (files[rowID] ?? []).map { ["name": $0.filename, "href": "/files/\($0.sha256)", "size": Self.size($0.size)] }
            return e
        }
        let sent: [[String: Any]] = try store.sentLog(item: id).reversed().map { s in
            let rule = NoticeKey(s.notice)?.rule
            return ["at": Self.minute(clock.iso8601(s.at)), "agency": s.agency, "channel": Self.channelName(s.channel),
                    "what": rule.map { Self.ruleName($0, policy: set.policy) } ?? s.notice,
                    "outcome": s.channel == "skipped" ? "未发送（服务停机期间错过，已记录）" : "已送达"]
        }
        let failing: [[String: Any]] = try store.entries().filter { e in e.state != .sent && e.notices.contains { $0.item == id } }.map { e in
            ["at": Self.minute(clock.iso8601(e.enqueuedAt)), "agency": e.agency, "channel": Self.channelName(e.channel.rawValue),
             "state": e.state == .dead ? "投递失败" : "待发送", "attempts": e.attempts, "error": e.lastError ?? ""]
        }
        let values: [String: Any] = [
            "page_title": "事项\(item.id)", "user": user, "csrf": csrf, "id": item.id, "title": item.title, "content": item.content,
            "lead": item.lead.joined(separator: "、"), "partners": item.partners.joined(separator: "、"), "has_partners": !item.partners.isEmpty,
            "due_text": item.dueText, "milestones": milestones, "has_milestones": !milestones.isEmpty, "rows": rows,
            "reports": reports, "has_reports": !reports.isEmpty, "sent": sent, "has_sent": !sent.isEmpty,
            "failing": failing, "has_failing": !failing.isEmpty,
        ]
        return templates.renderPage("item", values)
    }

    /// Reports awaiting the office's decision: done reports and extension requests.
    public func review(user: String, csrf: String, now: Date, message: String? = nil) throws -> String {
        let set = schedules()
        let clock = LocalClock(timeZone: set.policy.timeZone)
        let awaiting = try awaitingDecision(set, now: now)
        let entries: [[String: Any]] = awaiting.map { a in
            var e: [String: Any] = ["id": a.item.id, "title": a.item.title, "agency": a.agency, "state": a.report.status.chinese,
                                    "note": a.report.note, "by": a.report.by, "at": Self.minute(clock.iso8601(a.report.at)),
                                    "milestone": a.report.key.milestone.map(String.init) ?? "",
                                    "is_done": a.report.status == .doneReported, "files": a.files.map {
                                        ["name": $0.filename, "href": "/files/\($0.sha256)", "size": Self.size($0.size)]
                                    }]
            if let to = a.report.status.extendedTo { e["requested"] = to.chinese; e["requested_iso"] = to.iso }
            return e
        }
        let values: [String: Any] = ["page_title": "待审核", "user": user, "csrf": csrf, "nav_review": true, "entries": entries,
                                     "has_entries": !entries.isEmpty, "message": message ?? "", "has_message": message != nil]
        return templates.renderPage("review", values) ?? ""
    }

    /// What will be sent in the next `days` days.
    public func plan(user: String, csrf: String, now: Date, days: Int = 30) throws -> String {
        let set = schedules()
        let clock = LocalClock(timeZone: set.policy.timeZone)
        let supervision = try store.supervision(clock: clock)
        let plan = Plan(items: set.items, policy: set.policy, calendar: set.calendar, from: now, until: now.addingTimeInterval(Double(days) * 86400),
                        supervision: supervision)
        let messages: [[String: Any]] = plan.messages.prefix(2000).map { m in
            let ids = plan.notices(in: m).map { $0.item >= 0 ? plan.items[Int($0.item)].id : "" }.filter { !$0.isEmpty }
            return ["at": Self.minute(clock.iso8601(m.sendAt)), "agency": m.to.agency, "kind": Self.kindName(m.kind, level: m.level, policy: set.policy),
                    "items": Array(Set(ids)).sorted { $0.localizedStandardCompare($1) == .orderedAscending }.joined(separator: "、"),
                    "cc": m.cc.map(\.agency).joined(separator: "、")]
        }
        let values: [String: Any] = ["page_title": "发送计划", "user": user, "csrf": csrf, "nav_plan": true, "days": days,
                                     "messages": messages, "has_messages": !messages.isEmpty, "count": plan.messages.count,
                                     "truncated": plan.messages.count > 2000]
        return templates.renderPage("plan", values) ?? ""
    }

    /// The outbox: what waits to be sent and the dead letters, with retry.
    public func outbox(user: String, csrf: String, now: Date, message: String? = nil) throws -> String {
        let set = schedules()
        let clock = LocalClock(timeZone: set.policy.timeZone)
        func values(_ e: OutboxEntry) -> [String: Any] {
            ["entry": e.id, "agency": e.agency, "channel": Self.channelName(e.channel.rawValue), "attempts": e.attempts,
             "error": e.lastError ?? "", "enqueued": Self.minute(clock.iso8601(e.enqueuedAt)),
             "next": Self.minute(clock.iso8601(e.nextAttemptAt)), "items": Array(Set(e.notices.map(\.item))).sorted().joined(separator: "、")]
        }
        let pending = try store.entries(state: .pending).map(values)
        let dead = try store.entries(state: .dead).map(values)
        let page: [String: Any] = ["page_title": "发件箱", "user": user, "csrf": csrf, "nav_outbox": true,
                                   "pending": pending, "has_pending": !pending.isEmpty, "dead": dead, "has_dead": !dead.isEmpty,
                                   "message": message ?? "", "has_message": message != nil]
        return templates.renderPage("outbox", page) ?? ""
    }

    /// The login page.
    public func login(error: String?, csrf: String) -> String {
        let set = schedules()
        return templates.renderPage("login", ["page_title": "登录", "office": set.policy.supervisor ?? "督查室", "csrf": csrf,
                                              "error": error ?? "", "has_error": error != nil]) ?? ""
    }

    // MARK: Decisions

    /// What the office decides on a report awaiting review.
    public enum Decision: String, Sendable {
        /// 销号: the done report is confirmed.
        case confirm
        /// 退回: the done report is returned with a comment; the work is open again.
        case giveBack = "return"
        /// The extension is granted (to the date asked for, or another).
        case approve
        /// The extension is refused with a comment; chasing resumes.
        case refuse
    }

    /// Records `decision` by `user` on `agency`'s pending report about `itemID`; returns the
    /// line to show, or throws what is wrong in words for the office.
    public func decide(itemID: String, agency: String, decision: Decision, date: String?, comment: String, user: String, now: Date) throws(DecisionError) -> String {
        let set = schedules()
        let comment = comment.trimmingCharacters(in: .whitespacesAndNewlines)
        guard comment.count <= 2000 else { throw DecisionError("意见不能超过2000字。") }
        let awaiting: [Awaiting]
        do { awaiting = try awaitingDecision(set, now: now) } catch { throw DecisionError("无法读取记录：\(error)") }
        guard let pending = awaiting.first(where: { $0.item.id == itemID && $0.agency == agency }) else {
            throw DecisionError("事项\(itemID)（\(agency)）没有待审核的报送，可能已被处理。")
        }
        let isDone = pending.report.status == .doneReported
        var due: CivilDate? = nil
        let status: String
        switch (decision, isDone) {
        case (.confirm, true): status = "done"
        case (.giveBack, true):
            guard !comment.isEmpty else { throw DecisionError("退回请填写意见。") }
            status = "open"
        case (.approve, false):
            let clock = LocalClock(timeZone: set.policy.timeZone)
            let text = (date ?? "").trimmingCharacters(in: .whitespaces)
            guard let d = text.isEmpty ? pending.report.status.extendedTo : CivilDate(iso: text), d > clock.day(of: now) else {
                throw DecisionError("延期日期应为今天之后的日期（如2025-03-31）。")
            }
            due = d
            status = "extended"
        case (.refuse, false):
            guard !comment.isEmpty else { throw DecisionError("不同意延期请填写意见。") }
            status = "refused"
        default:
            throw DecisionError("此报送不能这样处理。")
        }
        let label = ["confirm": "审核销号", "return": "退回", "approve": "同意延期", "refuse": "不同意延期"][decision.rawValue]!
        let office = set.policy.supervisor ?? "督查室"
        let request = ReportRequest(item: itemID, milestone: pending.report.key.milestone, agency: agency, status: status, due: due,
                                    note: comment, by: "\(office)·\(user)")
        do {
            let (report, _) = try request.report(in: set, at: now)
            try store.record(report)
        } catch {
            throw DecisionError("无法记录：\(error)")
        }
        return "已记录：事项\(itemID)（\(agency)）\(label)。"
    }

    // MARK: Records

    /// A report waiting for the office, with its files.
    struct Awaiting {
        let item: Item
        let agency: String
        let report: ProgressReport
        let files: [Attachment]
    }

    /// Done reports and extension requests not yet decided, oldest first.
    func awaitingDecision(_ set: ScheduleSet, now: Date) throws -> [Awaiting] {
        let clock = LocalClock(timeZone: set.policy.timeZone)
        let standings = try store.supervision(clock: clock).standings
        var out: [Awaiting] = []
        var seen = Set<String>()
        for item in set.items where !standings.isEmpty(item: item.id) {
            let files = try store.attachments(item: item.id)
            let ids = try store.reports(item: item.id)
            for agency in item.lead {
                let milestones: [Int?] = item.milestones.isEmpty ? [nil] : item.milestones.indices.map { $0 } + (item.ongoing ? [nil] : [])
                for m in milestones {
                    let s = standings.standing(item, milestone: m, agency: agency)
                    guard let r = s.report else { continue }
                    switch r.status {
                    case .doneReported, .extensionRequested: break
                    default: continue
                    }
                    let key = "\(item.id)|\(agency)|\(r.at.timeIntervalSince1970)"
                    guard seen.insert(key).inserted else { continue }
                    let rowID = ids.last { $0.report == r }?.id
                    out.append(Awaiting(item: item, agency: agency, report: r, files: rowID.flatMap { files[$0] } ?? []))
                }
            }
        }
        return out.sorted { $0.report.at < $1.report.at }
    }

    /// Retries dead letter `id` now; the line to show.
    public func retry(_ id: Int64, now: Date) -> String {
        ((try? store.retry(id: id, at: now)) ?? false) ? "已重新排队：第\(id)条。" : "第\(id)条不是失败消息，未处理。"
    }

    // MARK: Words

    static func minute(_ iso: String) -> String { String(iso.prefix(16)).replacingOccurrences(of: "T", with: " ") }

    static func size(_ bytes: Int) -> String {
        bytes >= 1 << 20 ? String(format: "%.1f MB", Double(bytes) / Double(1 << 20)) : "\(max(1, bytes / 1024)) KB"
    }

    static func channelName(_ c: String) -> String {
        switch c {
        case "email": "邮件"
        case "outbox": "发件目录"
        case "skipped": "未发送"
        default: c
        }
    }

    static func ruleName(_ rule: Notice.Rule, policy: Policy) -> String {
        switch rule {
        case .advance(let d): "提前\(d)天提醒"
        case .due: "到期提醒"
        case .verify: "核实"
        case .overdue(let l): "\(l)级·" + (policy.ladder.level(l)?.name ?? "督办")
        case .progress: "进展报送提醒"
        case .report: "督办周报"
        case .decision: "审核结果告知"
        }
    }

    static func kindName(_ kind: PlannedMessage.Kind, level: Int, policy: Policy) -> String {
        switch kind {
        case .advance: "提前提醒"
        case .due: "到期提醒"
        case .verify: "核实"
        case .overdue: "\(level)级·" + (policy.ladder.level(level)?.name ?? "督办")
        case .ongoing: "进展报送提醒"
        case .report: "督办报告"
        case .decision: "审核结果告知"
        case .digest: "汇总提醒"
        }
    }
}

/// Why a decision was not recorded, in words for the office.
public struct DecisionError: Error, Sendable, CustomStringConvertible {
    public let description: String
    init(_ text: String) { description = text }
}
