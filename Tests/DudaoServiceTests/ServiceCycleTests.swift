import Foundation
import Logging
import Testing
@testable import DudaoCore
@testable import DudaoService
@testable import DudaoStore

/// One wake of the service with a fixed clock, the bundled schedules and the file outbox.
struct ServiceCycleTests {
    let clock = LocalClock(timeZone: TimeZone(identifier: "Asia/Shanghai")!)

    /// The bundled Schedules with no channels (messages go to a scratch outbox folder).
    func cycle(_ store: StateStore) throws -> ServiceCycle {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("dudao-cycle-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: ServiceFixture.root.appendingPathComponent("Schedules"), to: base.appendingPathComponent("Schedules"))
        try FileManager.default.copyItem(at: ServiceFixture.root.appendingPathComponent("Templates"), to: base.appendingPathComponent("Templates"))
        try Data("outbox_dir: \(base.appendingPathComponent("outbox").path)\n".utf8).write(to: base.appendingPathComponent("Schedules/channels.yaml"))
        return try ServiceCycle.load(schedules: base.appendingPathComponent("Schedules").path, stateDirectory: base.appendingPathComponent("state").path, templates: nil, store: store, logger: Logger(label: "test"))
    }

    @Test func catchUpSendsOnlyTheNewestMissedAndSkipsWhatIsOlderThanCatchUp() throws {
        let store = try StateStore()
        let c = try cycle(store)
        // Down from 2024-12-20 to 2024-12-31: item 1 (due 2024-12-31) missed its reminders
        // of 12-24 (7 days ahead) and 12-27 (3 days): older than catch_up (3d), skipped.
        // 12-30 (1 day ahead) and today's due-day reminder are sent.
        _ = try c.wake(now: clock.parse("2024-12-20T10:00:00+08:00")!)
        let back = try c.wake(now: clock.parse("2024-12-31T10:00:00+08:00")!)
        let keys = Set(try store.entries(state: .sent).filter { $0.agency == "市市场监管局" }.flatMap(\.notices).map(\.key))
        #expect(keys.contains("1/m1/due/2024-12-31") && keys.contains("1/m1/advance-1/2024-12-30"))
        #expect(!keys.contains("1/m1/advance-7/2024-12-24") && !keys.contains("1/m1/advance-3/2024-12-27"))
        #expect(back.skipped > 0)
        #expect(try store.skippedCounts()["1"] != nil, "skips are visible")
        // The ladder sends this week's message only: item 9 (a year overdue) gets its 核实 of
        // 12-30; the Monday before is not planned at all (nothing claims it was sent).
        #expect(keys.contains("9/m1/verify/2024-12-30") && !keys.contains("9/m1/verify/2024-12-23"))
        // Nothing is planned twice on the next wake.
        let again = try c.wake(now: clock.parse("2024-12-31T10:05:00+08:00")!)
        #expect(again.enqueued == 0 && again.delivered == 0)
    }

    /// A list of due entries read while workers recorded some of them as sent (a wake's
    /// read racing its batches' deliveries) must not send those again.
    @Test func aStaleListOfDueEntriesSendsNothingTwice() throws {
        let store = try StateStore()
        let c = try cycle(store)
        let now = clock.parse("2024-12-31T10:00:00+08:00")!
        let enqueued = try c.enqueue(now: now, from: clock.parse("2024-12-31T00:00:00+08:00")!)
        #expect(enqueued.enqueued > 1)
        // Every transfer the workers make, counted as its outcome is recorded (the outbox
        // folder would not show a repeat: a file of the same name is written over).
        let sent = LockedValue(0)
        let delivery = OutboxDelivery(cycle: c, now: { now }, onEvent: { event in
            if case .recorded(_, .delivered, _) = event { sent.update { $0 += 1 } }
        })
        var stale: [OutboxEntry] = []
        try delivery.submit(reading: {
            stale = try store.due(at: now)
            // While this read is out, another hands the first entries to the workers, which
            // send and record them.
            delivery.submit(reading: { Array(stale.prefix(2)) })
            delivery.waitUntilIdle()
            #expect(sent.value == 2)
            return stale
        })
        delivery.waitUntilIdle()
        #expect(stale.count == enqueued.enqueued)
        #expect(sent.value == stale.count, "each entry sent once")
        #expect(try store.entries(state: .sent).count == stale.count)
    }

    @Test func afterALongDowntimeOnlyTheNewestOverdueMessageIsSent() throws {
        let store = try StateStore()
        let c = try cycle(store)
        _ = try c.wake(now: clock.parse("2025-01-01T10:00:00+08:00")!)
        // A month down with a 30-day catch_up. The ladder does not count messages that were
        // never sent: it goes on from what the records show (the due-day reminder, so no
        // 核实) with this week's message only — one 催办, not a 督办 claiming earlier ones.
        var set = c.set
        set.policy.catchUpSeconds = 30 * 86400
        let wide = ServiceCycle(set: set, store: store, renderer: c.renderer, dispatcher: c.dispatcher, logger: Logger(label: "t"))
        _ = try wide.wake(now: clock.parse("2025-02-05T10:00:00+08:00")!)
        let keys = try store.entries(state: .sent).filter { $0.agency == "市市场监管局" }.flatMap(\.notices).map(\.key)
        #expect(keys.contains("1/m1/due/2024-12-31"))
        let chases = keys.filter { $0.hasPrefix("1/m1/overdue-") || $0.hasPrefix("1/m1/verify/") }
        #expect(chases == ["1/m1/overdue-1/2025-02-03"], "\(chases)")
    }

    @Test func aClockJumpReplansInsteadOfMisfiring() throws {
        let store = try StateStore()
        let c = try cycle(store)
        _ = try c.wake(now: clock.parse("2025-01-15T10:00:00+08:00")!)
        let before = try store.entries().count
        // The clock goes back a week (a bad NTP step): nothing is planned or sent again.
        let back = try c.wake(now: clock.parse("2025-01-08T10:00:00+08:00")!)
        #expect(back.enqueued == 0 && back.delivered == 0)
        #expect(try store.entries().count == before)
        // Forward again past a due instant: it is planned from where planning stopped. The
        // 核实 of 01-13 gave 5 workdays, so the next message is the 催办 of 01-27.
        let forward = try c.wake(now: clock.parse("2025-01-27T10:00:00+08:00")!)
        #expect(forward.enqueued > 0)
        let keys = try store.entries(state: .sent).filter { $0.agency == "市市场监管局" }.flatMap(\.notices).map(\.key)
        #expect(keys.filter { $0 == "1/m1/overdue-1/2025-01-27" }.count == 1, "\(keys.filter { $0.hasPrefix("1/") })")
        #expect(keys.filter { $0 == "1/m1/verify/2025-01-13" }.count == 1, "sent once, before the jump")
        #expect(!keys.contains { $0.hasPrefix("1/m1/") && $0.hasSuffix("2025-01-20") }, "01-20 is inside the reply window")
    }
}
