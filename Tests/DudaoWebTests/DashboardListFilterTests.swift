import Foundation
import Testing
import DudaoCore
import DudaoMessages
import DudaoSchedules
import DudaoStore
import DudaoTestSupport
@testable import DudaoWeb

/// The 台账 filtered by list shows that list's items only.
struct DashboardListFilterTests {
    @Test func filteringByListShowsOnlyItsItems() throws {
        let base = TestSupport.scratch("dudao-lists")
        defer { try? FileManager.default.removeItem(at: base) }
        let dir = base.appendingPathComponent("Schedules")
        try FileManager.default.copyItem(at: TestSupport.root.appendingPathComponent("Schedules"), to: dir)
        try Data("""
            title: 第二批清单
            id_prefix: B
            items:
              - {id: "1", title: 第二批唯一事项, lead: [市财政局], due_text: "2027年6月"}

            """.utf8).write(to: dir.appendingPathComponent("second.yaml"))
        let set = ScheduleSet.load(dir.path)
        #expect(set.diagnostics.errors.isEmpty, "\(set.diagnostics.errors)")
        let desk = OfficeDesk(store: try StateStore(), schedules: { set },
                              templates: try TemplateSet(directory: TestSupport.root.appendingPathComponent("Templates").path))
        let now = Date(timeIntervalSince1970: 1_796_000_000)
        let second = try desk.dashboard(.init(list: "第二批清单"), viewer: Viewer(user: "张三", csrf: "c", role: .clerk), now: now)
        #expect(second.contains("第二批唯一事项"))
        let first = try #require(set.items.first { $0.id != "B1" })
        #expect(!second.contains(first.title), "an item of the other list")
        let all = try desk.dashboard(.init(), viewer: Viewer(user: "张三", csrf: "c", role: .clerk), now: now)
        #expect(all.contains("第二批唯一事项") && all.contains(first.title))
    }

    /// The board is built once and kept, but never shown stale: a report recorded (here or
    /// by another machine) or schedules read again make the next page build it anew.
    @Test func theKeptBoardFollowsTheRecords() throws {
        let dir = TestSupport.root.appendingPathComponent("Schedules")
        let first = ScheduleSet.load(dir.path)
        let current = LockedSet(first)
        let store = try StateStore()
        let desk = OfficeDesk(store: store, schedules: { current.value },
                              templates: try TemplateSet(directory: TestSupport.root.appendingPathComponent("Templates").path))
        let viewer = Viewer(user: "张三", csrf: "c", role: .clerk)
        let now = Date(timeIntervalSince1970: 1_796_000_000)
        let mine = { try desk.dashboard(.init(mine: true), viewer: viewer, now: now) }
        #expect(try mine().contains("待我处理 0"))
        #expect(try mine().contains("待我处理 0"), "kept")
        try store.record(ProgressReport(key: ProgressKey(item: "5", agency: "市市场监管局"), status: .doneReported, by: "x", at: now))
        #expect(try mine().contains("待我处理 1"), "a new report is seen at once")
        var reread = ScheduleSet.load(dir.path)
        reread.items.removeAll { $0.id == "5" }
        current.value = reread
        #expect(try mine().contains("待我处理 0"), "schedules read again are seen at once")

        // After a wake the board is built ahead for an office that is looking: the next
        // page is served from it.
        let builds = desk.boards.builds
        try store.record(ProgressReport(key: ProgressKey(item: "6"), status: .doneReported, by: "x", at: now))
        desk.prepare(now: now)
        #expect(desk.boards.builds == builds + 1)
        _ = try mine()
        #expect(desk.boards.builds == builds + 1, "served from what was built ahead")
    }

    /// 待我处理: only what waits for the office — a report to review, a message that could
    /// not be delivered — and its count at the top.
    @Test func onlyWhatWaitsForTheOffice() throws {
        let dir = TestSupport.root.appendingPathComponent("Schedules")
        let set = ScheduleSet.load(dir.path)
        let store = try StateStore()
        let now = Date(timeIntervalSince1970: 1_796_000_000)
        try store.record(ProgressReport(key: ProgressKey(item: "5", agency: "市市场监管局"), status: .doneReported, by: "市市场监管局", at: now))
        try store.record(ProgressReport(key: ProgressKey(item: "8"), status: .extensionRequested(to: CivilDate(iso: "2027-06-30")!), by: "x", at: now))
        try store.record(ProgressReport(key: ProgressKey(item: "9"), status: .inProgress, by: "x", at: now))
        let desk = OfficeDesk(store: store, schedules: { set },
                              templates: try TemplateSet(directory: TestSupport.root.appendingPathComponent("Templates").path))
        let viewer = Viewer(user: "张三", csrf: "c", role: .clerk)
        let mine = try desk.dashboard(.init(mine: true), viewer: viewer, now: now)
        let ids = try NSRegularExpression(pattern: #"href="/items/([^"]+)""#).matches(in: mine, range: NSRange(mine.startIndex..., in: mine))
            .map { String(mine[Range($0.range(at: 1), in: mine)!]) }
        let leadsOf8 = try #require(set.items.first { $0.id == "8" }).lead.count
        #expect(Set(ids) == ["5", "8"] && ids.count == 1 + leadsOf8, "\(ids)")
        #expect(mine.contains("待我处理 \(1 + leadsOf8)") && mine.contains("name=\"mine\" value=\"1\" checked"))
    }
}
