import Foundation
import Testing
@testable import DudaoSchedules
@testable import DudaoImport

/// `word/document.xml` read event by event keeps what the list needs and leaves out what
/// Word keeps beside it: deleted text and field codes, properties; a nested table's and a
/// text box's paragraphs stay in their cell; the caption is the last body paragraph before
/// the table, also inside a content control.
struct WordXMLTests {
    static func document(_ body: String) -> Data {
        Data("""
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>\(body)</w:body></w:document>
            """.utf8)
    }

    static func cell(_ inner: String, properties: String = "") -> String { "<w:tc><w:tcPr>\(properties)</w:tcPr>\(inner)</w:tc>" }
    static func p(_ text: String) -> String { "<w:p><w:r><w:t>\(text)</w:t></w:r></w:p>" }

    @Test func tablesCellsAndCaptions() throws {
        let reader = WordXML()
        let body = """
            <w:sdt><w:sdtContent>\(Self.p("附件1"))\(Self.p("郑州市改革事项清单"))</w:sdtContent></w:sdt>
            <w:tbl><w:tr>\(Self.cell(Self.p("序号")))\(Self.cell(Self.p("事项"), properties: "<w:gridSpan w:val=\"2\"/>"))</w:tr>
            <w:tr>\(Self.cell("<w:p><w:pPr><w:rPr><w:b/></w:rPr></w:pPr><w:r><w:t>1</w:t></w:r></w:p>", properties: "<w:vMerge w:val=\"restart\"/>"))
            \(Self.cell("<w:p><w:r><w:t xml:space=\"preserve\">托育 </w:t></w:r><w:del><w:r><w:delText>删去</w:delText></w:r></w:del><w:ins><w:r><w:t>服务</w:t></w:r></w:ins><w:r><w:tab/><w:t>体系</w:t></w:r></w:p>"))
            \(Self.cell("<w:p><w:r><w:fldChar/><w:instrText>PAGE</w:instrText><w:t>第一</w:t><w:br/><w:t>第二</w:t></w:r></w:p><w:tbl><w:tr>\(Self.cell(Self.p("嵌套")))</w:tr></w:tbl>"))</w:tr>
            <w:tr><w:trPr><w:gridBefore w:val="1"/></w:trPr>\(Self.cell("<w:p><w:r><w:t>框外</w:t><w:pict><w:txbxContent>\(Self.p("框内"))</w:txbxContent></w:pict></w:r></w:p>", properties: "<w:gridSpan w:val=\"2\"/>"))</w:tr>
            <w:tr>\(Self.cell("", properties: "<w:vMerge/>"))\(Self.cell(Self.p("二")))\(Self.cell(""))</w:tr></w:tbl>
            \(Self.p("注：说明"))
            <w:tbl><w:tr>\(Self.cell(Self.p("第二表")))</w:tr></w:tbl>
            """
        #expect(reader.parse(Self.document(body)) == nil)
        #expect(reader.sawBody && reader.tooLarge == nil)
        #expect(reader.tables.count == 2)
        let first = try #require(reader.tables.first)
        #expect(first.caption == "郑州市改革事项清单", "the last body paragraph before the table, inside a content control")
        #expect(first.records.map(\.fields) == [
            ["序号", "事项", ""],
            ["1", "托育 服务 体系", "第一\n第二\n嵌套"],
            ["", "框外框内", ""],
            ["1", "二", ""],
        ], "\(first.records.map(\.fields))")
        #expect(reader.tables[1].caption == "注：说明")
    }

    @Test func brokenAndOversizedDocuments() {
        #expect(WordXML().parse(Data("<w:document><w:body><w:p>".utf8)) != nil, "not well-formed")
        let reader = WordXML()
        let rows = String(repeating: "<w:tr>\(Self.cell(Self.p("x")))</w:tr>", count: TableGrid.maxRows + 1)
        #expect(reader.parse(Self.document("<w:tbl>\(rows)</w:tbl>")) == nil)
        #expect(reader.tooLarge?.table == 1 && reader.tooLarge?.row == TableGrid.maxRows + 1)
    }
}
