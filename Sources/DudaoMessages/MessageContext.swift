import DudaoCore

/// What a template can show about one message: the addressee, the office, and one entry
/// per notice with the item's number, title, measures, agencies, the deadline as written
/// and as a date, and days left or overdue. Pure: built from the plan alone.
public struct MessageContext: Sendable {
    /// Name of the supervising office signing the message (督查室).
    public var office: String
    /// Where agencies report progress (an address or a sentence); shown when set.
    public var reportTo: String?

    /// A context builder.
    public init(office: String?, reportTo: String? = nil) {
        self.office = office ?? "督查室"
        self.reportTo = reportTo
    }

    /// The template folder a message renders with: its kind (`overdue-1`, `overdue-2`…),
    /// or `digest` when it carries more than one notice.
    public static func templateName(for message: PlannedMessage) -> String {
        if message.noticeRange.count > 1 { return "digest" }
        switch message.kind {
        case .overdue: return "overdue-\(max(1, message.level))"
        case .ongoing: return "ongoing"
        default: return message.kind.rawValue
        }
    }

    /// The values for `message`, as Mustache reads them (dictionaries, arrays, strings, numbers, booleans).
    public func values(for message: PlannedMessage, in plan: Plan) -> [String: Any] {
        let notices = Array(plan.notices(in: message))
        let entries = notices.map { entry(for: $0, sentOn: message.sendDay, plan: plan) }
        var values: [String: Any] = [
            "agency": message.to.agency,
            "cc": message.cc.map(\.description).joined(separator: "、"),
            "has_cc": !message.cc.isEmpty,
            "kind": message.kind.rawValue,
            "level": message.level,
            "is_level2": message.level >= 2,
            "is_escalation": message.level >= 1,
            "count": Set(notices.map(\.item)).count,
            "send_date": message.sendDay.chinese,
            "send_iso": message.sendDay.iso,
            "office": office,
            "items": entries,
            "first": entries.first ?? [:],
            "overdue_count": notices.filter { if case .overdue = $0.rule { true } else { false } }.count,
        ]
        if let reportTo { values["report_to"] = reportTo }
        return values
    }

    private func entry(for n: Notice, sentOn day: CivilDate, plan: Plan) -> [String: Any] {
        let item = plan.items[Int(n.item)]
        let milestone = n.milestone >= 0 ? item.milestones[Int(n.milestone)] : nil
        let daysLeft = day.days(until: n.due)
        var status: String
        var isAdvance = false, isDue = false, isOverdue = false, isProgress = false
        switch n.rule {
        case .advance:
            status = "距完成时限还有\(daysLeft)天"
            isAdvance = true
        case .due:
            status = daysLeft == 0 ? "今日到期" : "\(n.due.chinese)到期（节假日前最后一个工作日）"
            isDue = true
        case .overdue:
            status = "已逾期\(-daysLeft)天"
            isOverdue = true
        case .progress:
            status = "请报送\(n.due.year)年\(n.due.month)月工作进展"
            isProgress = true
        }
        var partners = item.partners.joined(separator: "、")
        if item.partnersAndOthers { partners += "等" }
        return [
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
            "is_advance": isAdvance,
            "is_due": isDue,
            "is_overdue": isOverdue,
            "is_progress": isProgress,
            "ongoing": item.ongoing,
            "dedup_key": plan.dedupKey(n),
        ]
    }
}
