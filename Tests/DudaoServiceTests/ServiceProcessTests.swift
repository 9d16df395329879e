import Foundation
import DudaoTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The real `dudao run` process against the test SMTP server, with due instants seconds ahead.
@Suite(.serialized) struct ServiceProcessTests {
    init() throws { try ServiceFixture.requireServers() }

    @Test func aReminderFiresOnTimeAndARestartSendsNothingTwice() throws {
        let f = try ServiceFixture(in: 4)
        let p = try f.start()
        #expect(ServiceFixture.wait(15) { f.receivedAt() != nil }, "\(f.log)")
        let at = try #require(f.receivedAt())
        #expect(at.timeIntervalSince(f.instant) > -0.05, "not before its instant")
        #expect(at.timeIntervalSince(f.instant) < 1.0, "within 1 s of its instant: \(at.timeIntervalSince(f.instant)) s")
        #expect(ServiceFixture.stop(p) == 0, "SIGTERM exits 0")
        let again = try f.start()
        Thread.sleep(forTimeInterval: 3)
        #expect(ServiceFixture.stop(again) == 0)
        #expect(f.received().count == 1, "sent once: \(f.received())")
        #expect(f.log.contains("测试局1 via email: delivered"))
    }

    @Test func aRejectedAddressBecomesADeadLetterShownByStatusAndOutbox() throws {
        let f = try ServiceFixture(in: 2, recipients: ["reject"])
        let p = try f.start()
        defer { _ = ServiceFixture.stop(p) }
        #expect(ServiceFixture.wait(15) { (try? f.dudao(["outbox", "--dead"]).out.contains("测试局1")) ?? false }, "\(f.log)")
        let dead = try f.dudao(["outbox", "--dead"])
        #expect(dead.out.contains("550"))
        let status = try f.dudao(["status", "--schedules", f.schedules.path, "--format", "json"])
        let rows = try JSONSerialization.jsonObject(with: Data(status.out.utf8)) as? [[String: Any]]
        #expect(rows?.first?["failures"] as? Int == 1, "\(status.out)")
        #expect(f.received("reject").isEmpty)
    }

    @Test func ackDoneStopsTheReminder() throws {
        let f = try ServiceFixture(in: 5)
        let p = try f.start()
        defer { _ = ServiceFixture.stop(p) }
        Thread.sleep(forTimeInterval: 1)
        let ack = try f.dudao(["ack", "1", "--status", "done", "--by", "测试", "--schedules", f.schedules.path])
        #expect(ack.status == 0, "\(ack.out)")
        Thread.sleep(forTimeInterval: max(0, f.instant.timeIntervalSinceNow) + 2)
        // At the send time the agency hears of the 销号, and of nothing else.
        let received = f.received()
        #expect(received.count == 1, "\(received)")
        let mail = try TestSupport.python(["Tests/Python/email_check.py", (f.mailDir as NSString).appendingPathComponent(received.first ?? "")])
        #expect((mail["subject"] as? String ?? "").hasPrefix("【审核结果】"), "done work gets no reminder, only the decision")
        #expect((mail["text"] as? String ?? "").contains("审核通过，予以销号"))
    }

    @Test func aBrokenScheduleOnSIGHUPKeepsTheOldPlanRunning() throws {
        let f = try ServiceFixture(in: 5)
        let p = try f.start()
        defer { _ = ServiceFixture.stop(p) }
        Thread.sleep(forTimeInterval: 1)
        f.write("policy.yaml", "send_time: noon\n")
        kill(p.processIdentifier, SIGHUP)
        #expect(ServiceFixture.wait(12) { f.receivedAt() != nil }, "\(f.log)")
        #expect(f.log.contains("reload refused"))
        #expect(f.log.contains("policy.yaml:1"))
        #expect(p.isRunning)
    }

    @Test func theSMTPServerDownForAWhileThenBack() throws {
        let port = try freePort()
        // Retry delays have full jitter, so three failures may come within a second, before
        // the server below is up: the circuit's pause must fit the wait below.
        let f = try ServiceFixture(in: 1, smtpURL: "smtp://127.0.0.1:\(port)", circuit: "{failures: 3, pause: 2s, max_pause: 4s}")
        let p = try f.start()
        defer { _ = ServiceFixture.stop(p) }
        #expect(ServiceFixture.wait(10) { f.log.contains("retry in") }, "\(f.log)")
        // Bring a server up on that port, sharing the test servers' mail folder.
        let env = ProcessInfo.processInfo.environment
        let server = Process()
        server.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dudao-late-\(UUID().uuidString)")
        server.arguments = ["python3", ServiceFixture.root.appendingPathComponent("Tests/Servers/smtp_server.py").path,
                            "--dir", env["DUDAO_TEST_SMTP_MAIL_DIR"]!, "--cert", env["DUDAO_TEST_DIR"]! + "/cert.pem",
                            "--key", env["DUDAO_TEST_DIR"]! + "/key.pem", "--password", env["DUDAO_TEST_SMTP_PASSWORD"]!,
                            "--ready", dir.path, "--port", "\(port)"]
        try server.run()
        // SIGKILL: a child of the test process may inherit a blocked SIGTERM.
        defer { kill(server.processIdentifier, SIGKILL); server.waitUntilExit() }
        #expect(ServiceFixture.wait(20) { f.receivedAt() != nil }, "\(f.log)")
        #expect(f.received().count == 1)
    }

    @Test func idleProcessUsesNoCPU() throws {
        let f = try ServiceFixture(in: 3600)
        let p = try f.start()
        defer { _ = ServiceFixture.stop(p) }
        // Start-up (loading, the first wake) is done once two seconds pass without a tick,
        // however busy the machine running the tests is; a service that polled faster than
        // that would never settle, and is measured anyway after 30 s.
        var settled = try cpuTicks(p.processIdentifier)
        let giveUp = Date().addingTimeInterval(30)
        while Date() < giveUp {
            Thread.sleep(forTimeInterval: 2)
            let now = try cpuTicks(p.processIdentifier)
            if now == settled { break }
            settled = now
        }
        let before = try cpuTicks(p.processIdentifier)
        Thread.sleep(forTimeInterval: 20)
        let after = try cpuTicks(p.processIdentifier)
        let ms = Double(after - before) * 1000 / Double(sysconf(Int32(_SC_CLK_TCK)))
        print("idle CPU over 20 s: \(ms) ms")
        #expect(ms < 10, "CPU time grew \(ms) ms in 20 s while idle")
    }

    @Test func sdNotifyReadyStatusWatchdogAndStopping() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("notify-\(UUID().uuidString.prefix(8))").path
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        defer { close(fd); unlink(path) }
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in for (i, b) in path.utf8.enumerated() { raw[i] = b } }
        let bound = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) } }
        #expect(bound == 0)
        var tv = timeval(tv_sec: 0, tv_usec: 200_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        let f = try ServiceFixture(in: 600)
        let p = try f.start(extraEnv: ["NOTIFY_SOCKET": path, "WATCHDOG_USEC": "1000000"])
        var received: [String] = []
        let end = Date().addingTimeInterval(5)
        var buf = [UInt8](repeating: 0, count: 4096)
        while Date() < end, !(received.contains { $0.contains("READY=1") } && received.contains { $0.contains("WATCHDOG=1") }) {
            let n = recv(fd, &buf, buf.count, 0)
            if n > 0 { received.append(String(decoding: buf[0..<n], as: UTF8.self)) }
        }
        #expect(received.contains { $0.contains("READY=1") }, "\(received)")
        #expect(received.contains { $0.contains("STATUS=next wake") })
        #expect(received.contains { $0.contains("WATCHDOG=1") })
        p.terminate()
        let stopEnd = Date().addingTimeInterval(3)
        while Date() < stopEnd, !received.contains(where: { $0.contains("STOPPING=1") }) {
            let n = recv(fd, &buf, buf.count, 0)
            if n > 0 { received.append(String(decoding: buf[0..<n], as: UTF8.self)) }
        }
        p.waitUntilExit()
        #expect(received.contains { $0.contains("STOPPING=1") })
        #expect(p.terminationStatus == 0)
    }

    func cpuTicks(_ pid: Int32) throws -> Int {
        let stat = try String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)
        let fields = stat[stat.range(of: ")")!.upperBound...].split(separator: " ")
        return Int(fields[11])! + Int(fields[12])!   // utime, stime (fields 14 and 15)
    }

    func freePort() throws -> Int { TestSupport.freePort() }
}
