import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A PostgreSQL 15 server of Debian's, started for the tests in a temporary folder on a free
/// loopback port and stopped by its PID when the test process exits. As root it runs as the
/// `postgres` user (the server refuses root). Each test takes its own database from it.
public final class PostgresServer: @unchecked Sendable {
    public let port: Int
    public let pid: pid_t
    public let folder: URL
    private let lock = NSLock()

    /// The server's certificate, to verify it by (`sslrootcert=`).
    public var certificate: String { folder.appendingPathComponent("server.crt").path }

    /// Debian's server programs.
    public static let bin = "/usr/lib/postgresql/15/bin"

    /// The one server of this test process, started on first use; `nil` (with the reason in
    /// `unavailable`) where Debian's postgresql-15 is not installed.
    public static let shared: PostgresServer? = {
        do { return try PostgresServer() } catch {
            unavailableReason = "\(error)"
            return nil
        }
    }()
    nonisolated(unsafe) public static var unavailableReason = ""

    private init() throws {
        guard FileManager.default.isExecutableFile(atPath: "\(Self.bin)/postgres") else {
            throw NSError(domain: "postgres", code: 1, userInfo: [NSLocalizedDescriptionKey: "no \(Self.bin)/postgres: make deps installs postgresql-15"])
        }
        folder = TestSupport.scratch("dudao-pg")
        let data = folder.appendingPathComponent("data").path
        if getuid() == 0 {
            _ = try TestSupport.run("/bin/chown", ["-R", "postgres:postgres", folder.path])
        }
        let initdb = try TestSupport.run("/usr/bin/env", Self.asServerUser(["\(Self.bin)/initdb", "-D", data, "-U", "dudao", "--auth=trust",
                                                                            "--locale=C", "-E", "UTF8", "--no-sync"]))
        guard initdb.status == 0 else {
            throw NSError(domain: "postgres", code: 2, userInfo: [NSLocalizedDescriptionKey: "initdb failed: \(initdb.err)\(initdb.out)"])
        }
        // TLS for the clients that ask (sslmode=verify-full): a self-signed certificate for
        // 127.0.0.1, which is also its own CA (`certificate`).
        let cert = folder.appendingPathComponent("server.crt").path, key = folder.appendingPathComponent("server.key").path
        let openssl = try TestSupport.run("/usr/bin/env", ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                                                           "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
                                                           "-keyout", key, "-out", cert])
        guard openssl.status == 0 else {
            throw NSError(domain: "postgres", code: 5, userInfo: [NSLocalizedDescriptionKey: "openssl: \(openssl.err)"])
        }
        chmod(key, 0o600)
        if getuid() == 0 { _ = try TestSupport.run("/bin/chown", ["postgres:postgres", cert, key]) }
        port = TestSupport.freePort()
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = Self.asServerUser(["\(Self.bin)/postgres", "-D", data, "-p", "\(port)", "-k", folder.path,
                                         "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "max_connections=200",
                                         "-c", "ssl=on", "-c", "ssl_cert_file=\(cert)", "-c", "ssl_key_file=\(key)"])
        p.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        let log = folder.appendingPathComponent("server.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        if getuid() == 0 { _ = try TestSupport.run("/bin/chown", ["postgres:postgres", log.path]) }
        p.standardError = try FileHandle(forWritingTo: log)
        try p.run()
        pid = p.processIdentifier
        let stop = pid
        atexit_servers.append((stop, folder.path))
        if atexit_servers.count == 1 { atexit(stopServers) }
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if (try? TestSupport.run("\(Self.bin)/pg_isready", ["-q", "-h", "127.0.0.1", "-p", "\(port)"]))?.status == 0 { return }
            guard p.isRunning else { break }
            usleep(100_000)
        }
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        throw NSError(domain: "postgres", code: 3, userInfo: [NSLocalizedDescriptionKey: "the server did not start: \(text.suffix(2000))"])
    }

    /// `command` as the `postgres` user when running as root (setpriv execs it, so the PID is
    /// the server's own).
    private static func asServerUser(_ command: [String]) -> [String] {
        getuid() == 0 ? ["setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups", "--"] + command : command
    }

    /// Runs SQL as the superuser `dudao` in database `postgres`.
    @discardableResult
    public func psql(_ sql: String, database: String = "postgres") throws -> String {
        let r = try TestSupport.run("/usr/bin/psql", ["-h", "127.0.0.1", "-p", "\(port)", "-U", "dudao", "-d", database, "-v", "ON_ERROR_STOP=1", "-tA", "-c", sql])
        guard r.status == 0 else {
            throw NSError(domain: "postgres", code: 4, userInfo: [NSLocalizedDescriptionKey: "psql: \(r.err)"])
        }
        return r.out
    }

    /// A new empty database; its URL for `--store`.
    public func database() throws -> String {
        let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
        try psql("CREATE DATABASE \(name)")
        return "postgres://dudao@127.0.0.1:\(port)/\(name)"
    }
}

nonisolated(unsafe) private var atexit_servers: [(pid: pid_t, folder: String)] = []

/// At the test process's exit: a fast shutdown of each server (SIGINT), then its folder goes.
private func stopServers() {
    for server in atexit_servers {
        kill(server.pid, SIGINT)
        for _ in 0..<100 where kill(server.pid, 0) == 0 { usleep(50_000) }
        try? FileManager.default.removeItem(atPath: server.folder)
    }
}
