import Foundation
import Testing
@testable import DudaoCore
@testable import DudaoMessages

struct TemplateTests {
    @Test func bundledTemplatesLoad() throws {
        _ = try TemplateSet(directory: Support.templates)
    }

    @Test(arguments: [
        (MessagePreview.Kind.advance, 1, "advance", "【督办提醒】“允许对食品自动制售设备等新业态发放食品经营许可”距完成时限还有7天", "2024-12-24"),
        (.due, 1, "due", "【督办提醒】“允许对食品自动制售设备等新业态发放食品经营许可”今日到期", "2024-12-31"),
        (.verify, 0, "verify", "【逾期核实】请于2025年1月9日前核实“允许对食品自动制售设备等新业态发放食品经营许可”的完成情况", "2025-01-02"),
        (.overdue, 1, "overdue-1", "【催办】“允许对食品自动制售设备等新业态发放食品经营许可”已逾期，请于2025年1月7日前书面报送进展", "2025-01-02"),
        (.overdue, 2, "overdue-2", "【督办单】“允许对食品自动制售设备等新业态发放食品经营许可”已逾期，请分管领导督促落实", "2025-02-05"),
        (.overdue, 3, "overdue-3", "【通报预告】“允许对食品自动制售设备等新业态发放食品经营许可”将列入督办通报", "2025-03-03"),
        (.ongoing, 1, "ongoing", "【进展调度】请于2025年1月6日前报送“允许对食品自动制售设备等新业态发放食品经营许可”工作进展", "2024-12-31"),
    ])
    func eachKindRendersItsWording(_ kind: MessagePreview.Kind, _ level: Int, _ template: String, _ subject: String, _ day: String) throws {
        let plan = Support.plan([Support.item("1")], kind, level: level, day: day)
        let rendered = try Support.renderer().render(plan.messages[0], in: plan)
        #expect(rendered.template == template)
        #expect(rendered.subject == subject)
        for part in [rendered.text, rendered.html, rendered.markdown] {
            #expect(part.contains("事项1"))
            #expect(part.contains("允许对食品自动制售设备等新业态发放食品经营许可"))
            if kind == .ongoing {
                // Ongoing work is asked for a month's report by a day: a 报送期, no 完成时限.
                #expect(part.contains("报送期") && part.contains("2024年12月，2025年1月6日前报送") && !part.contains("完成时限"), "\(part)")
            } else {
                #expect(part.contains("2024年12月31日"), "the deadline as a date")
            }
        }
        if kind != .ongoing { #expect(rendered.text.contains("2024年 12月"), "the deadline as written") }
        if kind == .ongoing {
            #expect(!rendered.text.contains("延期") && !rendered.text.contains("完成后及时报送完成情况"), "a report request asks for a report, not completion")
        }
        #expect(rendered.text.contains("配合单位：市金融局等"))
        #expect(rendered.text.contains("1. 出台指导意见。"))
        #expect(rendered.text.contains("duchashi@zhengzhou.example"), "how to report progress")
        #expect(rendered.html.hasPrefix("<!DOCTYPE html>"))
    }

    @Test func digestListsEveryItem() throws {
        let items = [Support.item("1"), Support.item("3", title: "进一步探索完善知识产权市场化定价和交易机制"), Support.item("9", due: "2023-12-31")]
        let plan = Support.plan(items, .digest, level: 2)
        let rendered = try Support.renderer().render(plan.messages[0], in: plan)
        #expect(rendered.template == "digest")
        #expect(rendered.subject == "【督办提醒】市市场监管局共有3项事项需关注（含逾期事项）")
        #expect(rendered.text.contains("【事项3】进一步探索完善知识产权市场化定价和交易机制"))
        #expect(rendered.text.contains("已逾期359天"))
        #expect(rendered.text.contains("距完成时限还有7天"))
        #expect(rendered.text.contains("（并分管领导）"))
    }

    @Test func htmlEscapesItemTextAndTextDoesNot() throws {
        let evil = Support.item("1", title: "<script>alert(1)</script> & “引号”", measures: ["<b>粗</b>"])
        let plan = Support.plan([evil], .advance)
        let rendered = try Support.renderer().render(plan.messages[0], in: plan)
        #expect(!rendered.html.contains("<script>"))
        #expect(rendered.html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp;"))
        #expect(!rendered.html.contains("<b>粗</b>"))
        #expect(rendered.text.contains("<script>alert(1)</script> & “引号”"))
        #expect(rendered.subject.contains("<script>"), "subjects are text, encoded by MIME")
    }

    @Test func syntaxErrorNamesFileAndLine() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dudao-tpl-\(UUID().uuidString)")
        try FileManager.default.copyItem(atPath: Support.templates, toPath: dir.path)
        try Data("{{agency}}：\n\n第二行\n{{#items}}未闭合的区段\n".utf8).write(to: dir.appendingPathComponent("advance/text.mustache"))
        try FileManager.default.removeItem(at: dir.appendingPathComponent("due/markdown.mustache"))
        #expect {
            try TemplateSet(directory: dir.path)
        } throws: { error in
            guard let f = error as? TemplateFailure else { return false }
            let broken = f.problems.first { $0.file.hasSuffix("advance/text.mustache") }
            let missing = f.problems.first { $0.message.contains("due/markdown.mustache") }
            return broken?.line != nil && broken!.message.contains("syntax") && missing != nil
        }
    }

    @Test func renderedEmailParsesInPython() throws {
        let plan = Support.plan([Support.item("1")], .overdue, level: 2, day: "2025-02-05")
        let message = plan.messages[0]
        let rendered = try Support.renderer().render(message, in: plan)
        let composer = EmailComposer(from: Mailbox(name: "市政府督查室", address: "duchashi@zhengzhou.example"),
                                     agencies: Support.agencies, attachCalendar: true)
        let email = try #require(composer.email(for: message, rendered: rendered, in: plan))
        let parsed = try Support.parseWithPython(try email.rfc5322())
        #expect(parsed["subject"] as? String == rendered.subject)
        #expect(parsed["to"] as? [[String]] == [["市市场监管局 联络员", "scjgj@zhengzhou.example"]])
        // 督办 copies the agency's leadership; the office is not copied by default.
        #expect(parsed["cc"] as? [[String]] == [["市市场监管局 分管领导", "scjgj-leader@zhengzhou.example"]])
        #expect(parsed["text"] as? String == rendered.text)
        #expect(parsed["html"] as? String == rendered.html)
        #expect(parsed["calendar_due"] as? String == "2024-12-31")
        #expect(parsed["all_crlf"] as? Bool == true)
    }

    /// Messages state facts: how many reminders preceded, and when, as the sent log shows —
    /// none on a first contact, "多次" wording only after two.
    @Test func remindersSentAreThoseOnRecord() throws {
        let item = Support.item("1")
        let day = CivilDate(iso: "2025-03-03")!
        func render(_ sent: [String]) throws -> RenderedMessage {
            let records = sent.map { SentHistory.Record(agency: "市市场监管局", key: "1/m1/overdue-1/\($0)", day: CivilDate(iso: $0)!, fate: .delivered) }
            let n = Notice(item: 0, milestone: 0, rule: sent.isEmpty ? .verify : .overdue(level: 2), occurrence: day, sendDay: day,
                           due: CivilDate(iso: "2024-12-31")!)
            let plan = Plan(items: [item], notices: [n], policy: Support.policy, supervision: Supervision(history: SentHistory(records: records)))
            return try Support.renderer().render(plan.messages[0], in: plan)
        }
        let first = try render([])
        #expect(first.template == "verify")
        #expect(first.text.contains("此前提醒：本系统此前未就此事项向贵单位发送提醒"))
        #expect(!first.text.contains("多次") && !first.text.contains("经催办"))
        #expect(first.text.contains("请于2025年3月10日前"), "5 workdays to answer")
        let once = try render(["2025-02-17"])
        #expect(once.text.contains("此前提醒：本系统已发送1次（2025年2月17日）"))
        let twice = try render(["2025-02-17", "2025-02-24"])
        #expect(twice.text.contains("此前提醒：本系统已发送2次（首次2025年2月17日，最近2025年2月24日）"))
        #expect(twice.html.contains("本系统已发送2次"))
        #expect(twice.markdown.contains("2次（2025年2月17日至2025年2月24日）"))
    }
}
