import Foundation
import Testing
import ZIPFoundation
@testable import DudaoCore
@testable import DudaoSchedules
@testable import DudaoImport

/// Excel workbooks as offices publish them (fixtures made by openpyxl, see
/// Tests/Fixtures/office/make_fixtures.py), and the archives a careless or hostile sender
/// might pass off as one.
struct WorkbookImportTests {
    let office = Fixtures.root.appendingPathComponent("Tests/Fixtures/office")

    func summary(_ items: [Item]) -> [String] {
        items.map { i in
            [i.id, i.title, i.content, i.measures.joined(separator: "|"), i.lead.joined(separator: "、"), i.partners.joined(separator: "、"),
             "\(i.partnersAndOthers)", i.dueText, "\(i.ongoing)", i.milestones.map { "\($0.due.iso) \($0.text)" }.joined(separator: "|")]
                .joined(separator: " ¦ ")
        }
    }

    @Test func theBundledListLaidOutInExcelImportsAsTheText() throws {
        let (fromText, _) = try ListImporter().importFile(at: Fixtures.seed)
        let (fromExcel, summary) = try ListImporter().importFile(at: office.appendingPathComponent("seed.xlsx").path)
        #expect(summary.sheet == "事项清单", "the 填表说明 sheet before it has no header")
        #expect(fromExcel.title == fromText.title)
        #expect(fromExcel.items.count == 23)
        #expect(self.summary(fromExcel.items) == self.summary(fromText.items))
        #expect(fromExcel.items.first { $0.id == "16" }?.measures.count == 6, "six measure rows under one merged item")
        #expect(summary.headings.map(\.text) == ["注：本清单由市政府督查室汇总。"], "the footnote is reported, not an item")
    }

    @Test(arguments: ["dates.xlsx", "dates-1904.xlsx"])
    func excelDatesInBothSystems(_ name: String) throws {
        let (list, _) = try ListImporter().importFile(at: office.appendingPathComponent(name).path)
        #expect(list.items.map { $0.milestones.map(\.due.iso) } == [["2025-06-30"], ["2025-12-31"], ["2024-02-29"], ["2025-09-30"]])
        #expect(list.items.map(\.dueText) == ["2025年6月30日", "2025年12月31日", "2024年2月29日", "2025年9月底前"])
    }

    @Test func theSheetByNameOrNumber() throws {
        let path = office.appendingPathComponent("seed.xlsx").path
        #expect(try ListImporter(sheet: "2").importFile(at: path).list.items.count == 23)
        #expect(try ListImporter(sheet: "事项清单").importFile(at: path).list.items.count == 23)
        for (sheet, says) in [("汇总表", "no sheet “汇总表”; the workbook has “填表说明”, “事项清单”"), ("1", "no header row")] {
            #expect { try ListImporter(sheet: sheet).importFile(at: path) } throws: { error in
                (error as? ImportFailure)?.description.contains(says) == true
            }
        }
    }

    // MARK: A workbook written here, part by part

    static let workbookXML = """
        <?xml version="1.0" encoding="UTF-8"?>
        <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="清单" sheetId="1" r:id="rId1"/></sheets></workbook>
        """
    static let relsXML = """
        <?xml version="1.0" encoding="UTF-8"?>
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>
        """

    static func sheetXML(_ rows: [[String]], prolog: String = "", lastRowExtra: String = "") -> String {
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\(prolog)<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"
        for (r, row) in rows.enumerated() {
            xml += "<row r=\"\(r + 1)\">"
            for (c, text) in row.enumerated() where !text.isEmpty {
                xml += "<c r=\"\(SheetColumn.letters(c))\(r + 1)\" t=\"inlineStr\"><is><t>\(text)</t></is></c>"
            }
            if r == rows.count - 1 { xml += lastRowExtra }
            xml += "</row>"
        }
        return xml + "</sheetData></worksheet>"
    }

    static func zip(_ parts: [(String, Data)]) throws -> Data {
        let archive = try Archive(data: Data(), accessMode: .create)
        for (path, data) in parts {
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        return archive.data!
    }

    static func workbook(_ rows: [[String]], prolog: String = "", lastRowExtra: String = "", extra: [(String, Data)] = []) throws -> Data {
        try zip([("xl/workbook.xml", Data(workbookXML.utf8)), ("xl/_rels/workbook.xml.rels", Data(relsXML.utf8)),
                 ("xl/worksheets/sheet1.xml", Data(sheetXML(rows, prolog: prolog, lastRowExtra: lastRowExtra).utf8))] + extra)
    }

    static let header = ["序号", "改革事项", "主要内容", "具体举措", "牵头单位", "配合单位", "完成时间"]

    @Test func errorsNameTheSheetAndCell() throws {
        let data = try Self.workbook([["2025年清单"], Self.header, ["1", "任务一", "", "", "市财政局", "", "尽快"], ["2", "", "", "", "市财政局", "", "6月底前"]])
        #expect { try ListImporter().importData(data, file: "list.xlsx") } throws: { error in
            let text = (error as? ImportFailure)?.description ?? ""
            return text.contains("list.xlsx:清单!G3: 事项 item 1: [完成时间]") && text.contains("“尽快”")
                && text.contains("list.xlsx:清单!B4: 事项 item 2: [改革事项]")
        }
        let good = try Self.workbook([["2025年清单"], Self.header, ["1", "任务一", "", "", "市财政局", "", "6月底前"]])
        #expect(try ListImporter().importData(good, file: "list.xlsx").list.items.map { $0.milestones.map(\.due.iso) } == [["2025-06-30"]])
    }

    /// Excel writes formatted empty cells far to the right: they do not count; a value there does.
    @Test func onlyValuesCountAgainstTheSheetLimits() throws {
        let rows = [Self.header, ["1", "任务一", "", "", "市财政局", "", "2025年6月"]]
        let formatted = try Self.workbook(rows, lastRowExtra: "<c r=\"XFD2\" s=\"1\"/>")
        #expect(try ListImporter().importData(formatted, file: "list.xlsx").list.items.count == 1)
        let far = try Self.workbook(rows, lastRowExtra: "<c r=\"DA2\" t=\"inlineStr\"><is><t>备注</t></is></c>")
        #expect { try ListImporter().importData(far, file: "list.xlsx") } throws: { error in
            (error as? ImportFailure)?.description.contains("清单!DA2: 超出范围 a value beyond") == true
        }
    }

    /// Each refusal, with its message, without reading more than the limits allow.
    @Test func unsafeOrBrokenArchivesAreRefused() throws {
        let rows = [Self.header, ["1", "任务一", "", "", "市财政局", "", "2025年6月"]]
        let bomb = Data(repeating: 0x20, count: 30 << 20)
        let many = (0...OfficeArchive.maxEntries).map { ("x/\($0).txt", Data()) }
        let cases: [(String, Data)] = [
            ("holds a DTD", try Self.workbook(rows, prolog: "<!DOCTYPE x [<!ENTITY a \"aaaaaaaaaa\">]>")),
            ("refused as a zip bomb", try Self.workbook(rows, extra: [("xl/sharedStrings.xml", bomb)])),
            ("more than \(OfficeArchive.maxEntries) entries", try Self.zip(many)),
            ("unsafe path “../evil.xml”", try Self.zip([("../evil.xml", Data("x".utf8))])),
            ("not a valid Office file", Data([0x50, 0x4B, 0x03, 0x04] + Array(repeating: 0x41, count: 100))),
            ("neither an Excel workbook (.xlsx) nor a Word document", try Self.zip([("content.xml", Data("<w/>".utf8))])),
            ("not a Word document (word/document.xml has no w:body)", try Self.zip([("word/document.xml", Data("<w/>".utf8))])),
            ("“word/document.xml” 含有 DTD", try Self.zip([("word/document.xml", Data("<!DOCTYPE w [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><w/>".utf8))])),
            // An element name that is not UTF-8 made Foundation's XMLParser trap (make fuzz).
            ("“word/document.xml” 不是 UTF-8 编码 is not valid UTF-8", try Self.zip([("word/document.xml", Data("<w:document><w:body><w:t".utf8) + Data([0xE5, 0xE8, 0xB4, 0xA2]) + Data("/></w:body></w:document>".utf8))])),
            ("an old binary Office file (.xls/.doc)", Data([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + Array(repeating: 0, count: 504))),
            ("is not valid XML", try Self.workbook(rows, prolog: "<broken")),
        ]
        for (says, data) in cases {
            #expect(throws: ImportFailure.self, "\(says)") { try ListImporter().importData(data, file: "list.xlsx") }
            do { _ = try ListImporter().importData(data, file: "list.xlsx") } catch {
                #expect(error.description.contains(says), "\(error)")
            }
        }
    }
}
