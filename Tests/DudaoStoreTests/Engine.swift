import Foundation
import Testing
import DudaoStore
import DudaoStorePostgres
import DudaoTestSupport

/// The two engines the store runs on; the store's tests run on each.
enum Engine: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite, postgres

    var testDescription: String { rawValue }

    /// Where a fresh, empty store lives: a state folder, or a new database on the tests' own
    /// PostgreSQL server.
    func freshLocation() throws -> String {
        switch self {
        case .sqlite:
            return FileManager.default.temporaryDirectory.appendingPathComponent("dudao-store-\(UUID().uuidString)").path
        case .postgres:
            let server = try #require(PostgresServer.shared, "PostgreSQL 15 for the tests: \(PostgresServer.unavailableReason)")
            return try server.database()
        }
    }

    /// Opens (creating or migrating) the store at `location`.
    func open(_ location: String, instance: String = StoreInstance.current) throws -> StateStore {
        switch self {
        case .sqlite:
            try FileManager.default.createDirectory(atPath: location, withIntermediateDirectories: true)
            return try StateStore(backend: SQLiteBackend(path: StateStore.sqlitePath(directory: location)), instance: instance)
        case .postgres:
            return try StateStore(backend: PostgresBackend(url: PostgresURL(location, environment: [:])), instance: instance)
        }
    }

    /// A fresh, empty store.
    func store() throws -> StateStore {
        try open(freshLocation())
    }
}
