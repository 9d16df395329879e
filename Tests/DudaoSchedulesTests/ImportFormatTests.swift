import Foundation
import Testing
@testable import DudaoCore
@testable import DudaoSchedules
@testable import DudaoImport

private let header = "序号\t改革事项\t主要内容\t具体举措\t牵头单位\t配合单位\t完成时间"

/// TSV, CSV, and the encodings Excel writes.
struct ImportFormatTests {
    let tsv = """
    2025年重点任务清单

    \(header)
    1\t任务一\t内容\t1. 甲。 2. 乙。\t市财政局、市发展改革委\t市直各有关部门等\t6月底前
    2\t任务二\t内容\t举措\t市财政局\t\t年底前
    """

    @Test func yearLessDeadlinesTakeTheYearFromTheTitle() throws {
        let (list, _) = try ListImporter().importText(tsv, file: "t.tsv")
        #expect(list.items.map { $0.milestones.map(\.due.iso) } == [["2025-06-30"], ["2025-12-31"]])
        #expect(list.items[0].measures == ["甲。", "乙。"])
        #expect(list.items[0].partnersAndOthers)
        #expect(list.items[0].partners == ["市直各有关部门"])
    }

    @Test func yearOptionOverridesTheTitle() throws {
        let (list, _) = try ListImporter(year: 2026).importText(tsv, file: "t.tsv")
        #expect(list.items[0].milestones.map(\.due.iso) == ["2026-06-30"])
    }

    /// Header words real lists use for each column.
    @Test(arguments: [
        ("编号\t任务名称\t工作内容\t工作措施\t主责单位\t协同单位\t完成时限", "主责单位"),
        ("序号\t重点任务\t主要内容\t主要措施\t责任部门\t参与单位\t时间节点", "责任部门"),
        ("序号\t工作任务\t工作内容\t具体措施\t牵头部门\t配合部门\t完成期限", "牵头部门"),
    ])
    func headerSynonyms(_ header: String, _ lead: String) throws {
        let (list, _) = try ListImporter().importText("2025年清单\n\(header)\n1\t任务一\t内容\t举措\t市财政局\t市金融局\t6月底前\n", file: "t.tsv")
        #expect(list.items.map(\.title) == ["任务一"], "\(lead)")
        #expect(list.items[0].lead == ["市财政局"] && list.items[0].partners == ["市金融局"] && list.items[0].measures == ["举措"])
        #expect(list.items[0].milestones.map(\.due.iso) == ["2025-06-30"])
    }

    /// `--columns`: a header Dudao does not know mapped to a column, and one it would take
    /// for the lead left out.
    @Test func columnsMappedByTheUser() throws {
        let text = "2025年清单\n序号\t改革事项\t责任单位\t承办处室\t责任领导\t完成时间\n1\t任务一\t市政府办公室\t市财政局\t张三\t6月底前\n"
        let (plain, _) = try ListImporter().importText(text, file: "t.tsv")
        #expect(plain.items[0].lead == ["市政府办公室"], "without a mapping 责任单位 is the lead")
        let mapping = try ColumnMapping("责任单位=skip, 承办处室=lead，责任领导=skip")
        let (mapped, _) = try ListImporter(mapping: mapping).importText(text, file: "t.tsv")
        #expect(mapped.items[0].lead == ["市财政局"])
        #expect(try ColumnMapping("承办处室=牵头单位") == ColumnMapping("承办处室=lead"))

        #expect { try ListImporter(mapping: ColumnMapping("承办单位=lead")).importText(text, file: "t.tsv") } throws: { error in
            (error as? ImportFailure)?.errors.first?.description.contains("no column “承办单位” in the header") == true
        }
        for (spec, says) in [("承办处室", "expected HEADER=COLUMN"), ("承办处室=boss", "unknown column “boss”"),
                             ("承办处室=lead,承办处室=skip", "mapped twice")] {
            #expect(throws: ScheduleError.self, "\(spec)") { try ColumnMapping(spec) }
            do { _ = try ColumnMapping(spec) } catch { #expect(error.description.contains(says), "\(error)") }
        }
    }

    @Test func csvWithQuotesEmbeddedNewlinesBOMAndCRLF() throws {
        let csv = "\u{FEFF}序号,改革事项,主要内容,具体举措,牵头单位,配合单位,完成时间\r\n"
            + "1,\"任务, 带逗号\",\"第一行\r\n第二行\",\"他说\"\"好\"\"\",市财政局，市金融局,,2024年12月\r\n"
            + "2,任务二,,,市财政局,,\"2023年12月底前出台办法；\n2024年6月底前全面推开\"\r\n"
        let data = Data(csv.utf8)
        let (list, summary) = try ListImporter().importData(data, file: "list.csv")
        #expect(summary.encoding == .utf8)
        #expect(list.items.count == 2)
        #expect(list.items[0].title == "任务, 带逗号")
        #expect(list.items[0].content == "第一行\n第二行", "a cell's lines stay lines")
        #expect(list.items[0].measures == ["他说\"好\""])
        #expect(list.items[0].lead == ["市财政局", "市金融局"])
        #expect(list.items[1].milestones.map(\.due.iso) == ["2023-12-31", "2024-06-30"])
    }

    @Test func gb18030IsDetected() throws {
        let data = try Fixtures.gb18030(tsv)
        #expect(String(data: data, encoding: .utf8) == nil, "the fixture really is not UTF-8")
        let (list, summary) = try ListImporter().importData(data, file: "excel.txt")
        #expect(summary.encoding == .gb18030)
        #expect(list.title == "2025年重点任务清单")
        #expect(list.items.map(\.lead) == [["市财政局", "市发展改革委"], ["市财政局"]])
    }

    @Test func gb18030CanBeForced() throws {
        let data = try Fixtures.gb18030(tsv)
        let (list, _) = try ListImporter(encoding: .gb18030).importData(data, file: "excel.txt")
        #expect(list.items.count == 2)
    }

    @Test func utf16WithBOMFromExcelUnicodeText() throws {
        var data = Data([0xFF, 0xFE])
        data.append(tsv.data(using: .utf16LittleEndian)!)
        let (list, summary) = try ListImporter().importData(data, file: "unicode.txt")
        #expect(summary.encoding == .utf16)
        #expect(list.items.count == 2)
        #expect(list.title == "2025年重点任务清单")
    }

    @Test func sectionHeadingsAreReportedNotDropped() throws {
        let text = "\(header)\n一、优化市场环境\n1\t任务\t\t\t市财政局\t\t2024年底\n"
        let (list, summary) = try ListImporter().importText(text, file: "t.tsv")
        #expect(list.items.count == 1)
        #expect(summary.headings.map(\.text) == ["一、优化市场环境"])
        #expect(summary.headings.map(\.line) == [2])
    }
}

/// Each kind of bad input gets a clear error naming file, line, column and the text.
struct ImportErrorTests {
    func errors(_ text: String, year: Int? = nil) -> [ScheduleError] {
        do {
            _ = try ListImporter(year: year).importText(text, file: "bad.tsv")
            return []
        } catch {
            return error.errors
        }
    }

    @Test func unknownDeadlinePhrase() throws {
        let found = errors("\(header)\n1\t任务\t\t\t市财政局\t\t2024年底\n2\t任务\t\t\t市财政局\t\t尽快完成\n")
        let e = try #require(found.first)
        #expect(found.count == 1)
        #expect(e.file == "bad.tsv")
        #expect(e.line == 3)
        #expect(e.column == "完成时间")
        #expect(e.item == "2")
        #expect(e.description.contains("“尽快完成”"))
        #expect(e.description.hasPrefix("bad.tsv:3: 事项 item 2: [完成时间]"))
    }

    @Test func yearLessPhraseWithoutAYear() throws {
        let e = try #require(errors("\(header)\n1\t任务\t\t\t市财政局\t\t6月底前\n").first)
        #expect(e.message.contains("no year"))
        #expect(e.line == 2)
    }

    @Test func everyBadRowIsReportedInOneRun() {
        let found = errors("\(header)\n1\t任务\t\t\t市财政局\t\t尽快\n\t任务\t\t\t市财政局\t\t2024年\n3\t\t\t\t\t\t2024年13月\n1\t重复\t\t\t市财政局\t\t2024年\n")
        #expect(found.map(\.line) == [2, 3, 4, 4, 4, 5])
        #expect(found.map(\.column) == ["完成时间", "序号", "改革事项", "牵头单位", "完成时间", "序号"])
        #expect(found.last?.message.contains("duplicate") == true)
    }

    @Test func missingColumn() throws {
        let e = try #require(errors("序号\t改革事项\t牵头单位\n1\t任务\t市财政局\n").first)
        #expect(e.line == 1)
        #expect(e.message.contains("完成时间"))
        #expect(e.message.contains("missing column"))
        let e2 = try #require(errors("标题\n\n序号\t改革事项\t完成时间\n1\t任务\t2024年\n").first)
        #expect(e2.line == 3)
        #expect(e2.message.contains("牵头单位"))
    }

    @Test func noHeaderAtAll() throws {
        let e = try #require(errors("随便一段文字\n另一行\n").first)
        #expect(e.message.contains("no header"))
    }

    @Test func rowWithTheWrongNumberOfColumns() throws {
        let e = try #require(errors("\(header)\n1\t任务\t市财政局\t2024年\n").first)
        #expect(e.line == 2)
        #expect(e.message.contains("expected 7 columns, found 4"))
    }

    @Test func unterminatedQuote() throws {
        let e = try #require(errors("\(header)\n1\t\"任务\t\t\t市财政局\t\t2024年\n").first)
        #expect(e.line == 2)
        #expect(e.message.contains("never closed"))
    }

    @Test func headerWithoutItems() throws {
        let e = try #require(errors("\(header)\n\n----\t----\t--\t--\t--\t--\t--\n").first)
        #expect(e.message.contains("no items"))
    }

    @Test func emptyFile() throws {
        do {
            _ = try ListImporter().importData(Data(), file: "empty.tsv")
            Issue.record("an empty file must fail")
        } catch {
            #expect(error.errors.first?.description == "empty.tsv: 文件为空 the file is empty")
        }
        #expect(errors("\n\n  \n").first?.message.contains("no rows") == true)
    }

    @Test func badEncoding() throws {
        // 0x81 0x20: a GB18030 lead byte followed by an invalid trail byte; invalid UTF-8 too.
        var data = Data("序号\t改革事项\t牵头单位\t完成时间\n1\t".utf8)
        data.append(contentsOf: [0x81, 0x20, 0xFF])
        data.append(Data("\t市财政局\t2024年\n".utf8))
        do {
            _ = try ListImporter().importData(data, file: "broken.txt")
            Issue.record("bad bytes must fail")
        } catch {
            let e = try #require(error.errors.first)
            #expect(e.file == "broken.txt")
            #expect(e.line == 2)
            #expect(e.message.contains("not valid UTF-8 or GB18030"))
        }
        // Forcing UTF-8 reports the byte offset.
        do {
            _ = try ListImporter(encoding: .utf8).importData(data, file: "broken.txt")
            Issue.record("bad bytes must fail")
        } catch {
            #expect(error.errors.first?.message.contains("0x81") == true)
        }
    }

    @Test func binaryFile() throws {
        let e = try #require(errors("\(header)\n\u{0}\u{1}\n").first)
        #expect(e.message.contains("binary"))
    }
}
