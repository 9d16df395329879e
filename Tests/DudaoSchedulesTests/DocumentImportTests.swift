import Foundation
import Testing
@testable import DudaoCore
@testable import DudaoSchedules
@testable import DudaoImport

/// Word documents and web pages as offices publish their lists (fixtures made by
/// python-docx and LibreOffice, see Tests/Fixtures/office/make_fixtures.py), and tables
/// written here to name each rule.
struct DocumentImportTests {
    let office = Fixtures.root.appendingPathComponent("Tests/Fixtures/office")

    /// Every file a real tool made of the bundled list imports to the text's items, field by field.
    @Test(arguments: [("seed.docx", "table 2"), ("seed-lo.docx", "table 2"), ("seed-calc.html", "table 2"),
                      ("seed-writer.html", "table 2"), ("seed-two-row-header.xlsx", "sheet 事项清单"), ("seed-lo.xlsx", "sheet 事项清单")])
    func theBundledListFromEveryToolImportsAsTheText(_ name: String, _ chosen: String) throws {
        let (fromText, _) = try ListImporter().importFile(at: Fixtures.seed)
        let (list, summary) = try ListImporter().importFile(at: office.appendingPathComponent(name).path)
        #expect(list.title == fromText.title)
        #expect(list.items.count == 23)
        #expect(WorkbookImportTests().summary(list.items) == WorkbookImportTests().summary(fromText.items))
        #expect(summary.table.map { "table \($0)" } ?? summary.sheet.map { "sheet \($0)" } == chosen,
                "the contacts table (or 填表说明 sheet) before the list has no 牵头单位 or 完成时间")
        // Item 16: six measure rows under merged cells, or (seed.docx) six numbered paragraphs in one cell.
        #expect(list.items.first { $0.id == "16" }?.measures.count == 6)
    }

    @Test func aTableByNumberAndTheWrongOptionForTheFormat() throws {
        let docx = office.appendingPathComponent("seed.docx").path
        #expect(try ListImporter(table: 2).importFile(at: docx).list.items.count == 23)
        let cases: [(ListImporter, String, String)] = [
            (ListImporter(table: 1), docx, "seed.docx:表1: 找不到表头 no header row"),
            (ListImporter(table: 3), docx, "there is no table 3; the file has 2"),
            (ListImporter(sheet: "1"), docx, "--sheet 用于 Excel 工作簿 is for .xlsx workbooks"),
            (ListImporter(table: 1), office.appendingPathComponent("seed.xlsx").path, "--table 用于 Word 文档和网页"),
            (ListImporter(table: 1), Fixtures.seed, "--table 用于 Excel、Word 文件和网页 is for .xlsx, .docx and web pages; this file is a text table"),
            (ListImporter(sheet: "1"), Fixtures.seed, "--sheet 用于 Excel、Word 文件和网页"),
        ]
        for (importer, path, says) in cases {
            #expect { try importer.importFile(at: path) } throws: { ($0 as? ImportFailure)?.description.contains(says) == true }
        }
    }

    // MARK: Web pages written here

    static func page(_ body: String) -> Data {
        Data("<!DOCTYPE html>\n<html><head><title>不是标题</title><script>var t = '<table><tr><td>牵头单位';</script></head><body>\(body)</body></html>".utf8)
    }

    @Test func aPageTableWithSpansEntitiesAndLeftOutEndTags() throws {
        let data = Self.page("""
            <!-- <table><tr><td>完成时间</td></tr></table> -->
            <h2>2025年重点任务 &amp; 清单</h2>
            <table border=1>
            <tr><th>序号<th>改革事项<th colspan=2>责任单位<th>完成时间
            <tr><td></td><td></td><td>牵头单位<td>配合单位<td></td>
            <tr><td rowspan="2">1<td rowspan=2>优化&nbsp;营商环境<td rowspan='2'>市发改委&#x3001;市财政局<td>市税务局<td rowspan=2>6月底前
            <tr><td>市人社局
            <tr><td>2</td><td>&lt;数据&gt;共享</td><td>市大数据局</td><td></td><td>12月底前</td></tr>
            <tr><td colspan=5>注：本表由督查室汇总。</td></tr>
            </table>
            """)
        let (list, summary) = try ListImporter().importData(data, file: "list.html")
        #expect(list.title == "2025年重点任务 & 清单", "the heading before the table, not the script or the comment")
        #expect(list.items.map(\.id) == ["1", "2"])
        #expect(list.items.map(\.title) == ["优化 营商环境", "<数据>共享"])
        #expect(list.items[0].lead == ["市发改委", "市财政局"])
        #expect(list.items[0].partners == ["市税务局"], "the second row under the rowspan is the same item, its partner cell not merged")
        #expect(list.items.map { $0.milestones.map(\.due.iso) } == [["2025-06-30"], ["2025-12-31"]])
        #expect(summary.headings.map(\.text) == ["注：本表由督查室汇总。"])
        #expect(summary.table == 1)
    }

    @Test func errorsNameTheTableRowAndColumn() throws {
        let data = Self.page("""
            <p>2025年清单</p><table><tr><td>序号</td><td>改革事项</td><td>牵头单位</td><td>完成时间</td></tr>
            <tr><td>1</td><td>任务一</td><td>市财政局</td><td>尽快</td></tr></table>
            """)
        #expect { try ListImporter().importData(data, file: "list.html") } throws: { error in
            (error as? ImportFailure)?.description.contains("list.html:表1第2行第4列: 事项 item 1: [完成时间]") == true
        }
    }

    /// A page's size and its table's rows and columns are bounded; spans are clamped.
    @Test func oversizedPagesAndTablesAreRefused() throws {
        let rows = String(repeating: "<tr><td>1", count: TableGrid.maxRows + 1)
        let cases: [(Data, String)] = [
            (Self.page("<table><tr><td>牵头单位<td>完成时间\(rows)</table>"), "表1第\(TableGrid.maxRows + 1)行: 超出范围"),
            (Self.page("<table><tr><td>牵头单位<td colspan=100>完成时间</table>"), "表1第1行: 超出范围"),
            (Self.page("<table><tr><td>x</td></tr></table>" + String(repeating: " ", count: ListImporter.maxPageBytes)), "the page is larger than 50 MB"),
        ]
        for (data, says) in cases {
            #expect { try ListImporter().importData(data, file: "list.html") } throws: { ($0 as? ImportFailure)?.description.contains(says) == true }
        }
        // Pages built to make a scanner slow: unterminated tags after a script, many `<`.
        let cellOfTags = "序号\t改革事项\t牵头单位\t完成时间\n1\t" + String(repeating: "<a", count: 200_000) + "\t市财政局\t2024年6月\n"
        for hostile in [Self.page("<script>" + String(repeating: "</a x", count: 200_000)), Self.page(String(repeating: "<a <td ", count: 200_000) + "<table>"),
                        Self.page("<table><tr><td>" + String(repeating: "<1<a", count: 200_000)), Data(cellOfTags.utf8)] {
            let started = Date()
            _ = try? ListImporter().importData(hostile, file: "list.html")
            #expect(Date().timeIntervalSince(started) < 10, "linear in the page's size")
        }
        // A huge rowspan covers the rows there are, no more.
        let spanned = Self.page("<table><tr><td>序号<td>改革事项<td>牵头单位<td>完成时间<tr><td>1<td>任务<td rowspan=999999999>市财政局<td>2025年6月</table>")
        #expect(try ListImporter().importData(spanned, file: "list.html").list.items.first?.lead == ["市财政局"])
    }

    /// A text table whose cells hold HTML fragments (the seed) is not a page.
    @Test func aTextTableWithMarkupInItsCellsIsNotAPage() {
        #expect(!HTMLTables.looksLikePage("序号\t改革事项\n1\t<ol><li>一</li></ol>\t<table>"))
        #expect(HTMLTables.looksLikePage("\u{FEFF}\n <HTML><TABLE><TR><TD>x"))
    }

    /// The lines of a cell (a Word cell's paragraphs, Excel's Alt+Enter) are its measures.
    @Test func linesInACellAreSeparateMeasures() throws {
        let text = "2025年清单\n序号\t改革事项\t具体举措\t牵头单位\t完成时间\n1\t任务一\t\"建立台账\n开展评估\"\t市财政局\t6月底前\n"
        let (list, _) = try ListImporter().importText(text, file: "list.tsv")
        #expect(list.items.first?.measures == ["建立台账", "开展评估"])
        #expect(MarkupText.blocks("<p>一\n二</p>").blocks == ["一 二"], "inside HTML a line break is white space")
    }
}
