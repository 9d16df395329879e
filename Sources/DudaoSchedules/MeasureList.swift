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
    static func splitNumbered(_ text: String) -> [String] {
        let chars = Array(text)
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
        var parts: [String] = []
        let lead = String(chars[..<first.start]).trimming(" ")
        if !lead.isEmpty { parts.append(lead) }
        for (k, cut) in cuts.enumerated() {
            let end = k + 1 < cuts.count ? cuts[k + 1].start : chars.count
            parts.append(String(chars[cut.bodyStart..<end]).trimming(" "))
        }
        return parts
    }

    /// A number marker at `i`: its value and where the text after it starts.
    private static func marker(_ chars: [Character], at i: Int) -> (Int, Int)? {
        var j = i
        let paren = j < chars.count && (chars[j] == "(" || chars[j] == "（")
        if paren { j += 1 }
        var n = 0
        let digitsStart = j
        while j < chars.count, chars[j].isASCII, let d = chars[j].wholeNumberValue, j - digitsStart < 2 {
            n = n * 10 + d
            j += 1
        }
        guard j > digitsStart, j < chars.count else { return nil }
        if paren {
            guard chars[j] == ")" || chars[j] == "）" else { return nil }
            return (n, j + 1)
        }
        guard [".", "．", "、"].contains(chars[j]) else { return nil }
        // "1.5" is a number, not a marker.
        if chars[j] == ".", j + 1 < chars.count, chars[j + 1].isASCII, chars[j + 1].isNumber { return nil }
        return (n, j + 1)
    }

    /// Markers count at the start or after a space or sentence end.
    private static func isBoundary(_ chars: [Character], before i: Int) -> Bool {
        guard i > 0 else { return true }
        return [" ", "。", "；", ";", "：", ":", "\n"].contains(chars[i - 1])
    }

    /// Splits after `。`/`；` (or `marks`) that are followed by white space.
    static func splitSentences(_ text: String, after marks: Set<Character> = ["。", "；", ";"]) -> [String] {
        var parts: [String] = []
        var current = ""
        var previous: Character? = nil
        for c in text {
            if c == " ", let p = previous, marks.contains(p) {
                parts.append(current)
                current = ""
            } else {
                current.append(c)
            }
            previous = c
        }
        parts.append(current)
        return parts.map { $0.trimming(" ") }.filter { !$0.isEmpty }
    }
}

extension String {
    /// The string without trailing characters from `set`.
    func trimmingTrailing(_ set: Set<Character>) -> String {
        var s = Substring(self)
        while let last = s.last, set.contains(last) { s = s.dropLast() }
        return String(s)
    }
}
