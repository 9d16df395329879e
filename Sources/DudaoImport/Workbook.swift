import Foundation
import SWXMLHash
import DudaoSchedules

/// The sheets of an .xlsx workbook as text cells, the way Excel shows them: shared and
/// inline strings with their rich-text runs joined, numbers without Excel's binary noise,
/// dates (by their number format, in the 1900 or 1904 system) as `2024年12月31日`, and
/// merged ranges laid out as `TableGrid` does for Word and web pages: the top-left value
/// goes down the merge's first column, the other columns stay empty.
struct Workbook {
    struct Sheet {
        /// The tab's name.
        var name: String
        /// Text by 1-based row, then 0-based column.
        var cells: [Int: [Int: String]] = [:]
        /// Cells covered by a merge that spans rows, other than its top row: (row, column).
        var mergedBelowTop: Set<CellAddress> = []
        var lastRow = 0
        var lastColumn = -1
    }

    /// A cell's row (1-based) and column (0-based).
    struct CellAddress: Hashable {
        var row: Int
        var column: Int

        /// `B7` → row 7, column 1.
        init?(_ ref: Substring) {
            var column = 0, letters = 0
            var rest = ref[...]
            while let c = rest.first, let a = c.asciiValue, (65...90).contains(a) || (97...122).contains(a) {
                column = column * 26 + Int((a & 0xDF) - 64)
                letters += 1
                rest = rest.dropFirst()
            }
            guard letters > 0, letters <= 3, let row = Int(rest), row > 0, row <= 1_048_576 else { return nil }
            self.row = row
            self.column = column - 1
        }

        init(row: Int, column: Int) {
            self.row = row
            self.column = column
        }

    }

    /// Rows and columns beyond these are refused: a list is thousands of rows, not millions.
    static let maxRows = 100_000
    static let maxColumns = 100

    var sheets: [Sheet] = []

    /// Each sheet as a table, every row as wide as the sheet.
    var tables: [SourceTable] {
        sheets.map { sheet in
            let width = max(sheet.lastColumn, 0)
            let records = (1...max(sheet.lastRow, 1)).map { row in
                let cells = sheet.cells[row] ?? [:]
                return DelimitedTable.Record(
                    line: row, fields: sheet.lastColumn < 0 ? [""] : (0...sheet.lastColumn).map { cells[$0] ?? "" }, place: .sheet(sheet.name),
                    mergedAbove: Set((0...width).filter { sheet.mergedBelowTop.contains(CellAddress(row: row, column: $0)) }))
            }
            return SourceTable(name: sheet.name, caption: nil, records: records)
        }
    }

    init(_ archive: OfficeArchive, file: String) throws(ScheduleError) {
        guard let workbook = try archive.xml("xl/workbook.xml") else {
            throw ScheduleError(file: file, message: "不是 Excel 工作簿 not an Excel workbook (no xl/workbook.xml)")
        }
        let date1904 = ["1", "true"].contains(workbook["workbook"]["workbookPr"].element?.attribute(by: "date1904")?.text ?? "")
        var targets: [String: String] = [:]
        for rel in (try archive.xml("xl/_rels/workbook.xml.rels"))?["Relationships"]["Relationship"].all ?? [] {
            guard let id = rel.element?.attribute(by: "Id")?.text, let target = rel.element?.attribute(by: "Target")?.text else { continue }
            targets[id] = target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target
        }
        let shared = try Self.sharedStrings(archive)
        let dateStyles = try Self.dateStyles(archive)
        for sheet in workbook["workbook"]["sheets"]["sheet"].all {
            guard let element = sheet.element, let name = element.attribute(by: "name")?.text,
                  let id = element.attribute(by: "r:id")?.text, let path = targets[id],
                  let xml = try archive.xmlData(path) else { continue }
            sheets.append(try Self.sheet(name, xml, part: path, shared: shared, dateStyles: dateStyles, date1904: date1904, file: file))
        }
        guard !sheets.isEmpty else { throw ScheduleError(file: file, message: "工作簿没有工作表 the workbook has no sheets") }
    }

    /// One worksheet, read event by event (`SheetXML`).
    private static func sheet(_ name: String, _ xml: Data, part: String, shared: [String], dateStyles: Set<Int>, date1904: Bool,
                              file: String) throws(ScheduleError) -> Sheet {
        var sheet = Sheet(name: name)
        var beyond: String?
        let reader = SheetXML { c in
            guard let at = CellAddress(c.ref[...]) else { return true }
            var text: String
            switch c.type {
            case "s":
                guard let v = c.value, let k = Int(v), shared.indices.contains(k) else { return true }
                text = shared[k]
            case "inlineStr":
                text = c.inline ?? ""
            case "b":
                text = c.value == "1" ? "TRUE" : "FALSE"
            case "str", "e":
                text = c.value ?? ""
            default:
                guard let v = c.value, let number = Double(v) else { return true }
                text = dateStyles.contains(c.style) ? ExcelDate.text(serial: number, date1904: date1904) ?? v : ExcelDate.number(number)
            }
            // Empty cells (Excel writes formatted ones far out) do not count against the limits.
            guard !text.isEmpty else { return true }
            guard at.row <= maxRows, at.column < maxColumns else {
                beyond = c.ref
                return false
            }
            sheet.cells[at.row, default: [:]][at.column] = text
            sheet.lastRow = max(sheet.lastRow, at.row)
            sheet.lastColumn = max(sheet.lastColumn, at.column)
            return true
        }
        if let error = reader.parse(xml) {
            throw ScheduleError(file: file, message: "“\(part)” 不是有效的 XML is not valid XML: \(error)")
        }
        if let ref = beyond {
            throw ScheduleError(file: file, message: "\(name)!\(ref): 超出范围 a value beyond \(maxRows) rows or \(maxColumns) columns")
        }
        for ref in reader.merges {
            let ends = ref.split(separator: ":")
            guard ends.count == 2, let from = CellAddress(ends[0]), let to = CellAddress(ends[1]),
                  from.row <= to.row, from.column <= to.column, to.row <= maxRows, to.column < maxColumns else { continue }
            let value = sheet.cells[from.row]?[from.column]
            for r in from.row...to.row {
                for col in from.column...to.column where r != from.row || col != from.column {
                    if col == from.column, let value { sheet.cells[r, default: [:]][col] = value }
                    if r > from.row { sheet.mergedBelowTop.insert(CellAddress(row: r, column: col)) }
                }
            }
            sheet.lastRow = max(sheet.lastRow, to.row)
            sheet.lastColumn = max(sheet.lastColumn, to.column)
        }
        return sheet
    }

    private static func sharedStrings(_ archive: OfficeArchive) throws(ScheduleError) -> [String] {
        guard let xml = try archive.xmlData("xl/sharedStrings.xml") else { return [] }
        let reader = SharedStringsXML()
        if let error = reader.parse(xml) {
            throw ScheduleError(file: archive.file, message: "“xl/sharedStrings.xml” 不是有效的 XML is not valid XML: \(error)")
        }
        return reader.strings
    }

    /// Indexes into `cellXfs` whose number format shows a date.
    private static func dateStyles(_ archive: OfficeArchive) throws(ScheduleError) -> Set<Int> {
        guard let xml = try archive.xml("xl/styles.xml") else { return [] }
        var custom: [Int: String] = [:]
        for f in xml["styleSheet"]["numFmts"]["numFmt"].all {
            if let id = f.element?.attribute(by: "numFmtId")?.text, let n = Int(id), let code = f.element?.attribute(by: "formatCode")?.text {
                custom[n] = code
            }
        }
        var out: Set<Int> = []
        for (k, xf) in xml["styleSheet"]["cellXfs"]["xf"].all.enumerated() {
            let id = Int(xf.element?.attribute(by: "numFmtId")?.text ?? "0") ?? 0
            if ExcelDate.isDateFormat(id: id, code: custom[id]) { out.insert(k) }
        }
        return out
    }
}
