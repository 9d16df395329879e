import Foundation
import Testing
@testable import DudaoCore
@testable import DudaoStore

/// Two instances on one PostgreSQL database: each outbox entry is sent by the one that
/// claimed it. (A SQLite file has one service, which does not claim; the claim works there
/// the same way.)
struct OutboxClaimTests {
    let t = Date(timeIntervalSince1970: 1_735_000_000)

    func entries(_ n: Int) -> [NewOutboxEntry] {
        (0..<n).map { NewOutboxEntry(message: "m\($0)", agency: "A", channel: .email, notices: [NoticeRef(key: "1/m1/due/\($0)", item: "1")], payload: "{}") }
    }

    @Test func anEntryClaimedByOneInstanceWaitsForItsLeaseBeforeAnother() throws {
        let engine = Engine.postgres
        let location = try engine.freshLocation()
        let a = try engine.open(location, instance: "host-a:1:aaaa"), b = try engine.open(location, instance: "host-b:2:bbbb")
        try a.enqueue(entries(2), plannedUntil: t, at: t)
        let due = try a.due(at: t)
        #expect(try a.claim(due[0].id, at: t, lease: 120))
        #expect(try !b.claim(due[0].id, at: t + 60, lease: 120), "A's lease runs")
        #expect(try b.due(at: t + 60).map(\.message) == ["m1"], "B does not hand out what A is sending")
        #expect(try b.nextAttempt(after: t + 60) == t + 120, "B wakes when A's lease ends")
        #expect(try a.claim(due[0].id, at: t + 60, lease: 120), "A may claim again what it holds")
        // A dies without recording: after the lease, B sends it.
        #expect(try b.claim(due[0].id, at: t + 181, lease: 120))
        try b.record([OutboxResult(due[0], .delivered(at: t + 182))])
        #expect(try !a.claim(due[0].id, at: t + 400, lease: 120), "sent: no one claims it again")
        #expect(try a.entries(state: .sent).map(\.message) == ["m0"])
    }

    /// Four instances race for the same entries, each on its own connection: each entry is
    /// claimed exactly once.
    @Test func racingInstancesClaimEachEntryOnce() throws {
        let engine = Engine.postgres
        let location = try engine.freshLocation()
        let stores = try (0..<4).map { try engine.open(location, instance: "host-\($0):\($0):race") }
        try stores[0].enqueue(entries(60), plannedUntil: t, at: t)
        let ids = try stores[0].due(at: t).map(\.id)
        let wins = LockedCounts()
        DispatchQueue.concurrentPerform(iterations: 4) { worker in
            let store = stores[worker]
            for id in ids where (try? store.claim(id, at: t, lease: 120)) == true { wins.add(id, by: store.instance) }
        }
        #expect(wins.claims.count == 60 && wins.claims.values.allSatisfy { $0.count == 1 }, "\(wins.claims.filter { $0.value.count != 1 })")
    }

    @Test func claimsOfAProcessThatEndedOnThisMachineAreReleased() throws {
        let engine = Engine.postgres
        let location = try engine.freshLocation()
        // A child that has exited: its PID is free.
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/bin/true")
        try child.run()
        child.waitUntilExit()
        let ended = try engine.open(location, instance: "\(StoreInstance.host):\(child.processIdentifier):dead")
        let elsewhere = try engine.open(location, instance: "another-machine:\(getpid()):live")
        try ended.enqueue(entries(2), plannedUntil: t, at: t)
        let due = try ended.due(at: t)
        #expect(try ended.claim(due[0].id, at: t, lease: 120) && elsewhere.claim(due[1].id, at: t, lease: 120))
        let me = try engine.open(location)
        #expect(try me.releaseClaimsOfEndedProcesses() == 1)
        #expect(try me.due(at: t + 1).map(\.message) == ["m0"], "the ended process's entry is due again; the other machine's waits")
    }
}

extension OutboxClaimTests {
    /// A claim holds only while the entry is pending and due, on SQLite as well.
    @Test func onSQLiteAClaimHoldsOnlyWhileTheEntryIsDue() throws {
        let store = try Engine.sqlite.store()
        try store.enqueue(entries(2), plannedUntil: t, at: t)
        let due = try store.due(at: t)
        #expect(try store.claim(due[0].id, at: t, lease: 120) && store.claim(due[0].id, at: t, lease: 120))
        try store.record([OutboxResult(due[0], .delivered(at: t))])
        #expect(try !store.claim(due[0].id, at: t, lease: 120), "sent: not claimed")
        try store.record([OutboxResult(due[1], .retry(at: t + 60, error: "x"))])
        #expect(try !store.claim(due[1].id, at: t, lease: 120) && store.claim(due[1].id, at: t + 60, lease: 120), "due again at its retry")
    }
}

final class LockedCounts: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var claims: [Int64: [String]] = [:]
    func add(_ id: Int64, by owner: String) { lock.withLock { claims[id, default: []].append(owner) } }
}
