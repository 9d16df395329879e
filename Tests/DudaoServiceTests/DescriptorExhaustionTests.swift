import Foundation
import Testing
import DudaoTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// A flood of idle connections uses up the process's file descriptors: the watchdog keeps
/// pinging, over the socket opened at start, so systemd does not kill a working service.
@Suite(.serialized)
struct DescriptorExhaustionTests {
    @Test func theWatchdogPingsWithNoDescriptorLeft() throws {
        let f = try ServiceFixture(in: 600)
        let notify = NotifyListener()
        let port = TestSupport.freePort()
        // One address may hold every connection here, so the flood reaches the descriptor limit.
        try Data("web: {max_connections_per_client: 1000}\n".utf8).write(to: f.schedules.appendingPathComponent("dudao.yaml"))
        let p = try f.start(extraEnv: ["NOTIFY_SOCKET": notify.path, "WATCHDOG_USEC": "2000000"],
                            arguments: ["--listen", "127.0.0.1:\(port)"], wrapper: ["prlimit", "--nofile=96:96"])
        defer { if p.isRunning { p.terminate(); p.waitUntilExit() } }
        #expect(ServiceFixture.wait(20) { notify.first("READY=1") != nil && f.log.contains("console listening") }, "\(f.log)")
        let start = Date()
        let flood = try TestSupport.python(["Tests/Python/idle_connections.py", "127.0.0.1", "\(port)", "150", "6"])
        let end = Date()
        #expect((flood["opened"] as? Int ?? 0) >= 96, "the flood took every descriptor: \(flood)")
        #expect(notify.longestWatchdogGap(from: start.addingTimeInterval(0.5), to: end) < 1.6,
                "pings every second, whatever the console's sockets: \(notify.messages.filter { $0.text.contains("WATCHDOG") }.map(\.at))")
        #expect(p.isRunning)
    }

    @Test func theWatchdogPingsThrough2000SlowClients() throws {
        let f = try ServiceFixture(in: 600)
        let notify = NotifyListener()
        let port = TestSupport.freePort()
        let p = try f.start(extraEnv: ["NOTIFY_SOCKET": notify.path, "WATCHDOG_USEC": "2000000"], arguments: ["--listen", "127.0.0.1:\(port)"])
        defer { if p.isRunning { p.terminate(); p.waitUntilExit() } }
        #expect(ServiceFixture.wait(20) { notify.first("READY=1") != nil && f.log.contains("console listening") }, "\(f.log)")
        let start = Date()
        // From 127.0.0.2, each sends a request line, then a header byte every half second, for
        // 14 s: the cap per address (64) holds some, the rest are closed as they come, the held
        // ones after the 10 s header timeout; /healthz, from 127.0.0.1, is answered meanwhile.
        let slow = try TestSupport.python(["Tests/Python/slow_clients.py", "127.0.0.1", "\(port)", "2000", "14"])
        let end = Date()
        #expect(slow["open_at_end"] as? Int == 0, "every slow client was dropped: \(slow["open_at_end"] ?? "?")")
        #expect(try #require(slow["health_worst_ms"] as? Double) < 1000, "/healthz answered within a second")
        #expect(notify.longestWatchdogGap(from: start.addingTimeInterval(0.5), to: end) < 1.6,
                "pings every second: \(notify.messages.filter { $0.text.contains("WATCHDOG") }.map(\.at))")
        #expect(p.isRunning)
    }
}
