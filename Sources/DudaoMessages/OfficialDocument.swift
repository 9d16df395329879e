import Foundation
import DudaoCore

/// A formal document (公文) as a Word file in the layout of GB/T 9704-2012, written by
/// Dudao without an office suite: A4, margins 37/35/28/26 mm (a 156 × 225 mm text block),
/// 22 lines of 28 characters, the title in 2号 小标宋, the body in 3号 仿宋, headings in
/// 黑体 and 楷体, page numbers "— 1 —" in 4号 宋体 on the outside edges, the issuing mast
/// in red over a red rule, signature and date placed as the standard says, and the
/// imprint (版记) between rules. Every font names a fallback (仿宋, 宋体, 黑体, 楷体) for
/// machines without the GB fonts.
public struct OfficialDocument: Sendable {
    /// One block of the document, in order.
    public enum Block: Sendable {
        /// 发文机关标志: the issuing office's mast, red.
        case mast(String)
        /// 发文字号 (督通〔2026〕3号), centred two lines under the mast, over the red rule.
        case number(String)
        /// 标题, two lines under the rule.
        case title(String)
        /// 主送机关, at the left edge.
        case addressee(String)
        /// A body paragraph, indented two characters.
        case paragraph(String)
        /// 一、 level-1 heading (黑体).
        case heading1(String)
        /// （一） level-2 heading (楷体).
        case heading2(String)
        /// A table: the header row, each column's share of the width, the rows.
        case table(header: [String], shares: [Int], rows: [[String]])
        /// 发文机关署名 and 成文日期, right of the body.
        case signature(office: String, date: String)
        /// 版记: 抄送 (if any), 印发机关 and 印发日期 between rules.
        case imprint(copies: String?, office: String, date: String)
        /// An empty line.
        case blank
    }

    public var title: String
    public var blocks: [Block]

    public init(title: String, blocks: [Block]) {
        self.title = title
        self.blocks = blocks
    }

    /// Writes the document to `url` in one step.
    public func write(to url: URL) throws { try OfficePackage(parts: parts()).write(to: url) }

    /// The document's bytes (an attachment, a download).
    public func data() throws -> Data { try OfficePackage(parts: parts()).data() }

    /// The media type of a .docx.
    public static let mediaType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

    // MARK: Measures (twentieths of a point)

    static let pageWidth = 11906, pageHeight = 16838
    static let marginTop = 2098, marginBottom = 1984, marginLeft = 1587, marginRight = 1474
    /// 156 mm.
    static let textWidth = pageWidth - marginLeft - marginRight
    /// 225 mm over 22 lines.
    static let linePitch = 579
    /// 28 characters of 3号 (16 pt) in 156 mm: the grid's spacing, in 4096ths of a point
    /// added to each character.
    static let charSpace = Int(((Double(textWidth) / 28 / 20) - 16) * 4096)
    /// 3号, 2号, 4号 in half points.
    static let body = 32, titleSize = 44, small = 28
    static let character = 320

    /// Each font and the one a machine without it uses instead.
    static let fonts: [(name: String, fallback: String, family: String)] = [
        ("仿宋_GB2312", "仿宋", "modern"), ("方正小标宋简体", "宋体", "roman"), ("黑体", "SimHei", "modern"),
        ("楷体_GB2312", "楷体", "script"), ("宋体", "SimSun", "roman"),
    ]

    // MARK: Parts

    func parts() -> [(String, String)] {
        let xml = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
        let w = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\""
        return [
            ("[Content_Types].xml", xml + """
                <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
                <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
                <Default Extension="xml" ContentType="application/xml"/>\
                <Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>\
                <Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>\
                <Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>\
                <Override PartName="/word/fontTable.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"/>\
                <Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>\
                <Override PartName="/word/footer2.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>\
                <Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>\
                </Types>
                """),
            ("_rels/.rels", xml + """
                <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
                <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>\
                <Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>\
                </Relationships>
                """),
            ("docProps/core.xml", xml + """
                <cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" \
                xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>\(esc(title))</dc:title><dc:creator>Dudao</dc:creator></cp:coreProperties>
                """),
            ("word/_rels/document.xml.rels", xml + """
                <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
                <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>\
                <Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/>\
                <Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable" Target="fontTable.xml"/>\
                <Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/>\
                <Relationship Id="rId5" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer2.xml"/>\
                </Relationships>
                """),
            ("word/settings.xml", xml + """
                <w:settings \(w)><w:evenAndOddHeaders/><w:defaultTabStop w:val="\(Self.character * 2)"/>\
                <w:characterSpacingControl w:val="compressPunctuation"/></w:settings>
                """),
            ("word/fontTable.xml", xml + "<w:fonts \(w)>" + Self.fonts.map {
                "<w:font w:name=\"\(esc($0.name))\"><w:altName w:val=\"\(esc($0.fallback))\"/><w:charset w:val=\"86\"/><w:family w:val=\"\($0.family)\"/></w:font>"
            }.joined() + "</w:fonts>"),
            ("word/styles.xml", xml + styles(w)),
            ("word/footer1.xml", xml + footer(w, odd: true)),
            ("word/footer2.xml", xml + footer(w, odd: false)),
            ("word/document.xml", xml + document(w)),
        ]
    }

    func esc(_ text: String) -> String { XMLText.escape(text) }

    static func fontXML(_ name: String) -> String {
        "<w:rFonts w:ascii=\"\(name)\" w:hAnsi=\"\(name)\" w:eastAsia=\"\(name)\" w:cs=\"\(name)\"/>"
    }

    static func spacing(_ pitch: Int = linePitch) -> String { "<w:spacing w:before=\"0\" w:after=\"0\" w:line=\"\(pitch)\" w:lineRule=\"exact\"/>" }

    func styles(_ w: String) -> String {
        func style(_ id: String, _ name: String, font: String, size: Int, paragraph: String = "", run: String = "") -> String {
            """
            <w:style w:type="paragraph" w:customStyle="1" w:styleId="\(id)"><w:name w:val="\(name)"/><w:basedOn w:val="Normal"/><w:qFormat/>\
            <w:pPr>\(paragraph)</w:pPr><w:rPr>\(Self.fontXML(font))\(run)<w:sz w:val="\(size)"/><w:szCs w:val="\(size)"/></w:rPr></w:style>
            """
        }
        let indent = "<w:ind w:firstLineChars=\"200\" w:firstLine=\"\(Self.character * 2)\"/>"
        return """
            <w:styles \(w)><w:docDefaults><w:rPrDefault><w:rPr>\(Self.fontXML("仿宋_GB2312"))<w:sz w:val="\(Self.body)"/><w:szCs w:val="\(Self.body)"/>\
            <w:lang w:val="en-US" w:eastAsia="zh-CN"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr>\(Self.spacing())</w:pPr></w:pPrDefault></w:docDefaults>\
            <w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/>\
            <w:pPr><w:widowControl w:val="0"/><w:snapToGrid w:val="0"/>\(Self.spacing())<w:jc w:val="both"/></w:pPr>\
            <w:rPr>\(Self.fontXML("仿宋_GB2312"))<w:sz w:val="\(Self.body)"/><w:szCs w:val="\(Self.body)"/></w:rPr></w:style>\
            \(style("Body", "正文", font: "仿宋_GB2312", size: Self.body, paragraph: indent))\
            \(style("DocTitle", "公文标题", font: "方正小标宋简体", size: Self.titleSize, paragraph: "<w:jc w:val=\"center\"/>"))\
            \(style("Heading1", "一级标题", font: "黑体", size: Self.body, paragraph: "<w:keepNext/>" + indent + "<w:outlineLvl w:val=\"0\"/>"))\
            \(style("Heading2", "二级标题", font: "楷体_GB2312", size: Self.body, paragraph: "<w:keepNext/>" + indent + "<w:outlineLvl w:val=\"1\"/>"))\
            \(style("Mast", "发文机关标志", font: "方正小标宋简体", size: 64, paragraph: Self.spacing(Self.linePitch * 2) + "<w:jc w:val=\"center\"/>",
                    run: "<w:color w:val=\"FF0000\"/><w:w w:val=\"90\"/>"))\
            \(style("DocNumber", "发文字号", font: "仿宋_GB2312", size: Self.body,
                    paragraph: "<w:pBdr><w:bottom w:val=\"single\" w:sz=\"12\" w:space=\"6\" w:color=\"FF0000\"/></w:pBdr><w:jc w:val=\"center\"/>"))\
            \(style("TableText", "表格", font: "仿宋_GB2312", size: Self.small, paragraph: "<w:jc w:val=\"left\"/>"))\
            \(style("Imprint", "版记", font: "仿宋_GB2312", size: Self.small,
                    paragraph: "<w:tabs><w:tab w:val=\"right\" w:pos=\"\(Self.textWidth - Self.small * 10)\"/></w:tabs><w:ind w:left=\"\(Self.small * 10)\"/>"))\
            \(style("PageNumber", "页码", font: "宋体", size: Self.small))\
            </w:styles>
            """
    }

    /// 页码: "— 1 —" in 4号 宋体, one character in from the right edge on odd pages and
    /// from the left edge on even ones.
    func footer(_ w: String, odd: Bool) -> String {
        let place = odd ? "<w:jc w:val=\"right\"/><w:ind w:right=\"\(Self.small * 10)\"/>" : "<w:jc w:val=\"left\"/><w:ind w:left=\"\(Self.small * 10)\"/>"
        func run(_ inner: String) -> String { "<w:r>\(inner)</w:r>" }
        return """
            <w:ftr \(w)><w:p><w:pPr><w:pStyle w:val="PageNumber"/>\(place)</w:pPr>\
            \(run("<w:t xml:space=\"preserve\">— </w:t>"))\(run("<w:fldChar w:fldCharType=\"begin\"/>"))\(run("<w:instrText xml:space=\"preserve\"> PAGE </w:instrText>"))\
            \(run("<w:fldChar w:fldCharType=\"separate\"/>"))\(run("<w:t>1</w:t>"))\(run("<w:fldChar w:fldCharType=\"end\"/>"))\
            \(run("<w:t xml:space=\"preserve\"> —</w:t>"))</w:p></w:ftr>
            """
    }

    func paragraph(_ style: String, _ text: String, extra: String = "") -> String {
        let runs = text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().map { k, line in
            (k > 0 ? "<w:r><w:br/></w:r>" : "") + (line.isEmpty ? "" : "<w:r><w:t xml:space=\"preserve\">\(esc(String(line)))</w:t></w:r>")
        }.joined()
        return "<w:p><w:pPr><w:pStyle w:val=\"\(style)\"/>\(extra)</w:pPr>\(runs)</w:p>"
    }

    /// Display width in characters of 3号: CJK and full-width characters one, the rest half.
    static func width(_ text: String) -> Double {
        text.unicodeScalars.reduce(0) { $0 + ($1.value < 0x2E80 ? 0.5 : 1) }
    }

    func document(_ w: String) -> String {
        var body = ""
        for block in blocks {
            switch block {
            case .mast(let text): body += paragraph("Mast", text)
            case .number(let text): body += paragraph("Normal", "") + paragraph("Normal", "") + paragraph("DocNumber", text)
                + paragraph("Normal", "") + paragraph("Normal", "")
            case .title(let text): body += paragraph("DocTitle", text) + paragraph("Normal", "")
            case .addressee(let text): body += paragraph("Normal", text)
            case .paragraph(let text): body += paragraph("Body", text)
            case .heading1(let text): body += paragraph("Heading1", text)
            case .heading2(let text): body += paragraph("Heading2", text)
            case .blank: body += paragraph("Normal", "")
            case .table(let header, let shares, let rows): body += table(header: header, shares: shares, rows: rows)
            case .signature(let office, let date):
                // 成文日期右空四字; 署名 centred over the date.
                let dateRight = Self.character * 4
                let officeRight = max(0, dateRight + Int((Self.width(date) - Self.width(office)) / 2 * Double(Self.character)))
                body += paragraph("Normal", "") + paragraph("Normal", office, extra: "<w:jc w:val=\"right\"/><w:ind w:right=\"\(officeRight)\"/>")
                    + paragraph("Normal", date, extra: "<w:jc w:val=\"right\"/><w:ind w:right=\"\(dateRight)\"/>")
            case .imprint(let copies, let office, let date):
                let thick = "w:val=\"single\" w:sz=\"8\" w:space=\"1\" w:color=\"000000\""
                let thin = "w:val=\"single\" w:sz=\"4\" w:space=\"1\" w:color=\"000000\""
                body += paragraph("Normal", "")
                if let copies {
                    body += paragraph("Imprint", "抄送：\(copies)", extra: "<w:pBdr><w:top \(thick)/><w:bottom \(thin)/></w:pBdr><w:ind w:left=\"\(Self.small * 10)\" w:right=\"\(Self.small * 10)\" w:hanging=\"0\"/>")
                }
                let rules = copies == nil ? "<w:top \(thick)/><w:bottom \(thick)/>" : "<w:bottom \(thick)/>"
                body += "<w:p><w:pPr><w:pStyle w:val=\"Imprint\"/><w:pBdr>\(rules)</w:pBdr></w:pPr><w:r><w:t xml:space=\"preserve\">\(esc(office))</w:t></w:r>"
                    + "<w:r><w:tab/><w:t xml:space=\"preserve\">\(esc(date))印发</w:t></w:r></w:p>"
            }
        }
        return """
            <w:document \(w)><w:body>\(body)<w:sectPr><w:footerReference w:type="default" r:id="rId4"/><w:footerReference w:type="even" r:id="rId5"/>\
            <w:pgSz w:w="\(Self.pageWidth)" w:h="\(Self.pageHeight)"/>\
            <w:pgMar w:top="\(Self.marginTop)" w:right="\(Self.marginRight)" w:bottom="\(Self.marginBottom)" w:left="\(Self.marginLeft)" \
            w:header="851" w:footer="1304" w:gutter="0"/><w:pgNumType w:fmt="decimal"/>\
            <w:docGrid w:type="linesAndChars" w:linePitch="\(Self.linePitch)" w:charSpace="\(Self.charSpace)"/></w:sectPr></w:body></w:document>
            """
    }

    func table(header: [String], shares: [Int], rows: [[String]]) -> String {
        let total = max(1, shares.reduce(0, +))
        let widths = shares.map { $0 * Self.textWidth / total }
        let border = "w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\""
        func row(_ cells: [String], head: Bool) -> String {
            "<w:tr>" + (head ? "<w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>" : "<w:trPr><w:cantSplit/></w:trPr>") + cells.enumerated().map { k, text in
                let width = widths.indices.contains(k) ? widths[k] : Self.textWidth / max(1, cells.count)
                let lines = text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().map { j, line in
                    (j > 0 ? "<w:r><w:br/></w:r>" : "") + "<w:r>\(head ? "<w:rPr>\(Self.fontXML("黑体"))</w:rPr>" : "")<w:t xml:space=\"preserve\">\(esc(String(line)))</w:t></w:r>"
                }.joined()
                return "<w:tc><w:tcPr><w:tcW w:w=\"\(width)\" w:type=\"dxa\"/></w:tcPr>"
                    + "<w:p><w:pPr><w:pStyle w:val=\"TableText\"/>\(head ? "<w:jc w:val=\"center\"/>" : "")</w:pPr>\(lines)</w:p></w:tc>"
            }.joined() + "</w:tr>"
        }
        return """
            <w:tbl><w:tblPr><w:tblW w:w="\(Self.textWidth)" w:type="dxa"/><w:jc w:val="center"/><w:tblLayout w:type="fixed"/>\
            <w:tblBorders><w:top \(border)/><w:left \(border)/><w:bottom \(border)/><w:right \(border)/><w:insideH \(border)/><w:insideV \(border)/></w:tblBorders>\
            <w:tblCellMar><w:left w:w="57" w:type="dxa"/><w:right w:w="57" w:type="dxa"/></w:tblCellMar></w:tblPr>\
            <w:tblGrid>\(widths.map { "<w:gridCol w:w=\"\($0)\"/>" }.joined())</w:tblGrid>\
            \(row(header, head: true))\(rows.map { row($0, head: false) }.joined())</w:tbl>
            """ + paragraph("Normal", "")
    }
}
