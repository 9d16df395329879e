/// Splits a 具体举措 cell into its measures and removes their numbering.
///
/// Numbered text (`1. … 2. …`, `1、…`, `（1）…`) splits at each number only when the numbers
/// run 1, 2, 3 in order, so `80 家` or `2022年` never split a sentence. A list fragment
/// without numbers (`<ol>` whose `<li>` were lost) splits after each sentence.
public enum MeasureList {
    /// The measures of a cell, plain text, in order.
    public static func measures(_ cell: String) -> [String] {
        let (blocks, isList) = MarkupText.blocks(cell)
        var out: [String] = []
        for block in blocks {
            let numbered = splitNumbered(block)
            if numbered.count > 1 || numbered.first != block {
                out += numbered
            } else if isList {
                out += splitSentences(block)
            } else {
                // Plain text: three or more clauses separated by "； " read as a list.
                let clauses = splitSentences(block, after: ["；", ";"])
                out += clauses.count >= 3 ? clauses : [block]
            }
        }
        return out.map { MarkupText.foldSpaces($0).trimmingTrailing(["；", ";"]) }.filter { !$0.isEmpty }
    }

    /// Splits at markers `1.`, `1．`, `1、`, `(1)`, `（1）` numbered 1, 2, 3… in order.
    /// Works on scalars, not characters: markers are single scalars, and grapheme breaking
    /// every measure of a 100,000-row list is what made this slow.
    static func splitNumbered(_ text: String) -> [String] {
        guard text.utf8.contains(where: { $0 >= 0x30 && $0 <= 0x39 }) else { return [text] }
        let chars = Array(text.unicodeScalars)
        var cuts: [(start: Int, bodyStart: Int)] = []
        var expected = 1
        var i = 0
        while i < chars.count {
            if let (n, end) = marker(chars, at: i), n == expected, isBoundary(chars, before: i) {
                cuts.append((i, end))
                expected += 1
                i = end
                continue
            }
            i += 1
        }
        guard let first = cuts.first else { return [text] }
        func piece(_ range: Range<Int>) -> String { String(String.UnicodeScalarView(chars[range])).trimming(" ") }
        var parts: [String] = []
        let lead = piece(0..<first.start)
        if !lead.isEmpty { parts.append(lead) }
        for (k, cut) in cuts.enumerated() {
            let end = k + 1 < cuts.count ? cuts[k + 1].start : chars.count
            parts.append(piece(cut.bodyStart..<end))
        }
        return parts
    }

    /// A number marker at `i`: its value and where the text after it starts.
    private static func marker(_ chars: [Unicode.Scalar], at i: Int) -> (Int, Int)? {
        func digit(_ c: Unicode.Scalar) -> Int? { c.value >= 0x30 && c.value <= 0x39 ? Int(c.value - 0x30) : nil }
        var j = i
        let paren = j < chars.count && (chars[j] == "(" || chars[j] == "（")
        if paren { j += 1 }
        var n = 0
        let digitsStart = j
        while j < chars.count, let d = digit(chars[j]), j - digitsStart < 2 {
            n = n * 10 + d
            j += 1
        }
        guard j > digitsStart, j < chars.count else { return nil }
        if paren {
            guard chars[j] == ")" || chars[j] == "）" else { return nil }
            return (n, j + 1)
        }
        guard chars[j] == "." || chars[j] == "．" || chars[j] == "、" else { return nil }
        // "1.5" is a number, not a marker.
        if chars[j] == ".", j + 1 < chars.count, digit(chars[j + 1]) != nil { return nil }
        return (n, j + 1)
    }

    /// Markers count at the start or after a space or sentence end.
    private static func isBoundary(_ chars: [Unicode.Scalar], before i: Int) -> Bool {
        guard i > 0 else { return true }
        return " 。；;：:\n".unicodeScalars.contains(chars[i - 1])
    }

    /// Splits after `。`/`；` (or `marks`) that are followed by white space.
    static func splitSentences(_ text: String, after marks: Set<Unicode.Scalar> = ["。", "；", ";"]) -> [String] {
        var parts: [String] = []
        var current = String.UnicodeScalarView()
        var previous: Unicode.Scalar? = nil
        for c in text.unicodeScalars {
            if c == " ", let p = previous, marks.contains(p) {
                parts.append(String(current))
                current = String.UnicodeScalarView()
            } else {
                current.append(c)
            }
            previous = c
        }
        parts.append(String(current))
        return parts.map { $0.trimming(" ") }.filter { !$0.isEmpty }
    }
}

extension String {
    /// The string without trailing scalars from `set`.
    func trimmingTrailing(_ set: Set<Unicode.Scalar>) -> String {
        var s = Substring(self).unicodeScalars
        while let last = s.last, set.contains(last) { s = s.dropLast() }
        return String(s)
    }
}
