import ArgumentParser
import Foundation
import DudaoCore
import DudaoStore
import DudaoStorePostgres

/// `--state-dir DIR`: the service's local folder (its pid file, the list cache, attached
/// files), and where the SQLite state lives unless `--store` says otherwise. Default:
/// `$STATE_DIRECTORY` (set by systemd's `StateDirectory=`, i.e. /var/lib/dudao), else `var`
/// in the working directory.
///
/// `--store URL` (or `$DUDAO_STORE`): `sqlite:PATH` for a SQLite file elsewhere, or
/// `postgres://USER@HOST:PORT/DATABASE` for one database two instances share.
struct StateOption: ParsableArguments {
    @Option(name: .customLong("state-dir"), help: "State folder (default: $STATE_DIRECTORY, else ./var).")
    var stateDir: String?

    @Option(name: .customLong("store"), help: ArgumentHelp(
        "Where the state is kept: sqlite:PATH, or postgres://USER@HOST:PORT/DB (default: $DUDAO_STORE, else the state folder's dudao.sqlite).",
        discussion: "PostgreSQL's password comes from $DUDAO_STORE_PASSWORD, ?password_file=PATH, or the systemd credential dudao-store-password; ?sslmode=verify-full for TLS."))
    var store: String?

    var directory: String { stateDir ?? ProcessInfo.processInfo.environment["STATE_DIRECTORY"] ?? "var" }

    /// `--store`, else `$DUDAO_STORE`; nil for the state folder's SQLite file.
    private var url: String? {
        store ?? ProcessInfo.processInfo.environment["DUDAO_STORE"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Where the state is, for messages (a password someone put in the URL blanked).
    private var place: String { url.map(PostgresURL.redacted) ?? directory }

    /// Opens (creating) the store, or exits 1 with the reason.
    func open() throws -> StateStore {
        do { return try opener()?() ?? StateStore(directory: directory) } catch {
            Output.error("错误 error: 无法打开状态库 cannot open the state in \(place): \(error)")
            throw ExitCode(1)
        }
    }

    /// What opens the store `--store` names, for the service (which opens it itself); nil
    /// for the state folder's own SQLite file.
    func opener() throws -> (@Sendable () throws -> StateStore)? {
        guard let url else { return nil }
        return try Self.opener(url)
    }

    /// What opens the store at `url` (`sqlite:PATH` or `postgres://…`).
    static func opener(_ url: String) throws -> @Sendable () throws -> StateStore {
        if url.hasPrefix("sqlite:") {
            let path = String(url.dropFirst("sqlite:".count))
            guard !path.isEmpty else { throw StoreURLError(description: "sqlite: 后缺少路径 no path after sqlite: (hint: sqlite:/var/lib/dudao/dudao.sqlite)") }
            return {
                try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent.isEmpty ? "." : (path as NSString).deletingLastPathComponent,
                                                        withIntermediateDirectories: true)
                return try StateStore(backend: SQLiteBackend(path: path))
            }
        }
        if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") {
            let parsed = try PostgresURL(url)
            return { try StateStore(backend: PostgresBackend(url: parsed)) }
        }
        throw StoreURLError(description: "不认识的存储地址 unknown store \(url) (hint: sqlite:PATH or postgres://USER@HOST:PORT/DATABASE)")
    }

    /// Leadership among the instances sharing the store: on PostgreSQL an advisory lock; none
    /// for SQLite, which one machine uses alone.
    func leadership() throws -> (any StoreLeadership)? {
        guard let url, url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") else { return nil }
        return PostgresLeadership(url: try PostgresURL(url))
    }

    /// The store if it exists (read-only commands never create a SQLite file; a PostgreSQL
    /// database is there to be used).
    func existing() throws -> StateStore? {
        if url == nil && !FileManager.default.fileExists(atPath: StateStore.sqlitePath(directory: directory)) { return nil }
        if let url, url.hasPrefix("sqlite:"), !FileManager.default.fileExists(atPath: String(url.dropFirst("sqlite:".count))) { return nil }
        return try open()
    }

    /// The records (reports and what was sent); none without a store.
    func supervision(clock: LocalClock) throws -> Supervision {
        guard let store = try existing() else { return .none }
        return try store.supervision(clock: clock)
    }
}

struct StoreURLError: Error, CustomStringConvertible {
    var description: String
}
