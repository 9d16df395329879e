/// A problem in a schedule or import file, located as precisely as known:
/// `file:line: [item 8] message`.
public struct ScheduleError: Error, Hashable, Sendable, CustomStringConvertible {
    /// File as given by the user.
    public var file: String
    /// 1-based line, when known.
    public var line: Int?
    /// Column name or number, when known (import).
    public var column: String?
    /// A workbook's sheet and cell (`事项清单!G7`), named instead of the line.
    public var cell: String? = nil
    /// Item id, when the problem belongs to an item.
    public var item: String?
    /// What is wrong, quoting the offending text.
    public var message: String

    /// An error at a place.
    public init(file: String, line: Int? = nil, column: String? = nil, item: String? = nil, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.item = item
        self.message = message
    }

    public var description: String {
        var place = file
        if let cell { place += ":\(cell)" } else if let line { place += ":\(line)" }
        var parts = [place + ":"]
        if let item { parts.append("事项 item \(item):") }
        if let column { parts.append("[\(column)]") }
        parts.append(message)
        return parts.joined(separator: " ")
    }
}
