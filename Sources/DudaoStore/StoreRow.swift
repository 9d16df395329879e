import Foundation

/// One row of a result, its columns looked up by name (`row["item"]`) whichever backend
/// read it.
public struct StoreRow: Sendable {
    /// The result's column names, shared by its rows.
    public let columns: [String]
    public let values: [SQLValue]

    public init(columns: [String], values: [SQLValue]) {
        self.columns = columns
        self.values = values
    }

    /// The column's value; `.null` when the result has no such column.
    public func value(_ name: String) -> SQLValue {
        guard let i = columns.firstIndex(of: name) else { return .null }
        return values[i]
    }

    /// The column as `T`. A non-optional `T` read from NULL or from a value of another kind is
    /// a schema mistake, not bad input, and stops the process (as GRDB does).
    public subscript<T: SQLReadable>(_ name: String) -> T {
        guard let v = T(sqlValue: value(name)) else {
            preconditionFailure("column \(name) holds \(value(name)), not \(T.self)")
        }
        return v
    }
}
