import Foundation
import DudaoCore
import DudaoMessages

/// The figures page's chart, drawn on the server as SVG (no scripts): one row per agency,
/// most overdue first, with its 办结率 and 按期完成率 as bars out of 100% and its overdue
/// items as a red bar. Every name is escaped.
enum FiguresChart {
    /// At most this many agencies are drawn (the table below lists every one).
    static let rows = 60
    static let label = 180, bar = 200, gap = 16, rowHeight = 24

    static func svg(_ a: Assessment) -> String {
        let shown = a.agencies.sorted { ($0.overdue, $0.longestOverdue, $1.name) > ($1.overdue, $1.longestOverdue, $0.name) }.prefix(rows)
        let widest = max(1, shown.map(\.overdue).max() ?? 1)
        let width = label + 3 * (bar + gap)
        let height = (shown.count + 1) * rowHeight + 8
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" aria-label=\"各单位办结率、按期完成率和逾期项数\" "
            + "viewBox=\"0 0 \(width) \(height)\" width=\"\(width)\" height=\"\(height)\" font-size=\"13\">"
        let columns = [("办结率", "#1565c0"), ("按期完成率", "#2e7d32"), ("逾期（项）", "#c62828")]
        for (k, (title, colour)) in columns.enumerated() {
            s += "<text x=\"\(label + k * (bar + gap))\" y=\"16\" fill=\"\(colour)\" font-weight=\"bold\">\(title)</text>"
        }
        for (i, f) in shown.enumerated() {
            let y = (i + 1) * rowHeight + 4
            let name = f.name.count > 12 ? String(f.name.prefix(11)) + "…" : f.name
            s += "<g><title>\(XMLText.escape(f.name))：办结率\(Assessment.percent(f.completionRate))，按期完成率\(Assessment.percent(f.onTimeRate))，逾期\(f.overdue)项</title>"
            s += "<text x=\"0\" y=\"\(y + 15)\">\(XMLText.escape(name))</text>"
            let values: [(Double?, String)] = [(f.completionRate, Assessment.percent(f.completionRate)), (f.onTimeRate, Assessment.percent(f.onTimeRate)),
                                               (Double(f.overdue) / Double(widest), "\(f.overdue)")]
            for (k, (value, text)) in values.enumerated() {
                let x = label + k * (bar + gap)
                let w = Int(((value ?? 0) * Double(bar - 50)).rounded())
                s += "<rect x=\"\(x)\" y=\"\(y + 3)\" width=\"\(bar - 50)\" height=\"16\" fill=\"#eeeeee\"/>"
                if w > 0 { s += "<rect x=\"\(x)\" y=\"\(y + 3)\" width=\"\(w)\" height=\"16\" fill=\"\(columns[k].1)\"/>" }
                s += "<text x=\"\(x + bar - 46)\" y=\"\(y + 15)\">\(text)</text>"
            }
            s += "</g>"
        }
        return s + "</svg>"
    }
}
