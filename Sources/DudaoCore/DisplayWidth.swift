/// Terminal column width of text: East Asian wide and full-width characters take two
/// columns, so tables of Chinese agency names line up.
public enum DisplayWidth {
    /// Columns `text` occupies in a terminal.
    public static func of(_ text: String) -> Int {
        var width = 0
        for scalar in text.unicodeScalars {
            width += columns(scalar)
        }
        return width
    }

    /// `text` padded with spaces to `width` columns (never truncated).
    public static func pad(_ text: String, to width: Int) -> String {
        let w = of(text)
        return w >= width ? text : text + String(repeating: " ", count: width - w)
    }

    static func columns(_ s: Unicode.Scalar) -> Int {
        let v = s.value
        if v == 0 || (v < 0x20) || (0x7F..<0xA0).contains(v) { return 0 }
        if s.properties.generalCategory == .nonspacingMark || s.properties.generalCategory == .enclosingMark
            || v == 0x200B || (0xFE00...0xFE0F).contains(v) { return 0 }
        switch v {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
             0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
             0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x2FFFD, 0x30000...0x3FFFD:
            return 2
        default:
            return 1
        }
    }
}

/// Plain-text table whose columns line up for mixed Chinese and ASCII text.
public struct TextTable: Sendable {
    /// Column titles.
    public var header: [String]
    /// Cells, one array per row.
    public var rows: [[String]]

    /// A table with a header.
    public init(header: [String], rows: [[String]] = []) {
        self.header = header
        self.rows = rows
    }

    /// The table as lines joined with `\n`, columns separated by two spaces.
    public var text: String {
        let all = [header] + rows
        var widths = [Int](repeating: 0, count: header.count)
        for row in all {
            for (i, cell) in row.enumerated() where i < widths.count {
                widths[i] = max(widths[i], DisplayWidth.of(cell))
            }
        }
        func line(_ row: [String]) -> String {
            var parts: [String] = []
            for i in 0..<widths.count {
                let cell = i < row.count ? row[i] : ""
                parts.append(i == widths.count - 1 ? cell : DisplayWidth.pad(cell, to: widths[i]))
            }
            return parts.joined(separator: "  ")
        }
        let rule = widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")
        return ([line(header), rule] + rows.map(line)).joined(separator: "\n")
    }
}
