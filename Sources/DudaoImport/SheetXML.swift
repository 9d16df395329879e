import Foundation
#if canImport(FoundationXML)
import FoundationXML
import DudaoSchedules
#endif

/// Reads a worksheet part (`xl/worksheets/sheetN.xml`) event by event with Foundation's
/// XMLParser: only the cells' text and the merged ranges are kept, so memory follows what
/// the sheet holds rather than a tree of its XML (which took twenty times the part).
/// Prefixed names (`x:c`) are read as their local names.
final class SheetXML: NSObject, XMLParserDelegate {
    /// A cell as written: its reference, type, style and value or inline text.
    struct Cell {
        var ref: String
        var type: String
        var style: Int
        var value: String?
        var inline: String?
    }

    private let onCell: (Cell) -> Bool
    private(set) var merges: [String] = []
    private var cell: Cell?
    private var text: String?
    private var inInline = false, inPhonetic = false
    /// Set when `onCell` asked to stop.
    private(set) var stopped = false
    private var error: Error?

    /// A reader handing each cell to `onCell` (false stops the reading).
    init(onCell: @escaping (Cell) -> Bool) { self.onCell = onCell }

    /// Parses `data`; false with the parser's error when it is not well-formed XML. Fed
    /// through a stream: libxml2 then reads it in small chunks instead of taking a copy of
    /// the whole part (80 MB for a sheet of 200,000 rows).
    func parse(_ data: Data) -> Error? {
        let parser = XMLParser(stream: InputStream(data: data))
        parser.shouldResolveExternalEntities = false
        parser.delegate = self
        let ok = parser.parse()
        if stopped { return nil }
        // XMLParser may say it finished when a delegate-less error came before the root.
        if let error { return error }
        return ok ? nil : parser.parserError ?? CocoaError(.coderReadCorrupt)
    }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: Error) {
        if error == nil, !stopped { error = parseError }
    }

    static func local(_ name: String) -> Substring { name.split(separator: ":").last ?? name[...] }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        switch Self.local(name) {
        case "c":
            cell = Cell(ref: attributes["r"] ?? "", type: attributes["t"] ?? "n", style: Int(attributes["s"] ?? "0") ?? 0)
        case "v" where cell != nil:
            text = ""
        case "is" where cell != nil:
            inInline = true
            cell?.inline = ""
        case "rPh":
            inPhonetic = true
        case "t" where inInline && !inPhonetic:
            text = ""
        case "mergeCell":
            if let ref = attributes["ref"] { merges.append(ref) }
        default:
            break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if text != nil { text! += string }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        switch Self.local(name) {
        case "v" where cell != nil:
            cell?.value = text
            text = nil
        case "t" where inInline && !inPhonetic:
            cell?.inline? += text ?? ""
            text = nil
        case "rPh":
            inPhonetic = false
        case "is":
            inInline = false
        case "c":
            if let c = cell, !onCell(c) {
                stopped = true
                parser.abortParsing()
            }
            cell = nil
        default:
            break
        }
    }
}

/// The shared strings part (`xl/sharedStrings.xml`) read event by event: each string item's
/// text, its rich-text runs joined, phonetic runs left out.
final class SharedStringsXML: NSObject, XMLParserDelegate {
    private(set) var strings: [String] = []
    private var error: Error?
    private var item: String?
    private var text: String?
    private var inPhonetic = false

    func parse(_ data: Data) -> Error? {
        let parser = XMLParser(stream: InputStream(data: data))
        parser.shouldResolveExternalEntities = false
        parser.delegate = self
        let ok = parser.parse()
        if let error { return error }
        return ok ? nil : parser.parserError ?? CocoaError(.coderReadCorrupt)
    }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: Error) {
        if error == nil { error = parseError }
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        switch SheetXML.local(name) {
        case "si": item = ""
        case "rPh": inPhonetic = true
        case "t" where item != nil && !inPhonetic: text = ""
        default: break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if text != nil { text! += string }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        switch SheetXML.local(name) {
        case "t" where text != nil:
            item? += text!
            text = nil
        case "rPh": inPhonetic = false
        case "si":
            strings.append(item ?? "")
            item = nil
        default: break
        }
    }
}
