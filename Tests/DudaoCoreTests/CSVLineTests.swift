import Testing
import DudaoCore

/// CSV the office opens in Excel: quoting by RFC 4180, and no field Excel would run.
struct CSVLineTests {
    @Test func quotingAndFormulas() {
        #expect(CSVLine.of(["1", "托育", "a,b", "say \"hi\"", "two\nlines"]) == "1,托育,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\"\r\n")
        #expect(CSVLine.field("=HYPERLINK(\"http://x\")") == "\"'=HYPERLINK(\"\"http://x\"\")\"")
        #expect(CSVLine.field("+A1") == "\"'+A1\"" && CSVLine.field("-A2") == "\"'-A2\"" && CSVLine.field("@SUM(A1)") == "\"'@SUM(A1)\"")
        #expect(CSVLine.field("2024-12-31") == "2024-12-31" && CSVLine.field("") == "")
        #expect(CSVLine.field("-5") == "-5" && CSVLine.field("+3") == "+3", "days overdue stay numbers")
        #expect(CSVLine.field("-1+cmd") == "\"'-1+cmd\"")
    }
}
