import Foundation
import Testing
import DudaoTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Two `dudao run` instances on one PostgreSQL database, as on two machines: one leads and
/// sends, the other stands by and takes over when the leader dies or loses its database
/// session. 200 messages are due at once to an SMTP server taking 50 ms a message, over one
/// connection per instance.
@Suite(.serialized) struct FailoverTests {
    init() throws { try ServiceFixture.requireServers() }

    struct Pair {
        let f: ServiceFixture
        let peer: FaultyPeer
        let url: String
        let database: String
        let server: PostgresServer
        var logA: String { f.base.appendingPathComponent("a.log").path }
        var logB: String { f.base.appendingPathComponent("b.log").path }

        init() throws {
            server = try #require(PostgresServer.shared, "PostgreSQL 15 for the tests: \(PostgresServer.unavailableReason)")
            url = try server.database()
            database = String(url.split(separator: "/").last!)
            peer = try FaultyPeer(.smtp, mode: "slow", delay: 0.05)
            f = try ServiceFixture(in: 5, recipients: (0..<200).map { "f\($0)" }, smtpURL: "smtp://127.0.0.1:\(peer.port)", startTLS: "off",
                                   connections: 1)
        }

        func start(_ name: String, notify: NotifyListener? = nil, listen: Int? = nil) throws -> Process {
            try f.start(extraEnv: notify.map { ["NOTIFY_SOCKET": $0.path] } ?? [:],
                        arguments: ["--store", url] + (listen.map { ["--listen", "127.0.0.1:\($0)"] } ?? []),
                        state: f.base.appendingPathComponent("state-\(name)").path, log: name == "a" ? logA : logB)
        }

        func log(_ path: String) -> String { (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }

        /// The recipient of each accepted message, repeats included.
        var delivered: [String] {
            peer.accepted.compactMap { body in
                guard let to = body.split(separator: "\r\n").first(where: { $0.hasPrefix("To:") }),
                      let r = to.range(of: "f[0-9]+-", options: .regularExpression) else { return nil }
                return String(to[r])
            }
        }

        var mostAtOnce: Int {
            Int((try? String(contentsOf: peer.dir.appendingPathComponent("most_at_once"), encoding: .utf8)) ?? "") ?? 0
        }

        /// Starts A, lets it lead, then starts B as its standby: ready for systemd, saying so.
        func startBoth() throws -> (Process, Process) {
            let a = try start("a")
            #expect(ServiceFixture.wait(20) { log(logA).contains("leading") }, "A leads: \(log(logA).suffix(1500))")
            let notify = NotifyListener()
            let port = TestSupport.freePort()
            let b = try start("b", notify: notify, listen: port)
            #expect(ServiceFixture.wait(20) { log(logB).contains("standby") }, "B stands by: \(log(logB).suffix(1500))")
            #expect(ServiceFixture.wait(5) { notify.first("READY=1") != nil && notify.first("STATUS=standby") != nil },
                    "B tells systemd it is ready, as a standby: \(notify.messages.map(\.text))")
            // The standby serves the console and /metrics, from the shared store.
            let metrics = try TestSupport.run("/usr/bin/env", ["python3", "-c",
                "import urllib.request,sys; print(urllib.request.urlopen(sys.argv[1], timeout=10).read().decode())",
                "http://127.0.0.1:\(port)/metrics"])
            #expect(metrics.status == 0 && metrics.out.contains("dudao_outbox"), "\(metrics.out.prefix(500))\(metrics.err)")
            return (a, b)
        }
    }

    @Test func theStandbyTakesOverWhenTheLeaderIsKilledMidBatch() throws {
        let pair = try Pair()
        let (a, b) = try pair.startBoth()
        #expect(ServiceFixture.wait(60) { pair.delivered.count >= 50 }, "A sends: \(pair.log(pair.logA).suffix(1500))")
        kill(a.processIdentifier, SIGKILL)
        a.waitUntilExit()
        let killedAt = Date(), sentByA = Set(pair.delivered).count
        #expect(ServiceFixture.wait(30) { pair.log(pair.logB).contains("leading") }, "B takes over within 30 s: \(pair.log(pair.logB).suffix(1500))")
        print("failover: B leads \(String(format: "%.1f", Date().timeIntervalSince(killedAt))) s after A was killed with \(sentByA) sent")
        #expect(ServiceFixture.wait(90) { Set(pair.delivered).count >= 200 }, "all arrive: \(Set(pair.delivered).count); \(pair.log(pair.logB).suffix(1500))")
        Thread.sleep(forTimeInterval: 1)
        #expect(ServiceFixture.stop(b) == 0)
        let all = pair.delivered
        #expect(Set(all).count == 200 && sentByA < 200, "none lost, and A was killed mid-batch (\(sentByA) sent)")
        #expect(all.count - Set(all).count <= 1, "at most the one message in flight repeats: \(all.count - Set(all).count)")
        #expect(pair.mostAtOnce == 1, "only one instance ever held an SMTP connection")
    }

    @Test func theLeaderWhoseDatabaseSessionEndsStopsAndTheStandbyTakesOver() throws {
        let pair = try Pair()
        let (a, b) = try pair.startBoth()
        #expect(ServiceFixture.wait(60) { pair.delivered.count >= 50 }, "A sends: \(pair.log(pair.logA).suffix(1500))")
        // End the session holding the leader's advisory lock, as a DBA or a failover would.
        let ended = try pair.server.psql("""
            SELECT pg_terminate_backend(l.pid) FROM pg_locks l JOIN pg_database d ON d.oid = l.database
            WHERE l.locktype = 'advisory' AND l.granted AND d.datname = '\(pair.database)'
            """)
        #expect(ended == "t\n", "one leader session ended: \(ended)")
        #expect(ServiceFixture.wait(10) { !a.isRunning }, "A stops at once")
        a.waitUntilExit()
        #expect(a.terminationStatus == 75, "A exits for systemd to restart it as a standby: \(a.terminationStatus)")
        #expect(pair.log(pair.logA).contains("lost the lead"))
        #expect(ServiceFixture.wait(30) { pair.log(pair.logB).contains("leading") }, "B takes over: \(pair.log(pair.logB).suffix(1500))")
        #expect(ServiceFixture.wait(90) { Set(pair.delivered).count >= 200 }, "all arrive: \(Set(pair.delivered).count); \(pair.log(pair.logB).suffix(1500))")
        Thread.sleep(forTimeInterval: 1)
        #expect(ServiceFixture.stop(b) == 0)
        let all = pair.delivered
        #expect(all.count - Set(all).count <= 1, "at most the one message in flight repeats: \(all.count - Set(all).count)")
    }
}
