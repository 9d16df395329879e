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
        return try ServiceCycle.load(schedules: base.appendingPathComponent("Schedules").path, templates: nil, store: store, logger: Logger(label: "test"))
    }

    @Test func catchUpSendsOnlyTheNewestMissedPerItemAndRuleAndSkipsTheRest() throws {
        let store = try StateStore()
        let c = try cycle(store)
        // Down from 2025-01-03 to 2025-01-16: item 1 (due 2024-12-31) missed its level-1
        // escalations of 01-08 and 01-15.
        _ = try c.wake(now: clock.parse("2025-01-03T10:00:00+08:00")!)
        let back = try c.wake(now: clock.parse("2025-01-16T10:00:00+08:00")!)
        // 01-08 (8 days ago) is past catch_up and skipped; 01-15 (1 day ago) is sent once.
        let sent = try store.entries(state: .sent).filter { $0.agency == "市市场监管局" }
        let keys = Set(sent.flatMap(\.notices).map(\.key))
        #expect(keys.contains("1/m1/overdue-1/2025-01-15"))
        #expect(!keys.contains("1/m1/overdue-1/2025-01-08"))
        #expect(back.skipped > 0)
        #expect(try store.skippedCounts()["1"] != nil, "skips are visible")
        // Nothing is planned twice on the next wake.
        let again = try c.wake(now: clock.parse("2025-01-16T10:05:00+08:00")!)
        #expect(again.enqueued == 0 && again.delivered == 0)
    }

    @Test func onlyTheNewestOfSeveralMissedCopiesOfOneRule() throws {
        let store = try StateStore()
        let c = try cycle(store)
        _ = try c.wake(now: clock.parse("2025-01-01T10:00:00+08:00")!)
        // 8 days down with a 30-day catch_up would still send one level-1 escalation, not two.
        var set = c.set
        set.policy.catchUpSeconds = 30 * 86400
        let wide = ServiceCycle(set: set, store: store, renderer: c.renderer, dispatcher: c.dispatcher, logger: Logger(label: "t"))
        _ = try wide.wake(now: clock.parse("2025-01-17T10:00:00+08:00")!)
        let keys = try store.entries(state: .sent).filter { $0.agency == "市市场监管局" }.flatMap(\.notices).map(\.key)
        let escalations = keys.filter { $0.hasPrefix("1/m1/overdue-1/") }
        #expect(escalations == ["1/m1/overdue-1/2025-01-15"], "\(escalations)")
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
        // Forward again past a due instant: it is planned from where planning stopped.
        let forward = try c.wake(now: clock.parse("2025-01-22T09:00:00+08:00")!)
        #expect(forward.enqueued > 0)
        let keys = try store.entries(state: .sent).filter { $0.agency == "市市场监管局" }.flatMap(\.notices).map(\.key)
        #expect(keys.filter { $0 == "1/m1/overdue-1/2025-01-22" }.count == 1)
        #expect(keys.filter { $0 == "1/m1/overdue-1/2025-01-15" }.count == 1, "sent once, before the jump")
    }
}
