import Testing
@testable import DudaoCore

private func d(_ s: String) -> CivilDate { CivilDate(iso: s)! }

/// Every phrase of DESIGN.md's deadline table, and the variants lists really use.
struct DeadlineParserTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let text: String
        let due: [String]
        var start: String? = nil
        var ongoing = false
        var year: Int? = nil
        var testDescription: String { text }
    }

    static let cases: [Case] = [
        // End of a month.
        Case(text: "2024年12月", due: ["2024-12-31"]),
        Case(text: "2024年 12月", due: ["2024-12-31"]),
        Case(text: "2024年12月底", due: ["2024-12-31"]),
        Case(text: "2024年12月底前", due: ["2024-12-31"]),
        Case(text: "2024年12月底(前)", due: ["2024-12-31"]),
        Case(text: "2024年12月底（前）", due: ["2024-12-31"]),
        Case(text: "2024年12月前", due: ["2024-12-31"]),
        Case(text: "2024年12月末", due: ["2024-12-31"]),
        Case(text: "2024年11月份", due: ["2024-11-30"]),
        Case(text: " 2024年6月底前完成 ", due: ["2024-06-30"]),
        // End of a day.
        Case(text: "2024年9月30日", due: ["2024-09-30"]),
        Case(text: "2024年9月30日前", due: ["2024-09-30"]),
        Case(text: "2024年9月30日(前)", due: ["2024-09-30"]),
        Case(text: "2024年9月30号", due: ["2024-09-30"]),
        // End of a year.
        Case(text: "2024年底", due: ["2024-12-31"]),
        Case(text: "2024年底前", due: ["2024-12-31"]),
        Case(text: "2024年底(前)", due: ["2024-12-31"]),
        Case(text: "2024年年底", due: ["2024-12-31"]),
        Case(text: "2024年末", due: ["2024-12-31"]),
        Case(text: "2024年", due: ["2024-12-31"]),
        Case(text: "2024年内", due: ["2024-12-31"]),
        Case(text: "2024年度", due: ["2024-12-31"]),
        // Halves, mid-year, quarters, ten-day periods.
        Case(text: "2024年上半年", due: ["2024-06-30"]),
        Case(text: "2024年下半年", due: ["2024-12-31"]),
        Case(text: "2024年年中", due: ["2024-06-30"]),
        Case(text: "2024年第三季度", due: ["2024-09-30"]),
        Case(text: "2024年三季度", due: ["2024-09-30"]),
        Case(text: "2024年Q3", due: ["2024-09-30"]),
        Case(text: "2024年第一季度末", due: ["2024-03-31"]),
        Case(text: "2024年第2季度", due: ["2024-06-30"]),
        Case(text: "2024年四季度前", due: ["2024-12-31"]),
        Case(text: "2024年6月上旬", due: ["2024-06-10"]),
        Case(text: "2024年6月中旬", due: ["2024-06-20"]),
        Case(text: "2024年2月下旬", due: ["2024-02-29"]),
        // Windows: due at their end.
        Case(text: "2024年3月—6月", due: ["2024-06-30"], start: "2024-03-01"),
        Case(text: "2024年3月——6月", due: ["2024-06-30"], start: "2024-03-01"),
        Case(text: "2024年3月至6月", due: ["2024-06-30"], start: "2024-03-01"),
        Case(text: "2024年3月-2025年6月", due: ["2025-06-30"], start: "2024-03-01"),
        Case(text: "2024年3月1日至9月15日", due: ["2024-09-15"], start: "2024-03-01"),
        Case(text: "2024年3月至年底", due: ["2024-12-31"], start: "2024-03-01"),
        // Ongoing.
        Case(text: "持续推进", due: [], ongoing: true),
        Case(text: "长期坚持", due: [], ongoing: true),
        Case(text: "长期", due: [], ongoing: true),
        Case(text: "常态化", due: [], ongoing: true),
        Case(text: "持续开展", due: [], ongoing: true),
        Case(text: "持续推进。", due: [], ongoing: true),
        // Several clauses.
        Case(text: "2023年12月底前出台办法；2024年6月底前全面推开", due: ["2023-12-31", "2024-06-30"]),
        Case(text: "2023年12月底前完成试点;2024年6月底前完成推广;2024年底前总结", due: ["2023-12-31", "2024-06-30", "2024-12-31"]),
        Case(text: "2023年12月底前出台办法\n2024年6月底前全面推开", due: ["2023-12-31", "2024-06-30"]),
        Case(text: "2024年底前完成，此后持续推进", due: ["2024-12-31"], ongoing: true),
        // Full-width digits and Chinese numerals.
        Case(text: "２０２４年１２月", due: ["2024-12-31"]),
        Case(text: "二〇二四年十二月", due: ["2024-12-31"]),
        Case(text: "二〇二四年九月三十日", due: ["2024-09-30"]),
        Case(text: "二〇二五年十月", due: ["2025-10-31"]),
        Case(text: "二〇二四年第四季度", due: ["2024-12-31"]),
        // Leap years.
        Case(text: "2024年2月", due: ["2024-02-29"]),
        Case(text: "2023年2月", due: ["2023-02-28"]),
        Case(text: "2000年2月", due: ["2000-02-29"]),
        Case(text: "2100年2月底", due: ["2100-02-28"]),
        Case(text: "二〇二四年二月二十九日", due: ["2024-02-29"]),
        // Labels and verbs.
        Case(text: "完成时限：2024年底", due: ["2024-12-31"]),
        Case(text: "时限：2024年6月", due: ["2024-06-30"]),
        Case(text: "于2024年9月30日前完成", due: ["2024-09-30"]),
        Case(text: "力争2024年底前完成", due: ["2024-12-31"]),
        Case(text: "2024年12月前完成", due: ["2024-12-31"]),
        // Excel's date cells.
        Case(text: "2024-12-31", due: ["2024-12-31"]),
        Case(text: "2024/9/30", due: ["2024-09-30"]),
        Case(text: "2024.12", due: ["2024-12-31"]),
        Case(text: "2024.3-2024.6", due: ["2024-06-30"], start: "2024-03-01"),
        // Year-less phrases take the default year.
        Case(text: "6月底前", due: ["2024-06-30"], year: 2024),
        Case(text: "年底前", due: ["2024-12-31"], year: 2024),
        Case(text: "年底", due: ["2025-12-31"], year: 2025),
        Case(text: "11月30日前", due: ["2024-11-30"], year: 2024),
        Case(text: "上半年", due: ["2024-06-30"], year: 2024),
        Case(text: "三季度", due: ["2024-09-30"], year: 2024),
        Case(text: "2月底前", due: ["2024-02-29"], year: 2024),
        Case(text: "3月至6月", due: ["2024-06-30"], start: "2024-03-01", year: 2024),
        Case(text: "今年年底前", due: ["2024-12-31"], year: 2024),
        Case(text: "2025年6月底前", due: ["2025-06-30"], year: 2024),
        // A year written once in a cell carries to its later year-less clauses, before the
        // list title's year does.
        Case(text: "2024年6月底前出台方案，12月底前全面完成", due: ["2024-06-30", "2024-12-31"], year: 2025),
        Case(text: "2024年6月底前出台方案，12月底前全面完成", due: ["2024-06-30", "2024-12-31"]),
        Case(text: "2024年3月-2025年6月试点；9月底前验收", due: ["2025-06-30", "2025-09-30"], start: "2024-03-01", year: 2023),
        Case(text: "6月底前出台方案，2025年底前全面完成", due: ["2024-06-30", "2025-12-31"], year: 2024),
        Case(text: "2023年底前完成试点；2024年6月底前推广；年底前总结", due: ["2023-12-31", "2024-06-30", "2024-12-31"], year: 2025),
        // A period followed by the work due then is a milestone.
        Case(text: "2024年上半年完成，下半年总结推广", due: ["2024-06-30", "2024-12-31"], year: 2025),
        Case(text: "2025年3月出台实施方案", due: ["2025-03-31"]),
        Case(text: "2025年第一季度启动，第三季度基本建成", due: ["2025-03-31", "2025-09-30"]),
        // Phrasings from lists other cities published (task-division tables of 政府工作报告
        // and 营商环境 plans): ranges of whole years, a start date before an ongoing phrase,
        // a deadline with its work and an ongoing tail.
        Case(text: "2024—2025年", due: ["2025-12-31"], start: "2024-01-01"),
        Case(text: "2024年至2025年", due: ["2025-12-31"], start: "2024-01-01"),
        Case(text: "2024年4月起持续推进", due: [], ongoing: true),
        Case(text: "2024年起，长期坚持", due: [], ongoing: true),
        Case(text: "2022年10月底前编制并公布", due: ["2022-10-31"]),
        Case(text: "2024年6月底前完成，长期坚持", due: ["2024-06-30"], ongoing: true),
        Case(text: "2023年3月底前启动，年底前完成", due: ["2023-03-31", "2023-12-31"], year: 2024),
        Case(text: "2024年二季度末", due: ["2024-06-30"]),
        Case(text: "2024年9月30日前", due: ["2024-09-30"]),
        Case(text: "2024年年底前", due: ["2024-12-31"]),
        Case(text: "年内完成", due: ["2024-12-31"], year: 2024),
        Case(text: "2024年10月上旬前", due: ["2024-10-10"]),
    ]

    @Test(arguments: cases)
    func parses(_ c: Case) throws {
        let deadline = try DeadlineParser(defaultYear: c.year).parse(c.text)
        #expect(deadline.milestones.map(\.due.iso) == c.due)
        #expect(deadline.ongoing == c.ongoing)
        #expect(deadline.text == c.text, "the raw text is kept")
        if let start = c.start {
            #expect(deadline.milestones.first?.start == d(start))
        } else {
            #expect(deadline.milestones.allSatisfy { $0.start == nil })
        }
    }

    @Test func singleClauseKeepsTheRawTextAsMilestoneText() throws {
        let deadline = try DeadlineParser().parse("2024年 12月")
        #expect(deadline.milestones.map(\.text) == ["2024年 12月"])
    }

    @Test func eachClauseIsItsOwnMilestoneText() throws {
        let deadline = try DeadlineParser().parse("2023年12月底前出台办法；2024年6月底前全面推开")
        #expect(deadline.milestones.map(\.text) == ["2023年12月底前出台办法", "2024年6月底前全面推开"])
    }

    struct Bad: CustomTestStringConvertible, Sendable {
        let text: String
        let reason: String
        var year: Int? = nil
        var testDescription: String { text }
    }

    static let bad: [Bad] = [
        Bad(text: "尽快", reason: "not a date"),
        Bad(text: "按省里要求", reason: "not a date"),
        Bad(text: "", reason: "empty"),
        Bad(text: "   ", reason: "empty"),
        Bad(text: "2024年13月", reason: "month out of range: 13"),
        Bad(text: "2024年0月", reason: "month out of range: 0"),
        Bad(text: "2023年2月29日", reason: "no such day"),
        Bad(text: "2024年4月31日", reason: "no such day"),
        Bad(text: "2024年第五季度", reason: "quarter out of range"),
        Bad(text: "6月底前", reason: "no year"),
        Bad(text: "年底前", reason: "no year"),
        Bad(text: "2024年12月左右", reason: "unexpected text"),
        Bad(text: "2024年6月以后", reason: "unexpected text"),
        Bad(text: "2024年6月起", reason: "unexpected text"),
        Bad(text: "2024年6月3x", reason: "unexpected text"),
        Bad(text: "2024年6月至3月", reason: "ends before it starts"),
        Bad(text: "2024年底前完成；2025年13月完成", reason: "month out of range: 13"),
        Bad(text: "完成时限：", reason: "no date"),
        // Seen in published lists, but not a deadline a reminder can name: the office writes one.
        Bad(text: "全年", reason: "not a date"),
        Bad(text: "每月28日前", reason: "not a date"),
        Bad(text: "按季度推进", reason: "not a date"),
        Bad(text: "2024年4月起", reason: "unexpected text"),
    ]

    @Test(arguments: bad)
    func rejects(_ c: Bad) {
        #expect {
            try DeadlineParser(defaultYear: c.year).parse(c.text)
        } throws: { error in
            guard let e = error as? DeadlineError else { return false }
            return e.text == c.text && e.reason.contains(c.reason) && e.description.contains("“\(c.text)”")
        }
    }
}
