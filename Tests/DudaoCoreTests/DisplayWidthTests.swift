import Testing
@testable import DudaoCore

struct DisplayWidthTests {
    @Test(arguments: [("abc", 3), ("市市场监管局", 12), ("市法院(知识产权)", 16), ("２０２４", 8), ("“入园惠企”", 10), ("", 0)])
    func widths(_ text: String, _ width: Int) {
        #expect(DisplayWidth.of(text) == width)
    }

    @Test func tableColumnsLineUpForChineseText() {
        let table = TextTable(header: ["单位", "n"], rows: [["市市场监管局", "1"], ["abc", "22"]]).text
        let lines = table.split(separator: "\n").map(String.init)
        // The second column starts at the same display column on every line.
        let starts = lines.map { line -> Int in
            let cell = line.split(separator: " ", omittingEmptySubsequences: true).first.map(String.init) ?? ""
            return DisplayWidth.of(cell) + (DisplayWidth.of(line) - DisplayWidth.of(cell) - DisplayWidth.of(String(line.split(separator: " ").last ?? "")))
        }
        #expect(Set(starts).count == 1, "\(table)")
    }
}
