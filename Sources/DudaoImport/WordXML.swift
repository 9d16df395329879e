import Foundation
#if canImport(FoundationXML)
import FoundationXML
import DudaoSchedules
#endif

/// Reads `word/document.xml` event by event with Foundation's XMLParser into the tables of
/// `WordDocument`: memory follows the tables' text, not a tree of the document (which took
/// twenty times the part: 113 MB for a 4.5 MB document).
///
/// What it keeps, as the tree walk did: each top-level table on `TableGrid` (`gridBefore`,
/// `gridSpan`, `vMerge`), a cell's paragraphs one per line (a nested table's too), a
/// paragraph's `w:t` with tabs as spaces and breaks as new lines (deleted text, field codes
/// and properties left out; a text box's paragraphs inside the paragraph holding it), and a
/// table's caption: the last body paragraph before it (content controls and custom XML
/// wrap either).
final class WordXML: NSObject, XMLParserDelegate {
    private(set) var tables: [SourceTable] = []
    private(set) var sawBody = false
    /// Set when a table was larger than `TableGrid` allows: (table number, row).
    private(set) var tooLarge: (table: Int, row: Int)?
    private var error: Error?

    private var stack: [String] = []
    private var skip = 0
    private var tableDepth = 0
    private var grid = TableGrid()
    private var title: String?
    private var caption: String?, lastCaption: String?
    // The top-level cell being read.
    private var cellLines: [String] = []
    private var span = 1
    private var merge: String??   // nil: no vMerge; .some(val)
    // The paragraph being read (text boxes inside it add to it).
    private var paragraphDepth = 0
    private var paragraph = ""
    private var inText = false

    static let wrappers: Set<String> = ["w:sdt", "w:sdtContent", "w:customXml"]
    static let skipped: Set<String> = ["w:del", "w:delText", "w:instrText", "w:rPr", "w:pPr"]

    func parse(_ data: Data) -> Error? {
        let parser = XMLParser(stream: InputStream(data: data))
        parser.shouldResolveExternalEntities = false
        parser.delegate = self
        let ok = parser.parse()
        if tooLarge != nil { return nil }
        if let error { return error }
        return ok ? nil : parser.parserError ?? CocoaError(.coderReadCorrupt)
    }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: Error) {
        if error == nil, tooLarge == nil { error = parseError }
    }

    /// A paragraph or table directly in the body (or in wrappers there).
    private var atBlockLevel: Bool {
        guard let body = stack.lastIndex(of: "w:body") else { return false }
        return stack[(body + 1)...].allSatisfy(Self.wrappers.contains)
    }

    private static func value(_ attributes: [String: String]) -> Int? {
        attributes["w:val"].flatMap { Int($0) }.map { min(max($0, 0), TableGrid.maxColumns) }
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        defer { stack.append(name) }
        if skip > 0 || Self.skipped.contains(name) {
            skip += 1
            return
        }
        switch name {
        case "w:body":
            sawBody = true
        case "w:tbl":
            tableDepth += 1
            if tableDepth == 1 {
                grid = TableGrid()
                title = caption ?? lastCaption
            }
        case "w:tr" where tableDepth == 1:
            do { try grid.startRow() } catch { stop(parser, row: error.row) }
        case "w:gridBefore" where tableDepth == 1 && stack.last == "w:trPr":
            grid.skip(Self.value(attributes) ?? 0)
        case "w:tc" where tableDepth == 1:
            cellLines = []
            span = 1
            merge = nil
        case "w:gridSpan" where tableDepth == 1 && stack.last == "w:tcPr":
            span = Self.value(attributes) ?? 1
        case "w:vMerge" where tableDepth == 1 && stack.last == "w:tcPr":
            merge = .some(attributes["w:val"])
        case "w:p":
            if paragraphDepth == 0 { paragraph = "" }
            paragraphDepth += 1
        case "w:t" where paragraphDepth > 0:
            inText = true
        case "w:tab" where paragraphDepth > 0:
            paragraph += " "
        case "w:br", "w:cr":
            if paragraphDepth > 0 { paragraph += "\n" }
        default:
            break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if inText && skip == 0 { paragraph += string }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        stack.removeLast()
        if skip > 0 {
            skip -= 1
            return
        }
        switch name {
        case "w:t":
            inText = false
        case "w:p":
            paragraphDepth -= 1
            guard paragraphDepth == 0 else { return }
            let text = paragraph.trimmingWhitespace
            if tableDepth > 0 {
                if !text.isEmpty { cellLines.append(text) }
            } else if atBlockLevel, !text.isEmpty {
                caption = text
            }
        case "w:tc" where tableDepth == 1:
            let restart = merge == .some("restart")
            let continues = merge != nil && !restart
            do { try grid.addWord(continues ? "" : cellLines.joined(separator: "\n"), columns: span, restart: restart, continues: continues) }
            catch { stop(parser, row: error.row) }
        case "w:tbl":
            tableDepth -= 1
            guard tableDepth == 0 else { return }
            let n = tables.count + 1
            tables.append(SourceTable(name: "表\(n)", caption: title, records: grid.records(.table(n))))
            lastCaption = title
            caption = nil
        default:
            break
        }
    }

    private func stop(_ parser: XMLParser, row: Int) {
        guard tooLarge == nil else { return }
        tooLarge = (tables.count + 1, row)
        parser.abortParsing()
    }
}
