import Foundation
import DudaoTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The real `dudao run` against peers that hang, drop, babble or refuse, on loopback: the
/// clock keeps its time (READY at once, WATCHDOG=1 every 1.5 s with WATCHDOG_USEC = 3 s),
/// SIGTERM ends it within its bound, nothing is lost, and everything arrives exactly once
/// when the peer recovers.
@Suite struct FaultInjectionTests {
    init() throws { try ServiceFixture.requireServers() }

    static let recipients = (1...4).map { "r\($0)" }
    static let stopTimeout = 3.0

    @Test(arguments: ["hang-connect", "hang-ehlo", "hang-data", "drop-data", "garbage", "tls-fail", "slow"])
    func smtpPeerMisbehaves(_ mode: String) throws {
        let peer = try FaultyPeer(.smtp, mode: mode, delay: 2)
        let scheme = mode == "tls-fail" ? "smtps" : "smtp"
        // Due half a minute ago: the first wake sends at once, so delivery starts with the service.
        let f = try ServiceFixture(in: -30, recipients: Self.recipients, smtpURL: "\(scheme)://127.0.0.1:\(peer.port)", startTLS: "off",
                                   connections: 2, timeout: 3, circuit: "{failures: 2, pause: 2s, max_pause: 4s}")
        // The TLS client recovers when the server speaks TLS again.
        try Self.faultThenRecovery(f, peer: peer, circuitOpens: mode != "slow", healthy: mode == "tls-fail" ? "tls" : "ok") {
            Self.recipients.map { r in peer.accepted.filter { $0.contains("\(r)-\(f.tag)@") }.count }
        }
    }

    @Test(arguments: ["hang", "500", "429", "close"])
    func webhookPeerMisbehavesAndEmailIsNotDelayed(_ mode: String) throws {
        let peer = try FaultyPeer(.http, mode: mode)
        let f = try ServiceFixture(in: -30, recipients: Self.recipients, circuit: "{failures: 2, pause: 2s, max_pause: 4s}",
                                   chat: "{name: robot, type: json, url: \"http://127.0.0.1:\(peer.port)/hook\", timeout: 2}")
        let start = Date()
        try Self.faultThenRecovery(f, peer: peer, circuitOpens: true, whileFaulty: {
            // A robot that hangs or fails never holds up email: every agency's email is in within seconds.
            for r in Self.recipients {
                let at = try #require(f.receivedAt(r), "email to \(r) while the robot fails\n\(f.log)")
                #expect(at.timeIntervalSince(start) < 4, "email to \(r) took \(at.timeIntervalSince(start)) s")
            }
        }) {
            Self.recipients.map { r in peer.accepted.filter { $0.contains("测试局\(r.dropFirst())") }.count }
        }
        #expect(Self.recipients.allSatisfy { f.received($0).count == 1 }, "each email once")
    }

    /// The name does not resolve: the service runs in a mount namespace of its own with a
    /// resolv.conf pointing at a port nobody answers and an /etc/hosts without the name — a
    /// transient failure, kept pending. Then the name is added to that hosts file (written in
    /// place, so the bind mount sees it) and the message goes out.
    @Test(.enabled(if: FaultInjectionTests.canUnshare)) func dnsFailureKeepsMessagesPendingUntilTheNameResolves() throws {
        let peer = try FaultyPeer(.smtp, mode: "ok")
        let dir = TestSupport.scratch("dudao-resolv")
        let resolv = dir.appendingPathComponent("resolv.conf"), hosts = dir.appendingPathComponent("hosts")
        try Data("nameserver 127.0.0.1\noptions timeout:1 attempts:1\n".utf8).write(to: resolv)
        try Data("127.0.0.1 localhost\n".utf8).write(to: hosts)
        let f = try ServiceFixture(in: -30, recipients: ["r1"], smtpURL: "smtp://mail.dudao-test.invalid:\(peer.port)", startTLS: "off",
                                   timeout: 3, circuit: "{failures: 1, pause: 1s, max_pause: 2s}")
        let notify = NotifyListener()
        let start = Date()
        let mounts = "mount --bind \(resolv.path) /etc/resolv.conf && mount --bind \(hosts.path) /etc/hosts"
        let p = try f.start(extraEnv: ["NOTIFY_SOCKET": notify.path, "WATCHDOG_USEC": "3000000"],
                            arguments: ["--stop-timeout", "\(Self.stopTimeout)"],
                            wrapper: ["unshare", "-m", "sh", "-c", "\(mounts) && exec \"$0\" \"$@\""])
        defer { if p.isRunning { p.terminate() } }
        #expect(ServiceFixture.wait(15) { f.log.contains("resolve") && notify.first("READY=1") != nil }, "\(f.log)")
        let ready = try #require(notify.first("READY=1"), "\(f.log)")
        #expect(ready.timeIntervalSince(start) < 3)
        Thread.sleep(forTimeInterval: 2)
        let pending = try f.dudao(["outbox"])
        #expect(pending.out.contains("测试局1") && pending.out.contains("pending"), "kept pending, not dead: \(pending.out)")
        let handle = try FileHandle(forWritingTo: hosts)
        handle.seekToEndOfFile()
        handle.write(Data("127.0.0.1 mail.dudao-test.invalid\n".utf8))
        try handle.close()
        #expect(ServiceFixture.wait(20) { peer.accepted.count == 1 }, "delivered once the name resolves\n\(f.log)")
        let stopAt = Date()
        p.terminate()
        p.waitUntilExit()
        #expect(Date().timeIntervalSince(stopAt) < Self.stopTimeout + 3)
        #expect(p.terminationStatus == 0)
        #expect(notify.longestWatchdogGap(from: ready, to: stopAt) < 2.5)
        #expect(peer.accepted.count == 1)
    }

    static var canUnshare: Bool {
        (try? TestSupport.run("/usr/bin/env", ["unshare", "-m", "true"]).status == 0) ?? false
    }

    /// Runs the service while the peer misbehaves, checks its clock and its stop, then heals
    /// the peer, runs it again and checks every message arrived once (`counts`, per recipient).
    static func faultThenRecovery(_ f: ServiceFixture, peer: FaultyPeer, circuitOpens: Bool, healthy: String = "ok",
                                  whileFaulty: () throws -> Void = {}, counts: () -> [Int]) throws {
        let notify = NotifyListener()
        let start = Date()
        let p = try f.start(extraEnv: ["NOTIFY_SOCKET": notify.path, "WATCHDOG_USEC": "3000000"],
                            arguments: ["--stop-timeout", "\(stopTimeout)"])
        defer { if p.isRunning { p.terminate() } }
        // Delivery starts within the first wake, so the peer may hear from it a moment before READY=1 is sent.
        #expect(ServiceFixture.wait(10) { peer.contacts > 0 && notify.first("READY=1") != nil }, "the peer was contacted\n\(f.log)")
        let ready = try #require(notify.first("READY=1"), "READY=1\n\(f.log)")
        #expect(ready.timeIntervalSince(start) < 3, "READY=1 after \(ready.timeIntervalSince(start)) s, delivery under way or not")
        // Let the fault bite for a while.
        Thread.sleep(forTimeInterval: 5)
        try whileFaulty()
        if circuitOpens {
            let outbox = try f.dudao(["outbox"])
            #expect(outbox.out.contains("渠道暂停 channel paused"), "the paused channel is shown\n\(outbox.out)\n\(f.log)")
        }
        let stopAt = Date()
        kill(p.processIdentifier, SIGTERM)
        p.waitUntilExit()
        let took = Date().timeIntervalSince(stopAt)
        #expect(took < stopTimeout + 3, "SIGTERM took \(took) s with the peer misbehaving\n\(f.log)")
        #expect(p.terminationStatus == 0)
        #expect(notify.first("STOPPING=1") != nil)
        let gap = notify.longestWatchdogGap(from: ready, to: stopAt)
        #expect(gap < 2.5, "watchdog silent for \(gap) s (WatchdogSec 3 s)\n\(f.log)")

        let pending = try f.dudao(["outbox"]).out
        #expect(recipients.allSatisfy { r in pending.contains("测试局\(r.dropFirst())") } || counts().contains { $0 > 0 },
                "kept pending, not given up: \(pending)")
        peer.set(mode: healthy)
        let again = try f.start(arguments: ["--stop-timeout", "\(stopTimeout)"])
        defer { if again.isRunning { again.terminate() } }
        #expect(ServiceFixture.wait(30) { counts().allSatisfy { $0 >= 1 } }, "all delivered after recovery: \(counts())\n\(f.log)")
        Thread.sleep(forTimeInterval: 1)
        kill(again.processIdentifier, SIGTERM)
        again.waitUntilExit()
        #expect(counts().allSatisfy { $0 == 1 }, "each once: \(counts())")
    }
}
