import Foundation
import Testing
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
}
