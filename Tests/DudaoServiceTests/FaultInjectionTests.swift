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
        // A TLS client cannot be healed by a plain server: there, it is enough that nothing was given up.
        try Self.faultThenRecovery(f, peer: peer, circuitOpens: mode != "slow", recovers: mode != "tls-fail") {
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

    /// The resolver answers nothing (an empty resolv.conf in a mount namespace of the
    /// service's own), so the host name cannot be resolved: a transient failure, kept pending.
    @Test(.enabled(if: FaultInjectionTests.canUnshare)) func dnsFailureKeepsMessagesPending() throws {
        let resolv = TestSupport.scratch("dudao-resolv").appendingPathComponent("resolv.conf")
        try Data("nameserver 127.0.0.1\noptions timeout:1 attempts:1\n".utf8).write(to: resolv)
        let f = try ServiceFixture(in: -30, recipients: ["r1"], smtpURL: "smtp://mail.dudao-test.invalid:2525", startTLS: "off",
                                   timeout: 3, circuit: "{failures: 1, pause: 2s, max_pause: 4s}")
        let notify = NotifyListener()
        let start = Date()
        let p = try f.start(extraEnv: ["NOTIFY_SOCKET": notify.path, "WATCHDOG_USEC": "3000000"],
                            arguments: ["--stop-timeout", "\(Self.stopTimeout)"],
                            wrapper: ["unshare", "-m", "sh", "-c", "mount --bind \(resolv.path) /etc/resolv.conf && exec \"$0\" \"$@\""])
        defer { if p.isRunning { p.terminate() } }
        #expect(ServiceFixture.wait(15) { f.log.contains("resolve") && notify.first("READY=1") != nil }, "\(f.log)")
        let ready = try #require(notify.first("READY=1"), "\(f.log)")
        #expect(ready.timeIntervalSince(start) < 3)
        Thread.sleep(forTimeInterval: 3)
        let pending = try f.dudao(["outbox"])
        #expect(pending.out.contains("测试局1") && pending.out.contains("pending"), "kept pending, not dead: \(pending.out)")
        let stopAt = Date()
        p.terminate()
        p.waitUntilExit()
        #expect(Date().timeIntervalSince(stopAt) < Self.stopTimeout + 3)
        #expect(p.terminationStatus == 0)
        #expect(notify.longestWatchdogGap(from: ready, to: stopAt) < 2.5)
    }

    static var canUnshare: Bool {
        (try? TestSupport.run("/usr/bin/env", ["unshare", "-m", "true"]).status == 0) ?? false
    }

    /// Runs the service while the peer misbehaves, checks its clock and its stop, then heals
    /// the peer, runs it again and checks every message arrived once (`counts`, per recipient).
    static func faultThenRecovery(_ f: ServiceFixture, peer: FaultyPeer, circuitOpens: Bool, recovers: Bool = true,
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

        guard recovers else {
            let pending = try f.dudao(["outbox"]).out
            #expect(recipients.allSatisfy { r in pending.contains("测试局\(r.dropFirst())") }, "kept pending: \(pending)")
            return
        }
        peer.set(mode: "ok")
        let again = try f.start(arguments: ["--stop-timeout", "\(stopTimeout)"])
        defer { if again.isRunning { again.terminate() } }
        #expect(ServiceFixture.wait(30) { counts().allSatisfy { $0 >= 1 } }, "all delivered after recovery: \(counts())\n\(f.log)")
        Thread.sleep(forTimeInterval: 1)
        kill(again.processIdentifier, SIGTERM)
        again.waitUntilExit()
        #expect(counts().allSatisfy { $0 == 1 }, "each once: \(counts())")
    }
}
