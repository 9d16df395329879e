import DudaoCore

/// 督查通报: the office's weekly or monthly report as the formal document it circulates —
/// 文号, 标题, 主送, the figures against the period before, the agencies with the most
/// overdue work and those doing best, the longest-overdue items by name, the period's
/// changes and the work at 通报, then what is required, 落款 and 日期.
public enum CirculatedReport {
    /// At most this many items at 通报 are named; the rest are counted.
    static let atTopNamed = 30

    /// The document for `figures` (the report of `plan`), numbered `number` (nil: a draft,
    /// 〔待编号〕).
    public static func document(_ figures: ReportFigures, plan: Plan, office: String, number: String?) -> OfficialDocument {
        let report = figures.report, a = figures.assessment, before = figures.previous
        let t = a.total, p = before.total
        let word = figures.periodWord
        let policy = plan.policy
        let top = policy.ladder.levels.last?.name ?? "通报"
        let range = "\(Labels.date(report.since))至\(Labels.date(report.day))"
        let title = "关于\(range)重点任务督办落实情况的通报"
        var blocks: [OfficialDocument.Block] = [
            .mast("\(office)文件"),
            .number(number ?? DocumentKind.report.number(policy, year: report.day.year, n: nil)),
            .title(title),
            .addressee("\(policy.officeReport.addressee)："),
            .paragraph("现将\(range)重点任务督办落实情况通报如下。"),
        ]
        // 一、二、…: a section left out (no overdue items) takes no number.
        var sections = 0
        func section(_ title: String) {
            sections += 1
            blocks.append(.heading1("\(["一", "二", "三", "四", "五", "六"][sections - 1])、\(title)"))
        }
        section("总体情况")
        let lights = Light.allCases.compactMap { l in report.lights[l].map { "\(l.chinese)灯\($0)项" } }.joined(separator: "、")
        blocks.append(.paragraph("纳入督办的事项共\(report.lights.values.reduce(0, +))项（\(lights.isEmpty ? "无" : lights)）。"
            + "本\(word)到期\(t.dueInPeriod)项，按期办结\(t.doneOnTime)项，按期完成率\(Assessment.percent(t.onTimeRate))；"
            + "办结率\(Assessment.percent(t.completionRate))；逾期\(t.overdue)项，最长逾期\(t.longestOverdue)天；"
            + "平均响应时效\(t.responseTime.map { String(format: "%.1f个工作日", $0) } ?? "—")；退回\(t.returned)件；已至\(top)\(t.atTop)项。"))
        blocks.append(.table(header: ["指标", "本\(word)", "上\(word)", "变化"], shares: [10, 5, 5, 6], rows: [
            ["按期完成率", Assessment.percent(t.onTimeRate), Assessment.percent(p.onTimeRate), Assessment.points(t.onTimeRate, p.onTimeRate)],
            ["办结率", Assessment.percent(t.completionRate), Assessment.percent(p.completionRate), Assessment.points(t.completionRate, p.completionRate)],
            ["逾期事项（项）", "\(t.overdue)", "\(p.overdue)", t.overdue == p.overdue ? "持平" : t.overdue > p.overdue ? "+\(t.overdue - p.overdue)" : "−\(p.overdue - t.overdue)"],
            ["退回（件）", "\(t.returned)", "\(p.returned)", ""],
        ]))
        if a.lists.count > 1 {
            blocks.append(.heading2("（一）分清单情况"))
            blocks.append(.table(header: ["清单", "按期完成率", "办结率", "逾期"], shares: [12, 5, 5, 4],
                                 rows: a.lists.map { [$0.name, Assessment.percent($0.onTimeRate), Assessment.percent($0.completionRate), "\($0.overdue)项"] }))
        }
        section("各单位办理情况")
        if a.worst.isEmpty {
            blocks.append(.paragraph("本\(word)无逾期事项。"))
        } else {
            blocks.append(.paragraph("逾期事项较多的单位（按逾期项数、最长逾期天数排列）："))
            blocks.append(.table(header: ["序号", "单位", "逾期项数", "最长逾期", "已至\(top)"], shares: [3, 11, 4, 4, 4],
                                 rows: a.worst.enumerated().map { ["\($0 + 1)", $1.name, "\($1.overdue)", "\($1.longestOverdue)天", "\($1.atTop)"] }))
        }
        if !a.best.isEmpty {
            blocks.append(.paragraph("按期办理较好的单位：" + a.best.map { "\($0.name)（按期完成率\(Assessment.percent($0.onTimeRate))，办结率\(Assessment.percent($0.completionRate))）" }
                .joined(separator: "、") + "。"))
        }
        if !a.worstItems.isEmpty {
            section("逾期时间较长的事项")
            blocks.append(.table(header: ["序号", "事项", "牵头单位", "完成时限", "逾期"], shares: [2, 10, 5, 7, 3],
                                 rows: a.worstItems.map { o in
                                     [plan.items[o.item].id, plan.items[o.item].title, o.agency, Labels.date(o.due), "\(o.days)天"]
                                 }))
        }
        let c = report.counts
        section("本\(word)办理动态")
        blocks.append(.paragraph("收到各单位报送\(c.received)件（其中报告完成\(c.doneReported)件、申请延期\(c.extensionsAsked)件）；"
            + "审核决定\(c.decisions)项（销号\(c.closed)、退回\(c.returned)、同意延期\(c.extended)、不同意延期\(c.refused)、撤销\(c.cancelled)"
            + (c.deadlinesChanged + c.reopened > 0 ? "、调整完成时限\(c.deadlinesChanged)、恢复办理\(c.reopened)" : "") + "）"
            + (c.withdrawn > 0 ? "，撤回决定\(c.withdrawn)项" : "") + "；新增逾期\(report.newlyOverdue.count)项；待审核\(report.awaitingReview.count)项。"))
        if !report.atTop.isEmpty {
            let named = report.atTop.prefix(atTopNamed).map { r in
                "\(plan.items[r.item].id). \(plan.items[r.item].title)（\(r.agency)）"
            }.joined(separator: "；")
            let more = report.atTop.count > atTopNamed ? "等\(report.atTop.count)项" : ""
            blocks.append(.paragraph("已至\(top)的事项：\(named)\(more)。"))
        }
        let replyBy = plan.calendar.workdays(after: report.day, count: 5)
        section("有关要求")
        blocks.append(.paragraph("请有逾期事项的牵头单位切实履行牵头责任，于\(Labels.date(replyBy))前将办理进展和整改措施报送\(office)。"
            + "\(office)将持续跟踪督办，对仍未按期办结的事项按程序予以通报。"))
        blocks.append(.signature(office: office, date: Labels.date(report.day)))
        blocks.append(.imprint(copies: nil, office: office, date: Labels.date(report.day)))
        return OfficialDocument(title: title, blocks: blocks)
    }
}
