import DudaoSchedules
/// Header words the user maps to Dudao's columns (`--columns 承办处室=lead,责任领导=skip`):
/// for lists whose headers are not among the words Dudao knows, or that name two columns
/// with words it would take for one.
public struct ColumnMapping: Sendable, Equatable {
    /// Header text (white space removed) → the column it is, or `nil` to leave it out.
    public private(set) var columns: [String: ListImporter.Column?] = [:]

    /// No mappings.
    public init() {}

    /// Reads `HEADER=COLUMN,…`; COLUMN is `id`, `title`, `content`, `measures`, `lead`,
    /// `partners`, `due`, their Chinese names (`牵头单位`…) or `skip`.
    public init(_ spec: String) throws(ScheduleError) {
        for pair in spec.split(whereSeparator: { $0 == "," || $0 == "，" }) {
            let parts = pair.split(separator: "=", maxSplits: 1).map { $0.filter { !$0.isWhitespace } }
            guard parts.count == 2, !parts[0].isEmpty else {
                throw ScheduleError(file: "--columns", message: "应为 表头=列 expected HEADER=COLUMN, not “\(pair)” (e.g. 承办处室=lead,责任领导=skip)")
            }
            guard let column = Self.column(named: parts[1]) else {
                let names = ListImporter.Column.allCases.map { "\($0.key) (\($0.rawValue))" }.joined(separator: ", ")
                throw ScheduleError(file: "--columns", message: "未知的列 unknown column “\(parts[1])” for “\(parts[0])”: use \(names) or skip")
            }
            guard columns[parts[0]] == nil else {
                throw ScheduleError(file: "--columns", message: "“\(parts[0])” 映射了两次 is mapped twice")
            }
            columns[parts[0]] = column
        }
    }

    /// `.some(nil)` for `skip`; `nil` when the name is not a column.
    private static func column(named name: String) -> ListImporter.Column?? {
        if name == "skip" { return .some(nil) }
        return ListImporter.Column.allCases.first { $0.key == name || $0.rawValue == name }.map { .some($0) }
    }
}
