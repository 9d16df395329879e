import Foundation
import DudaoCore

/// An Excel workbook (.xlsx, Office Open XML) as the office opens it: one sheet per table,
/// a bold header row frozen at the top with a filter, set column widths, long text wrapped,
/// and dates as real Excel dates (numbers with a date format), so sorting and filtering by
/// date work. Written with ZIPFoundation; no office suite involved.
public struct Spreadsheet: Sendable {
    /// One cell's value.
    public enum Cell: Sendable, Equatable {
        case text(String)
        case number(Double)
        /// A day, shown 2026-12-31.
        case date(CivilDate)
        /// A local time of day on a day, shown 2026-12-31 09:00.
        case dateTime(CivilDate, secondsIntoDay: Int)
        case empty
    }

    /// One sheet: its tab name, the header, each column's width in characters, the rows.
    public struct Sheet: Sendable {
        public var name: String
        public var header: [String]
        public var widths: [Double]
        public var rows: [[Cell]]

        public init(name: String, header: [String], widths: [Double], rows: [[Cell]]) {
            self.name = name
            self.header = header
            self.widths = widths
            self.rows = rows
        }
    }

    public var sheets: [Sheet]

    public init(sheets: [Sheet]) { self.sheets = sheets }

    /// Writes the workbook to `url` in one step: a reader never sees half a file.
    public func write(to url: URL) throws { try OfficePackage(parts: parts()).write(to: url) }

    /// The workbook's bytes (for a download).
    public func data() throws -> Data { try OfficePackage(parts: parts()).data() }

    // MARK: Parts

    /// Sheet names as Excel allows them: at most 31 characters, none of `[]:*?/\`, unique.
    var sheetNames: [String] {
        var used = Set<String>()
        return sheets.enumerated().map { k, sheet in
            var name = String(sheet.name.map { "[]:*?/\\".contains($0) ? "_" : $0 }.prefix(31)).trimmingCharacters(in: .whitespaces)
            if name.isEmpty { name = "Sheet\(k + 1)" }
            var unique = name, n = 2
            while !used.insert(unique.lowercased()).inserted {
                unique = String(name.prefix(31 - "(\(n))".count)) + "(\(n))"
                n += 1
            }
            return unique
        }
    }

    func parts() -> [(String, String)] {
        let names = sheetNames
        let xml = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
        let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
        let rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
        var out: [(String, String)] = []
        out.append(("[Content_Types].xml", xml + """
            <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
            <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
            <Default Extension="xml" ContentType="application/xml"/>\
            <Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
            <Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\
            \(sheets.indices.map { "<Override PartName=\"/xl/worksheets/sheet\($0 + 1).xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>" }.joined())\
            </Types>
            """))
        out.append(("_rels/.rels", xml + """
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
            <Relationship Id="rId1" Type="\(rel)/officeDocument" Target="xl/workbook.xml"/></Relationships>
            """))
        out.append(("xl/workbook.xml", xml + """
            <workbook xmlns="\(main)" xmlns:r="\(rel)"><sheets>\
            \(names.enumerated().map { "<sheet name=\"\(XMLText.escape($0.element))\" sheetId=\"\($0.offset + 1)\" r:id=\"rId\($0.offset + 1)\"/>" }.joined())\
            </sheets><definedNames>\
            \(names.enumerated().map { k, name in "<definedName name=\"_xlnm._FilterDatabase\" localSheetId=\"\(k)\" hidden=\"1\">'\(XMLText.escape(name.replacingOccurrences(of: "'", with: "''")))'!\(Self.filterRange(sheets[k]))</definedName>" }.joined())\
            </definedNames></workbook>
            """))
        out.append(("xl/_rels/workbook.xml.rels", xml + """
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
            \(sheets.indices.map { "<Relationship Id=\"rId\($0 + 1)\" Type=\"\(rel)/worksheet\" Target=\"worksheets/sheet\($0 + 1).xml\"/>" }.joined())\
            <Relationship Id="rId\(sheets.count + 1)" Type="\(rel)/styles" Target="styles.xml"/></Relationships>
            """))
        // Styles: 0 plain, 1 header, 2 date, 3 date and time, 4 wrapped text.
        out.append(("xl/styles.xml", xml + """
            <styleSheet xmlns="\(main)">\
            <numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd"/><numFmt numFmtId="165" formatCode="yyyy\\-mm\\-dd\\ hh:mm"/></numFmts>\
            <fonts count="2"><font><sz val="11"/><name val="宋体"/></font><font><b/><sz val="11"/><name val="宋体"/></font></fonts>\
            <fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>\
            <fill><patternFill patternType="solid"><fgColor rgb="FFE8EEF7"/><bgColor indexed="64"/></patternFill></fill></fills>\
            <borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border>\
            <border><left style="thin"><color rgb="FFBFBFBF"/></left><right style="thin"><color rgb="FFBFBFBF"/></right>\
            <top style="thin"><color rgb="FFBFBFBF"/></top><bottom style="thin"><color rgb="FFBFBFBF"/></bottom><diagonal/></border></borders>\
            <cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
            <cellXfs count="5">\
            <xf numFmtId="0" fontId="0" fillId="0" borderId="1" xfId="0" applyBorder="1"><alignment vertical="top"/></xf>\
            <xf numFmtId="0" fontId="1" fillId="2" borderId="1" xfId="0" applyFont="1" applyFill="1" applyBorder="1" applyAlignment="1"><alignment horizontal="center" vertical="center" wrapText="1"/></xf>\
            <xf numFmtId="164" fontId="0" fillId="0" borderId="1" xfId="0" applyNumberFormat="1" applyBorder="1"><alignment vertical="top"/></xf>\
            <xf numFmtId="165" fontId="0" fillId="0" borderId="1" xfId="0" applyNumberFormat="1" applyBorder="1"><alignment vertical="top"/></xf>\
            <xf numFmtId="0" fontId="0" fillId="0" borderId="1" xfId="0" applyBorder="1" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>\
            </cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>
            """))
        for (k, sheet) in sheets.enumerated() {
            out.append(("xl/worksheets/sheet\(k + 1).xml", Self.sheetXML(sheet, xml: xml, main: main)))
        }
        return out
    }

    static func sheetXML(_ sheet: Sheet, xml: String, main: String) -> String {
        var s = xml + "<worksheet xmlns=\"\(main)\"><sheetViews><sheetView workbookViewId=\"0\">"
        s += "<pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/></sheetView></sheetViews>"
        s += "<sheetFormatPr defaultRowHeight=\"15\"/><cols>"
        for (i, w) in sheet.widths.enumerated() { s += "<col min=\"\(i + 1)\" max=\"\(i + 1)\" width=\"\(w)\" customWidth=\"1\"/>" }
        s += "</cols><sheetData><row r=\"1\">"
        for (i, h) in sheet.header.enumerated() { s += "<c r=\"\(column(i))1\" s=\"1\" t=\"inlineStr\"><is><t>\(XMLText.escape(h))</t></is></c>" }
        s += "</row>"
        for (r, row) in sheet.rows.enumerated() {
            s += "<row r=\"\(r + 2)\">"
            for (i, cell) in row.enumerated() {
                let ref = "\(column(i))\(r + 2)"
                switch cell {
                case .text(let t) where !t.isEmpty:
                    let wrap = t.count > 20 || t.contains("\n")
                    s += "<c r=\"\(ref)\" s=\"\(wrap ? 4 : 0)\" t=\"inlineStr\"><is><t xml:space=\"preserve\">\(XMLText.escape(t))</t></is></c>"
                case .number(let n): s += "<c r=\"\(ref)\"><v>\(ExcelNumber.text(n))</v></c>"
                case .date(let d): s += "<c r=\"\(ref)\" s=\"2\"><v>\(serial(d))</v></c>"
                case .dateTime(let d, let seconds):
                    s += "<c r=\"\(ref)\" s=\"3\"><v>\(ExcelNumber.text(Double(serial(d)) + Double(seconds) / 86400))</v></c>"
                case .text, .empty: break
                }
            }
            s += "</row>"
        }
        s += "</sheetData><autoFilter ref=\"\(filterRange(sheet).replacingOccurrences(of: "$", with: ""))\"/>"
        s += "<pageMargins left=\"0.5\" right=\"0.5\" top=\"0.75\" bottom=\"0.75\" header=\"0.3\" footer=\"0.3\"/>"
        s += "<pageSetup paperSize=\"9\" orientation=\"landscape\"/></worksheet>"
        return s
    }

    static func filterRange(_ sheet: Sheet) -> String {
        "$A$1:$\(column(max(0, sheet.header.count - 1)))$\(sheet.rows.count + 1)"
    }

    static func column(_ index: Int) -> String { SheetColumn.letters(index) }

    /// Days since Excel's day 0 (1899-12-30, in the 1900 date system): 2000-01-01 is 36526.
    static func serial(_ day: CivilDate) -> Int { 36526 + y2k.days(until: day) }
    static let y2k = CivilDate(year: 2000, month: 1, day: 1)!

}

/// Numbers as a sheet stores them: integers without a decimal point, others in full.
enum ExcelNumber {
    static func text(_ n: Double) -> String {
        n == n.rounded() && abs(n) < 1e15 ? String(Int64(n)) : String(n)
    }
}
