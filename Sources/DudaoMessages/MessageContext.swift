import DudaoCore

/// What a template can show about one message: the addressee, the office, and one entry
/// per notice with the item's number, title, measures, agencies, the deadline as written
/// and as a date, days left or overdue, the ladder level, the reply date, and the
/// reminders that really preceded it (留痕). Pure: built from the plan and its records.
public struct MessageContext: Sendable {
    /// Name of the supervising office signing the message (督查室).
    public var office: String
    /// Where agencies report progress (an address or a sentence); shown when set.
    public var reportTo: String?
    /// Reply links, when the service has a web address.
    public var replyLinks: (any ReplyLinking)?

    /// A context builder.
    public init(office: String?, reportTo: String? = nil, replyLinks: (any ReplyLinking)? = nil) {
        self.office = office ?? "督查室"
        self.reportTo = reportTo
        self.replyLinks = replyLinks
    }

    /// The highest level with its own template folder (`overdue-3`); higher levels use it.
    static let topTemplateLevel = 3

    /// The template folder a message renders with: `verify`, `overdue-1`…`overdue-3` for
    /// overdue messages (however many items), `report`, `decision` (however many items), else
    /// its kind — or `digest` when it carries several notices of other kinds.
    public static func templateName(for message: PlannedMessage) -> String {
        switch message.kind {
        case .verify: return "verify"
        case .overdue: return message.level == 0 ? "verify" : "overdue-\(min(message.level, topTemplateLevel))"
        case .report: return "report"
        case .decision: return "decision"
        default: return message.noticeRange.count > 1 ? "digest" : message.kind.rawValue
        }
    }

    /// The values for `message`, as Mustache reads them (dictionaries, arrays, strings, numbers, booleans).
    public func values(for message: PlannedMessage, in plan: Plan) -> [String: Any] {
        let notices = Array(plan.notices(in: message))
        if message.kind == .report, let n = notices.first {
            return OfficeReportValues(office: office, plan: plan).values(for: message, notice: n)
        }
        let entries = notices.map { entry(for: $0, in: message, plan: plan) }
        let level = plan.policy.ladder.level(message.level)
        let replyBy = entries.compactMap { $0["reply_by_iso"] as? String }.min()
        var values: [String: Any] = [
            "agency": message.to.agency,
            "cc": message.cc.map(\.description).joined(separator: "、"),
            "has_cc": !message.cc.isEmpty,
            "kind": message.kind.rawValue,
            "level": message.level,
            "level_name": message.level == 0 ? "核实" : level?.name ?? "督办",
            "is_verify": message.kind == .verify,
            "is_level2": message.level >= 2,
            "is_escalation": message.level >= 1,
            "copies_leadership": message.cc.contains { $0.role == .leadership },
            "count": Set(notices.map(\.item)).count,
            "has_many_items": Set(notices.map(\.item)).count > 1,
            "send_date": message.sendDay.chinese,
            "send_iso": message.sendDay.iso,
            "office": office,
            "items": entries,
            "first": entries.first ?? [:],
            "overdue_count": notices.filter { $0.rule.ladderStep != nil }.count,
            "has_overdue": notices.contains { $0.rule.ladderStep != nil },
        ]
        if let replyBy, let day = CivilDate(iso: replyBy) {
            values["reply_by"] = day.chinese
            values["reply_by_iso"] = replyBy
        }
        if let reportTo { values["report_to"] = reportTo }
        if let replyLinks {
            values["reply_url"] = replyLinks.link(agency: message.to.agency, items: plan.itemIDs(message), sent: message.sendDay)
        }
        values["reminders_sent"] = entries.first?["reminders_sent"] ?? Self.reminders([])
        return values
    }

    private func entry(for n: Notice, in message: PlannedMessage, plan: Plan) -> [String: Any] {
        let item = plan.items[Int(n.item)]
        let agency = plan.agency(of: n, in: message)
        let day = message.sendDay
        let milestone = n.milestone >= 0 ? item.milestones[Int(n.milestone)] : nil
        let daysLeft = day.days(until: n.due)
        let ladder = plan.policy.ladder
        var status: String
        var replyBy: CivilDate? = nil
        var isAdvance = false, isDue = false, isOverdue = false, isProgress = false, isVerify = false
        var levelName = ""
        switch n.rule {
        case .advance:
            status = "距完成时限还有\(daysLeft)天"
            isAdvance = true
        case .due:
            status = daysLeft == 0 ? "今日到期" : "\(n.due.chinese)到期（节假日前最后一个工作日）"
            isDue = true
        case .verify, .overdue:
            isOverdue = true
            if n.milestone < 0 {
                let month = n.due.adding(days: -n.due.day)
                status = "\(month.year)年\(month.month)月工作进展应于\(n.due.chinese)前报送，已逾期\(-daysLeft)天未报"
            } else {
                status = "已逾期\(-daysLeft)天"
            }
            if case .overdue(let l) = n.rule {
                levelName = ladder.level(l)?.name ?? "督办"
                replyBy = plan.calendar.workdays(after: day, count: ladder.level(l)?.replyDays ?? 3)
            } else {
                isVerify = true
                levelName = "核实"
                replyBy = plan.calendar.workdays(after: day, count: ladder.verifyReplyDays ?? 5)
            }
        case .progress:
            let month = n.due.adding(days: -n.due.day)
            status = "请于\(n.due.chinese)前报送\(month.year)年\(month.month)月工作进展"
            replyBy = n.due
            isProgress = true
        case .report:
            status = ""
        case .decision:
            status = ""
        }
        let standing = plan.supervision.standings.standing(item, milestone: n.milestone >= 0 ? Int(n.milestone) : nil, agency: agency)
        var decision: [String: Any] = [:]
        if n.rule == .decision, let report = standing.report, let word = report.status.decision {
            status = "\(office)\(n.occurrence.chinese)审核意见：\(word)" + (report.note.isEmpty ? "" : "；\(report.note)")
            decision = ["is_decision": true, "decision": word, "decision_note": report.note, "decided_on": n.occurrence.chinese]
        }
        let reminders = plan.remindersBefore(n, agency: agency)
        let light = plan.policy.lights.light(standing, ongoing: n.milestone < 0, today: day,
                                             lastReport: standing.lastAnswer.map { plan.clock.day(of: $0.at) })
        var partners = item.partners.joined(separator: "、")
        if item.partnersAndOthers { partners += "等" }
        var values: [String: Any] = [
            "id": item.id,
            "title": item.title,
            "content": item.content,
            "has_content": !item.content.isEmpty,
            "measures": item.measures.enumerated().map { ["index": $0.offset + 1, "text": $0.element] as [String: Any] },
            "has_measures": !item.measures.isEmpty,
            "lead": item.lead.joined(separator: "、"),
            "partners": partners,
            "has_partners": !partners.isEmpty,
            "due_text": item.dueText,
            "milestone_text": milestone?.text ?? item.dueText,
            "due_date": n.due.chinese,
            "due_iso": n.due.iso,
            "days_left": max(0, daysLeft),
            "days_overdue": max(0, -daysLeft),
            "status_line": status,
            "state": standing.status.chinese,
            "light": light.chinese,
            "light_colour": light.colour,
            "is_advance": isAdvance,
            "is_due": isDue,
            "is_overdue": isOverdue,
            "is_verify": isVerify,
            "is_progress": isProgress,
            "level_name": levelName,
            "has_level": !levelName.isEmpty,
            "ongoing": item.ongoing,
            "dedup_key": plan.dedupKey(n),
            "reminders_sent": Self.reminders(reminders),
        ]
        if let replyBy {
            values["reply_by"] = replyBy.chinese
            values["reply_by_iso"] = replyBy.iso
        }
        values.merge(decision) { $1 }
        return values
    }

    /// `reminders_sent` as templates read it: `count`, `first`, `last`, `dates`, and `any` /
    /// `many` (≥ 2) so wording such as "多次" appears only when the log shows it.
    static func reminders(_ days: [CivilDate]) -> [String: Any] {
        var out: [String: Any] = ["count": days.count, "any": !days.isEmpty, "many": days.count >= 2, "none": days.isEmpty]
        if let first = days.first, let last = days.last {
            out["first"] = first.chinese
            out["last"] = last.chinese
            out["dates"] = days.map(\.chinese).joined(separator: "、")
        }
        return out
    }
}
