import Foundation
import Testing
import DudaoTestSupport
@testable import DudaoStore
import DudaoStorePostgres

/// The `dudao` commands with `--store` on the tests' PostgreSQL server.
struct StoreCommandLineTests {
    /// The bundled Schedules, messages written to an outbox folder (no channels configured).
    func schedules() throws -> (schedules: URL, outbox: URL) {
        let root = TestSupport.scratch("dudao-store-cli")
        let dir = root.appendingPathComponent("Schedules")
        try FileManager.default.copyItem(at: TestSupport.root.appendingPathComponent("Schedules"), to: dir)
        try FileManager.default.copyItem(at: TestSupport.root.appendingPathComponent("Templates"), to: root.appendingPathComponent("Templates"))
        let outbox = root.appendingPathComponent("outbox")
        try Data("outbox_dir: \(outbox.path)\n".utf8).write(to: dir.appendingPathComponent("channels.yaml"))
        return (dir, outbox)
    }

    @Test func runOnceKeepsItsStateInPostgreSQL() throws {
        let server = try #require(PostgresServer.shared, "PostgreSQL 15 for the tests: \(PostgresServer.unavailableReason)")
        let url = try server.database()
        let (dir, outbox) = try schedules()
        let stateDir = TestSupport.scratch("dudao-state")
        let args = ["--schedules", dir.path, "--state-dir", stateDir.path, "--store", url, "--now", "2024-12-30T10:00:00+08:00"]
        let first = try TestSupport.run(TestSupport.dudao, ["run", "--once"] + args)
        #expect(first.status == 0, "\(first.err)")
        let files = try FileManager.default.contentsOfDirectory(atPath: outbox.appendingPathComponent("2024-12-30").path)
        #expect(files.filter { $0.hasSuffix(".eml") }.count == 24)
        #expect(!FileManager.default.fileExists(atPath: stateDir.appendingPathComponent("dudao.sqlite").path), "no SQLite file beside PostgreSQL")
        // The sent log is in the database: the outbox table and the sent log hold the 24 messages.
        #expect(try server.psql("SELECT COUNT(*) FROM outbox WHERE state = 'sent'", database: String(url.split(separator: "/").last!)) == "24\n")
        // A second run, through $DUDAO_STORE, finds them sent and sends nothing again.
        let again = try TestSupport.run(TestSupport.dudao, ["run", "--once", "--schedules", dir.path, "--state-dir", stateDir.path,
                                                            "--now", "2024-12-30T11:00:00+08:00"], environment: ["DUDAO_STORE": url])
        #expect(again.status == 0, "\(again.err)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: outbox.appendingPathComponent("2024-12-30").path).count == files.count)
        let listed = try TestSupport.run(TestSupport.dudao, ["outbox", "--all", "--store", url])
        #expect(listed.status == 0 && listed.out.components(separatedBy: " sent ").count - 1 == 24, "\(listed.out)\(listed.err)")
    }

    /// An office moving from one machine's SQLite to the shared PostgreSQL keeps its history:
    /// what was sent is not sent again.
    @Test func anOfficesSQLiteHistoryMovesToPostgreSQL() throws {
        let server = try #require(PostgresServer.shared, "PostgreSQL 15 for the tests: \(PostgresServer.unavailableReason)")
        let (dir, outbox) = try schedules()
        let stateDir = TestSupport.scratch("dudao-state")
        let first = try TestSupport.run(TestSupport.dudao, ["run", "--once", "--schedules", dir.path, "--state-dir", stateDir.path,
                                                            "--now", "2024-12-30T10:00:00+08:00"])
        #expect(first.status == 0, "\(first.err)")
        let url = try server.database()
        let migrated = try TestSupport.run(TestSupport.dudao, ["store", "migrate", "--store", url])
        #expect(migrated.status == 0 && migrated.out.contains("v7: leases on outbox entries being sent"), "\(migrated.out)\(migrated.err)")
        let sqlite = "sqlite:" + stateDir.appendingPathComponent("dudao.sqlite").path
        let copied = try TestSupport.run(TestSupport.dudao, ["store", "copy", "--from", sqlite, "--to", url])
        #expect(copied.status == 0 && copied.out.contains("outbox 24"), "\(copied.out)\(copied.err)")
        let again = try TestSupport.run(TestSupport.dudao, ["run", "--once", "--schedules", dir.path, "--state-dir", TestSupport.scratch("dudao-state").path,
                                                            "--store", url, "--now", "2024-12-30T11:00:00+08:00"])
        #expect(again.status == 0, "\(again.err)")
        let files = try FileManager.default.contentsOfDirectory(atPath: outbox.appendingPathComponent("2024-12-30").path)
        #expect(files.filter { $0.hasSuffix(".eml") }.count == 24, "nothing sent twice after the move")
        let twice = try TestSupport.run(TestSupport.dudao, ["store", "copy", "--from", sqlite, "--to", url])
        #expect(twice.status == 1 && twice.err.contains("already holds state") && twice.err.contains("nothing was copied"), "\(twice.err)")
        let missing = try TestSupport.run(TestSupport.dudao, ["store", "copy", "--from", "sqlite:/nonexistent/dudao.sqlite", "--to", url])
        #expect(missing.status == 1 && missing.err.contains("no store at sqlite:/nonexistent/dudao.sqlite"), "\(missing.err)")
    }

    /// `store:` in dudao.yaml, for the commands run by hand on a VM of a two-machine office.
    @Test func dudaoYamlNamesTheStoreAndABadOneStopsRatherThanFallingBack() throws {
        let server = try #require(PostgresServer.shared, "PostgreSQL 15 for the tests: \(PostgresServer.unavailableReason)")
        let url = try server.database()
        let (dir, _) = try schedules()
        let yaml = dir.appendingPathComponent("dudao.yaml")
        try Data("# the shared state\nstore: \(url)\n".utf8).write(to: yaml)
        let stateDir = TestSupport.scratch("dudao-state")
        let run = try TestSupport.run(TestSupport.dudao, ["run", "--once", "--schedules", dir.path, "--state-dir", stateDir.path,
                                                          "--now", "2024-12-30T10:00:00+08:00"])
        #expect(run.status == 0, "\(run.err)")
        #expect(try server.psql("SELECT COUNT(*) FROM outbox WHERE state = 'sent'", database: String(url.split(separator: "/").last!)) == "24\n")
        #expect(!FileManager.default.fileExists(atPath: stateDir.appendingPathComponent("dudao.sqlite").path))
        // A password in the file: refused with its line, not repeated.
        try Data("web: {link_days: 30}\nstore: postgres://dudao:hunter2x@127.0.0.1:5/x\n".utf8).write(to: yaml)
        let check = try TestSupport.run(TestSupport.dudao, ["check", "--schedules", dir.path, "--state-dir", stateDir.path])
        #expect(check.status == 1 && check.out.contains("dudao.yaml:2") && check.out.contains("must not hold the password"), "\(check.out)")
        #expect(!check.out.contains("hunter2x") && !check.err.contains("hunter2x"))
        let refused = try TestSupport.run(TestSupport.dudao, ["status", "--schedules", dir.path, "--state-dir", stateDir.path])
        #expect(refused.status == 1 && refused.err.contains("dudao.yaml:2") && !refused.err.contains("hunter2x"), "\(refused.err)")
        // A file that does not parse stops the command: never a quiet local SQLite instead.
        try Data("store: [unclosed\n".utf8).write(to: yaml)
        let broken = try TestSupport.run(TestSupport.dudao, ["run", "--once", "--schedules", dir.path, "--state-dir", stateDir.path,
                                                             "--now", "2024-12-30T11:00:00+08:00"])
        #expect(broken.status == 1 && broken.err.contains("dudao.yaml"), "\(broken.err)")
        #expect(!FileManager.default.fileExists(atPath: stateDir.appendingPathComponent("dudao.sqlite").path))
    }

    @Test func aPasswordInTheURLOrAnUnreachableServerIsRefusedClearly() throws {
        let secret = "s3cr3t-\(UUID().uuidString.prefix(6))"
        let withPassword = try TestSupport.run(TestSupport.dudao, ["outbox", "--store", "postgres://dudao:\(secret)@127.0.0.1:5/x"])
        #expect(withPassword.status == 1)
        #expect(withPassword.err.contains("DUDAO_STORE_PASSWORD") && !withPassword.err.contains(secret), "\(withPassword.err)")
        let port = TestSupport.freePort()
        let unreachable = try TestSupport.run(TestSupport.dudao, ["outbox", "--store", "postgres://dudao@127.0.0.1:\(port)/x"],
                                              environment: ["DUDAO_STORE_PASSWORD": secret])
        #expect(unreachable.status == 1)
        #expect(unreachable.err.contains("cannot connect to postgres://dudao@127.0.0.1:\(port)/x") && !unreachable.err.contains(secret), "\(unreachable.err)")
        let unknown = try TestSupport.run(TestSupport.dudao, ["outbox", "--store", "mysql://x@y/z"])
        #expect(unknown.status == 1 && unknown.err.contains("sqlite:PATH or postgres://"), "\(unknown.err)")
    }
}

/// TLS to PostgreSQL: verified always, so a server whose certificate no trusted CA signed
/// is refused.
struct PostgresTLSTests {
    @Test func tlsIsUsedWhenAskedAndTheServerIsVerified() throws {
        let server = try #require(PostgresServer.shared, "PostgreSQL 15 for the tests: \(PostgresServer.unavailableReason)")
        let url = try server.database()
        let verified = try StateStore(backend: PostgresBackend(url: PostgresURL(url + "?sslmode=verify-full&sslrootcert=\(server.certificate)",
                                                                                 environment: [:])))
        let ssl: String? = try verified.backend.read { t in try t.value("SELECT ssl::text FROM pg_stat_ssl WHERE pid = pg_backend_pid()") }
        #expect(ssl == "true", "the session is encrypted")
        let plain = try StateStore(backend: PostgresBackend(url: PostgresURL(url, environment: [:])))
        #expect(try plain.backend.read { t in try t.value("SELECT ssl::text FROM pg_stat_ssl WHERE pid = pg_backend_pid()") as String? } == "false")
        // The system's CAs did not sign the test server's certificate: refused, not trusted.
        #expect { try PostgresBackend(url: PostgresURL(url + "?sslmode=verify-full", environment: [:])) } throws: {
            "\($0)".contains("cannot connect to") && "\($0)".lowercased().contains("certificate")
        }
    }
}

/// A PostgreSQL server that goes silent without closing the connection (a network cut):
/// a statement fails at its deadline instead of holding the caller, and the next one
/// connects again.
struct PostgresDeadlineTests {
    @Test(.timeLimit(.minutes(1))) func aSilentServerFailsAStatementAtItsDeadlineAndTheNextReconnects() throws {
        let server = try #require(PostgresServer.shared, "PostgreSQL 15 for the tests: \(PostgresServer.unavailableReason)")
        let url = try server.database()
        let dir = TestSupport.scratch("dudao-proxy")
        let proxy = Process()
        proxy.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        proxy.arguments = ["python3", TestSupport.root.appendingPathComponent("Tests/Servers/freezing_proxy.py").path,
                           "--target", "\(server.port)", "--dir", dir.path]
        try proxy.run()
        // SIGKILL: a test process may have SIGTERM ignored, and its children inherit that.
        defer { kill(proxy.processIdentifier, SIGKILL); proxy.waitUntilExit() }
        let ready = dir.appendingPathComponent("ready")
        for _ in 0..<100 where !FileManager.default.fileExists(atPath: ready.path) { usleep(50_000) }
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: ready)) as? [String: Any])
        let port = try #require(json["port"] as? Int)
        let viaProxy = url.replacingOccurrences(of: ":\(server.port)/", with: ":\(port)/")
        let store = try StateStore(backend: PostgresBackend(url: PostgresURL(viaProxy, environment: [:]), deadline: .seconds(2)))
        #expect(try store.count(state: .pending) == 0)
        _ = FileManager.default.createFile(atPath: dir.appendingPathComponent("frozen").path, contents: nil)
        let start = Date()
        #expect { try store.count(state: .pending) } throws: { "\($0)".contains("did not answer within 2 s") }
        #expect(Date().timeIntervalSince(start) < 10, "bounded by the deadline: \(Date().timeIntervalSince(start)) s")
        try FileManager.default.removeItem(at: dir.appendingPathComponent("frozen"))
        #expect(try store.count(state: .pending) == 0, "the next statement connects again")
    }
}
