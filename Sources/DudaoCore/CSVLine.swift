/// One CSV record (RFC 4180) for the files the office opens in Excel: fields with a comma,
/// quote or line break are quoted; a field a spreadsheet would take for a formula (starting
/// `=`, `+`, `-`, `@`, tab or CR, other than a plain number such as `-5`) is prefixed with
/// `'` and quoted, so a title cannot run in Excel. Ends with CRLF.
public enum CSVLine {
    public static func of(_ fields: [String]) -> String {
        fields.map(field).joined(separator: ",") + "\r\n"
    }

    public static func field(_ s: String) -> String {
        let formula = s.first.map { "=+-@\t\r".contains($0) } == true && Double(s) == nil
        let safe = formula ? "'" + s : s
        return formula || safe.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
            ? "\"" + safe.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : safe
    }
}
