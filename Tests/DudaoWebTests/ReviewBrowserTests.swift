import Foundation
import Testing
import DudaoCore
import DudaoTestSupport

/// The review queue and the liaison's pages in headless Chromium (`review_browser.py`):
/// Enter decides nothing, errors sit beside their card, every decision is confirmed and can
/// be withdrawn, every text is readable (contrast ≥ 4.5:1), and a phone's 390 px shows the
/// 台账, the receipt and the reopened link. Screenshots land in `.build/screenshots/`.
@Suite(.serialized)
struct ReviewBrowserTests {
    @Test func theOfficeDecidesSafelyAndTheLiaisonSeesItsReports() throws {
        let f = try WebFixture()
        #expect(try f.addUser(role: "admin").status == 0)
        #expect(try f.dudao(["run", "--once", "--now", "2026-11-30T10:00:00+08:00", "--public-url", f.url, "--link-days", "365"]).status == 0)
        let link = try f.liveLink(for: "市卫健委")
        #expect(try f.dudao(["ack", "1", "--agency", "市卫健委", "--status", "done_reported", "--note", "已出台方案", "--now", "2026-12-01T10:00"]).status == 0)
        #expect(try f.dudao(["ack", "2", "--agency", "市卫健委", "--status", "extension_requested", "--due", "2031-06-30",
                             "--note", "需省级审批", "--now", "2026-12-01T10:00"]).status == 0)

        // A long message: the bundled list's 核实 to 市市场监管局 (13 items), its HTML part.
        let bundled = TestSupport.scratch("dudao-digest")
        let schedules = bundled.appendingPathComponent("Schedules")
        try FileManager.default.copyItem(at: TestSupport.root.appendingPathComponent("Schedules"), to: schedules)
        try FileManager.default.copyItem(at: TestSupport.root.appendingPathComponent("Templates"), to: bundled.appendingPathComponent("Templates"))
        try Data("outbox_dir: \(bundled.appendingPathComponent("outbox").path)\n".utf8).write(to: schedules.appendingPathComponent("channels.yaml"))
        #expect(try TestSupport.run(TestSupport.dudao, ["run", "--once", "--schedules", schedules.path, "--state-dir", bundled.appendingPathComponent("state").path,
                                                        "--now", "2026-11-30T10:00:00+08:00", "--public-url", "https://duban.example.gov.cn"]).status == 0)
        let day = bundled.appendingPathComponent("outbox/2026-11-30")
        let eml = try #require(try FileManager.default.contentsOfDirectory(atPath: day.path).first { $0.hasPrefix("市市场监管局") && $0.hasSuffix(".eml") })
        let parsed = try TestSupport.python(["Tests/Python/email_check.py", day.appendingPathComponent(eml).path])
        let digest = bundled.appendingPathComponent("digest.html")
        try Data((parsed["html"] as? String ?? "").utf8).write(to: digest)

        let server = try f.startServer()
        defer { f.stop(server) }
        let next = WebFixture.later(30)
        let out = TestSupport.root.appendingPathComponent(".build/screenshots").path
        let seen = try TestSupport.python(["Tests/Python/review_browser.py", f.url, link, "张三", "正确的口令 Correct horse 9", digest.path, out, next.iso])

        #expect((seen["after_enter_url"] as? String)?.hasSuffix("/review") == true && seen["after_enter_confirm"] as? Int == 0,
                "Enter in the date field decides nothing: \(seen)")
        #expect(seen["after_enter_card"] as? Int == 1 && seen["after_enter_comment"] as? String == "先看看", "the card again, as typed")
        #expect(seen["card_error"] as? String == "不同意延期请填写意见。" && (seen["card_error_class"] as? String)?.contains("card-error") == true)
        #expect(seen["kept_date"] as? String == "2031-09-30" && seen["success_boxes"] as? Int == 0, "the error is no success, and what was typed stays")
        #expect((seen["confirmation"] as? String)?.contains("决定：不同意延期") == true && (seen["confirmation"] as? String)?.contains("意见：请先报送省级审批意见") == true)
        #expect(seen["kept_comment"] as? String == "请先报送省级审批意见", "返回修改 keeps the text")
        #expect((seen["decided"] as? String)?.contains("已记录：事项2（市卫健委）不同意延期") == true && seen["card_2_left"] as? Int == 0)
        #expect((seen["withdraw_confirmation"] as? String)?.contains("撤回：不同意延期") == true)
        #expect((seen["withdrawn"] as? String)?.contains("已撤回：事项2（市卫健委）不同意延期") == true && seen["card_2_back"] as? Int == 1)
        #expect((seen["low_contrast"] as? [[Any]])?.isEmpty == true, "every text ≥ 4.5:1: \(seen["low_contrast"] ?? "")")
        #expect(seen["accounts-390_overflow"] as? Int == 0 && seen["audit-390_overflow"] as? Int == 0,
                "the admin's pages fit a phone, no sideways scrolling: \(seen["accounts-390_overflow"] ?? "") \(seen["audit-390_overflow"] ?? "")")
        #expect((seen["audit_rows"] as? Int ?? 0) >= 4, "the login, decisions and withdrawal are in the trail")
        #expect((seen["title_cell_width"] as? Double ?? 0) >= 150, "titles keep a readable width on a phone")
        let receipt = seen["receipt"] as? String ?? ""
        #expect(receipt.contains("下次报送日期：\(next.chinese)") && !receipt.contains("+08:00"), "\(receipt)")
        #expect((seen["history"] as? String)?.contains("报送进展：已完成方案起草") == true && (seen["history"] as? String)?.contains("报告已完成：已出台方案") == true)
        #expect((seen["receipt_scroll_width"] as? Int ?? 999) <= 400 && (seen["reply_scroll_width"] as? Int ?? 999) <= 400)
        // 签收 on a phone: one button, within the screen, and the page then says so.
        #expect(seen["sign_button"] as? String == "签收" && (seen["sign_button_right"] as? Double ?? 999) <= 390, "\(seen)")
        #expect((seen["signed"] as? String)?.hasPrefix("已签收") == true && (seen["sign_scroll_width"] as? Int ?? 999) <= 400)
        #expect((seen["digest_top"] as? String)?.contains("本次共13项事项") == true, "\(seen["digest_top"] ?? "")")
        #expect((seen["console_errors"] as? [String])?.isEmpty == true, "\(seen["console_errors"] ?? "nil")")
        for shot in ["review-card-390", "receipt-390", "reply-reopened-390", "digest-390"] {
            #expect(FileManager.default.fileExists(atPath: out + "/\(shot).png"))
        }
    }
}
