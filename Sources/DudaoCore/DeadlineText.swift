/// Canonical form of deadline text before parsing: ASCII digits and letters, ASCII
/// parentheses, no white space. Keeps the grammar small.
enum DeadlineText {
    /// Normalises full-width forms and removes white space; a line break separates
    /// clauses, so it becomes `;`.
    static func normalize(_ text: String) -> [Character] {
        var out: [Character] = []
        out.reserveCapacity(text.count)
        for scalar in text.unicodeScalars {
            let v = scalar.value
            if [0x0A, 0x0D, 0x85, 0x2028, 0x2029].contains(v) {
                if !out.isEmpty, out.last != ";" { out.append(";") }
                continue
            }
            if scalar.isWhiteSpace || v == 0x200B || v == 0xFEFF { continue }
            switch v {
            case 0xFF10...0xFF19, 0xFF21...0xFF3A, 0xFF41...0xFF5A:   // ０-９ Ａ-Ｚ ａ-ｚ
                out.append(Character(Unicode.Scalar(v - 0xFEE0)!))
            case 0xFF08: out.append("(")
            case 0xFF09: out.append(")")
            case 0xFF0E: out.append(".")
            case 0xFF0F: out.append("/")
            case 0xFF0D: out.append("-")
            default: out.append(Character(scalar))
            }
        }
        return out
    }

    /// Value of one Chinese or ASCII digit character, as used in years like 二〇二四.
    static func digit(_ c: Character) -> Int? {
        switch c {
        case "0", "〇", "零", "○", "Ｏ": return 0
        case "1", "一": return 1
        case "2", "二", "两": return 2
        case "3", "三": return 3
        case "4", "四": return 4
        case "5", "五": return 5
        case "6", "六": return 6
        case "7", "七": return 7
        case "8", "八": return 8
        case "9", "九": return 9
        default: return nil
        }
    }

    /// True for ASCII digits.
    static func isASCIIDigit(_ c: Character) -> Bool { c.isASCII && c.isNumber }
}

extension Unicode.Scalar {
    /// Unicode's White_Space property, listed rather than looked up: importing and loading
    /// ask it of every character of every cell, and nearly all of them are CJK.
    public var isWhiteSpace: Bool {
        switch value {
        case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: true
        default: false
        }
    }
}
