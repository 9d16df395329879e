import Foundation
import Testing
import DudaoMessages
import DudaoSchedules
import DudaoStore
import DudaoTestSupport
@testable import DudaoWeb

/// A province's directory and 台账 come a page at a time: 200 agencies or rows a page,
/// found by a name typed, with no link to a page that does not exist.
struct DirectoryPagesTests {
    @Test func aLargeDirectoryIsPagedAndSearched() throws {
        let base = TestSupport.scratch("dudao-directory")
        defer { try? FileManager.default.removeItem(at: base) }
        let dir = base.appendingPathComponent("Schedules")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: TestSupport.root.appendingPathComponent("Schedules/calendar"), to: dir.appendingPathComponent("calendar"))
        var agencies = "agencies:\n"
        for a in 0..<450 { agencies += "  - name: 测试局\(a)\n    aliases: [别名\(a)]\n    contacts: [{name: 联络员, email: a\(a)@example.org}]\n" }
        try Data(agencies.utf8).write(to: dir.appendingPathComponent("agencies.yaml"))
        var list = "title: 压力清单\nitems:\n"
        for i in 1...450 { list += "  - {id: \"\(i)\", title: 事项\(i), lead: [测试局\(i - 1)], due_text: \"2027年6月\"}\n" }
        try Data(list.utf8).write(to: dir.appendingPathComponent("list.yaml"))
        let set = ScheduleSet.load(dir.path)
        #expect(!set.diagnostics.hasErrors, "\(set.diagnostics.errors)")
        let templates = try TemplateSet(directory: TestSupport.root.appendingPathComponent("Templates").path)
        let viewer = Viewer(user: "张三", csrf: "c", role: .clerk)
        let desk = AgencyDesk(store: try StateStore(), templates: templates, schedules: { set })
        func rows(_ html: String) -> Int { html.components(separatedBy: "<tr><td><a href=\"/agencies/").count - 1 }

        let first = try desk.page(viewer: viewer)
        #expect(rows(first) == 200 && first.contains("第1/3页") && !first.contains("上一页") && first.contains("/agencies?page=2"))
        let last = try desk.page(viewer: viewer, page: 99)
        #expect(rows(last) == 50 && last.contains("第3/3页") && !last.contains("下一页"), "a page past the end shows the last")
        let found = try desk.page(viewer: viewer, name: "别名44")
        #expect(rows(found) == 11 && !found.contains("第1/"), "测试局44 and 测试局440…449 by their aliases")

        let office = OfficeDesk(store: try StateStore(), schedules: { set }, templates: templates)
        let board = try office.dashboard(.init(), viewer: viewer, now: Date(timeIntervalSince1970: 1_796_000_000))
        #expect(board.contains("显示450条，第1/3页") && !board.contains("上一页") && board.contains("下一页"), "no link to page 0")
        #expect(board.contains("name=\"agency\" value=\"\" size=\"12\""), "450 agencies are typed, not listed")
    }
}
