import Foundation
import DudaoCore
import DudaoSchedules

/// Turns a published list (the seed's raw text, TSV or CSV, an Excel workbook, a Word
/// document or a web page's table) into a `TaskList`.
///
/// Every row becomes an item, a counted skip (blank line, `----` filler, section heading)
/// or an error naming file, line, column and the text. Errors are collected for the whole
/// file so one run reports them all.
public struct ListImporter: Sendable {
    /// What an import did besides producing items, for the operator's summary.
    public struct Summary: Hashable, Sendable {
        /// Blank lines skipped.
        public var blankLines = 0
        /// `----` filler rows skipped.
        public var fillerRows = 0
        /// Single-cell rows between items (section headings), with their lines.
        public var headings: [(line: Int, text: String)] = []
        /// The encoding the file was read in.
        public var encoding: SourceEncoding = .utf8
        /// The workbook sheet read, for an .xlsx file.
        public var sheet: String? = nil
        /// The table read (1 = the first), for a .docx file or a web page.
        public var table: Int? = nil

        public static func == (a: Summary, b: Summary) -> Bool {
            a.blankLines == b.blankLines && a.fillerRows == b.fillerRows && a.encoding == b.encoding
                && a.headings.map(\.line) == b.headings.map(\.line) && a.headings.map(\.text) == b.headings.map(\.text)
        }
        public func hash(into h: inout Hasher) { h.combine(blankLines); h.combine(fillerRows) }
    }

    /// The columns Dudao understands, with the header words that name them.
    public enum Column: String, CaseIterable, Sendable {
        case id = "序号", title = "改革事项", content = "主要内容", measures = "具体举措"
        case lead = "牵头单位", partners = "配合单位", due = "完成时间"

        var headerWords: [String] {
            switch self {
            case .id: ["序号", "编号", "序"]
            case .title: ["改革事项", "事项名称", "任务名称", "重点任务", "工作任务", "事项", "任务"]
            case .content: ["主要内容", "工作内容", "改革内容", "内容"]
            case .measures: ["具体举措", "具体措施", "主要措施", "工作措施", "举措", "措施"]
            case .lead: ["牵头单位", "牵头部门", "责任单位", "责任部门", "主责单位", "牵头"]
            case .partners: ["配合单位", "配合部门", "协办单位", "协同单位", "参与单位"]
            case .due: ["完成时间", "完成时限", "完成期限", "时间节点", "时限"]
            }
        }

        static let required: [Column] = [.id, .title, .lead, .due]

        /// The English name `--columns` accepts.
        public var key: String {
            switch self {
            case .id: "id"
            case .title: "title"
            case .content: "content"
            case .measures: "measures"
            case .lead: "lead"
            case .partners: "partners"
            case .due: "due"
            }
        }

        /// Position in `allCases`.
        var ordinal: Int {
            switch self {
            case .id: 0
            case .title: 1
            case .content: 2
            case .measures: 3
            case .lead: 4
            case .partners: 5
            case .due: 6
            }
        }
    }

    /// Year for deadlines written without one; overrides a year found in the title.
    public var year: Int?
    /// Encoding to use instead of detecting one.
    public var encoding: SourceEncoding?
    /// Header words mapped by the user, before the words Dudao knows.
    public var mapping: ColumnMapping
    /// A workbook's sheet by name or 1-based number; default: the first with a header.
    public var sheet: String?
    /// A document's or web page's table, 1-based; default: the first with a header.
    public var table: Int?

    /// An importer.
    public init(year: Int? = nil, encoding: SourceEncoding? = nil, mapping: ColumnMapping = ColumnMapping(), sheet: String? = nil, table: Int? = nil) {
        self.year = year
        self.encoding = encoding
        self.mapping = mapping
        self.sheet = sheet
        self.table = table
    }

    /// Imports the file at `path`. Throws every problem found, in file order.
    public func importFile(at path: String) throws(ImportFailure) -> (list: TaskList, summary: Summary) {
        guard let data = FileBytes.read(path) else {
            throw ImportFailure(errors: [ScheduleError(file: path, message: "无法读取文件 cannot read the file")])
        }
        return try importData(data, file: path)
    }

    /// Imports bytes read from `file` (the name is used in messages and as the source).
    /// The format is told by the content, not the name: a zip archive is an Excel workbook
    /// or a Word document, text starting with a tag and holding a `<table>` is a web page,
    /// other text is TSV or CSV.
    public func importData(_ data: Data, file: String) throws(ImportFailure) -> (list: TaskList, summary: Summary) {
        if data.starts(with: [0x50, 0x4B, 0x03, 0x04]) || data.starts(with: [0x50, 0x4B, 0x05, 0x06]) {
            return try importOffice(data, file: file)
        }
        if data.starts(with: [0xD0, 0xCF, 0x11, 0xE0]) {
            throw ImportFailure(errors: [ScheduleError(file: file, message: "旧版 Office 文件 an old binary Office file (.xls/.doc): save it as .xlsx or .docx and import that")])
        }
        let decoded: (text: String, encoding: SourceEncoding)
        do { decoded = try SourceText.decode(data, file: file, forced: encoding) } catch { throw ImportFailure(errors: [error]) }
        var result: (list: TaskList, summary: Summary)
        if HTMLTables.looksLikePage(decoded.text) {
            guard data.count <= Self.maxPageBytes else {
                throw ImportFailure(errors: [ScheduleError(file: file, message: "文件过大 the page is larger than \(Self.maxPageBytes >> 20) MB")])
            }
            let page: HTMLTables
            do { page = try HTMLTables(decoded.text, file: file) } catch { throw ImportFailure(errors: [error]) }
            result = try importTables(page.tables, kind: .page, file: file)
        } else {
            // A text table has one table and no sheets: an option choosing one is a mistake
            // about the file, not something to pass over.
            if sheet != nil || table != nil {
                throw ImportFailure(errors: [ScheduleError(file: file, message: "\(sheet != nil ? "--sheet" : "--table") 用于 Excel、Word 文件和网页 is for .xlsx, .docx and web pages; this file is a text table (TSV/CSV)")])
            }
            result = try importText(decoded.text, file: file)
        }
        result.summary.encoding = decoded.encoding
        return result
    }

    /// Web pages larger than this are refused: a list is a few megabytes.
    static let maxPageBytes = 50 << 20

    /// Imports already-decoded text.
    public func importText(_ text: String, file: String) throws(ImportFailure) -> (list: TaskList, summary: Summary) {
        if text.utf8.contains(0) {
            throw ImportFailure(errors: [ScheduleError(file: file, message: "文件含有二进制内容 the file is binary, not a text table (save it as TSV or CSV)")])
        }
        let table: DelimitedTable
        do { table = try DelimitedTable(text: text, delimiter: DelimitedTable.guessDelimiter(text), file: file) } catch { throw ImportFailure(errors: [error]) }
        return try importRecords(table.records, file: file)
    }

    /// Imports an .xlsx workbook or a .docx document, told apart by their parts.
    func importOffice(_ data: Data, file: String) throws(ImportFailure) -> (list: TaskList, summary: Summary) {
        do {
            let archive = try OfficeArchive(data, file: file)
            if archive.has("xl/workbook.xml") { return try importTables(try Workbook(archive, file: file).tables, kind: .workbook, file: file) }
            if archive.has("word/document.xml") { return try importTables(try WordDocument(archive, file: file).tables, kind: .document, file: file) }
            throw ScheduleError(file: file, message: "不是 Excel 工作簿或 Word 文档 neither an Excel workbook (.xlsx) nor a Word document (.docx)")
        } catch let error as ImportFailure {
            throw error
        } catch let error as ScheduleError {
            throw ImportFailure(errors: [error])
        } catch {
            throw ImportFailure(errors: [ScheduleError(file: file, message: "\(error)")])
        }
    }

    /// What holds the tables, for choosing one.
    enum TableSource {
        case workbook, document, page
    }

    /// Imports one of `tables`: the one `--sheet` (workbook) or `--table` (document, page)
    /// names, else the first whose rows hold a header. In it a cell merged down from the
    /// 序号 above continues that item over its rows.
    func importTables(_ tables: [SourceTable], kind: TableSource, file: String) throws(ImportFailure) -> (list: TaskList, summary: Summary) {
        func fail(_ message: String) -> ImportFailure { ImportFailure(errors: [ScheduleError(file: file, message: message)]) }
        let names = tables.map(\.name)
        guard !tables.isEmpty else {
            throw fail(kind == .workbook ? "工作簿没有工作表 the workbook has no sheets" : "找不到表格 there is no table in the file")
        }
        let chosen: Int
        switch (kind, sheet, table) {
        case (.workbook, _, .some):
            throw fail("--table 用于 Word 文档和网页 is for .docx and web pages; choose a workbook's sheet with --sheet")
        case (.document, .some, _), (.page, .some, _):
            throw fail("--sheet 用于 Excel 工作簿 is for .xlsx workbooks; choose a table with --table N (1 = the first)")
        case (.workbook, .some(let sheet), nil):
            if let k = names.firstIndex(of: sheet) { chosen = k } else if let n = Int(sheet), names.indices.contains(n - 1) { chosen = n - 1 } else {
                throw fail("--sheet: 没有工作表 no sheet “\(sheet)”; the workbook has \(names.map { "“\($0)”" }.joined(separator: ", "))")
            }
        case (_, nil, .some(let n)):
            guard tables.indices.contains(n - 1) else {
                throw fail("--table: 没有第\(n)个表格 there is no table \(n); the file has \(tables.count)")
            }
            chosen = n - 1
        case (_, nil, nil):
            guard let k = tables.firstIndex(where: { $0.records.contains { self.columns(in: $0.fields.map(\.trimmingWhitespace)).keys.contains { $0 == .due || $0 == .lead } } }) else {
                throw fail(kind == .workbook
                    ? "找不到表头 no sheet has a header row naming 牵头单位 and 完成时间 (sheets: \(names.joined(separator: ", ")))"
                    : "找不到表头 none of the \(tables.count) table(s) has a header row naming 牵头单位 and 完成时间")
            }
            chosen = k
        }
        var result = try importRecords(tables[chosen].records, file: file, caption: tables[chosen].caption)
        if kind == .workbook { result.summary.sheet = names[chosen] } else { result.summary.table = chosen + 1 }
        return result
    }

    /// Imports rows: the title above the header (else `caption`, else the file's name), the
    /// header found by its words, then items.
    func importRecords(_ records: [DelimitedTable.Record], file: String, caption: String? = nil) throws(ImportFailure) -> (list: TaskList, summary: Summary) {
        var summary = Summary()
        var errors: [ScheduleError] = []

        // Title and header.
        var title: String? = nil
        var headerAt: Int? = nil
        var itemsFrom = 0
        var columns: [Column: Int] = [:]
        for (k, record) in records.enumerated() {
            var cells = record.fields.map { $0.trimmingWhitespace }
            var found = self.columns(in: cells)
            if found[.due] != nil || found[.lead] != nil {
                headerAt = k
                itemsFrom = k + 1
                if k + 1 < records.count, let combined = subHeader(records[k + 1], under: cells) {
                    cells = combined
                    found = self.columns(in: cells)
                    itemsFrom = k + 2
                }
                columns = found
                let missing = Column.required.filter { found[$0] == nil }
                if !missing.isEmpty {
                    errors.append(Self.error(file, record, message: "表头缺少列 missing column(s): \(missing.map(\.rawValue).joined(separator: "、")); header is “\(cells.joined(separator: " | "))”"))
                }
                let headers = Set(cells.map { $0.filter { !$0.isWhitespace } })
                for name in mapping.columns.keys.sorted() where !headers.contains(name) {
                    errors.append(Self.error(file, record, message: "--columns: 表头中没有 no column “\(name)” in the header “\(cells.joined(separator: " | "))”"))
                }
                break
            }
            if title == nil, let first = cells.first(where: { !$0.isEmpty }) { title = first }
        }
        guard let headerIndex = headerAt else {
            let what = records.allSatisfy({ $0.fields.allSatisfy { $0.trimmingWhitespace.isEmpty } })
                ? "文件没有内容 the file has no rows"
                : "找不到表头 no header row naming 牵头单位 and 完成时间"
            var e = ScheduleError(file: file, line: 1, message: what)
            if let place = records.first?.place { e.cell = place.name }
            throw ImportFailure(errors: [e])
        }
        if !errors.isEmpty { throw ImportFailure(errors: errors) }
        let headerWidth = records[headerIndex].fields.count
        let listTitle = title ?? caption ?? URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
        let parser = DeadlineParser(defaultYear: year ?? TaskList.year(in: listTitle))

        // Column positions by ordinal: a dictionary keyed by the enum hashes its raw string
        // on every cell of every row.
        let columnAt = Column.allCases.map { columns[$0] }

        // Rows. Lead, partner and deadline cells repeat down a list (the same agencies, the
        // same 2024年12月): each distinct text is split or parsed once.
        var items: [Item] = []
        var seen: [String: Int] = [:]
        var agencyCells: [String: (names: [String], andOthers: Bool)] = [:]
        func agencies(_ text: String) -> (names: [String], andOthers: Bool) {
            if let known = agencyCells[text] { return known }
            let split = AgencyCell.split(text)
            agencyCells[text] = split
            return split
        }
        var deadlines: [String: Result<Deadline, DeadlineError>] = [:]
        func deadline(_ text: String) -> Result<Deadline, DeadlineError> {
            if let known = deadlines[text] { return known }
            let parsed = Result { () throws(DeadlineError) in try parser.parse(text) }
            deadlines[text] = parsed
            return parsed
        }
        for record in records[itemsFrom...] {
            let cells = record.fields.map { $0.trimmingWhitespace }
            let nonEmpty = cells.filter { !$0.isEmpty }
            if nonEmpty.isEmpty { summary.blankLines += 1; continue }
            if nonEmpty.allSatisfy(Self.isFiller) { summary.fillerRows += 1; continue }
            if cells.count == 1 { summary.headings.append((record.line, cells[0])); continue }
            // In an office file every row is as wide as the table: one filled cell is a heading
            // or a footnote (注：…), not an item.
            if record.place != nil, nonEmpty.count == 1, cells[0] == nonEmpty[0] || columnAt[Column.id.ordinal].map({ cells[$0].isEmpty }) ?? true {
                summary.headings.append((record.line, nonEmpty[0]))
                continue
            }
            if cells.count < headerWidth || cells[headerWidth...].contains(where: { !$0.isEmpty }) {
                errors.append(Self.error(file, record, item: cells.first.flatMap { $0.isEmpty ? nil : $0 },
                    message: "列数不符 expected \(headerWidth) columns, found \(cells.count): “\(Self.excerpt(record.fields.joined(separator: " | ")))”"))
                continue
            }
            func cell(_ c: Column) -> String { columnAt[c.ordinal].map { cells[$0] } ?? "" }
            // A row under the top of a merged 序号 cell continues the item above: its own
            // 具体举措 (and 主要内容) are that item's.
            if let idColumn = columnAt[Column.id.ordinal], record.mergedAbove.contains(idColumn) {
                if let last = items.indices.last, items[last].id == Self.cleanID(cell(.id)) {
                    if let m = columnAt[Column.measures.ordinal], !record.mergedAbove.contains(m) {
                        items[last].measures += MeasureList.measures(cell(.measures))
                    }
                    if let c = columnAt[Column.content.ordinal], !record.mergedAbove.contains(c), !cell(.content).isEmpty {
                        let more = MarkupText.blocks(cell(.content)).blocks.joined(separator: "\n")
                        items[last].content += items[last].content.isEmpty ? more : "\n" + more
                    }
                }
                continue
            }
            var rowErrors: [ScheduleError] = []
            func fail(_ c: Column, _ message: String) {
                rowErrors.append(Self.error(file, record, at: columnAt[c.ordinal], column: c.rawValue,
                                            item: cell(.id).isEmpty ? nil : cell(.id), message: message))
            }

            let id = Self.cleanID(cell(.id))
            if id.isEmpty { fail(.id, "缺少序号 missing item number") }
            else if id.contains(where: { $0 == "/" || $0.isWhitespace }) { fail(.id, "序号不能含有“/”或空格 item number may not contain “/” or spaces: “\(id)”") }
            else if let first = seen[id] { fail(.id, "序号重复 duplicate item number “\(id)” (first on line \(first))") }
            else { seen[id] = record.line }
            let title = Self.cleanTitle(MarkupText.blocks(cell(.title)).blocks.joined(separator: " "))
            if title.isEmpty { fail(.title, "缺少改革事项 missing title") }
            let lead = agencies(cell(.lead))
            if lead.names.isEmpty { fail(.lead, "缺少牵头单位 no lead agency") }
            let partners = agencies(cell(.partners))
            var parsed: Deadline? = nil
            switch deadline(cell(.due)) {
            case .success(let d): parsed = d
            case .failure(let error): fail(.due, error.description)
            }

            if !rowErrors.isEmpty { errors += rowErrors; continue }
            items.append(Item(
                id: id, title: title,
                content: MarkupText.blocks(cell(.content)).blocks.joined(separator: "\n"),
                measures: MeasureList.measures(cell(.measures)),
                lead: lead.names, partners: partners.names, partnersAndOthers: partners.andOthers,
                dueText: cell(.due), ongoing: parsed!.ongoing,
                milestones: parsed!.milestones.map(Milestone.init)))
        }
        if items.isEmpty && errors.isEmpty {
            errors.append(Self.error(file, records[headerIndex], message: "表头之后没有事项 no items after the header"))
        }
        if !errors.isEmpty { throw ImportFailure(errors: errors) }
        return (TaskList(title: listTitle, source: URL(fileURLWithPath: file).lastPathComponent, items: items), summary)
    }

    // MARK: Cells

    /// An error at a row, or at one cell of it (`file:line`, or `file:sheet!G7` in a workbook).
    static func error(_ file: String, _ record: DelimitedTable.Record, at index: Int? = nil, column: String? = nil,
                      item: String? = nil, message: String) -> ScheduleError {
        var e = ScheduleError(file: file, line: record.line, column: column, item: item, message: message)
        if let place = record.place { e.cell = place.cell(row: record.line, column: index ?? 0) }
        return e
    }

    /// The header made of `header` and the row under it when that row is the second row of
    /// a two-row header (责任单位 over 牵头单位 | 配合单位): every cell of it that is neither
    /// empty, merged from above nor a repeat of the cell above is a header word. The words
    /// below replace those above them.
    func subHeader(_ record: DelimitedTable.Record, under header: [String]) -> [String]? {
        let cells = record.fields.map { $0.trimmingWhitespace }
        let own = cells.indices.filter { !cells[$0].isEmpty && !record.mergedAbove.contains($0) && (header.indices.contains($0) ? header[$0] != cells[$0] : true) }
        guard !own.isEmpty, own.allSatisfy({ !columns(in: [cells[$0]]).isEmpty }) else { return nil }
        var combined = header + Array(repeating: "", count: max(0, cells.count - header.count))
        for i in own { combined[i] = cells[i] }
        return combined
    }

    /// Where each column is in a header row: the user's mapping first, then the first cell
    /// holding one of a column's words.
    func columns(in cells: [String]) -> [Column: Int] {
        var found: [Column: Int] = [:]
        let names = cells.map { $0.filter { !$0.isWhitespace } }
        for (i, name) in names.enumerated() {
            if let mapped = mapping.columns[name], let column = mapped, found[column] == nil { found[column] = i }
        }
        for (i, name) in names.enumerated() where mapping.columns[name] == nil {
            for column in Column.allCases where found[column] == nil && column.headerWords.contains(name) {
                found[column] = i
                break
            }
        }
        return found
    }

    static func isFiller(_ cell: String) -> Bool {
        cell.allSatisfy { "-—–=_─".contains($0) }
    }

    static func cleanID(_ cell: String) -> String {
        var s = cell.filter { !$0.isWhitespace }
        while let last = s.last, [".", "、", "．"].contains(last) { s.removeLast() }
        return s
    }

    static func cleanTitle(_ text: String) -> String {
        var s = MarkupText.foldSpaces(text)
        while let last = s.last, ["。", "."].contains(last) { s.removeLast() }
        return s
    }

    static func excerpt(_ text: String) -> String {
        text.count > 60 ? String(text.prefix(60)) + "…" : text
    }
}

/// Every problem an import found; nothing was written.
public struct ImportFailure: Error, Sendable, CustomStringConvertible {
    /// The problems in file order.
    public var errors: [ScheduleError]

    /// A failure carrying `errors`.
    public init(errors: [ScheduleError]) { self.errors = errors }

    public var description: String { errors.map(\.description).joined(separator: "\n") }
}
