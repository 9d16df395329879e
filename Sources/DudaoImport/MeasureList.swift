import DudaoSchedules
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
    /// Works on UTF-8 bytes, not characters: grapheme breaking every measure of a
    /// 100,000-row list is what made this slow, and every marker and boundary is a fixed
    /// byte sequence.
    static func splitNumbered(_ text: String) -> [String] {
        guard text.utf8.contains(where: { $0 >= 0x30 && $0 <= 0x39 }) else { return [text] }
        let bytes = Array(text.utf8)
        var cuts: [(start: Int, bodyStart: Int)] = []
        var expected = 1
        var i = 0
        while i < bytes.count {
            if let (n, end) = marker(bytes, at: i), n == expected, isBoundary(bytes, before: i) {
                cuts.append((i, end))
                expected += 1
                i = end
                continue
            }
            i += 1
        }
        guard let first = cuts.first else { return [text] }
        func piece(_ range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self).trimming(" ") }
        var parts: [String] = []
        let lead = piece(0..<first.start)
        if !lead.isEmpty { parts.append(lead) }
        for (k, cut) in cuts.enumerated() {
            let end = k + 1 < cuts.count ? cuts[k + 1].start : bytes.count
            parts.append(piece(cut.bodyStart..<end))
        }
        return parts
    }

    private static let fullWidthOpen: [UInt8] = Array("（".utf8)
    private static let fullWidthClose: [UInt8] = Array("）".utf8)
    private static let fullWidthStop: [UInt8] = Array("．".utf8)
    private static let enumerationComma: [UInt8] = Array("、".utf8)
    /// What a marker may follow: a space, a sentence or clause end, a colon, a new line.
    private static let boundaries: [[UInt8]] = [" ", "。", "；", ";", "：", ":", "\n"].map { Array($0.utf8) }

    private static func has(_ bytes: [UInt8], _ sequence: [UInt8], at i: Int) -> Bool {
        i >= 0 && i + sequence.count <= bytes.count && bytes[i..<i + sequence.count].elementsEqual(sequence)
    }

    /// A number marker at byte `i`: its value and where the text after it starts.
    private static func marker(_ bytes: [UInt8], at i: Int) -> (Int, Int)? {
        func digit(_ j: Int) -> Int? { j < bytes.count && bytes[j] >= 0x30 && bytes[j] <= 0x39 ? Int(bytes[j] - 0x30) : nil }
        var j = i
        var paren = false
        if j < bytes.count, bytes[j] == UInt8(ascii: "(") {
            paren = true
            j += 1
        } else if has(bytes, fullWidthOpen, at: j) {
            paren = true
            j += fullWidthOpen.count
        }
        var n = 0
        let digitsStart = j
        while let d = digit(j), j - digitsStart < 2 {
            n = n * 10 + d
            j += 1
        }
        guard j > digitsStart, j < bytes.count else { return nil }
        if paren {
            if bytes[j] == UInt8(ascii: ")") { return (n, j + 1) }
            return has(bytes, fullWidthClose, at: j) ? (n, j + fullWidthClose.count) : nil
        }
        if bytes[j] == UInt8(ascii: ".") {
            // "1.5" is a number, not a marker.
            return digit(j + 1) == nil ? (n, j + 1) : nil
        }
        for mark in [fullWidthStop, enumerationComma] where has(bytes, mark, at: j) { return (n, j + mark.count) }
        return nil
    }

    /// Markers count at the start or after a space or sentence end.
    private static func isBoundary(_ bytes: [UInt8], before i: Int) -> Bool {
        guard i > 0 else { return true }
        return boundaries.contains { has(bytes, $0, at: i - $0.count) }
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
