import Foundation
import DudaoSchedules

/// The tables of a .docx document as text cells: each cell's paragraphs on their own lines
/// (a numbered list's items too, whose numbers Word keeps outside the text), `gridSpan`
/// and `gridBefore` on the table's grid, a `vMerge` continuing the cell above, and each
/// table's caption taken from the last paragraph before it (the title of a published list).
/// Deleted text of tracked changes and field codes are left out; inserted text is kept.
/// Read event by event (`WordXML`).
struct WordDocument {
    var tables: [SourceTable] = []

    init(_ archive: OfficeArchive, file: String) throws(ScheduleError) {
        let reader = WordXML()
        if let data = try archive.xmlData("word/document.xml"), let error = reader.parse(data) {
            throw ScheduleError(file: file, message: "“word/document.xml” 不是有效的 XML is not valid XML: \(error)")
        }
        if let (n, row) = reader.tooLarge {
            throw ScheduleError(file: file, message: "表\(n)第\(row)行: 超出范围 the table is larger than \(TableGrid.maxRows) rows or \(TableGrid.maxColumns) columns")
        }
        guard reader.sawBody else {
            throw ScheduleError(file: file, message: "不是 Word 文档 not a Word document (word/document.xml has no w:body)")
        }
        tables = reader.tables
    }
}
