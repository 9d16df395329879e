import Foundation
import Testing
@testable import DudaoCore

private func d(_ s: String) -> CivilDate { CivilDate(iso: s)! }
private let shanghai = LocalClock(timeZone: TimeZone(identifier: "Asia/Shanghai")!)
private func at(_ s: String) -> Date { shanghai.parse(s)! }
private let policy = Policy(supervisor: "督查室")
private let calendar = WorkCalendar.weekdaysOnly

private func item(_ id: String, due: String, lead: [String] = ["市卫健委"]) -> Item {
    Item(id: id, title: "事项\(id)", lead: lead, dueText: due, milestones: [Milestone(due: d(due), text: due)])
}

private func report(_ id: String, _ status: ItemStatus, agency: String? = nil, milestone: Int? = nil, on day: String,
                    nextReport: String? = nil) -> ProgressReport {
    ProgressReport(key: ProgressKey(item: id, milestone: milestone, agency: agency), status: status, by: "t",
                   at: at(day + "T15:00"), nextReport: nextReport.map(d))
}

/// The notices of `items` from `from` to `until`, as (agency, rule, send day).
private func chases(_ items: [Item], _ from: String, _ until: String, reports: [ProgressReport] = [],
                    sent: [SentHistory.Record] = []) -> [(agency: String, rule: String, day: String)] {
    let supervision = Supervision(standings: Standings(reports: reports), history: SentHistory(records: sent))
    return Planner(policy: policy, calendar: calendar).notices(for: items, supervision: supervision, from: at(from), until: at(until))
        .map { n in (items[Int(n.item)].lead[max(0, n.lead)], n.rule.name, n.sendDay.iso) }
}

struct LadderTests {
    /// A fresh deployment of a list whose work is years overdue: the first message is a
    /// 核实, then the ladder climbs on Mondays and slows at the top; 17 messages in a year.
    @Test func aFreshDeploymentVerifiesFirstThenClimbs() {
        let got = chases([item("22", due: "2022-12-31")], "2026-11-26", "2027-11-26")
        #expect(got.first?.rule == "verify" && got.first?.day == "2026-11-30")
        #expect(got.allSatisfy { d($0.day).isoWeekday == 1 }, "Mondays")
        #expect(got.map(\.rule).prefix(6) == ["verify", "overdue-1", "overdue-1", "overdue-2", "overdue-2", "overdue-3"])
        // 核实 gives 5 workdays (to 12-07): the first 催办 is on 12-14.
        #expect(got[1].day == "2026-12-14")
        #expect(got.count == 17, "1 + 2 + 2 + 12: \(got.count)")
        // 通报: weekly for 4 weeks, fortnightly, then every 4 weeks.
        let top = got.filter { $0.rule == "overdue-3" }.map { d($0.day) }
        let gaps = zip(top, top.dropFirst()).map { $0.days(until: $1) }
        #expect(gaps.prefix(4) == [7, 7, 7, 7] && gaps.dropFirst(4).prefix(4) == [14, 14, 14, 14] && gaps.last == 28, "\(gaps)")
    }

    /// Work reminded before its date has no 核实: 催办 on the first Monday after it.
    @Test func workRemindedBeforeItsDateStartsAtLevelOne() {
        let got = chases([item("1", due: "2026-12-02")], "2026-11-26", "2026-12-31")
        #expect(got.map(\.rule) == ["advance-3", "advance-1", "due", "overdue-1", "overdue-1", "overdue-2", "overdue-2"])
        #expect(got[3].day == "2026-12-07")
    }

    /// All of an agency's overdue work goes out on one day a week, whatever the due dates.
    @Test func oneRhythmPerAgency() {
        let items = [item("16", due: "2024-12-31"), item("17", due: "2023-12-31"), item("22", due: "2022-12-31"),
                     item("23", due: "2026-12-17")]
        let overdue = chases(items, "2026-11-26", "2027-11-26").filter { $0.rule.hasPrefix("overdue") || $0.rule == "verify" }
        let days = Set(overdue.map(\.day))
        #expect(days.allSatisfy { d($0).isoWeekday == 1 })
        let perWeek = Dictionary(grouping: overdue.map { d($0.day) }, by: { $0.adding(days: 1 - $0.isoWeekday) })
        #expect(perWeek.count == days.count, "one day per week")
    }

    /// A holiday Monday moves the week's message to the next workday of that week.
    @Test func aHolidayMondayMovesWithinTheWeek() {
        let cal = WorkCalendar(holidays: [d("2027-01-04"), d("2027-01-05")], coveredYears: [2027])
        #expect(cal.weeklyDay(inWeekOf: d("2027-01-07"), weekday: 1) == d("2027-01-06"))
        // A Friday rhythm in a week whose Friday is off falls back to the Thursday.
        let friday = WorkCalendar(holidays: [d("2027-01-08")], coveredYears: [2027])
        #expect(friday.weeklyDay(inWeekOf: d("2027-01-05"), weekday: 5) == d("2027-01-07"))
        // A week without a workday has no day.
        let off = WorkCalendar(holidays: Set((4...8).map { d("2027-01-0\($0)") }), coveredYears: [2027])
        #expect(off.weeklyDay(inWeekOf: d("2027-01-05"), weekday: 1) == nil)
        #expect(cal.weeklyDay(onOrAfter: d("2027-01-05"), weekday: 1) == d("2027-01-06"))
        #expect(cal.weeklyDay(onOrAfter: d("2027-01-07"), weekday: 1) == d("2027-01-11"))
    }

    /// An answer starts the ladder again at level 1, after the office's review time.
    @Test func aReportRestartsTheLadderAfterTheReview() {
        let sent = ["2026-11-30": "verify", "2026-12-14": "overdue-1", "2026-12-21": "overdue-1", "2026-12-28": "overdue-2"].map {
            SentHistory.Record(agency: "市卫健委", key: "22/m1/\($0.value)/\($0.key)", day: d($0.key), fate: .delivered)
        }
        let without = chases([item("22", due: "2022-12-31")], "2027-01-01", "2027-02-28", sent: sent)
        #expect(without.first.map { ($0.rule, $0.day) } ?? ("", "") == ("overdue-2", "2027-01-04"))
        let reported = [report("22", .reported, agency: "市卫健委", on: "2026-12-30")]
        let got = chases([item("22", due: "2022-12-31")], "2027-01-01", "2027-02-28", reports: reported, sent: sent)
        // Reported 12-30: 10 workdays of review (to 01-13 on Monday–Friday), then 催办 again.
        #expect(got.first.map { ($0.rule, $0.day) } ?? ("", "") == ("overdue-1", "2027-01-18"))
    }

    /// `ack 17 --agency 市卫健委 --status in_progress --next-report 2027-01-15` pauses item 17
    /// for that agency until then; chasing resumes after it.
    @Test func aPromisedReportDatePausesUntilThen() {
        let items = [item("17", due: "2023-12-31", lead: ["市卫健委", "市人社局"])]
        let r = [report("17", .inProgress, agency: "市卫健委", on: "2026-11-26", nextReport: "2027-01-15")]
        let got = chases(items, "2026-11-27", "2027-02-28", reports: r)
        let health = got.filter { $0.agency == "市卫健委" }
        #expect(health.allSatisfy { $0.day > "2027-01-15" })
        #expect(health.first.map { ($0.rule, $0.day) } ?? ("", "") == ("overdue-1", "2027-01-18"), "answered: level 1, no 核实")
        #expect(got.filter { $0.agency == "市人社局" }.first?.rule == "verify", "the other lead is not paused")
    }

    /// `ack 20 --agency 市法院 --status done` stops 市法院's reminders for item 20 only, and a
    /// later extension of the whole item does not reopen its part.
    @Test func oneCoLeadClosesItsOwnPart() {
        let items = [item("20", due: "2023-12-31", lead: ["市法院", "市税务局"]), item("14", due: "2024-12-31", lead: ["市法院"])]
        let r = [report("20", .done, agency: "市法院", on: "2026-11-26"),
                 report("20", .extended(to: d("2027-03-31")), on: "2026-11-27")]
        let got = chases(items, "2026-11-28", "2027-06-30", reports: r)
        let court20 = Planner(policy: policy, calendar: calendar)
            .notices(for: items, supervision: Supervision(standings: Standings(reports: r)), from: at("2026-11-28"), until: at("2027-06-30"))
            .filter { items[Int($0.item)].id == "20" }
        #expect(court20.allSatisfy { items[0].lead[$0.lead] == "市税务局" })
        #expect(court20.contains { $0.rule == .due && $0.due == d("2027-03-31") }, "the other lead works to the new date")
        #expect(got.contains { $0.agency == "市法院" }, "its other item is still chased")
        let s = Standings(reports: r)
        #expect(s.standing(items[0], milestone: 0, agency: "市法院").status == .done)
        #expect(s.standing(items[0], milestone: 0, agency: "市税务局").status == .extended(to: d("2027-03-31")))
        #expect(s.standing(items[0], milestone: 0, agency: "市税务局").due == d("2027-03-31"))
    }

    /// A done report waits for the office: no chasing until it confirms (done) or returns
    /// it (open), which resumes at level 1. Either way the agency is told the next morning.
    @Test func aDoneReportWaitsForTheOffice() {
        let i = [item("9", due: "2023-12-31")]
        let claimed = [report("9", .doneReported, agency: "市卫健委", on: "2026-11-26")]
        #expect(chases(i, "2026-11-27", "2027-11-26", reports: claimed).isEmpty)
        let returned = claimed + [report("9", .open, agency: "市卫健委", on: "2026-12-01")]
        let afterReturn = chases(i, "2026-12-02", "2027-01-31", reports: returned)
        #expect(afterReturn.prefix(2).map { "\($0.rule)@\($0.day)" } == ["decision@2026-12-02", "overdue-1@2026-12-07"])
        let confirmed = claimed + [report("9", .done, on: "2026-12-01")]
        #expect(chases(i, "2026-11-27", "2027-11-26", reports: confirmed).map { "\($0.agency) \($0.rule)@\($0.day)" }
                == ["市卫健委 decision@2026-12-02"], "told once, then nothing")
    }

    /// The office's decision is told at the first send time after it was recorded, once per
    /// lead however many milestones it decides; telling it is not a reminder, so the ladder
    /// of work nobody was reminded about still starts with 核实.
    @Test func decisionsAreToldOnceAtTheNextSendTime() {
        let two = Item(id: "5", title: "事项5", lead: ["市法院", "市税务局"], dueText: "2023年6月、2023年12月",
                       milestones: [Milestone(due: d("2023-06-30"), text: "2023年6月"), Milestone(due: d("2023-12-31"), text: "2023年12月")])
        let morning = ProgressReport(key: ProgressKey(item: "5"), status: .refused, by: "督查室·张三", at: at("2026-11-26T08:30"))
        let told = chases([two], "2026-11-26", "2026-11-26T23:59", reports: [morning])
        #expect(told.map { "\($0.agency) \($0.rule)@\($0.day)" } == ["市法院 decision@2026-11-26", "市税务局 decision@2026-11-26"],
                "before the 09:00 send time: the same morning, one per lead for both milestones")
        let friday = report("5", .done, agency: "市法院", milestone: 2, on: "2026-11-27")
        #expect(chases([two], "2026-11-27", "2026-11-30T23:59", reports: [friday]).filter { $0.rule == "decision" }
                .map { "\($0.agency)@\($0.day)" } == ["市法院@2026-11-30"], "after the send time on a Friday: Monday")
        let key = "5/m1/decision/2026-11-26"
        let sent = [SentHistory.Record(agency: "市法院", key: key, day: d("2026-11-26"), fate: .delivered)]
        let again = chases([two], "2026-11-26", "2026-12-31", reports: [morning], sent: sent)
        #expect(!again.contains { $0.agency == "市法院" && $0.rule == "decision" }, "never told twice")
        #expect(again.first { $0.agency == "市法院" }?.rule == "verify", "a decision told is not a reminder")
        let track = SentHistory(records: sent).track(agency: "市法院", item: "5", milestone: 0)
        #expect(track?.contacted == false && track?.delivered.isEmpty == true && track?.claimed == [key])
    }

    /// An extension request pauses chasing until the date asked for; refused, chasing
    /// resumes; granted, the work is due on the new date.
    @Test func extensionRequestsAndDecisions() {
        let i = [item("8", due: "2023-12-31")]
        let asked = [report("8", .extensionRequested(to: d("2027-03-31")), on: "2026-11-26")]
        let waiting = chases(i, "2026-11-27", "2027-05-31", reports: asked)
        #expect(waiting.allSatisfy { $0.day > "2027-03-31" } && !waiting.isEmpty)
        let refused = asked + [report("8", .refused, on: "2026-12-02")]
        let after = chases(i, "2026-12-03", "2027-01-31", reports: refused)
        #expect(after.map(\.rule).prefix(2) == ["decision", "overdue-1"], "told, then level 1: an answer was given")
        #expect(after.dropFirst().first?.day == "2026-12-07", "the Monday after the refusal")
        let granted = asked + [report("8", .extended(to: d("2027-03-31")), on: "2026-12-02")]
        let g = chases(i, "2026-11-27", "2027-04-30", reports: granted)
        #expect(g.contains { $0.rule == "due" && $0.day == "2027-03-31" })
        #expect(g.first { $0.rule.hasPrefix("overdue") }?.day == "2027-04-05")
    }

    /// The service plans in windows, one after the other: with what the first window planned
    /// recorded as sent, the second plans what one plan over both does.
    @Test func windowsChainThroughTheRecords() {
        let items = [item("1", due: "2026-12-02", lead: ["A", "B"]), item("2", due: "2024-06-30", lead: ["B"]),
                     Item(id: "6", title: "持续", lead: ["A"], dueText: "持续推进", ongoing: true)]
        let planner = Planner(policy: policy, calendar: calendar)
        let whole = planner.notices(for: items, from: at("2026-11-26"), until: at("2027-06-30"))
        var records: [SentHistory.Record] = []
        var chained: [Notice] = []
        var from = at("2026-11-26")
        for until in ["2026-12-10", "2027-01-04T09:00:00+08:00", "2027-01-04T09:00:01+08:00", "2027-03-01", "2027-06-30"].map(at) {
            let part = planner.notices(for: items, supervision: Supervision(history: SentHistory(records: records)), from: from, until: until)
            chained += part
            for n in part {
                let leads = n.lead < 0 ? items[Int(n.item)].lead : [items[Int(n.item)].lead[n.lead]]
                for agency in leads {
                    records.append(.init(agency: agency, key: Plan.dedupKey(id: items[Int(n.item)].id, n, occurrence: n.occurrence.iso),
                                         day: n.sendDay, fate: .delivered))
                }
            }
            from = until.addingTimeInterval(0.001)
        }
        // Per agency: a notice for every lead stands for one per lead.
        func keys(_ ns: [Notice]) -> [String] {
            ns.flatMap { n in
                (n.lead < 0 ? items[Int(n.item)].lead : [items[Int(n.item)].lead[n.lead]]).map { "\(items[Int(n.item)].id)/\($0)/\(n.rule.name)/\(n.sendDay)" }
            }.sorted()
        }
        #expect(keys(chained) == keys(whole))
    }

    /// Ongoing work: a report by the 5th for the month before, asked 3 workdays ahead; a
    /// missed report climbs the ladder; a report answers it.
    @Test func ongoingWorkReportsMonthly() {
        let six = Item(id: "6", title: "培育数据要素市场", lead: ["市大数据局"], dueText: "持续推进", ongoing: true)
        let got = chases([six], "2026-11-26", "2027-01-31")
        #expect(got.first.map { ($0.rule, $0.day) } ?? ("", "") == ("progress", "2026-12-02"), "for the report due 12-07 (12-05 is a Saturday)")
        #expect(got.contains { $0.rule == "overdue-1" && $0.day == "2026-12-14" }, "missed: chased the Monday after")
        let answered = chases([six], "2026-11-26", "2027-01-31", reports: [report("6", .reported, on: "2026-12-04")])
        #expect(!answered.contains { $0.rule.hasPrefix("overdue") && $0.day < "2027-01-11" }, "December's report came")
        // The message asks for November's report by 12-07, not by its own send day.
        let plan = Plan(items: [six], policy: policy, calendar: calendar, from: at("2026-12-02"), until: at("2026-12-02T23:00"))
        let n = plan.notices.first { $0.rule == .progress }!
        #expect(n.due == d("2026-12-07") && n.sendDay == d("2026-12-02"))
    }

    /// A final report stands until a report at least as specific replaces it.
    @Test func standingsRule() {
        let i = Item(id: "8", title: "t", lead: ["A", "B"], dueText: "x",
                     milestones: [Milestone(due: d("2025-06-30"), text: "a"), Milestone(due: d("2025-12-31"), text: "b")])
        let s = Standings(reports: [report("8", .done, milestone: 1, on: "2026-01-01"), report("8", .open, on: "2026-01-02"),
                                    report("8", .inProgress, agency: "B", on: "2026-01-03"), report("8", .done, on: "2026-01-04"),
                                    report("8", .open, agency: "A", milestone: 2, on: "2026-01-05")])
        #expect(s.standing(i, milestone: 0, agency: "A").status == .done, "milestone 1 stays done")
        #expect(s.standing(i, milestone: 1, agency: "B").status == .done, "the office closed the item for everybody")
        #expect(s.standing(i, milestone: 1, agency: "A").status == .open, "reopened for A, milestone 2, by a report as specific")
        #expect(s.standing(i, milestone: 1, agency: "B").lastAnswer?.status == .inProgress)
    }

    /// Lights: red overdue, yellow within 7 days or quiet ongoing work, green, blue done.
    @Test func lights() {
        let rule = LightRule()
        let today = d("2026-11-26")
        #expect(rule.light(Standing(status: .open, due: d("2026-11-25")), ongoing: false, today: today, lastReport: nil) == .red)
        #expect(rule.light(Standing(status: .inProgress, due: d("2026-12-03")), ongoing: false, today: today, lastReport: nil) == .yellow)
        #expect(rule.light(Standing(status: .open, due: d("2026-12-04")), ongoing: false, today: today, lastReport: nil) == .green)
        #expect(rule.light(Standing(status: .done, due: d("2020-01-01")), ongoing: false, today: today, lastReport: nil) == .blue)
        #expect(rule.light(Standing(status: .open), ongoing: true, today: today, lastReport: d("2026-10-20")) == .yellow)
        #expect(rule.light(Standing(status: .open), ongoing: true, today: today, lastReport: d("2026-11-20")) == .green)
    }

    /// The sent log stores dedup keys; the ladder reads them back.
    @Test func noticeKeysReadBack() {
        let k = NoticeKey("2.3/m2/overdue-3/2027-01-04")
        #expect(k?.item == "2.3" && k?.milestone == 1 && k?.rule == .overdue(level: 3) && k?.occurrence == d("2027-01-04"))
        #expect(NoticeKey("a/b/ongoing/progress/2026-12-05").map { ($0.item, $0.milestone, $0.rule) } ?? ("", 0, .due) == ("a/b", -1, .progress))
        #expect(NoticeKey("office/report-week/2026-11-30")?.rule == .report(monthly: false))
        #expect(NoticeKey("8/m1/verify/2026-11-30")?.rule == .verify)
        #expect(NoticeKey("8/m1/advance-7/2024-12-24")?.rule == .advance(days: 7))
        for bad in ["", "8", "8/m1/due", "/m1/due/2024-12-31", "8/x1/due/2024-12-31", "8/m0/due/2024-12-31", "8/m1/soon/2024-12-31",
                    "8/m1/due/2024-13-31", "nobody/report-week/2026-11-30"] {
            #expect(NoticeKey(bad) == nil, "\(bad)")
        }
    }
}
