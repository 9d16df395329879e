import DudaoCore

/// One item as a message shows it to one agency: every notice about it that morning — a
/// decision, a reminder, a request, several milestones — in one block. Its 当前状态 says
/// the decision and where the work stands; its level line and reply date say what is
/// asked now, from the most pressing notice.
struct MessageBlock {
    let item: Item
    let agency: String
    /// The notices about the item in this message, as the plan holds them.
    let notices: [Notice]

    /// The reminders and requests, most pressing first; the decision told, if any.
    var reminders: [Notice] { notices.filter { $0.rule != .decision }.sorted { ($0.rule.urgencyRank, $1.milestone) > ($1.rule.urgencyRank, $0.milestone) } }
    var decision: Notice? { notices.first { $0.rule == .decision } }

    /// Groups a message's notices into blocks, in the order items first appear.
    static func blocks(_ notices: [Notice], in message: PlannedMessage, plan: Plan) -> [MessageBlock] {
        var order: [Int32] = []
        var byItem: [Int32: [Notice]] = [:]
        for n in notices where n.item >= 0 {
            if byItem[n.item] == nil { order.append(n.item) }
            byItem[n.item, default: []].append(n)
        }
        return order.map { index in
            let mine = byItem[index]!
            return MessageBlock(item: plan.items[Int(index)], agency: plan.agency(of: mine[0], in: message), notices: mine)
        }
    }

    /// The values a template reads for this block.
    func values(office: String, day: CivilDate, plan: Plan) -> [String: Any] {
        let primary = reminders.first ?? decision!
        var values = Self.line(primary, item: item, agency: agency, day: day, plan: plan)
        // Further milestones reminded the same morning: one line each, inside this block.
        let more = reminders.dropFirst().filter { $0.milestone != primary.milestone }
        var seen: Set<Int32> = [primary.milestone]
        let lines: [[String: Any]] = more.compactMap { n in
            guard seen.insert(n.milestone).inserted else { return nil }
            return Self.line(n, item: item, agency: agency, day: day, plan: plan)
        }
        values["more_milestones"] = lines
        values["has_more_milestones"] = !lines.isEmpty
        if let d = decision {
            let milestone = d.milestone >= 0 ? Int(d.milestone) : nil
            let standing = plan.supervision.standings.standing(item, milestone: milestone, agency: agency)
            if let report = standing.report, let word = Labels.decision(report) {
                let said = report.origin.isOfficeInitiative ? "决定" : "审核意见"
                let told = "\(office)\(Labels.date(d.occurrence))\(said)：\(word)" + (report.note.isEmpty ? "" : "；\(report.note)")
                values["status_line"] = reminders.isEmpty ? told : "\(told)。\(values["status_line"] as? String ?? "")"
                values["is_decision"] = true
                values["decision"] = word
                values["decision_note"] = report.note
                values["decided_on"] = Labels.date(d.occurrence)
                values["decision_heading"] = Labels.decisionHeading(report.origin)
                values["is_review"] = !report.origin.isOfficeInitiative
            }
        }
        if values["is_decision"] == nil { values["is_decision"] = false }
        values["id"] = item.id
        values["title"] = item.title
        values["title_in_quotes"] = Labels.insideQuotes(item.title)
        values["content"] = item.content
        values["has_content"] = !item.content.isEmpty
        values["measures"] = item.measures.enumerated().map { ["index": $0.offset + 1, "text": $0.element] as [String: Any] }
        values["has_measures"] = !item.measures.isEmpty
        values["lead"] = item.lead.joined(separator: "、")
        var partners = item.partners.joined(separator: "、")
        if item.partnersAndOthers { partners += "等" }
        values["partners"] = partners
        values["has_partners"] = !partners.isEmpty
        values["due_text"] = item.dueText
        values["ongoing"] = item.ongoing
        values["dedup_key"] = plan.dedupKey(primary)
        return values
    }

    /// One notice's lines: deadline (or report period), state, level, reply date, reminders.
    private static func line(_ n: Notice, item: Item, agency: String, day: CivilDate, plan: Plan) -> [String: Any] {
        let milestone = n.milestone >= 0 ? item.milestones[Int(n.milestone)] : nil
        let daysLeft = day.days(until: n.due)
        let ladder = plan.policy.ladder
        var status = ""
        var replyBy: CivilDate? = nil
        var levelName = ""
        // Ongoing work is asked for a month's report, by a day: a 报送期, not a 完成时限.
        let month = n.due.adding(days: -n.due.day)
        let period = "\(month.year)年\(month.month)月工作进展"
        switch n.rule {
        case .advance:
            status = "距完成时限还有\(daysLeft)天"
        case .due:
            status = daysLeft == 0 ? "今日到期" : "\(Labels.date(n.due))到期（节假日前最后一个工作日）"
        case .verify, .overdue:
            status = n.milestone < 0 ? "\(period)应于\(Labels.date(n.due))前报送，已逾期\(-daysLeft)天未报" : "已逾期\(-daysLeft)天"
            if case .overdue(let l) = n.rule {
                levelName = Labels.level(l, ladder: ladder)
                replyBy = plan.calendar.workdays(after: day, count: ladder.level(l)?.replyDays ?? 3)
            } else {
                levelName = "核实"
                replyBy = plan.calendar.workdays(after: day, count: ladder.verifyReplyDays ?? 5)
            }
        case .progress:
            status = "请于\(Labels.date(n.due))前报送\(period)"
            replyBy = n.due
        case .report, .decision:
            break
        }
        let standing = plan.supervision.standings.standing(item, milestone: n.milestone >= 0 ? Int(n.milestone) : nil, agency: agency)
        let light = plan.policy.lights.light(standing, ongoing: n.milestone < 0, today: day,
                                             lastReport: standing.lastAnswer.map { plan.clock.day(of: $0.at) })
        let reminders = plan.remindersBefore(n, agency: agency)
        var values: [String: Any] = [
            "milestone_text": milestone?.text ?? item.dueText,
            "deadline": n.rule == .decision && n.milestone < 0 ? Labels.deadline(text: item.dueText, original: nil, due: nil)
                : n.milestone < 0 ? "\(month.year)年\(month.month)月，\(Labels.date(n.due))前报送"
                : Labels.deadline(text: milestone?.text ?? item.dueText, original: milestone?.due, due: n.due),
            "is_report_period": n.milestone < 0 && n.rule != .decision,
            "period": period,
            "due_date": Labels.date(n.due),
            "due_iso": n.due.iso,
            "days_left": max(0, daysLeft),
            "days_overdue": max(0, -daysLeft),
            "status_line": status,
            "state": Labels.state(standing.status, origin: standing.report?.origin ?? .reply),
            "light": light.chinese,
            "light_colour": light.colour,
            "is_advance": n.rule.isAdvance,
            "is_due": n.rule == .due,
            "is_overdue": n.rule.ladderStep != nil,
            "is_verify": n.rule == .verify,
            "is_escalation": n.rule.ladderStep.map { $0.number > 0 } ?? false,
            "is_progress": n.rule == .progress,
            "level_name": levelName,
            "has_level": !levelName.isEmpty,
            "reminders_sent": MessageContext.reminders(reminders, signing: plan.policy.sign != nil,
                                                       lastSigned: plan.supervision.lastSigned[agency].map { plan.clock.day(of: $0) }),
            // Set on every block, so a block without a reply date never shows the message's.
            "has_reply_by": replyBy != nil,
            "reply_by": replyBy.map { Labels.date($0) as Any } ?? false,
        ]
        if let replyBy { values["reply_by_iso"] = replyBy.iso }
        return values
    }
}

extension Notice.Rule {
    /// Higher is more pressing, for choosing the notice a block leads with; a request for a
    /// report ranks below any reminder of a date.
    var urgencyRank: Int { self == .progress ? -1 : urgency }

    var isAdvance: Bool { if case .advance = self { true } else { false } }
}
