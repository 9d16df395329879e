import Foundation

/// A value bound to a statement or read from a row: the store keeps text, integers (instants
/// are ISO 8601 text) and the bytes of attached files, which both backends hold the same way.
public enum SQLValue: Hashable, Sendable {
    case null
    case integer(Int64)
    case text(String)
    case blob(Data)
}

/// A Swift value a statement can bind.
public protocol SQLBindable: Sendable {
    var sqlValue: SQLValue { get }
}

/// A Swift value a row's column can be read as.
public protocol SQLReadable {
    init?(sqlValue: SQLValue)
}

extension String: SQLBindable, SQLReadable {
    public var sqlValue: SQLValue { .text(self) }
    public init?(sqlValue: SQLValue) {
        switch sqlValue {
        case .text(let s): self = s
        case .integer(let i): self = String(i)
        case .null, .blob: return nil
        }
    }
}

extension Int64: SQLBindable, SQLReadable {
    public var sqlValue: SQLValue { .integer(self) }
    public init?(sqlValue: SQLValue) {
        switch sqlValue {
        case .integer(let i): self = i
        case .text(let s): guard let i = Int64(s) else { return nil }; self = i
        case .null, .blob: return nil
        }
    }
}

extension Int: SQLBindable, SQLReadable {
    public var sqlValue: SQLValue { .integer(Int64(self)) }
    public init?(sqlValue: SQLValue) {
        guard let i = Int64(sqlValue: sqlValue) else { return nil }
        self = Int(i)
    }
}

extension Data: SQLBindable, SQLReadable {
    public var sqlValue: SQLValue { .blob(self) }
    public init?(sqlValue: SQLValue) {
        guard case .blob(let d) = sqlValue else { return nil }
        self = d
    }
}

extension Optional: SQLBindable where Wrapped: SQLBindable {
    public var sqlValue: SQLValue { self?.sqlValue ?? .null }
}

extension Optional: SQLReadable where Wrapped: SQLReadable {
    public init?(sqlValue: SQLValue) {
        self = sqlValue == .null ? .none : Wrapped(sqlValue: sqlValue)
    }
}

/// A value read from one store binds as it is into another (`dudao store copy`).
extension SQLValue: SQLBindable {
    public var sqlValue: SQLValue { self }
}
