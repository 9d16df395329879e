import DudaoCore

/// The figures (`Assessment`) as templates read them — the report's email, the 通报, the
/// console's figures page and its big screen: rates as 87.5%, changes against the period
/// before, the short list of the longest overdue, 红榜 and 黑榜, one line per list and per
/// agency with the widths of its chart bars.
public enum AssessmentValues {
    /// Widest chart bar, in pixels.
    static let barPixels = 300

    public static func values(_ figures: ReportFigures, items: [Item]) -> [String: Any] {
        let now = figures.assessment, before = figures.previous
        let t = now.total, p = before.total
        func count(_ n: Int, _ m: Int) -> String { n == m ? "持平" : n > m ? "+\(n - m)" : "−\(m - n)" }
        func line(_ f: Assessment.Figures, rank: Int? = nil, widest: Int = 1) -> [String: Any] {
            var out: [String: Any] = [
                "name": f.name, "items": f.items, "units": f.units, "done": f.done, "due": f.dueInPeriod, "on_time_count": f.doneOnTime,
                "on_time": Assessment.percent(f.onTimeRate), "completion": Assessment.percent(f.completionRate),
                "overdue": f.overdue, "longest": f.longestOverdue, "returned": f.returned, "at_top": f.atTop, "has_top": f.atTop > 0,
                "response": f.responseTime.map { String(format: "%.1f", $0) } ?? "—",
                "on_time_width": Int((f.onTimeRate ?? 0) * Double(barPixels)),
                "completion_width": Int((f.completionRate ?? 0) * Double(barPixels)),
                "overdue_width": f.overdue == 0 ? 0 : max(2, f.overdue * barPixels / max(1, widest)),
            ]
            if let rank { out["rank"] = rank }
            return out
        }
        let widest = now.agencies.map(\.overdue).max() ?? 1
        let worstItems: [[String: Any]] = now.worstItems.enumerated().map { k, o in
            let item = items[o.item]
            return ["rank": k + 1, "id": item.id, "title": item.title, "title_in_quotes": Labels.insideQuotes(item.title), "agency": o.agency,
                    "due_date": Labels.date(o.due), "days": o.days]
        }
        var values: [String: Any] = [
            "fig_on_time": Assessment.percent(t.onTimeRate), "fig_on_time_before": Assessment.percent(p.onTimeRate),
            "fig_on_time_change": Assessment.points(t.onTimeRate, p.onTimeRate),
            "fig_due": t.dueInPeriod, "fig_done_on_time": t.doneOnTime,
            "fig_completion": Assessment.percent(t.completionRate), "fig_completion_before": Assessment.percent(p.completionRate),
            "fig_completion_change": Assessment.points(t.completionRate, p.completionRate),
            "fig_units": t.units, "fig_done": t.done,
            "fig_overdue": t.overdue, "fig_overdue_before": p.overdue, "fig_overdue_change": count(t.overdue, p.overdue),
            "fig_longest": t.longestOverdue,
            "fig_response": t.responseTime.map { String(format: "%.1f个工作日", $0) } ?? "—", "fig_responses": t.responses,
            "fig_returned": t.returned, "fig_returned_before": p.returned, "fig_at_top": t.atTop,
            "worst_items": worstItems, "has_worst_items": !worstItems.isEmpty, "worst_items_count": worstItems.count,
            "best": now.best.enumerated().map { line($1, rank: $0 + 1) }, "has_best": !now.best.isEmpty,
            "worst": now.worst.enumerated().map { line($1, rank: $0 + 1, widest: widest) }, "has_worst": !now.worst.isEmpty,
            "by_list": now.lists.map { line($0) }, "has_lists": now.lists.count > 1,
            "by_agency": now.agencies.map { line($0, widest: widest) }, "agency_count": now.agencies.count,
            "chart_width": barPixels,
        ]
        values["has_figures"] = t.units > 0 || t.items > 0
        return values
    }
}
