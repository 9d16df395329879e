import DudaoCore
import DudaoSchedules

/// Where a table of an office file sits, to name a cell the way its user finds it: a
/// workbook's sheet and Excel address (`事项清单!G7`), or a document's or web page's Nth
/// table with row and column counted from 1 (`表2第7行第3列`).
public enum TablePlace: Hashable, Sendable {
    case sheet(String)
    case table(Int)

    /// The sheet's or table's own name (`事项清单`, `表2`).
    var name: String {
        switch self {
        case .sheet(let name): name
        case .table(let n): "表\(n)"
        }
    }

    /// The cell at `row` (1-based) and `column` (0-based).
    func cell(row: Int, column: Int) -> String {
        switch self {
        case .sheet(let name): "\(name)!\(SheetColumn.letters(column))\(row)"
        case .table(let n): "表\(n)第\(row)行第\(column + 1)列"
        }
    }
}
