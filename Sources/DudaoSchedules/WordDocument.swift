import Foundation
import SWXMLHash

/// The tables of a .docx document as text cells: each cell's paragraphs on their own lines
/// (a numbered list's items too, whose numbers Word keeps outside the text), `gridSpan`
/// and `gridBefore` on the table's grid, a `vMerge` continuing the cell above, and each
/// table's caption taken from the last paragraph before it (the title of a published list).
/// Deleted text of tracked changes and field codes are left out; inserted text is kept.
struct WordDocument {
    var tables: [SourceTable] = []

    init(_ archive: OfficeArchive, file: String) throws(ScheduleError) {
        guard let document = try archive.xml("word/document.xml"), let body = document["w:document"]["w:body"].element else {
            throw ScheduleError(file: file, message: "不是 Word 文档 not a Word document (word/document.xml has no w:body)")
        }
        var caption: String? = nil
        var lastCaption: String? = nil
        try blocks(of: body, caption: &caption, lastCaption: &lastCaption, file: file)
    }

    /// Walks the body in order: paragraphs give captions, tables are read; content controls
    /// and custom XML wrap either.
    private mutating func blocks(of element: XMLElement, caption: inout String?, lastCaption: inout String?, file: String) throws(ScheduleError) {
        for child in element.children {
            guard let child = child as? XMLElement else { continue }
            switch child.name {
            case "w:p":
                let text = Self.paragraph(child).trimmingWhitespace
                if !text.isEmpty { caption = text }
            case "w:tbl":
                let n = tables.count + 1
                let grid: TableGrid
                do { grid = try Self.grid(child) } catch {
                    throw ScheduleError(file: file, message: "表\(n)第\(error.row)行: 超出范围 the table is larger than \(TableGrid.maxRows) rows or \(TableGrid.maxColumns) columns")
                }
                let title = caption ?? lastCaption
                tables.append(SourceTable(name: "表\(n)", caption: title, records: grid.records(.table(n))))
                lastCaption = title
                caption = nil
            case "w:sdt", "w:sdtContent", "w:customXml":
                try blocks(of: child, caption: &caption, lastCaption: &lastCaption, file: file)
            default:
                continue
            }
        }
    }

    private static func grid(_ table: XMLElement) throws(TableGrid.TooLarge) -> TableGrid {
        var grid = TableGrid()
        for row in elements(table, "w:tr") {
            try grid.startRow()
            if let before = first(row, "w:trPr").flatMap({ first($0, "w:gridBefore") }) { grid.skip(value(before) ?? 0) }
            for cell in elements(row, "w:tc") {
                let properties = first(cell, "w:tcPr")
                let span = properties.flatMap { first($0, "w:gridSpan") }.flatMap(value) ?? 1
                let merge = properties.flatMap { first($0, "w:vMerge") }
                let mergeValue = merge?.attribute(by: "w:val")?.text
                let continues = merge != nil && mergeValue != "restart"
                try grid.addWord(continues ? "" : text(ofCell: cell), columns: span, restart: mergeValue == "restart", continues: continues)
            }
        }
        return grid
    }

    /// The cell's paragraphs, one per line (those of a table nested in it too).
    private static func text(ofCell cell: XMLElement) -> String {
        var lines: [String] = []
        func walk(_ element: XMLElement) {
            for child in element.children {
                guard let child = child as? XMLElement else { continue }
                if child.name == "w:p" {
                    let text = paragraph(child).trimmingWhitespace
                    if !text.isEmpty { lines.append(text) }
                } else if child.name != "w:tcPr" {
                    walk(child)
                }
            }
        }
        walk(cell)
        return lines.joined(separator: "\n")
    }

    /// A paragraph's text: its runs' `w:t`, tabs as spaces, breaks as new lines.
    private static func paragraph(_ p: XMLElement) -> String {
        var out = ""
        func walk(_ element: XMLElement) {
            for child in element.children {
                guard let child = child as? XMLElement else { continue }
                switch child.name {
                case "w:t": out += child.text
                case "w:tab": out += " "
                case "w:br", "w:cr": out += "\n"
                case "w:del", "w:delText", "w:instrText", "w:rPr", "w:pPr": continue
                default: walk(child)
                }
            }
        }
        walk(p)
        return out
    }

    /// The direct children named `name`, also inside content controls (`w:sdt`).
    private static func elements(_ parent: XMLElement, _ name: String) -> [XMLElement] {
        var out: [XMLElement] = []
        for child in parent.children {
            guard let child = child as? XMLElement else { continue }
            if child.name == name { out.append(child) } else if child.name == "w:sdt" || child.name == "w:sdtContent" || child.name == "w:customXml" {
                out += elements(child, name)
            }
        }
        return out
    }

    private static func first(_ parent: XMLElement, _ name: String) -> XMLElement? {
        for child in parent.children { if let e = child as? XMLElement, e.name == name { return e } }
        return nil
    }

    private static func value(_ element: XMLElement) -> Int? {
        element.attribute(by: "w:val").flatMap { Int($0.text) }.map { min(max($0, 0), TableGrid.maxColumns) }
    }
}
