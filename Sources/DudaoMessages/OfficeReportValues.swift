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

    func values(for message: PlannedMessage, notice: Notice) -> [String: Any] {
        let day = message.sendDay
        let monthly = notice.rule == .report(monthly: true)
        let previous = plan.supervision.history.track(agency: message.to.agency, item: "", milestone: -1)?
            .delivered.filter { $0 < day }.max()
        let since = previous ?? day.adding(days: monthly ? -31 : -7)
        let ledger = Ledger(items: plan.items, supervision: plan.supervision, policy: plan.policy, today: day)
        let report = OfficeReport(ledger: ledger, items: plan.items, standings: plan.supervision.standings,
                                  policy: plan.policy, day: day, since: since)
        let total = report.lights.values.reduce(0, +)
        let widest = max(1, report.lights.values.max() ?? 1)
        let lights: [[String: Any]] = Light.allCases.map { light in
            let n = report.lights[light] ?? 0
            return ["name": light.rawValue, "chinese": light.chinese, "count": n, "colour": light.colour, "has_bar": n > 0,
                    "width": max(n > 0 ? 2 : 0, n * Self.barPixels / widest),
                    "bar": String(repeating: "█", count: n > 0 ? max(1, n * Self.barCharacters / widest) : 0)]
        }
        let agencies: [[String: Any]] = report.agencies.filter { $0.overdue > 0 }.enumerated().map { rank, line in
            ["rank": rank + 1, "agency": line.agency, "overdue": line.overdue, "overdue_days": line.overdueDays,
             "max_overdue_days": line.maxOverdueDays, "items": line.items, "top_count": line.atTop, "has_top": line.atTop > 0]
        }
        func row(_ r: LedgerRow) -> [String: Any] {
            let item = plan.items[r.item]
            var out: [String: Any] = ["id": item.id, "title": item.title, "agency": r.agency, "state": r.status.chinese,
                                      "light": r.light.chinese, "light_colour": r.light.colour, "reminders_sent": r.remindersSent]
            if let due = r.due {
                out["due_date"] = due.chinese
                out["days_overdue"] = max(0, due.days(until: day))
            }
            if let step = r.step { out["level_name"] = step.number == 0 ? "核实" : plan.policy.ladder.level(step.number)?.name ?? "督办" }
            return out
        }
        func change(_ c: OfficeReport.Change) -> [String: Any] {
            let item = plan.items[c.item]
            return ["id": item.id, "title": item.title, "agency": c.agency ?? item.lead.joined(separator: "、"),
                    "state": c.report.status.chinese, "note": c.report.note, "has_note": !c.report.note.isEmpty,
                    "date": plan.clock.day(of: c.report.at).chinese, "by": c.report.by]
        }
        let sections: [(String, [[String: Any]])] = [
            ("received", report.received.map(change)), ("closed", report.closed.map(change)),
            ("extensions", report.extensionsAsked.map(change)), ("awaiting", report.awaitingReview.map(row)),
            ("newly_overdue", report.newlyOverdue.map(row)), ("at_top", report.atTop.map(row)),
        ]
        var values: [String: Any] = [
            "office": office,
            "agency": message.to.agency,
            "period": monthly ? "月" : "周",
            "is_monthly": monthly,
            "send_date": day.chinese,
            "send_iso": day.iso,
            "since_date": since.chinese,
            "total": total,
            "lights": lights,
            "max_width": Self.barPixels,
            "red": report.lights[.red] ?? 0,
            "yellow": report.lights[.yellow] ?? 0,
            "green": report.lights[.green] ?? 0,
            "blue": report.lights[.blue] ?? 0,
            "agencies": agencies,
            "has_agencies": !agencies.isEmpty,
            "top_level_name": plan.policy.ladder.levels.last?.name ?? "通报",
            "has_cc": !message.cc.isEmpty,
            "cc": message.cc.map(\.description).joined(separator: "、"),
        ]
        for (name, list) in sections {
            values[name] = list
            values["has_" + name] = !list.isEmpty
            values[name + "_count"] = list.count
        }
        return values
    }
}
