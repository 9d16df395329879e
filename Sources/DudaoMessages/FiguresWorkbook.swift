import DudaoCore

/// The figures as the office takes them into Excel or another tool: per agency, per list,
/// the totals against the period before, and the longest-overdue items — every figure a
/// number (rates in percent), so they sort and sum.
public enum FiguresWorkbook {
    static let header = ["单位", "牵头事项", "应办结(项)", "已办结(项)", "办结率(%)", "本期到期(项)", "按期办结(项)", "按期完成率(%)",
                         "逾期(项)", "最长逾期(天)", "响应(项)", "平均响应(工作日)", "退回(件)", "已至通报(项)"]

    static func cells(_ f: Assessment.Figures) -> [Spreadsheet.Cell] {
        func n(_ v: Int) -> Spreadsheet.Cell { .number(Double(v)) }
        func rate(_ r: Double?) -> Spreadsheet.Cell { r.map { .number(($0 * 1000).rounded() / 10) } ?? .empty }
        return [.text(f.name), n(f.items), n(f.units), n(f.done), rate(f.completionRate), n(f.dueInPeriod), n(f.doneOnTime), rate(f.onTimeRate),
                n(f.overdue), n(f.longestOverdue), n(f.responses), f.responseTime.map { .number(($0 * 10).rounded() / 10) } ?? .empty,
                n(f.returned), n(f.atTop)]
    }

    public static func spreadsheet(_ figures: ReportFigures, items: [Item]) -> Spreadsheet {
        let a = figures.assessment, p = figures.previous
        let widths: [Double] = [28] + Array(repeating: 11, count: header.count - 1)
        let word = figures.periodWord
        return Spreadsheet(sheets: [
            .init(name: "合计", header: ["期间"] + header.dropFirst(), widths: [30] + widths.dropFirst(), rows: [
                [.text("本\(word)（\(a.since.iso)至\(a.day.iso)）")] + cells(a.total).dropFirst(),
                [.text("上\(word)（\(p.since.iso)至\(p.day.iso)）")] + cells(p.total).dropFirst(),
            ]),
            .init(name: "各单位", header: header, widths: widths, rows: a.agencies.map(cells)),
            .init(name: "各清单", header: ["清单"] + header.dropFirst(), widths: [40] + widths.dropFirst(), rows: a.lists.map(cells)),
            .init(name: "逾期最久", header: ["序号", "事项序号", "事项", "牵头单位", "完成时限", "逾期(天)"], widths: [6, 8, 50, 24, 12, 10],
                  rows: a.worstItems.enumerated().map { k, o in
                      [.number(Double(k + 1)), .text(items[o.item].id), .text(items[o.item].title), .text(o.agency), .date(o.due), .number(Double(o.days))]
                  }),
        ])
    }

    /// The agencies' figures as CSV with English headers and ISO values (a machine reads it).
    public static func csv(_ figures: ReportFigures) -> String {
        var out = "\u{FEFF}agency,items,units,done,completion_rate,due_in_period,done_on_time,on_time_rate,overdue,longest_overdue_days,"
            + "responses,response_workdays,returned,at_top\r\n"
        func rate(_ r: Double?) -> String { r.map { String(format: "%.4f", $0) } ?? "" }
        for f in figures.assessment.agencies + [figures.assessment.total] {
            out += CSVLine.of([f.name, "\(f.items)", "\(f.units)", "\(f.done)", rate(f.completionRate), "\(f.dueInPeriod)", "\(f.doneOnTime)",
                               rate(f.onTimeRate), "\(f.overdue)", "\(f.longestOverdue)", "\(f.responses)", "\(f.responseWorkdays)",
                               "\(f.returned)", "\(f.atTop)"])
        }
        return out
    }
}
