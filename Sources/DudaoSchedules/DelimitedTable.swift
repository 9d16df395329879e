/// Reads TSV or CSV text into records, keeping the line each record starts on.
///
/// Quoting follows RFC 4180 for both delimiters (Excel quotes TSV cells that hold tabs,
/// newlines or quotes the same way): a field that starts with `"` runs to the matching
/// `"`, with `""` standing for one quote, and may span lines. CRLF, LF and CR all end a record.
public struct DelimitedTable: Sendable {
    /// One record and where it starts.
    public struct Record: Hashable, Sendable {
        /// 1-based line of the record's first character.
        public var line: Int
        /// Its fields, unquoted.
        public var fields: [String]
    }

    /// The records in order, blank lines included (as a single empty field).
    public var records: [Record]

    /// Splits `text` on `delimiter`. Throws when a quoted field never closes.
    public init(text: String, delimiter: Character, file: String) throws(ScheduleError) {
        var records: [Record] = []
        var fields: [String] = []
        var field = ""
        var line = 1
        var recordLine = 1
        var inQuotes = false
        var quoteLine = 0
        var atFieldStart = true
        var chars = text.makeIterator()
        var pending: Character? = nil

        func next() -> Character? {
            if let p = pending { pending = nil; return p }
            return chars.next()
        }
        while let c = next() {
            if inQuotes {
                if c == "\"" {
                    if let n = next() {
                        if n == "\"" { field.append("\"") } else { inQuotes = false; pending = n }
                    } else {
                        inQuotes = false
                    }
                } else {
                    if c == "\n" || c == "\r\n" || c == "\r" { line += 1; field.append("\n") } else { field.append(c) }
                }
                continue
            }
            switch c {
            case "\"" where atFieldStart:
                inQuotes = true
                quoteLine = line
                atFieldStart = false
            case delimiter:
                fields.append(field)
                field = ""
                atFieldStart = true
            case "\n", "\r\n", "\r":
                fields.append(field)
                records.append(Record(line: recordLine, fields: fields))
                fields = []
                field = ""
                atFieldStart = true
                line += 1
                recordLine = line
            default:
                field.append(c)
                atFieldStart = false
            }
        }
        if inQuotes {
            throw ScheduleError(file: file, line: quoteLine, message: "引号未闭合 a quoted cell starting here is never closed")
        }
        if !field.isEmpty || !fields.isEmpty {
            fields.append(field)
            records.append(Record(line: recordLine, fields: fields))
        }
        self.records = records
    }

    /// Tab when any of the first lines has a tab, else comma.
    public static func guessDelimiter(_ text: String) -> Character {
        for line in text.split(separator: "\n", maxSplits: 50, omittingEmptySubsequences: true).prefix(50) where line.contains("\t") {
            return "\t"
        }
        return ","
    }
}
