import DudaoSchedules
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
        /// The sheet or table it is in, for an office file's rows (then `line` is the
        /// sheet's or table's row).
        public var place: TablePlace? = nil
        /// Columns whose cell is under the top row of a merge spanning rows (an office
        /// file's item over several measure rows).
        public var mergedAbove: Set<Int> = []
    }

    /// The records in order, blank lines included (as a single empty field).
    public var records: [Record]

    /// Splits `text` on `delimiter` (tab or comma). Throws when a quoted field never closes.
    ///
    /// Reads UTF-8 bytes: every character that matters is ASCII, so a field is a slice of
    /// the input decoded once, not a string grown one character at a time.
    public init(text: String, delimiter: Character, file: String) throws(ScheduleError) {
        var text = text
        text.makeContiguousUTF8()
        let split = text.utf8.withContiguousStorageIfAvailable { Self.split($0, delimiter: delimiter.asciiValue ?? 0x09) }!
        switch split {
        case .success(let records): self.records = records
        case .failure(let open): throw ScheduleError(file: file, line: open.line, message: "引号未闭合 a quoted cell starting here is never closed")
        }
    }

    /// The line of a quoted field that never closes.
    struct UnclosedQuote: Error {
        let line: Int
    }

    private static func split(_ bytes: UnsafeBufferPointer<UInt8>, delimiter: UInt8) -> Result<[Record], UnclosedQuote> {
        let quote = UInt8(ascii: "\""), lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")
        var records: [Record] = []
        var fields: [String] = []
        var line = 1
        var recordLine = 1
        var i = 0
        var fieldStart = 0
        var atFieldStart = true
        // The unquoted text of a quoted field, which the rest of the field follows.
        var quoted: [UInt8]? = nil
        func field(upTo end: Int) -> String {
            let rest = UnsafeBufferPointer(rebasing: bytes[fieldStart..<end])
            guard let head = quoted else { return String(decoding: rest, as: UTF8.self) }
            quoted = nil
            return String(decoding: head + rest, as: UTF8.self)
        }
        while i < bytes.count {
            let c = bytes[i]
            if c == quote && atFieldStart {
                let quoteLine = line
                var buffer: [UInt8] = []
                var closed = false
                i += 1
                while i < bytes.count {
                    let b = bytes[i]
                    if b == quote {
                        if i + 1 < bytes.count && bytes[i + 1] == quote {
                            buffer.append(quote)
                            i += 2
                            continue
                        }
                        i += 1
                        closed = true
                        break
                    }
                    if b == cr || b == lf {
                        line += 1
                        buffer.append(lf)
                        i += (b == cr && i + 1 < bytes.count && bytes[i + 1] == lf) ? 2 : 1
                        continue
                    }
                    buffer.append(b)
                    i += 1
                }
                guard closed else { return .failure(UnclosedQuote(line: quoteLine)) }
                quoted = buffer
                fieldStart = i
                atFieldStart = false
                continue
            }
            if c == delimiter {
                fields.append(field(upTo: i))
                i += 1
                fieldStart = i
                atFieldStart = true
                continue
            }
            if c == lf || c == cr {
                fields.append(field(upTo: i))
                records.append(Record(line: recordLine, fields: fields))
                fields = []
                i += (c == cr && i + 1 < bytes.count && bytes[i + 1] == lf) ? 2 : 1
                line += 1
                recordLine = line
                fieldStart = i
                atFieldStart = true
                continue
            }
            atFieldStart = false
            i += 1
        }
        let last = field(upTo: bytes.count)
        if !last.isEmpty || !fields.isEmpty {
            fields.append(last)
            records.append(Record(line: recordLine, fields: fields))
        }
        return .success(records)
    }

    /// Tab when any of the first lines has a tab, else comma.
    public static func guessDelimiter(_ text: String) -> Character {
        for line in text.split(separator: "\n", maxSplits: 50, omittingEmptySubsequences: true).prefix(50) where line.contains("\t") {
            return "\t"
        }
        return ","
    }
}
