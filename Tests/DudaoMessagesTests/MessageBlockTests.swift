import Foundation
import Testing
@testable import DudaoCore
@testable import DudaoMessages

/// What one message says about each item: one block per item, whatever meets in it; the
/// reply date only where a reply is due; whole instructions; who to call; a list of the
/// items when there are many; report periods for ongoing work; the deadline after an
/// extension; quotes inside quotes.
struct MessageBlockTests {
    static let agency = "市市场监管局"
    static let day = CivilDate(iso: "2026-12-07")!

    /// An item with two milestones (2026-06-30 overdue, 2027-01-06 ahead) and ongoing work.
    static func item(_ id: String, title: String = "完善不动产登记“带押过户”机制") -> Item {
        Item(id: id, title: title, lead: [agency], dueText: "2026年6月底前出台办法；2027年1月6日前全面推开", ongoing: true,
             milestones: [Milestone(due: CivilDate(iso: "2026-06-30")!, text: "2026年6月底前出台办法"),
                          Milestone(due: CivilDate(iso: "2027-01-06")!, text: "2027年1月6日前全面推开")])
    }

    /// The notice of `rule` about item `index` on `day`; decisions and the ladder on the first
    /// milestone, reminders ahead on the second, requests on the ongoing work.
    static func notice(_ rule: Notice.Rule, item index: Int32) -> Notice {
        switch rule {
        case .advance(let d):
            let due = CivilDate(iso: "2027-01-06")!
            return Notice(item: index, milestone: 1, rule: rule, occurrence: due.adding(days: -d), sendDay: day, due: due)
        case .due:
            return Notice(item: index, milestone: 1, rule: rule, occurrence: day, sendDay: day, due: day)
        case .progress:
            return Notice(item: index, milestone: -1, rule: rule, occurrence: CivilDate(iso: "2026-12-05")!, sendDay: day,
                          due: CivilDate(iso: "2026-12-07")!)
        case .decision:
            return Notice(item: index, milestone: 0, rule: rule, occurrence: CivilDate(iso: "2026-12-04")!, sendDay: day,
                          due: CivilDate(iso: "2026-06-30")!)
        default:
            return Notice(item: index, milestone: 0, rule: rule, occurrence: day, sendDay: day, due: CivilDate(iso: "2026-06-30")!)
        }
    }

    /// The office returned the done report of every item's first milestone on 12-04.
    static func supervision(_ items: [Item]) -> Supervision {
        let at = Support.clock.parse("2026-12-04T15:00:00+08:00")!
        let reports = items.flatMap { item in [
            ProgressReport(key: ProgressKey(item: item.id, milestone: 1, agency: agency), status: .doneReported, note: "已完成",
                           by: agency, at: at.addingTimeInterval(-86400)),
            ProgressReport(key: ProgressKey(item: item.id, milestone: 1, agency: agency), status: .open, note: "请补充佐证材料",
                           by: "督查室·张三", at: at),
        ] }
        return Supervision(standings: Standings(reports: reports))
    }

    static func renderer(contact: Contact? = nil) throws -> MessageRenderer {
        MessageRenderer(templates: try TemplateSet(directory: Support.templates),
                        context: MessageContext(office: "市政府督查室", replyLinks: Links(), contact: contact))
    }

    struct Links: ReplyLinking {
        func link(agency: String, items: [String], sent: CivilDate) -> String { "https://duban.example/r/TOKEN" }
    }

    static let kinds: [Notice.Rule] = [.advance(days: 30), .due, .verify, .overdue(level: 1), .overdue(level: 2), .progress, .decision]

    /// Every pair of kinds that can meet in one message about one item: one block, whose
    /// state says the decision and whose level line says what is asked now.
    @Test(arguments: kinds.indices.flatMap { a in kinds.indices.filter { $0 > a }.map { (a, $0) } })
    func twoKindsAboutOneItemAreOneBlock(_ pair: (Int, Int)) throws {
        let (a, b) = (Self.kinds[pair.0], Self.kinds[pair.1])
        let items = [Self.item("B5"), Self.item("7", title: "另一事项")]
        let notices = [Self.notice(a, item: 0), Self.notice(b, item: 0), Self.notice(.overdue(level: 1), item: 1)]
        let plan = Plan(items: items, notices: notices, policy: Support.policy, supervision: Self.supervision(items))
        #expect(plan.messages.count == 1)
        let rendered = try Self.renderer().render(plan.messages[0], in: plan)
        let text = rendered.text
        #expect(text.components(separatedBy: "【事项B5】").count == 2, "\(a.name)+\(b.name): B5 once\n\(text)")
        #expect(rendered.html.components(separatedBy: "事项B5：").count == 2)
        #expect(rendered.markdown.components(separatedBy: "**事项B5：").count == 2)
        #expect(rendered.subject.contains("2项") || rendered.template != "digest", "\(rendered.subject)")
        let block = String(text[text.range(of: "【事项B5】")!.upperBound...].prefix { $0 != "【" })
        if a == .decision || b == .decision {
            #expect(block.contains("当前状态：市政府督查室2026年12月4日审核意见：退回，请继续办理；请补充佐证材料"), "\(block)")
        }
        let ladder = [a, b].compactMap { $0.ladderStep }.max { $0.number < $1.number }
        if let ladder {
            #expect(block.contains("督办等级：" + Labels.step(ladder, ladder: Support.policy.ladder)), "\(block)")
            #expect(block.contains("回复时限："), "a reply is due")
        } else if a != .progress && b != .progress {
            #expect(!block.contains("回复时限"), "nothing asked, no reply date: \(block)")
        }
    }

    @Test func aReminderAheadGetsNoReplyDateInAMixedDigest() throws {
        let items = [Self.item("B5"), Self.item("7")]
        let plan = Plan(items: items, notices: [Self.notice(.advance(days: 30), item: 0), Self.notice(.verify, item: 1)],
                        policy: Support.policy)
        let text = try Self.renderer().render(plan.messages[0], in: plan).text
        let b5 = String(text[text.range(of: "【事项B5】")!.lowerBound..<text.range(of: "【事项7】")!.lowerBound])
        #expect(!b5.contains("回复时限"), "B5 is not due yet: \(b5)")
        // The 核实 instructions, whole, in a digest too.
        #expect(text.contains("请于2026年12月14日前向市政府督查室书面核实报告：已完成的，报送完成情况及佐证材料；尚未完成的，说明原因、下一步工作计划及预计完成时间。"), "\(text)")
    }

    @Test func everyMessageSaysWhoToCallAndThatTheFormCounts() throws {
        let contact = Contact(name: "张三", email: "duchashi@zhengzhou.example", phone: "0371-67180000")
        let items = [Self.item("B5")]
        for rule: Notice.Rule in [.advance(days: 30), .verify, .overdue(level: 2), .progress, .decision] {
            let plan = Plan(items: items, notices: [Self.notice(rule, item: 0)], policy: Support.policy, supervision: Self.supervision(items))
            let r = try Self.renderer(contact: contact).render(plan.messages[0], in: plan)
            for part in [r.text, r.html, r.markdown] {
                #expect(part.contains("张三") && part.contains("0371-67180000"), "\(rule.name): the office's contact\n\(part)")
                #expect(!part.contains("请勿转发"), "the link may be passed within the agency")
            }
            #expect(r.text.contains("本链接仅限本单位使用"))
            if rule != .decision { #expect(r.text.contains("书面报送可通过下方链接在线办理")) }
        }
    }

    @Test func manyItemsOpenWithTheirListAndTheLink() throws {
        let items = (1...5).map { Self.item("\($0)", title: "事项标题\($0)") }
        let plan = Plan(items: items, notices: items.indices.map { Self.notice(.overdue(level: 1), item: Int32($0)) }, policy: Support.policy)
        let r = try Self.renderer().render(plan.messages[0], in: plan)
        let head = r.text[..<r.text.range(of: "【事项1】")!.lowerBound]
        #expect(head.contains("本次共5项事项") && head.contains("事项5 事项标题5（红灯，催办）"), "\(head)")
        #expect(head.contains("https://duban.example/r/TOKEN"), "the reply link at the top too")
        #expect(r.html[..<r.html.range(of: "事项1：")!.lowerBound].contains("https://duban.example/r/TOKEN"))
        let three = Plan(items: items, notices: (0..<3).map { Self.notice(.overdue(level: 1), item: Int32($0)) }, policy: Support.policy)
        #expect(!(try Self.renderer().render(three.messages[0], in: three).text.contains("本次共")), "three items need no list")
    }

    @Test func aMonthlyRequestNamesItsPeriodNotADeadline() throws {
        let items = [Self.item("B5")]
        let plan = Plan(items: items, notices: [Self.notice(.progress, item: 0)], policy: Support.policy)
        let r = try Self.renderer().render(plan.messages[0], in: plan)
        #expect(r.text.contains("报送期：2026年11月，2026年12月7日前报送"), "\(r.text)")
        #expect(!r.text.contains("完成时限") && !r.text.contains("延期") && !r.text.contains("完成后及时报送完成情况"))
        #expect(r.text.contains("请按时报送工作进展"))
    }

    @Test func anExtendedDeadlineSaysWhatItWasAndWhatItIs() throws {
        var items = [Self.item("20")]
        items[0].milestones = [Milestone(due: CivilDate(iso: "2023-12-31")!, text: "2023年 12月")]
        items[0].ongoing = false
        let granted = ProgressReport(key: ProgressKey(item: "20", agency: Self.agency), status: .extended(to: CivilDate(iso: "2027-02-28")!),
                                     by: "督查室·张三", at: Support.clock.parse("2026-12-04T15:00:00+08:00")!)
        let supervision = Supervision(standings: Standings(reports: [granted]))
        let n = Notice(item: 0, milestone: 0, rule: .advance(days: 30), occurrence: CivilDate(iso: "2027-01-29")!,
                       sendDay: CivilDate(iso: "2027-01-29")!, due: CivilDate(iso: "2027-02-28")!)
        let plan = Plan(items: items, notices: [n], policy: Support.policy, supervision: supervision)
        let text = try Self.renderer().render(plan.messages[0], in: plan).text
        #expect(text.contains("完成时限：原定2023年12月，已延期至2027年2月28日"), "\(text)")
        #expect(!text.contains("2023年 12月（2027年2月28日）"))
    }

    @Test func aTitleWithQuotesNestsThemInASubject() throws {
        let items = [Self.item("9")]
        let plan = Plan(items: items, notices: [Self.notice(.overdue(level: 1), item: 0)], policy: Support.policy)
        let r = try Self.renderer().render(plan.messages[0], in: plan)
        #expect(r.subject.contains("“完善不动产登记‘带押过户’机制”"), "\(r.subject)")
        #expect(Labels.insideQuotes("在\"双随机\"下") == "在‘双随机’下")
    }
}
