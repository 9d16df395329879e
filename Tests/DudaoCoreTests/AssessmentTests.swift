import Foundation
import Testing
@testable import DudaoCore

/// The figures' rules where the end-to-end tests do not reach: milestones counted one by
/// one, a co-lead closing its part alone, a whole item's extension, a cancellation, ongoing
/// work, rates with nothing to measure, the period before as the records then stood, and
/// 红榜/黑榜 of the configured length without an agency on both.
struct AssessmentTests {
    static let clock = LocalClock(timeZone: TimeZone(identifier: "Asia/Shanghai")!)
    static func at(_ text: String) -> Date { clock.parse(text + "T15:00:00+08:00")! }
    static func day(_ text: String) -> CivilDate { CivilDate(iso: text)! }
    static let items = [
        // Two milestones: one due in the period and done on time, the second later.
        Item(id: "1", title: "一", lead: ["甲"], dueText: "分两步", milestones: [Milestone(due: day("2026-12-02"), text: "第一步"),
                                                                           Milestone(due: day("2027-03-31"), text: "第二步")]),
        // Two leads: 乙 closes its part alone, late; 丙 is overdue.
        Item(id: "2", title: "二", lead: ["乙", "丙"], dueText: "2026年12月1日", milestones: [Milestone(due: day("2026-12-01"), text: "")]),
        // Extended for everyone beyond the period: not due in it, not overdue.
        Item(id: "3", title: "三", lead: ["丙"], dueText: "2026年12月3日", milestones: [Milestone(due: day("2026-12-03"), text: "")]),
        // Cancelled: no unit.
        Item(id: "4", title: "四", lead: ["丁"], dueText: "2026年12月4日", milestones: [Milestone(due: day("2026-12-04"), text: "")]),
        // Ongoing: led, but no unit.
        Item(id: "5", title: "五", lead: ["丁"], dueText: "持续推进", ongoing: true),
    ]
    static func r(_ item: String, _ agency: String?, _ milestone: Int?, _ status: ItemStatus, _ at: String, id: Int64) -> ProgressReport {
        ProgressReport(key: ProgressKey(item: item, milestone: milestone, agency: agency), status: status, by: agency ?? "督查室",
                       at: Self.at(at), id: id)
    }
    static let reports = [
        r("1", "甲", 1, .doneReported, "2026-12-01", id: 1),
        r("1", "甲", 1, .done, "2026-12-03", id: 2),            // closed after the deadline, reported before it: on time
        r("2", "乙", nil, .doneReported, "2026-12-02", id: 3),
        r("2", "乙", nil, .open, "2026-12-02", id: 4),           // returned (退回)
        r("2", "乙", nil, .doneReported, "2026-12-03", id: 5),
        r("2", "乙", nil, .done, "2026-12-04", id: 6),           // late
        r("3", nil, nil, .extended(to: day("2027-01-31")), "2026-12-02", id: 7),
        r("4", nil, nil, .cancelled, "2026-12-02", id: 8),
    ]

    func assessment(lengths: Assessment.Lengths = .init()) -> Assessment {
        let supervision = Supervision(standings: Standings(reports: Self.reports))
        let today = Self.day("2026-12-07")
        let ledger = Ledger(items: Self.items, supervision: supervision, policy: Policy(), today: today)
        return Assessment(items: Self.items, lists: ["清单A", "清单A", "清单B", "清单B", "清单B"], ledger: ledger, supervision: supervision,
                          policy: Policy(), calendar: .weekdaysOnly, day: today, since: Self.day("2026-11-30"),
                          period: (Self.clock.instant(Self.day("2026-11-30"), at: 9 * 3600), Self.clock.instant(today, at: 9 * 3600)), lengths: lengths)
    }

    @Test func eachRuleCounts() throws {
        let a = assessment()
        let by = Dictionary(uniqueKeysWithValues: a.agencies.map { ($0.name, $0) })
        let jia = try #require(by["甲"]), yi = try #require(by["乙"]), bing = try #require(by["丙"]), ding = try #require(by["丁"])
        #expect((jia.units, jia.done, jia.dueInPeriod, jia.doneOnTime) == (2, 1, 1, 1), "milestones one by one; the done report's day counts")
        #expect((yi.units, yi.done, yi.dueInPeriod, yi.doneOnTime, yi.returned) == (1, 1, 1, 0, 1), "closed late, once returned")
        #expect((bing.units, bing.overdue, bing.dueInPeriod, bing.longestOverdue) == (2, 1, 1, 6), "丙's part of 2 is overdue; 3 extended past the period")
        #expect((ding.items, ding.units, ding.done) == (2, 0, 0) && ding.completionRate == nil && ding.onTimeRate == nil,
                "cancelled and ongoing work: led, but nothing to measure")
        #expect(a.total.units == 5 && a.total.done == 2 && a.total.overdue == 1)
        #expect(a.lists.map(\.name) == ["清单A", "清单B"] && a.lists[0].units == 4 && a.lists[1].units == 1)
        #expect(a.worstItems.map { "\(Self.items[$0.item].id) \($0.agency) \($0.days)" } == ["2 丙 6"])
    }

    @Test func rankingsHaveTheirLengthAndNoAgencyTwice() {
        let a = assessment(lengths: .init(worstItems: 1, ranking: 1))
        #expect(a.worst.map(\.name) == ["丙"] && a.best.map(\.name) == ["甲"], "\(a.worst.map(\.name)) \(a.best.map(\.name))")
        #expect(Set(a.worst.map(\.name)).isDisjoint(with: a.best.map(\.name)))
        #expect(a.worstItems.count == 1)
    }

    @Test func thePeriodBeforeIsAsTheRecordsThenStood() {
        let before = Assessment.standings(Standings(reports: Self.reports), asOf: Self.at("2026-12-02").addingTimeInterval(-3600))
        #expect(before.all.count == 1, "only 甲's done report was made by then: \(before.all.map(\.id))")
        var withdrawn = Self.reports[1]
        withdrawn.withdrawn = Withdrawal(by: "督查室", at: Self.at("2026-12-05"))
        let then = Assessment.standings(Standings(reports: [Self.reports[0], withdrawn]), asOf: Self.at("2026-12-04"))
        #expect(then.all.count == 2 && then.withdrawn.isEmpty, "a decision withdrawn later still stood then")
    }

    @Test func ratesAndChangesAsTheOfficeReadsThem() {
        #expect(Assessment.percent(nil) == "—" && Assessment.percent(0.875) == "87.5%" && Assessment.percent(1) == "100.0%")
        #expect(Assessment.points(0.875, 0.862) == "+1.3个百分点" && Assessment.points(0.5, 0.75) == "−25.0个百分点")
        #expect(Assessment.points(0.0217, 0.0213) == "+0.1个百分点", "shown 2.2% and 2.1%: the change is what the reader sees")
        #expect(Assessment.points(0.02171, 0.02174) == "持平", "both shown 2.2%")
        #expect(Assessment.points(nil, 0.5) == "—")
    }
}
