import ArgumentParser
import Foundation
import DudaoCore
import DudaoDelivery
import DudaoSchedules
import DudaoStore
import DudaoStorePostgres

/// `--state-dir DIR`: the service's local folder (its pid file, the list cache, attached
/// files), and where the SQLite state lives unless `--store` says otherwise. Default:
/// `$STATE_DIRECTORY` (set by systemd's `StateDirectory=`, i.e. /var/lib/dudao), else `var`
/// in the working directory.
///
/// `--store URL` (or `$DUDAO_STORE`, or `store:` in dudao.yaml): `sqlite:PATH` for a SQLite
/// file elsewhere, or `postgres://USER@HOST:PORT/DATABASE` for one database two instances share.
struct StateOption: ParsableArguments {
    @Option(name: .customLong("state-dir"), help: "State folder (default: $STATE_DIRECTORY, else ./var).")
    var stateDir: String?

    @Option(name: .customLong("store"), help: ArgumentHelp(
        "Where the state is kept: sqlite:PATH, or postgres://USER@HOST:PORT/DB (default: $DUDAO_STORE, else store: in dudao.yaml, else the state folder's dudao.sqlite).",
        discussion: "PostgreSQL's password comes from $DUDAO_STORE_PASSWORD, ?password_file=PATH, or the systemd credential dudao-store-password; ?sslmode=verify-full for TLS."))
    var store: String?

    var directory: String { stateDir ?? Self.defaultDirectory }

    /// `$STATE_DIRECTORY` (systemd's `StateDirectory=`), else `./var`.
    static var defaultDirectory: String { ProcessInfo.processInfo.environment["STATE_DIRECTORY"] ?? "var" }

    /// `--store`, else `$DUDAO_STORE`, else `store:` in the Schedules folder's dudao.yaml;
    /// nil for the state folder's SQLite file. A dudao.yaml that cannot be read is an error
    /// here, never a quiet fall back to a local file while the office meant a shared one.
    private func url(schedules: String) throws -> String? {
        if let store { return store }
        if let env = ProcessInfo.processInfo.environment["DUDAO_STORE"], !env.isEmpty { return env }
        let (url, diag) = StoreSetting.read(schedules: schedules)
        if diag.hasErrors {
            Output.printDiagnostics(diag.errors)
            throw ExitCode(1)
        }
        return url
    }

    /// Opens (creating) the store, or exits 1 with the reason. `schedules`: the folder whose
    /// dudao.yaml may name the store.
    func open(schedules: String = "Schedules") throws -> StateStore {
        try open(url: url(schedules: schedules))
    }

    private func open(url: String?) throws -> StateStore {
        do { return try url.map { try Self.opener($0)() } ?? StateStore(directory: directory) } catch {
            Output.error("错误 error: 无法打开状态库 cannot open the state in \(url.map(PostgresURL.redacted) ?? directory): \(error)")
            throw ExitCode(1)
        }
    }

    /// What opens the store named by `--store`, `$DUDAO_STORE` or dudao.yaml, for the service
    /// (which opens it itself); nil for the state folder's own SQLite file.
    func opener(schedules: String) throws -> (@Sendable () throws -> StateStore)? {
        try url(schedules: schedules).map { try Self.opener($0) }
    }

    /// What opens the store at `url` (`sqlite:PATH` or `postgres://…`).
    static func opener(_ url: String) throws -> @Sendable () throws -> StateStore {
        if let problem = StoreSetting.problem(url) { throw StoreURLError(description: problem) }
        if let path = StoreSetting.sqlitePath(url) {
            return {
                let folder = (path as NSString).deletingLastPathComponent
                try FileManager.default.createDirectory(atPath: folder.isEmpty ? "." : folder, withIntermediateDirectories: true)
                return try StateStore(backend: SQLiteBackend(path: path))
            }
        }
        let parsed = try PostgresURL(url)
        return { try StateStore(backend: PostgresBackend(url: parsed)) }
    }

    /// Leadership among the instances sharing the store: on PostgreSQL an advisory lock; none
    /// for SQLite, which one machine uses alone.
    func leadership(schedules: String) throws -> (any StoreLeadership)? {
        guard let url = try url(schedules: schedules), StoreSetting.isPostgres(url) else { return nil }
        return PostgresLeadership(url: try PostgresURL(url))
    }

    /// The store if it exists (read-only commands never create a SQLite file; a PostgreSQL
    /// database is there to be used).
    func existing(schedules: String = "Schedules") throws -> StateStore? {
        let url = try url(schedules: schedules)
        // The SQLite file to look for: --store's, the state folder's, or none for PostgreSQL.
        let file: String? = url.map { StoreSetting.sqlitePath($0) } ?? StateStore.sqlitePath(directory: directory)
        if let file, !FileManager.default.fileExists(atPath: file) { return nil }
        return try open(url: url)
    }

    /// The records (reports and what was sent), with what was signed for at `now` as the
    /// service sees it (`sign:` policy); none without a store.
    func supervision(clock: LocalClock, schedules: String, set: ScheduleSet? = nil, now: Date = Date()) throws -> Supervision {
        guard let store = try existing(schedules: schedules) else { return .none }
        guard let set, set.policy.sign != nil else { return try store.supervision(clock: clock) }
        // Who can be followed up: an SMS platform in channels.yaml and a mobile on file.
        let sms = ChannelsFile.read(set).configuration.sms != nil
        let texted = Set(set.agencies.agencies.filter { $0.contacts.contains { $0.mobile.map(Mobile.isValid) ?? false } }.map(\.name))
        return try store.supervision(clock: clock, policy: set.policy, calendar: set.calendar, now: now,
                                     canFollowUp: { sms && texted.contains($0) }).0
    }
}

struct StoreURLError: Error, CustomStringConvertible {
    var description: String
}
