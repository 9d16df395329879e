/// Scalars written as YAML text, for the one shape Dudao writes (task lists): plain where
/// plain reads back as the same string, double-quoted otherwise, literal blocks for
/// multi-line text. Writing text directly instead of building a Yams node tree keeps an
/// import of 100,000 rows to one pass and the size of its output.
enum YAMLText {
    /// Appends `s` as a scalar: plain when safe in the context (`inFlow`: inside `[…]` or
    /// `{…}`), else double-quoted.
    static func scalar(_ s: String, inFlow: Bool = false, into out: inout String) {
        if isPlainSafe(s, inFlow: inFlow) { out += s } else { doubleQuoted(s, into: &out) }
    }

    /// Appends `s` double-quoted, escaping what YAML requires.
    static func doubleQuoted(_ s: String, into out: inout String) {
        out += "\""
        var clean = s.utf8.startIndex
        let utf8 = s.utf8
        for (i, scalar) in zip(s.unicodeScalars.indices, s.unicodeScalars) {
            let escape: String? = switch scalar.value {
            case 0x22: "\\\""
            case 0x5C: "\\\\"
            case 0x0A: "\\n"
            case 0x09: "\\t"
            case 0x0D: "\\r"
            case 0x00..<0x20, 0x7F: "\\x" + hex(scalar.value, width: 2)
            case 0x85: "\\N"
            case 0xA0: "\\_"
            case 0x2028: "\\L"
            case 0x2029: "\\P"
            case 0xFEFF: "\\uFEFF"
            default: nil
            }
            guard let escape else { continue }
            out += s[clean..<i]
            out += escape
            clean = s.unicodeScalars.index(after: i)
        }
        out += s[clean..<utf8.endIndex]
        out += "\""
    }

    /// Appends multi-line `s` as a literal block (`|-`) indented by `indent` spaces when
    /// every line reads back as written; else double-quoted.
    static func block(_ s: String, indent: Int, into out: inout String) {
        let lines = s.split(separator: "\n", omittingEmptySubsequences: false)
        let literalSafe = lines.allSatisfy { line in
            !line.isEmpty && line.first != " " && line.last != " "
                && !line.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F || $0.value == 0x85 || $0.value == 0xFEFF || $0.value == 0x2028 || $0.value == 0x2029 }
        }
        guard literalSafe else { return doubleQuoted(s, into: &out) }
        let pad = String(repeating: " ", count: indent)
        out += "|-"
        for line in lines {
            out += "\n"
            out += pad
            out += line
        }
    }

    /// True when `s` written plain reads back as the same string (never as a number, bool,
    /// null or date, and never as YAML syntax).
    static func isPlainSafe(_ s: String, inFlow: Bool) -> Bool {
        guard let first = s.unicodeScalars.first, let last = s.unicodeScalars.last else { return false }
        if " \t".unicodeScalars.contains(last) || first == " " { return false }
        if "-?:,[]{}#&*!|>'\"%@`".unicodeScalars.contains(first) { return false }
        var previous: Unicode.Scalar = " "
        var asciiOnly = true
        for c in s.unicodeScalars {
            switch c.value {
            case 0x00..<0x20, 0x7F, 0x85, 0xA0, 0xFEFF, 0x2028, 0x2029: return false
            default: break
            }
            if c == "#" && previous == " " { return false }
            if previous == ":" && (c == " " || (inFlow && ",[]{}".unicodeScalars.contains(c))) { return false }
            if inFlow && ",[]{}".unicodeScalars.contains(c) { return false }
            if !c.isASCII { asciiOnly = false }
            previous = c
        }
        if last == ":" { return false }
        // Words and numbers a YAML 1.1 reader would type: quoted, as Yams quoted them.
        if asciiOnly {
            if ["true", "false", "yes", "no", "on", "off", "y", "n", "null", "~", "<<", "="].contains(s.lowercased()) { return false }
            if first == "." || looksNumeric(s) { return false }
        }
        return true
    }

    /// Numbers and dates as YAML 1.1 types them: `12`, `-1.5e3`, `1_000`, `1:30`, `0x1F`,
    /// `2024-12-31`.
    static func looksNumeric(_ s: String) -> Bool {
        var u = Substring(s).utf8[...]
        if u.first == UInt8(ascii: "+") || u.first == UInt8(ascii: "-") { u = u.dropFirst() }
        func digit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
        let bytes = Array(u)
        if bytes.count >= 8, bytes[0..<4].allSatisfy(digit), bytes[4] == UInt8(ascii: "-") { return true }
        if bytes.count > 2, bytes[0] == UInt8(ascii: "0"), "xob".utf8.contains(bytes[1]) {
            return bytes[2...].allSatisfy { digit($0) || "abcdefABCDEF_".utf8.contains($0) }
        }
        return bytes.contains(where: digit) && bytes.allSatisfy { digit($0) || "_.:eE+-".utf8.contains($0) }
    }

    private static func hex(_ v: UInt32, width: Int) -> String {
        let digits = String(v, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
