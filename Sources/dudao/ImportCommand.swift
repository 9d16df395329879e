import ArgumentParser
import Foundation
import Logging
import DudaoCore
import DudaoSchedules
import DudaoImport

/// `dudao import FILE`: a published list → a reviewable Schedules YAML (or the JSON contract).
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "导入任务清单 Import a published task list (Excel .xlsx, Word .docx, a web page's table, TSV, CSV or the raw text) into Schedules YAML."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case yaml, json }

    @Argument(help: "The list: an Excel workbook (.xlsx), a Word document (.docx), a web page with the table (.html), TSV/CSV as exported from Word or Excel, or the raw text with HTML fragments. Told by content, not by name.")
    var file: String

    @Option(name: .shortAndLong, help: "Write here (atomically) instead of standard output.")
    var output: String?

    @Option(help: "Output format: yaml (a Schedules task list) or json.")
    var format: Format = .yaml

    @Option(help: "Year for deadlines written without one (6月底前); default: a year in the list's title.")
    var year: Int?

    @Option(help: "Input encoding: utf8, gb18030 or utf16; default: detected.")
    var encoding: SourceEncoding?

    @Option(name: .customLong("id-prefix"), help: "Prefix for item ids, to keep them unique beside other lists.")
    var idPrefix: String = ""

    @Option(help: "Header words to map: HEADER=COLUMN,… with COLUMN one of id, title, content, measures, lead, partners, due or skip (e.g. 承办处室=lead,责任领导=skip).")
    var columns: String?

    @Option(help: "A workbook's sheet, by name or number (1 = the first); default: the first with a header row.")
    var sheet: String?

    @Option(help: "A Word document's or web page's table by number (1 = the first); default: the first with a header row.")
    var table: Int?

    @Flag(help: "Overwrite OUTPUT if it exists (it may hold statuses you edited).")
    var force = false

    @Flag(help: "Publish the list into the state store (as the console's 清单 page does) instead of writing YAML: checked with the Schedules folder and the lists already published, refused with the findings when anything is wrong. A running service replans at once.")
    var publish = false

    @Option(name: .customLong("list"), help: "With --publish: the list's key (letters and digits, e.g. L2). A key in the store gets its next revision; a new key a new list. Item ids are prefixed with KEY-. Default: the first free L1, L2, …")
    var listKey: String?

    @OptionGroup var schedulesOption: SchedulesOption
    @OptionGroup var state: StateOption

    func run() throws {
        let logger = Logger(label: "dudao.import")
        if publish, output != nil || format != .yaml || !idPrefix.isEmpty {
            Output.error("--publish 不与 -o、--format、--id-prefix 同用 --publish takes the list's key from --list, and writes nothing")
            throw ExitCode(1)
        }
        if let out = output, !force, FileManager.default.fileExists(atPath: out) {
            Output.error("\(out): 已存在 already exists; pass --force to overwrite it")
            throw ExitCode(1)
        }
        var mapping = ColumnMapping()
        if let columns {
            do { mapping = try ColumnMapping(columns) } catch {
                Output.error("错误 error: \(error)")
                throw ExitCode(1)
            }
        }
        let result: (list: TaskList, summary: ListImporter.Summary)
        do {
            result = try ListImporter(year: year, encoding: encoding, mapping: mapping, sheet: sheet, table: table).importFile(at: file)
        } catch {
            for e in error.errors { Output.error("错误 error: \(e)") }
            Output.error("导入失败 import failed: \(error.errors.count) error(s); nothing written.")
            throw ExitCode(1)
        }
        var list = result.list
        if publish {
            list.source = (file as NSString).lastPathComponent
            let data = FileBytes.read(file) ?? Data()
            try ListPublishing(schedules: schedulesOption.schedules, state: state).publish(list, key: listKey, file: file, data: data)
            return
        }
        if !idPrefix.isEmpty {
            list.items = list.items.map { var i = $0; i.id = idPrefix + i.id; return i }
        }
        let text: String
        switch format {
        case .json:
            text = TaskListFile.json(list) + "\n"
        case .yaml:
            text = TaskListFile.yaml(list, comment: """
            由 `dudao import` 从 \(list.source ?? file) 导入；可直接修改。Imported by `dudao import`; edit freely.
            Deadlines are kept as written (due_text) and as dates (milestones); change both together.
            """)
        }
        if let out = output {
            do { try AtomicFile.write(text, to: out) } catch {
                Output.error("错误 error: \(error)")
                throw ExitCode(1)
            }
        } else {
            FileHandle.standardOutput.write(Data(text.utf8))
        }
        let s = result.summary
        let source = s.sheet.map { "sheet “\($0)”" } ?? s.table.map { "table \($0)" } ?? s.encoding.rawValue
        var notes = "导入 imported \(list.items.count) 项 items (\(source))"
        if s.fillerRows > 0 { notes += "; skipped \(s.fillerRows) “----” filler rows" }
        if s.blankLines > 0 { notes += ", \(s.blankLines) blank lines" }
        logger.info("\(notes)")
        for h in s.headings {
            logger.notice("第 \(h.line) 行为分组标题 line \(h.line) is a section heading, not an item: “\(h.text)”")
        }
    }
}

extension SourceEncoding: ExpressibleByArgument {}
