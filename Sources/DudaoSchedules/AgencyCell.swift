import Foundation

/// Splits 牵头单位 / 配合单位 cells into agency names.
///
/// Separators are 、 ， , ； ; (and line breaks), never inside parentheses, so
/// `市市场监管局(知识产权局)` stays whole. A trailing `等相关部门` / `等有关单位` / `等` is removed
/// and reported as "and others"; full stops and stray spaces are dropped.
public enum AgencyCell {
    /// Names in order, plus whether the cell ended in "and others".
    public static func split(_ cell: String) -> (names: [String], andOthers: Bool) {
        var names: [String] = []
        var current = ""
        var depth = 0
        for c in MarkupText.blocks(cell).blocks.joined(separator: "、") {
            switch c {
            case "(", "（": depth += 1; current.append(c)
            case ")", "）": depth = max(0, depth - 1); current.append(c)
            case "、", "，", ",", "；", ";", "\n":
                if depth == 0 {
                    names.append(current)
                    current = ""
                } else {
                    current.append(c)
                }
            default:
                current.append(c)
            }
        }
        names.append(current)
        var andOthers = false
        names = names.map { name in
            var n = clean(name)
            for suffix in ["等相关部门", "等有关部门", "等相关单位", "等有关单位", "等部门", "等单位", "等"] where n.hasSuffix(suffix) && n.count > suffix.count {
                n = String(n.dropLast(suffix.count))
                andOthers = true
                break
            }
            return n
        }
        return (names.filter { !$0.isEmpty }, andOthers)
    }

    private static func clean(_ name: String) -> String {
        var s = name.filter { !$0.isWhitespace }
        while let last = s.last, ["。", ".", "．"].contains(last) { s.removeLast() }
        // Normalise full-width parentheses so one agency is spelled one way.
        return s.replacingOccurrences(of: "（", with: "(").replacingOccurrences(of: "）", with: ")")
    }
}
