import DudaoCore

/// The values of the office's report template: counts by light with a bar chart that
/// email clients draw without scripts, agencies ranked by overdue work, what changed since
/// the last report, work awaiting the office, and work at the top of the ladder.
struct OfficeReportValues {
    let office: String
    let plan: Plan

    /// Widest bar, in pixels (HTML) or characters (text).
    static let barPixels = 240
    static let barCharacters = 20

    func values(for message: PlannedMessage, figures: ReportFigures) -> [String: Any] {
        let day = message.sendDay
        let monthly = figures.monthly
        let report = figures.report
        let since = report.since
        let total = report.lights.values.reduce(0, +)
        let widest = max(1, report.lights.values.max() ?? 1)
        let lights: [[String: Any]] = Light.allCases.map { light in
            let n = report.lights[light] ?? 0
            return ["name": light.rawValue, "chinese": light.chinese, "count": n, "colour": light.colour, "has_bar": n > 0,
                    "width": max(n > 0 ? 2 : 0, n * Self.barPixels / widest),
                    "bar": String(repeating: "█", count: n > 0 ? max(1, n * Self.barCharacters / widest) : 0)]
        }
        func row(_ r: LedgerRow) -> [String: Any] {
            let item = plan.items[r.item]
            var out: [String: Any] = ["id": item.id, "title": item.title, "title_in_quotes": Labels.insideQuotes(item.title), "agency": r.agency,
                                      "state": Labels.state(r.status, origin: r.origin), "light": r.light.chinese, "light_colour": r.light.colour,
                                      "reminders_sent": r.remindersSent]
            if let due = r.due {
                out["due_date"] = Labels.date(due)
                out["days_overdue"] = max(0, due.days(until: day))
            }
            if let step = r.step { out["level_name"] = Labels.step(step, ladder: plan.policy.ladder) }
            return out
        }
        // A request superseded by a later report awaits nothing.
        let pending = Set(report.awaitingReview.map(\.report))
        func event(_ e: OfficeReport.Event) -> [String: Any] {
            let item = plan.items[e.item]
            let r = e.report
            var what = r.origin.isOfficeInitiative ? Labels.decision(r) ?? Labels.event(r.status) : Labels.event(r.status)
            if r.origin == .proxy { what += "（督查室代录）" }
            if e.kind == .withdrawal { what = "撤回决定（" + (Labels.decisionName(r.status) ?? what) + "）" }
            var out: [String: Any] = ["id": item.id, "title": item.title, "title_in_quotes": Labels.insideQuotes(item.title),
                                      "agency": e.agency ?? item.lead.joined(separator: "、"), "what": what,
                                      "note": e.kind == .withdrawal ? "" : r.note, "has_note": e.kind != .withdrawal && !r.note.isEmpty,
                                      "date": Labels.date(plan.clock.day(of: e.at)), "time": Labels.minute(e.at, clock: plan.clock),
                                      "by": e.kind == .withdrawal ? (r.withdrawn?.by ?? "") : r.by,
                                      "is_report": e.kind == .report, "is_decision": e.kind == .decision, "is_withdrawal": e.kind == .withdrawal,
                                      "lacks_evidence": e.kind == .report && r.status == .doneReported && r.files == 0]
            if let o = e.outcome, let word = Labels.decisionName(o.status) {
                out["outcome"] = "已审核：\(Labels.decision(o.status) ?? word)（\(Labels.date(plan.clock.day(of: o.at)))）"
            } else if e.kind == .report, pending.contains(r) {
                out["outcome"] = "待审核"
            }
            out["has_outcome"] = out["outcome"] != nil
            return out
        }
        func awaiting(_ a: ReviewQueue.Entry) -> [String: Any] {
            let item = plan.items[a.item]
            return ["id": item.id, "title": item.title, "title_in_quotes": Labels.insideQuotes(item.title), "agency": a.agency,
                    "state": Labels.state(a.report.status), "date": Labels.date(plan.clock.day(of: a.report.at)),
                    "lacks_evidence": a.lacksEvidence]
        }
        let sections: [(String, [[String: Any]])] = [
            ("events", report.events.map(event)), ("awaiting", report.awaitingReview.map(awaiting)),
            ("newly_overdue", report.newlyOverdue.map(row)), ("at_top", report.atTop.map(row)),
        ]
        let c = report.counts
        let counts: [String: Int] = [
            "received_count": c.received, "done_reported_count": c.doneReported, "extensions_count": c.extensionsAsked,
            "closed_count": c.closed, "returned_count": c.returned, "extended_count": c.extended, "refused_count": c.refused,
            "cancelled_count": c.cancelled, "withdrawn_count": c.withdrawn, "decisions_count": c.decisions,
            "deadlines_changed_count": c.deadlinesChanged, "reopened_count": c.reopened,
        ]
        var values: [String: Any] = [
            "office": office,
            "agency": message.to.agency,
            "period": monthly ? "月" : "周",
            "is_monthly": monthly,
            "send_date": Labels.date(day),
            "send_iso": day.iso,
            "since_date": Labels.date(since),
            "total": total,
            "lights": lights,
            "max_width": Self.barPixels,
            "red": report.lights[.red] ?? 0,
            "yellow": report.lights[.yellow] ?? 0,
            "green": report.lights[.green] ?? 0,
            "blue": report.lights[.blue] ?? 0,
            "top_level_name": plan.policy.ladder.levels.last?.name ?? "通报",
            "has_cc": !message.cc.isEmpty,
            "cc": message.cc.map(MessageContext.cc).joined(separator: "、"),
        ]
        for (name, list) in sections {
            values[name] = list
            values["has_" + name] = !list.isEmpty
            values[name + "_count"] = list.count
        }
        values.merge(counts) { $1 }
        values["has_decisions"] = c.decisions + c.withdrawn > 0
        values["has_withdrawn"] = c.withdrawn > 0
        values["has_office_actions"] = c.deadlinesChanged + c.reopened > 0
        values.merge(AssessmentValues.values(figures, items: plan.items)) { $1 }
        // 未签收: agencies that have not signed for overdue notices in time (with a `sign:` policy).
        let unsigned = plan.supervision.unsigned.sorted { ($1.value, $0.key) < ($0.value, $1.key) }
        values["unsigned"] = unsigned.map { ["agency": $0.key, "count": $0.value] }
        values["has_unsigned"] = !unsigned.isEmpty
        return values
    }
}
