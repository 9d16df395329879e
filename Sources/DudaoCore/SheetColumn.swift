/// A spreadsheet's column as Excel names it: the importer reads cells by it (`事项清单!G4`)
/// and the 台账 workbook writes them.
public enum SheetColumn {
    /// `A` for 0, `Z` for 25, `AA` for 26.
    public static func letters(_ index: Int) -> String {
        var n = index + 1, s = ""
        while n > 0 {
            let r = (n - 1) % 26
            s = String(UnicodeScalar(UInt8(65 + r))) + s
            n = (n - 1) / 26
        }
        return s
    }
}
