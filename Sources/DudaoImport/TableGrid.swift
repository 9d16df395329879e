import DudaoSchedules
/// Lays the cells of a Word or HTML table out on a grid, as the two formats define it: a
/// cell spanning columns takes its first column (the others stay empty, so a footnote
/// merged across the table is still one filled cell); a cell spanning rows gives its text to
/// the cells below it, which are marked as merged from above (an item over several
/// 具体举措 rows).
struct TableGrid {
    /// The limits the readers enforce: a list is thousands of rows, not millions.
    static let maxRows = 100_000
    static let maxColumns = 100

    /// A table beyond the limits.
    struct TooLarge: Error {
        var row: Int
    }

    private(set) var rows: [[String]] = []
    private var mergedAbove: [Set<Int>] = []
    /// Columns covered by an HTML rowspan from above: the text and the rows still to cover.
    private var spanning: [Int: (text: String, rows: Int)] = [:]
    /// The text at the top of each column's Word vertical merge.
    private var mergeTop: [Int: String] = [:]
    private var column = 0

    /// Starts a row; the columns a rowspan from above covers are filled in.
    mutating func startRow() throws(TooLarge) {
        guard rows.count < Self.maxRows else { throw TooLarge(row: rows.count + 1) }
        rows.append([])
        mergedAbove.append([])
        column = 0
        for (c, span) in spanning where span.rows > 0 {
            set(c, span.text, merged: true)
            spanning[c] = span.rows > 1 ? (span.text, span.rows - 1) : nil
        }
    }

    /// Leaves `count` grid columns empty (Word's `gridBefore`).
    mutating func skip(_ count: Int) {
        column += max(0, count)
    }

    /// Places a cell at the next free column, spanning `columns` and `rowSpan` rows (HTML).
    mutating func add(_ text: String, columns: Int = 1, rowSpan: Int = 1) throws(TooLarge) {
        if rows.isEmpty { try startRow() }
        while rows[rows.count - 1].indices.contains(column), mergedAbove[rows.count - 1].contains(column) { column += 1 }
        let width = min(max(columns, 1), Self.maxColumns)
        guard column + width <= Self.maxColumns else { throw TooLarge(row: rows.count) }
        for c in column..<(column + width) {
            set(c, c == column ? text : "", merged: false)
            if rowSpan > 1 { spanning[c] = (c == column ? text : "", min(rowSpan, Self.maxRows) - 1) }
        }
        column += width
    }

    /// Places a Word cell: `restart` opens a vertical merge, `continues` carries the text of
    /// the merge above into this cell.
    mutating func addWord(_ text: String, columns: Int = 1, restart: Bool, continues: Bool) throws(TooLarge) {
        if rows.isEmpty { try startRow() }
        let width = min(max(columns, 1), Self.maxColumns)
        guard column + width <= Self.maxColumns else { throw TooLarge(row: rows.count) }
        for c in column..<(column + width) {
            if continues {
                set(c, c == column ? mergeTop[c] ?? "" : "", merged: true)
            } else {
                set(c, c == column ? text : "", merged: false)
                mergeTop[c] = restart && c == column ? text : nil
            }
        }
        column += width
    }

    /// The rows as records for `place`, each as wide as the widest row.
    func records(_ place: TablePlace) -> [DelimitedTable.Record] {
        let width = max(1, rows.map(\.count).max() ?? 1)
        return rows.indices.map { r in
            DelimitedTable.Record(line: r + 1, fields: rows[r] + Array(repeating: "", count: width - rows[r].count),
                                  place: place, mergedAbove: mergedAbove[r])
        }
    }

    private mutating func set(_ c: Int, _ text: String, merged: Bool) {
        let r = rows.count - 1
        if rows[r].count <= c { rows[r] += Array(repeating: "", count: c + 1 - rows[r].count) }
        rows[r][c] = text
        if merged { mergedAbove[r].insert(c) } else { mergedAbove[r].remove(c) }
    }
}
