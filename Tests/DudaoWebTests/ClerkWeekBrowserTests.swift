import Foundation
import Testing
import DudaoCore
import DudaoSchedules
import DudaoStore
import DudaoTestSupport

/// A clerk's whole week in headless Chromium (`clerk_week.py`), no shell: a deadline moved
/// by order, a cancellation, a paper reply, the 台账 downloaded and imported back, the
/// report printed to PDF, a sent message found by agency and day. The screenshots in
/// `docs/console/week-*.png` come from here.
@Suite(.serialized) struct ClerkWeekBrowserTests {
    @Test func aClerksWeekInTheBrowser() throws {
        let f = try WebFixture()
        _ = try f.addUser("张三", role: "clerk")
        // Reminders sent on a known day, to be found on 已发送.
        #expect(try f.dudao(["run", "--once", "--now", "2026-11-30T10:00:00+08:00", "--public-url", f.url]).status == 0)
        let server = try f.startServer()
        defer { f.stop(server) }
        let out = TestSupport.root.appendingPathComponent(".build/screenshots").path
        // A deadline the office may set whatever today is: the item pages check "not before today".
        let deadline = WebFixture.later(120)
        let scan = f.base.appendingPathComponent("来函扫描件.pdf")
        try (Data("%PDF-1.4\n".utf8) + Data((0..<2048).map { UInt8($0 % 251) }) + Data("\n%%EOF\n".utf8)).write(to: scan)
        let seen = try TestSupport.python(["Tests/Python/clerk_week.py", f.url, "张三", WebFixture.password, deadline.iso, "2026-11-30", scan.path, out])

        // 调整完成时限: confirmed with what changes, then in force on the item's page.
        let confirm = seen["deadline_confirm"] as? String ?? ""
        #expect(confirm.contains("调整为：\(deadline.chinese)") && confirm.contains("事由：市政府领导批示"), "\(confirm)")
        #expect((seen["deadline_message"] as? String)?.contains("完成时限调整为\(deadline.chinese)") == true, "\(seen["deadline_message"] ?? "")")
        #expect((seen["deadline_standing"] as? String)?.contains(deadline.iso) == true || (seen["deadline_standing"] as? String)?.contains(deadline.chinese) == true,
                "\(seen["deadline_standing"] ?? "")")
        // 撤销: nothing more planned for it.
        #expect((seen["cancel_message"] as? String)?.contains("撤销") == true && (seen["cancel_standing"] as? String)?.contains("已撤销") == true)
        // 代录: the paper reply counts as the agency's answer, with its source and its scan.
        #expect((seen["proxy_confirm"] as? String)?.contains("附件：来函扫描件.pdf") == true, "\(seen["proxy_confirm"] ?? "")")
        #expect(seen["proxy_files"] as? [String] == ["来函扫描件.pdf"], "\(seen["proxy_files"] ?? "")")
        #expect((seen["proxy_reports"] as? String)?.contains("纸质来函") == true && (seen["proxy_standing"] as? String)?.contains("已报送进展") == true,
                "\(seen["proxy_reports"] ?? "")")

        // The 台账 download: Chinese headers, every item, the states just recorded.
        let header = seen["ledger_header"] as? [String] ?? []
        #expect(header.prefix(7) == ["序号", "事项", "主要内容", "具体举措", "牵头单位", "配合单位", "完成时间"] && header.contains("下次提醒"))
        let rows = seen["ledger_rows"] as? [[Any]] ?? []
        #expect(rows.count == 3 && rows.contains { $0[0] as? String == "3" && $0[7] as? String == "已撤销" })
        // …and it imports back as the same items.
        let download = try #require(seen["download"] as? String)
        let back = f.base.appendingPathComponent("Back")
        try FileManager.default.createDirectory(at: back, withIntermediateDirectories: true)
        for name in ["calendar", "agencies.yaml", "policy.yaml"] {
            try FileManager.default.copyItem(at: f.schedules.appendingPathComponent(name), to: back.appendingPathComponent(name))
        }
        #expect(try TestSupport.run(TestSupport.dudao, ["import", download, "-o", back.appendingPathComponent("list.yaml").path]).status == 0)
        let original = ScheduleSet.load(f.schedules.path), again = ScheduleSet.load(back.path)
        #expect(again.items.map { "\($0.id) \($0.lead) \($0.dueText)" } == original.items.map { "\($0.id) \($0.lead) \($0.dueText)" })
        #expect(again.items.dropFirst().map(\.title) == original.items.dropFirst().map(\.title))
        // The fixture's escaping probe: tags in a cell are read as markup, as from a web page.
        #expect(again.items.first?.title == "alert(1)托育")

        // The report page prints: a PDF, without the console's header and filters.
        let report = seen["report"] as? String ?? ""
        #expect(report.contains("督办工作周报") && report.contains("调整完成时限1") && report.contains("撤销1"), "\(report)")
        let pdf = seen["pdf"] as? [String: Any] ?? [:]
        #expect(pdf["magic"] as? String == "%PDF-" && (pdf["pages"] as? Int ?? 0) >= 1, "\(pdf)")
        #expect(seen["print_hides"] as? [String] == ["none", "none"])

        // 已发送: the reminder sent to 市卫健委 on 2026-11-30, and its text as sent.
        let sent = seen["sent_rows"] as? [String] ?? []
        #expect(!sent.isEmpty && sent.allSatisfy { $0.contains("2026年11月30日") && $0.contains("市卫健委") }, "\(sent)")
        #expect((seen["sent_meta"] as? String)?.contains("wjw@zhengzhou.example") == true && (seen["sent_meta"] as? String)?.contains("已发送（尝试1次）") == true,
                "\(seen["sent_meta"] ?? "")")
        #expect((seen["sent_text"] as? String)?.hasPrefix("市卫健委") == true, "\(seen["sent_text"] ?? "")")

        // Every action is in the audit trail under the clerk's name.
        let store = try StateStore(directory: f.state)
        let actions = try store.auditRows(limit: 200).filter { $0.actor == "张三" }.map(\.action)
        #expect(actions.contains(.itemDeadline) && actions.contains(.itemCancel) && actions.contains(.itemProxy) && actions.contains(.export))

        #expect((seen["low_contrast"] as? [[Any]])?.isEmpty == true, "\(seen["low_contrast"] ?? "")")
        let overflow = seen["overflow"] as? [String: Int] ?? [:]
        #expect(overflow.count == 4 && overflow.values.allSatisfy { $0 == 0 }, "no sideways scrolling at 390 px: \(overflow)")
        #expect((seen["console_errors"] as? [String])?.isEmpty == true, "\(seen["console_errors"] ?? "")")
        for shot in ["week-1-deadline-form", "week-1-deadline-confirm", "week-2-deadline-done", "week-3-paper-reply-confirm",
                     "week-4-dashboard", "week-5-report", "week-6-sent", "week-7-sent-message", "week-item-390"] {
            #expect(FileManager.default.fileExists(atPath: out + "/\(shot).png"), "\(shot)")
        }
    }
}
