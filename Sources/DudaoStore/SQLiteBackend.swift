import Foundation
import GRDB

/// The state in one SQLite file, through GRDB: the embedded default.
///
/// WAL mode with `synchronous = FULL`: once a write returns, it survives a crash or a power
/// cut, so recording happens before the next message is handed to a transport.
public final class SQLiteBackend: StoreBackend {
    private let db: any DatabaseWriter
    public let location: String
    public var dialect: SQLDialect { .sqlite }
    /// One machine's file, used by one service.
    public var isShared: Bool { false }

    /// Opens (creating if needed) the database file at `path`.
    public init(path: String) throws {
        var config = Configuration()
        config.busyMode = .timeout(10)
        let pool = try DatabasePool(path: path, configuration: config)
        // After the pool is open: opening it in WAL mode sets `synchronous = NORMAL`, which
        // survives a crash but not a power cut.
        try pool.writeWithoutTransaction { try $0.execute(sql: "PRAGMA synchronous = FULL") }
        db = pool
        location = path
    }

    /// A database in memory, for tests.
    public init() throws {
        db = try DatabaseQueue()
        location = ":memory:"
    }

    public func read<T>(_ body: (any StoreTransaction) throws -> T) throws -> T {
        try db.read { try body(Transaction(db: $0)) }
    }

    @discardableResult
    public func write<T>(_ body: (any StoreTransaction) throws -> T) throws -> T {
        try db.write { try body(Transaction(db: $0)) }
    }

    /// GRDB's migrator, so files made before the store had two engines keep their record of
    /// what was applied (`grdb_migrations`).
    public func migrate(_ migrations: [StoreMigration]) throws {
        try Self.migrator(migrations).migrate(db)
    }

    public func appliedMigrations() throws -> [String] {
        try db.read { db in
            guard try db.tableExists("grdb_migrations") else { return [] }
            return try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY rowid")
        }
    }

    private static func migrator(_ migrations: [StoreMigration]) -> DatabaseMigrator {
        var m = DatabaseMigrator()
        for migration in migrations {
            m.registerMigration(migration.name) { db in
                for sql in migration.statements(.sqlite) { try db.execute(sql: sql) }
            }
        }
        return m
    }

    private struct Transaction: StoreTransaction {
        let db: Database

        // The store's SQL is a fixed set of single statements, so each is prepared once per
        // connection and kept: preparing was a fifth of the work of recording a delivery.
        func execute(_ sql: String, _ arguments: [any SQLBindable]) throws -> Int {
            try db.cachedStatement(sql: sql).execute(arguments: Self.arguments(arguments))
            return db.changesCount
        }

        func rows(_ sql: String, _ arguments: [any SQLBindable]) throws -> [StoreRow] {
            let cursor = try Row.fetchCursor(db.cachedStatement(sql: sql), arguments: Self.arguments(arguments))
            var out: [StoreRow] = []
            var columns: [String]? = nil
            while let row = try cursor.next() {
                if columns == nil { columns = Array(row.columnNames) }
                out.append(StoreRow(columns: columns!, values: row.databaseValues.map(Self.value)))
            }
            return out
        }

        private static func arguments(_ values: [any SQLBindable]) -> StatementArguments {
            StatementArguments(values.map { v -> (any DatabaseValueConvertible)? in
                switch v.sqlValue {
                case .null: nil
                case .integer(let i): i
                case .text(let s): s
                case .blob(let d): d
                }
            })
        }

        private static func value(_ v: DatabaseValue) -> SQLValue {
            switch v.storage {
            case .null: .null
            case .int64(let i): .integer(i)
            case .string(let s): .text(s)
            case .double(let d): .integer(Int64(d))
            case .blob(let data): .blob(data)
            }
        }
    }
}
