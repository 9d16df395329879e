import Foundation
import Testing
@testable import DudaoCore
@testable import DudaoStore

struct StateStoreTests {
    func scratch() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("dudao-store-\(UUID().uuidString)").path
    }

    @Test func reportsKeepTheirHistoryAndTheNewestCounts() throws {
        let store = try StateStore()
        let t = Date(timeIntervalSince1970: 1_735_000_000)
        try store.record(ProgressReport(key: ProgressKey(item: "8"), status: .inProgress, note: "已起草", by: "市财政局 张三", at: t))
        try store.record(ProgressReport(key: ProgressKey(item: "8"), status: .extended(to: CivilDate(iso: "2025-06-30")!), note: "经批准延期", by: "督查室", at: t + 60))
        try store.record(ProgressReport(key: ProgressKey(item: "8", milestone: 1), status: .done, by: "督查室", at: t + 120))
        let history = try store.history(item: "8")
        #expect(history.map(\.status.name) == ["in_progress", "extended", "done"])
        #expect(history[0].note == "已起草" && history[0].by == "市财政局 张三" && history[0].at == t)
        let current = try store.currentStatuses()
        #expect(current[ProgressKey(item: "8")] == .extended(to: CivilDate(iso: "2025-06-30")!))
        #expect(current[ProgressKey(item: "8", milestone: 1)] == .done)
    }

    @Test func stateSurvivesReopeningAndMigrationsAreRecorded() throws {
        let dir = scratch()
        do {
            let store = try StateStore(directory: dir)
            try store.record(ProgressReport(key: ProgressKey(item: "1"), status: .done, by: "x", at: Date()))
            try store.markSent(notices: [(key: "1/m1/due/2024-12-31", item: "1")], agency: "市市场监管局", message: "m", channel: "email", at: Date())
        }
        let reopened = try StateStore(directory: dir)
        #expect(try reopened.currentStatuses()[ProgressKey(item: "1")] == .done)
        #expect(try reopened.sentKeys() == ["市市场监管局|1/m1/due/2024-12-31"])
        #expect(try reopened.appliedMigrations() == ["v1: progress reports and sent log", "v2: outbox with attempts and dead letters; service metadata",
                                                        "v3: indexes for reading recent claims"])
    }

    @Test func markingSentTwiceIsHarmless() throws {
        let store = try StateStore()
        for _ in 0..<2 {
            try store.markSent(notices: [(key: "1/m1/due/2024-12-31", item: "1")], agency: "A", message: "m", channel: "email", at: Date())
        }
        #expect(try store.sentKeys().count == 1)
    }

    @Test func progressAppliesOverTheScheduleFiles() {
        let items = [Item(id: "1", title: "t", lead: ["A"], dueText: "x", milestones: [Milestone(due: CivilDate(iso: "2024-06-30")!, text: "a"),
                                                                                       Milestone(due: CivilDate(iso: "2024-12-31")!, text: "b")])]
        let applied = items.applying([ProgressKey(item: "1", milestone: 2): .done])
        #expect(applied[0].status == .open)
        #expect(applied[0].milestones.map(\.status) == [nil, .done])
    }

    @Test func planLeavesOutWhatWasAlreadySent() {
        let clock = LocalClock(timeZone: TimeZone(identifier: "Asia/Shanghai")!)
        let items = [Item(id: "1", title: "t", lead: ["A", "B"], dueText: "x", milestones: [Milestone(due: CivilDate(iso: "2024-12-31")!, text: "a")])]
        let from = clock.parse("2024-12-31T00:00")!, until = clock.parse("2024-12-31T23:00")!
        let full = Plan(items: items, policy: .default, calendar: .weekdaysOnly, from: from, until: until)
        #expect(full.messages.map(\.to.agency) == ["A", "B"])
        let rest = Plan(items: items, policy: .default, calendar: .weekdaysOnly, from: from, until: until, alreadySent: ["A|1/m1/due/2024-12-31"])
        #expect(rest.messages.map(\.to.agency) == ["B"])
    }
}
