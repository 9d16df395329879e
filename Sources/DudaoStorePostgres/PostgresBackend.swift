import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO
import DudaoStore

/// The state in a PostgreSQL database that two instances share.
///
/// The store's callers are synchronous (Dispatch queues, delivery threads, web handlers), and
/// postgres-nio is not: each statement is sent on this backend's own one-thread event loop and
/// waited for from the caller's thread, which is never that loop, so waiting cannot deadlock
/// with the console's NIO threads or Swift's cooperative pool.
///
/// One connection, used by one transaction at a time, as SQLite has one writer: an instance's
/// writes commit in the order they were made, which the sent log's `rowid` cursor relies on.
/// A broken connection is dropped and the next transaction opens a new one.
///
/// A statement the server has not answered within `deadline` closes the connection and
/// fails: a server that went silent (a network cut that sends no reset) holds the caller —
/// the service's clock, during a wake — for that long, not until the watchdog.
public final class PostgresBackend: StoreBackend, @unchecked Sendable {
    public let url: PostgresURL
    public var location: String { url.description }
    public var dialect: SQLDialect { .postgres }
    public var isShared: Bool { true }

    private let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    private let logger: Logger
    private let deadline: TimeAmount
    private let lock = NSLock()
    /// Guarded by `lock`.
    private var connection: PostgresConnection?

    /// Connects to `url` (failing now if the server cannot be reached, so a wrong URL is an
    /// error at start, not at the first wake).
    public init(url: PostgresURL, deadline: TimeAmount = .seconds(60), logger: Logger = Logger(label: "dudao.store")) throws {
        self.url = url
        self.logger = logger
        self.deadline = deadline
        do {
            try lock.withLock { _ = try connected() }
        } catch {
            try? group.syncShutdownGracefully()
            throw error
        }
    }

    deinit {
        if let connection { try? connection.close().wait() }
        try? group.syncShutdownGracefully()
    }

    /// Closes the connection; the next transaction opens a new one.
    public func disconnect() {
        lock.withLock {
            if let connection { try? connection.close().wait() }
            connection = nil
        }
    }

    public func read<T>(_ body: (any StoreTransaction) throws -> T) throws -> T {
        try transaction("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY", body)
    }

    @discardableResult
    public func write<T>(_ body: (any StoreTransaction) throws -> T) throws -> T {
        try transaction("BEGIN", body)
    }

    /// Applies what is missing under a transaction-scoped advisory lock, so two instances
    /// starting together migrate once.
    public func migrate(_ migrations: [StoreMigration]) throws {
        try write { t in
            try t.execute("SELECT pg_advisory_xact_lock(\(Self.migrationLock))")
            try t.execute("CREATE TABLE IF NOT EXISTS schema_migrations (identifier TEXT COLLATE \"C\" NOT NULL PRIMARY KEY, position INTEGER NOT NULL)")
            let applied = Set(try t.rows("SELECT identifier FROM schema_migrations", []).map { $0["identifier"] as String })
            for (position, migration) in migrations.enumerated() where !applied.contains(migration.name) {
                for sql in migration.statements(.postgres) { try t.execute(sql) }
                try t.execute("INSERT INTO schema_migrations (identifier, position) VALUES (?, ?)", [migration.name, position])
            }
        }
    }

    public func appliedMigrations() throws -> [String] {
        try read { t in
            try t.rows("SELECT identifier FROM schema_migrations ORDER BY position", []).map { $0["identifier"] }
        }
    }

    /// The advisory lock key migrations hold ("dudao" in ASCII, with a 1 for migrations).
    static let migrationLock: Int64 = 0x6475_6461_6F01

    // MARK: Transactions

    private func transaction<T>(_ begin: String, _ body: (any StoreTransaction) throws -> T) throws -> T {
        try lock.withLock {
            let conn = try connected()
            let t = Transaction(connection: conn, deadline: deadline, logger: logger)
            do {
                try t.execute(begin)
                let value = try body(t)
                try t.execute("COMMIT")
                return value
            } catch {
                if conn.isClosed {
                    connection = nil
                } else if (try? t.execute("ROLLBACK")) == nil {
                    try? conn.close().wait()
                    connection = nil
                }
                throw error
            }
        }
    }

    /// The open connection, or a new one. Called with `lock` held.
    private func connected() throws -> PostgresConnection {
        if let connection, !connection.isClosed { return connection }
        let conn = try Self.connect(url, as: "dudao", on: group.next(), logger: logger)
        connection = conn
        return conn
    }

    /// A new connection to `url`, waited for (ten seconds at most), named `application` in
    /// `pg_stat_activity`; TLS verified against the system's CAs (or the URL's own root)
    /// whenever the URL asks for TLS.
    static func connect(_ url: PostgresURL, as application: String, on loop: any EventLoop, logger: Logger) throws -> PostgresConnection {
        do {
            var tls = PostgresConnection.Configuration.TLS.disable
            if url.tls {
                var config = TLSConfiguration.makeClientConfiguration()
                if let root = url.rootCertificate { config.trustRoots = .file(root) }
                tls = .require(try NIOSSLContext(configuration: config))
            }
            var configuration = PostgresConnection.Configuration(host: url.host, port: url.port, username: url.user,
                                                                 password: url.password, database: url.database, tls: tls)
            configuration.options.connectTimeout = .seconds(10)
            configuration.options.additionalStartupParameters = [("application_name", application)]
            return try PostgresConnection.connect(on: loop, configuration: configuration, id: 1, logger: logger).wait()
        } catch {
            throw PostgresStoreError(description: "无法连接 PostgreSQL cannot connect to \(url): \(String(reflecting: error))")
        }
    }

    private struct Transaction: StoreTransaction {
        let connection: PostgresConnection
        let deadline: TimeAmount
        let logger: Logger

        func execute(_ sql: String, _ arguments: [any SQLBindable]) throws -> Int {
            try run(sql, arguments).metadata.rows ?? 0
        }

        func rows(_ sql: String, _ arguments: [any SQLBindable]) throws -> [StoreRow] {
            let result = try run(sql, arguments)
            guard let first = result.rows.first else { return [] }
            let columns = first.map(\.columnName)
            return result.rows.map { row in StoreRow(columns: columns, values: row.map(Self.value)) }
        }

        private func run(_ sql: String, _ arguments: [any SQLBindable]) throws -> PostgresQueryResult {
            var binds = PostgresBindings(capacity: arguments.count)
            for a in arguments {
                switch a.sqlValue {
                case .null: binds.appendNull()
                case .integer(let i): binds.append(i)
                case .text(let s): binds.append(s)
                case .blob(let d): binds.append(ByteBuffer(bytes: d))
                }
            }
            let query = PostgresQuery(unsafeSQL: PostgresBackend.numbered(sql), binds: binds)
            let connection = connection, expired = NIOLockedValueBox(false)
            let timeout = connection.eventLoop.scheduleTask(in: deadline) {
                expired.withLockedValue { $0 = true }
                connection.close().whenComplete { _ in }
            }
            defer { timeout.cancel() }
            do {
                return try connection.query(query, logger: logger).wait()
            } catch where expired.withLockedValue({ $0 }) {
                throw PostgresStoreError(description: "PostgreSQL 无应答 did not answer within \(deadline.nanoseconds / 1_000_000_000) s; the connection was closed (\(sql.prefix(120)))")
            } catch let error as PSQLError {
                throw PostgresStoreError(description: "PostgreSQL: \(error.serverInfo?[.message] ?? String(describing: error.code)) (\(sql.prefix(120)))")
            }
        }

        private static func value(_ cell: PostgresCell) -> SQLValue {
            guard cell.bytes != nil else { return .null }
            switch cell.dataType {
            case .int2, .int4, .int8, .oid:
                return (try? cell.decode(Int.self)).map { .integer(Int64($0)) } ?? .null
            case .bool:
                return (try? cell.decode(Bool.self)).map { .integer($0 ? 1 : 0) } ?? .null
            case .bytea:
                return (try? cell.decode(ByteBuffer.self)).map { .blob(Data($0.readableBytesView)) } ?? .null
            default:
                return (try? cell.decode(String.self)).map { .text($0) } ?? .null
            }
        }
    }

    /// `sql` with its `?` placeholders numbered `$1`, `$2`, … as PostgreSQL wants; a `?`
    /// inside a quoted literal or name is left alone.
    static func numbered(_ sql: String) -> String {
        var out = ""
        out.reserveCapacity(sql.utf8.count + 8)
        var n = 0
        var quote: Character? = nil
        for c in sql {
            if let q = quote {
                if c == q { quote = nil }
                out.append(c)
            } else if c == "'" || c == "\"" {
                quote = c
                out.append(c)
            } else if c == "?" {
                n += 1
                out += "$\(n)"
            } else {
                out.append(c)
            }
        }
        return out
    }
}

/// A PostgreSQL failure, said without the password.
public struct PostgresStoreError: Error, CustomStringConvertible {
    public var description: String
}
