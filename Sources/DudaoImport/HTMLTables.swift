import DudaoSchedules
/// The `<table>`s of a web page as text cells: `rowspan` and `colspan` laid out on the
/// table's grid (`TableGrid`), each cell's markup turned into lines and its entities decoded
/// (`MarkupText`), end tags that HTML lets a page leave out (`</td>`, `</tr>`) not needed,
/// and each table's caption from its `<caption>` or the last heading or paragraph before it.
///
/// A small scanner, not a browser: what it needs of HTML is tags, attributes, comments and
/// the elements whose text is not text (`<script>`, `<style>`). Tables nested in a cell
/// are part of that cell's text. Linear in the page's size.
struct HTMLTables {
    var tables: [SourceTable] = []

    /// True when `text` is a web page with a table rather than a text table whose cells
    /// hold HTML fragments (the seed's `<ol>`): it starts with a tag.
    static func looksLikePage(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first(where: { !$0.properties.isWhitespace && $0 != "\u{FEFF}" }), first == "<" else { return false }
        return text.range(of: "<table", options: .caseInsensitive) != nil
    }

    init(_ text: String, file: String) throws(ScheduleError) {
        var text = text
        text.makeContiguousUTF8()
        let scanned = text.utf8.withContiguousStorageIfAvailable { Scanner(bytes: $0).tables() }!
        switch scanned {
        case .success(let tables): self.tables = tables
        case .failure(let error):
            throw ScheduleError(file: file, message: "表\(error.table)第\(error.row)行: 超出范围 the table is larger than \(TableGrid.maxRows) rows or \(TableGrid.maxColumns) columns")
        }
    }

    struct TooLarge: Error {
        var table: Int
        var row: Int
    }

    private struct Tag {
        var name: String
        var closing: Bool
        var attributes: [String: String]
        var end: Int
    }

    private struct Scanner {
        let bytes: UnsafeBufferPointer<UInt8>

        /// Elements whose content is not page text.
        static let rawText: Set<String> = ["script", "style", "title", "textarea", "template", "noscript"]
        /// Tags that end a paragraph of text outside tables (for captions).
        static let blockTags: Set<String> = ["p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "br", "li", "center", "hr", "body", "section", "header"]

        func tables() -> Result<[SourceTable], TooLarge> {
            var tables: [SourceTable] = []
            var depth = 0
            var grid = TableGrid()
            var caption: String? = nil
            var tableCaption: String? = nil
            var captionStart: Int? = nil
            var outsideText: [UInt8] = []
            var cell: (start: Int, columns: Int, rows: Int)? = nil
            var i = 0

            func flushOutside() {
                guard !outsideText.isEmpty else { return }
                let text = MarkupText.blocks(String(decoding: outsideText, as: UTF8.self)).blocks.joined(separator: " ")
                if !text.isEmpty { caption = text }
                outsideText = []
            }
            func finishTable(at end: Int) throws(TableGrid.TooLarge) {
                try closeCell(at: end)
                let n = tables.count + 1
                tables.append(SourceTable(name: "表\(n)", caption: tableCaption ?? caption, records: grid.records(.table(n))))
                caption = nil
            }
            func closeCell(at end: Int) throws(TableGrid.TooLarge) {
                guard let open = cell else { return }
                cell = nil
                let raw = String(decoding: UnsafeBufferPointer(rebasing: bytes[open.start..<max(open.start, end)]), as: UTF8.self)
                try grid.add(MarkupText.blocks(raw).blocks.joined(separator: "\n"), columns: open.columns, rowSpan: open.rows)
            }

            do throws(TableGrid.TooLarge) {
                while i < bytes.count {
                    let b = bytes[i]
                    guard b == UInt8(ascii: "<") else {
                        if depth == 0 { outsideText.append(b) }
                        i += 1
                        continue
                    }
                    if starts(with: "<!--", at: i) {
                        i = find("-->", from: i + 4).map { $0 + 3 } ?? bytes.count
                        continue
                    }
                    guard let tag = tag(at: i) else {
                        if depth == 0 { outsideText.append(b) }
                        i += 1
                        continue
                    }
                    let start = i
                    i = tag.end
                    if !tag.closing, Self.rawText.contains(tag.name) {
                        i = findClosing(tag.name, from: i)
                        continue
                    }
                    if depth == 0 {
                        if tag.name == "table" && !tag.closing {
                            flushOutside()
                            depth = 1
                            grid = TableGrid()
                            tableCaption = nil
                        } else if Self.blockTags.contains(tag.name) {
                            flushOutside()
                        }
                        continue
                    }
                    switch (tag.name, tag.closing) {
                    case ("table", false):
                        depth += 1
                    case ("table", true):
                        depth -= 1
                        if depth == 0 { try finishTable(at: start) }
                    case _ where depth > 1:
                        continue
                    case ("tr", false):
                        try closeCell(at: start)
                        try grid.startRow()
                    case ("td", false), ("th", false):
                        try closeCell(at: start)
                        cell = (i, Self.span(tag.attributes["colspan"]), Self.span(tag.attributes["rowspan"]))
                    case ("td", true), ("th", true), ("tr", true), ("thead", _), ("tbody", _), ("tfoot", _):
                        try closeCell(at: start)
                    case ("caption", false):
                        try closeCell(at: start)
                        captionStart = i
                    case ("caption", true):
                        if let from = captionStart {
                            let text = MarkupText.blocks(String(decoding: UnsafeBufferPointer(rebasing: bytes[from..<start]), as: UTF8.self)).blocks.joined(separator: " ")
                            if !text.isEmpty { tableCaption = text }
                            captionStart = nil
                        }
                    default:
                        continue
                    }
                }
                // A page cut off inside a table still gives what it has.
                if depth > 0 { try finishTable(at: bytes.count) }
            } catch {
                return .failure(TooLarge(table: tables.count + 1, row: error.row))
            }
            return .success(tables)
        }

        /// A span attribute: a positive number, else 1 (`rowspan="0"` too).
        static func span(_ value: String?) -> Int {
            guard let value, let n = Int(value.trimmingWhitespace), n > 0 else { return 1 }
            return n
        }

        /// The tag starting at `i` (`<`), or nil when the `<` is text.
        func tag(at i: Int) -> Tag? {
            var j = i + 1
            var closing = false
            if j < bytes.count, bytes[j] == UInt8(ascii: "/") { closing = true; j += 1 }
            let nameStart = j
            while j < bytes.count, isNameByte(bytes[j]) { j += 1 }
            guard j > nameStart, isLetter(bytes[nameStart]) else {
                // `<!DOCTYPE …>`, `<?xml …?>`: skipped whole.
                if !closing, j < bytes.count, bytes[i + 1] == UInt8(ascii: "!") || bytes[i + 1] == UInt8(ascii: "?") {
                    return Tag(name: "!", closing: false, attributes: [:], end: (find(">", from: j).map { $0 + 1 }) ?? bytes.count)
                }
                return nil
            }
            let name = String(decoding: UnsafeBufferPointer(rebasing: bytes[nameStart..<j]), as: UTF8.self).lowercased()
            var attributes: [String: String] = [:]
            while j < bytes.count {
                let c = bytes[j]
                if c == UInt8(ascii: ">") { return Tag(name: name, closing: closing, attributes: attributes, end: j + 1) }
                if isSpace(c) || c == UInt8(ascii: "/") { j += 1; continue }
                let keyStart = j
                while j < bytes.count, !isSpace(bytes[j]), bytes[j] != UInt8(ascii: "="), bytes[j] != UInt8(ascii: ">"), bytes[j] != UInt8(ascii: "/") { j += 1 }
                let key = String(decoding: UnsafeBufferPointer(rebasing: bytes[keyStart..<j]), as: UTF8.self).lowercased()
                while j < bytes.count, isSpace(bytes[j]) { j += 1 }
                guard j < bytes.count, bytes[j] == UInt8(ascii: "=") else { attributes[key] = ""; continue }
                j += 1
                while j < bytes.count, isSpace(bytes[j]) { j += 1 }
                guard j < bytes.count else { break }
                let valueStart: Int, valueEnd: Int
                if bytes[j] == UInt8(ascii: "\"") || bytes[j] == UInt8(ascii: "'") {
                    let quote = bytes[j]
                    valueStart = j + 1
                    var k = valueStart
                    while k < bytes.count, bytes[k] != quote { k += 1 }
                    valueEnd = k
                    j = min(k + 1, bytes.count)
                } else {
                    valueStart = j
                    while j < bytes.count, !isSpace(bytes[j]), bytes[j] != UInt8(ascii: ">") { j += 1 }
                    valueEnd = j
                }
                attributes[key] = String(decoding: UnsafeBufferPointer(rebasing: bytes[valueStart..<valueEnd]), as: UTF8.self)
            }
            return Tag(name: name, closing: closing, attributes: attributes, end: bytes.count)
        }

        /// Just past `</name…>` from `i`, or the end. Only the name is matched, as browsers
        /// end a script: reading attributes of every `</` in it would be quadratic.
        func findClosing(_ name: String, from i: Int) -> Int {
            var j = i
            while let k = find("</", from: j) {
                var m = k + 2
                var matched = true
                for b in name.utf8 {
                    guard m < bytes.count, (bytes[m] | 0x20) == b else { matched = false; break }
                    m += 1
                }
                if matched, m == bytes.count || isSpace(bytes[m]) || bytes[m] == UInt8(ascii: ">") || bytes[m] == UInt8(ascii: "/") {
                    return find(">", from: m).map { $0 + 1 } ?? bytes.count
                }
                j = k + 2
            }
            return bytes.count
        }

        func find(_ needle: String, from i: Int) -> Int? {
            let n = Array(needle.utf8)
            var j = i
            while j + n.count <= bytes.count {
                if bytes[j] == n[0], starts(with: needle, at: j) { return j }
                j += 1
            }
            return nil
        }

        func starts(with prefix: String, at i: Int) -> Bool {
            var j = i
            for b in prefix.utf8 {
                guard j < bytes.count, bytes[j] == b else { return false }
                j += 1
            }
            return true
        }

        private func isLetter(_ c: UInt8) -> Bool { (c | 0x20) >= UInt8(ascii: "a") && (c | 0x20) <= UInt8(ascii: "z") }
        private func isNameByte(_ c: UInt8) -> Bool { isLetter(c) || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) }
        private func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D || c == 0x0C }
    }
}
