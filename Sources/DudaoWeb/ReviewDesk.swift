import Foundation
import DudaoCore
import DudaoMessages
import DudaoSchedules
import DudaoStore

/// The office's review queue (待审核): one card per done report and extension request
/// (`ReviewQueue`, the list the office's report reads too), each decided in two steps — the
/// card, then a page saying exactly what will be recorded — so neither Enter in a field nor
/// one stray click decides anything. A decision can be withdrawn (撤回决定) while
/// `DecisionWithdrawal` allows it. A card that is wrong shows its error beside it, with
/// what was typed kept.
public struct ReviewDesk: Sendable {
    let store: StateStore
    let schedules: @Sendable () -> ScheduleSet
    let templates: TemplateSet

    /// What the office decides on a report awaiting review.
    public enum Decision: String, Sendable, CaseIterable {
        /// 销号: the done report is confirmed.
        case confirm
        /// 退回: the done report is returned with a comment; the work is open again.
        case giveBack = "return"
        /// The extension is granted (to the date asked for, or another).
        case approve
        /// The extension is refused with a comment; chasing resumes.
        case refuse
    }

    /// What the office proposes on one card, as posted: every field untrusted.
    public struct Proposal: Sendable {
        public var item: String
        public var agency: String
        /// The row id of the report decided on.
        public var report: Int64
        public var decision: Decision?
        public var date: String
        public var comment: String

        public init(item: String, agency: String, report: Int64, decision: Decision?, date: String = "", comment: String = "") {
            self.item = String(item.prefix(200))
            self.agency = String(agency.prefix(200))
            self.report = report
            self.decision = decision
            self.date = String(date.prefix(40)).trimmingCharacters(in: .whitespaces)
            self.comment = String(comment.prefix(ReviewDesk.maxComment + 1)).trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    /// Longest comment, in characters.
    static let maxComment = 2000

    /// A proposal checked against the records: what would be recorded.
    struct Checked {
        let entry: ReviewQueue.Entry
        let item: Item
        let decision: Decision
        let status: ItemStatus
        let comment: String
    }

    // MARK: Pages

    /// The queue: cards oldest first, then the decisions that can still be withdrawn.
    /// `notice` is the line after a decision, `alert` an error about the page as a whole;
    /// `problem` one card's error with what was typed (or only what was typed, when the
    /// office came back from the confirmation).
    public func page(viewer: Viewer, now: Date, notice: String? = nil, alert: String? = nil,
                     problem: (proposal: Proposal, error: String?)? = nil) throws -> String {
        let set = schedules()
        let clock = LocalClock(timeZone: set.policy.timeZone)
        let supervision = try store.supervision(clock: clock)
        let queue = ReviewQueue(items: set.items, standings: supervision.standings)
        let cards: [[String: Any]] = try queue.entries.map { entry in
            let item = set.items[entry.item]
            let r = entry.report
            let mine = problem.map { $0.proposal.report == r.id && $0.proposal.agency == entry.agency } ?? false
            var card: [String: Any] = [
                "id": item.id, "title": item.title, "agency": entry.agency, "report": r.id ?? 0, "state": Labels.state(r.status),
                "note": r.note, "by": r.by, "at": Labels.minute(r.at, clock: clock),
                "milestone": r.key.milestone.map { "第\($0)个节点" } ?? "", "has_milestone": r.key.milestone != nil,
                "deadline": Self.deadline(item, entry: entry, set: set, supervision: supervision),
                "is_done": r.status == .doneReported, "lacks_evidence": entry.lacksEvidence,
                "files": try filesOf(r).map { ["name": $0.filename, "href": "/files/\($0.sha256)", "size": OfficeDesk.size($0.size)] },
                "comment": mine ? problem!.proposal.comment : "",
                "date": mine ? problem!.proposal.date : r.status.extendedTo?.iso ?? "",
            ]
            if mine, let error = problem!.error { card["error"] = error }
            return card
        }
        let rule = DecisionWithdrawal(items: set.items, policy: set.policy, history: supervision.history)
        let recent: [[String: Any]] = rule.withdrawable(supervision.standings, now: now).compactMap { d in
            guard let item = set.items.first(where: { $0.id == d.key.item }) else { return nil }
            return ["id": item.id, "title": item.title, "agency": d.key.agency ?? "全部牵头单位", "decision": Labels.decision(d.status) ?? "",
                    "note": d.note, "by": d.by, "at": Labels.minute(d.at, clock: clock), "report": d.id ?? 0]
        }
        let values: [String: Any] = [
            "page_title": "待审核", "nav_review": true, "entries": cards, "has_entries": !cards.isEmpty,
            "count": cards.count, "message": notice ?? "", "has_message": notice != nil, "recent": recent, "has_recent": !recent.isEmpty,
            "withdraw_hours": set.policy.review.withdrawSeconds / 3600,
            "has_problem": problem?.error != nil, "alert": alert ?? "", "has_alert": alert != nil,
        ]
        return templates.renderPage("review", viewer, values) ?? ""
    }

    /// The confirmation of a checked proposal: what will be recorded, 确认 or 返回修改.
    public func confirmation(_ p: Proposal, viewer: Viewer, now: Date) throws(DecisionError) -> String {
        let set = schedules()
        let checked = try check(p, set: set, now: now)
        let item = checked.item
        var lines = ["事项\(item.id)“\(Labels.insideQuotes(item.title))”", "牵头单位：\(checked.entry.agency)",
                     "报送：\(Labels.event(checked.entry.report.status))（\(Labels.minute(checked.entry.report.at, clock: LocalClock(timeZone: set.policy.timeZone)))）",
                     "决定：\(Labels.decision(checked.status) ?? "")"]
        if !checked.comment.isEmpty { lines.append("意见：\(checked.comment)") }
        if checked.entry.lacksEvidence && checked.decision == .confirm { lines.append("注意：该报送未附佐证材料。") }
        let fields: [[String: Any]] = [("item", p.item), ("agency", p.agency), ("report", String(p.report)), ("decision", checked.decision.rawValue),
                                       ("date", p.date), ("comment", checked.comment)].map { ["name": $0.0, "value": $0.1] }
        return templates.renderPage("confirm", viewer, [
            "page_title": "请确认", "nav_review": true, "heading": "请确认审核决定", "lines": lines,
            "action": "/review", "fields": fields, "button": Labels.decisionName(checked.status) ?? "确认",
            "warn": checked.decision == .giveBack || checked.decision == .refuse,
            "after": "记录后，该单位将在下一个发送时间收到审核结果；告知前且\(set.policy.review.withdrawSeconds / 3600)小时内可撤回。",
        ]) ?? ""
    }

    /// Records a confirmed proposal by `user`; returns the decision's row id.
    /// With `audit`, the trail's row (given the decision's id) commits with it.
    public func decide(_ p: Proposal, user: String, now: Date, audit: (@Sendable (Int64) -> AuditEntry)? = nil) throws(DecisionError) -> Int64 {
        let set = schedules()
        let checked = try check(p, set: set, now: now)
        let office = set.policy.supervisor ?? "督查室"
        let report = ProgressReport(key: ProgressKey(item: checked.item.id, milestone: checked.entry.report.key.milestone, agency: checked.entry.agency),
                                    status: checked.status, note: checked.comment, by: "\(office)·\(user)", at: now)
        do { return try store.record(report, audit: audit) } catch { throw DecisionError("无法记录：\(error)") }
    }

    /// The line after decision `id` was recorded or withdrawn.
    public func recorded(id: Int64) -> String? {
        guard let d = try? store.report(id: id), d.status.isDecision, let word = Labels.decision(d.status) else { return nil }
        let whom = "事项\(d.key.item)（\(d.key.agency ?? "全部牵头单位")）"
        if d.withdrawn != nil { return "已撤回：\(whom)\(word)。该报送已回到待审核。" }
        let hours = schedules().policy.review.withdrawSeconds / 3600
        return "已记录：\(whom)\(word)。" + (hours > 0 ? "告知该单位前且\(hours)小时内可在下方撤回。" : "")
    }

    /// The confirmation of withdrawing decision `id`.
    public func withdrawal(id: Int64, viewer: Viewer, now: Date) throws(DecisionError) -> String {
        let set = schedules()
        let (decision, item) = try withdrawable(id, set: set, now: now)
        let clock = LocalClock(timeZone: set.policy.timeZone)
        let lines = ["事项\(item.id)“\(Labels.insideQuotes(item.title))”", "牵头单位：\(decision.key.agency ?? "全部牵头单位")",
                     "撤回：\(Labels.decision(decision.status) ?? "")（\(decision.by)，\(Labels.minute(decision.at, clock: clock))）",
                     "撤回后，该报送回到待审核，请重新审核。"]
        return templates.renderPage("confirm", viewer, [
            "page_title": "请确认", "nav_review": true, "heading": "请确认撤回决定", "lines": lines,
            "action": "/review/withdraw", "fields": [["name": "id", "value": String(id)]], "button": "撤回决定", "warn": true,
            "after": "撤回记入办理记录，不会删除原决定。",
        ]) ?? ""
    }

    /// Withdraws decision `id` by `user`; returns the line to show.
    public func withdraw(id: Int64, user: String, now: Date, audit: AuditEntry? = nil) throws(DecisionError) -> String {
        let set = schedules()
        let (decision, item) = try withdrawable(id, set: set, now: now)
        let office = set.policy.supervisor ?? "督查室"
        let done: Bool
        do { done = try store.withdraw(decision: id, by: "\(office)·\(user)", at: now, audit: audit) } catch { throw DecisionError("无法记录：\(error)") }
        guard done else { throw DecisionError("该决定已撤回或不能撤回。") }
        return recorded(id: id) ?? "已撤回：事项\(item.id)（\(decision.key.agency ?? "全部牵头单位")）。"
    }

    // MARK: Rules

    /// What `p` would record, or what is wrong with it in words for the office.
    func check(_ p: Proposal, set: ScheduleSet, now: Date) throws(DecisionError) -> Checked {
        let clock = LocalClock(timeZone: set.policy.timeZone)
        let standings: Standings
        do { standings = try store.supervision(clock: clock).standings } catch { throw DecisionError("无法读取记录：\(error)") }
        guard let entry = ReviewQueue(items: set.items, standings: standings).entries.first(where: {
            $0.report.id == p.report && $0.agency == p.agency && set.items[$0.item].id == p.item
        }) else {
            throw DecisionError("事项\(p.item)（\(p.agency)）没有这份待审核的报送，可能已被处理。")
        }
        guard let decision = p.decision else { throw DecisionError("请选择处理方式。") }
        guard p.comment.count <= Self.maxComment else { throw DecisionError("意见不能超过\(Self.maxComment)字。") }
        let isDone = entry.report.status == .doneReported
        let status: ItemStatus
        switch (decision, isDone) {
        case (.confirm, true): status = .done
        case (.giveBack, true):
            guard !p.comment.isEmpty else { throw DecisionError("退回请填写意见。") }
            status = .open
        case (.approve, false):
            guard let d = p.date.isEmpty ? entry.report.status.extendedTo : CivilDate(iso: p.date), d > clock.day(of: now),
                  d <= clock.day(of: now).adding(days: 3660) else {
                throw DecisionError("延期日期应为今天之后十年内的日期（如2027-03-31）。")
            }
            status = .extended(to: d)
        case (.refuse, false):
            guard !p.comment.isEmpty else { throw DecisionError("不同意延期请填写意见。") }
            status = .refused
        default:
            throw DecisionError("此报送不能这样处理。")
        }
        return Checked(entry: entry, item: set.items[entry.item], decision: decision, status: status, comment: p.comment)
    }

    private func withdrawable(_ id: Int64, set: ScheduleSet, now: Date) throws(DecisionError) -> (ProgressReport, Item) {
        let clock = LocalClock(timeZone: set.policy.timeZone)
        do {
            let supervision = try store.supervision(clock: clock)
            guard let decision = supervision.standings.all.first(where: { $0.id == id }),
                  let item = set.items.first(where: { $0.id == decision.key.item }),
                  DecisionWithdrawal(items: set.items, policy: set.policy, history: supervision.history).allows(decision, now: now) else {
                throw DecisionError("该决定已不能撤回（已告知该单位、已超过时限或已撤回）。")
            }
            return (decision, item)
        } catch let error as DecisionError {
            throw error
        } catch {
            throw DecisionError("无法读取记录：\(error)")
        }
    }

    private func filesOf(_ r: ProgressReport) throws -> [Attachment] {
        guard let id = r.id, r.files > 0 else { return [] }
        return try store.attachments(item: r.key.item)[id] ?? []
    }

    /// The deadline the card's request is about, as the office reads it.
    static func deadline(_ item: Item, entry: ReviewQueue.Entry, set: ScheduleSet, supervision: Supervision) -> String {
        guard !item.milestones.isEmpty else { return item.dueText }
        let m = entry.report.key.milestone.map { $0 - 1 } ?? item.milestones.indices.first {
            supervision.standings.standing(item, milestone: $0, agency: entry.agency).report == entry.report
        } ?? 0
        let standing = supervision.standings.standing(item, milestone: m, agency: entry.agency)
        return Labels.deadline(text: item.milestones[m].text, original: item.milestones[m].due, due: standing.due)
    }
}
