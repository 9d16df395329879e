import Foundation
import Testing
@testable import DudaoCore

/// The office's report and the console read one set of records: what awaits a decision,
/// what happened in the week (each event once, the office's own decisions included), and
/// counts that add up.
struct OfficeReportTests {
    static let clock = LocalClock(timeZone: TimeZone(identifier: "Asia/Shanghai")!)
    static func at(_ text: String) -> Date { clock.parse(text)! }
    static let items = [
        Item(id: "20", title: "二十", lead: ["市法院", "市司法局"], dueText: "2023年12月", milestones: [Milestone(due: CivilDate(iso: "2023-12-31")!, text: "2023年12月")]),
        Item(id: "B5", title: "乙五", lead: ["市商务局"], dueText: "2026年12月1日", milestones: [Milestone(due: CivilDate(iso: "2026-12-01")!, text: "2026年12月1日")]),
        Item(id: "9", title: "九", lead: ["市财政局"], dueText: "2025年", milestones: [Milestone(due: CivilDate(iso: "2025-12-31")!, text: "2025年")]),
    ]

    static func report(_ item: String, _ agency: String, _ status: ItemStatus, _ at: String, note: String = "", id: Int64, files: Int = 0,
                       withdrawn: Withdrawal? = nil) -> ProgressReport {
        ProgressReport(key: ProgressKey(item: item, agency: agency), status: status, note: note, by: status.isDecision ? "督查室·张三" : agency,
                       at: Self.at(at), id: id, files: files, withdrawn: withdrawn)
    }

    /// The week of issue 22: 20's extension approved on 12-05, B5 returned, 9 done and
    /// confirmed, then the confirmation withdrawn; 20's co-lead asks again.
    static let reports = [
        report("20", "市法院", .extensionRequested(to: CivilDate(iso: "2027-03-31")!), "2026-12-02T10:00:00+08:00", note: "需省级审批", id: 1),
        report("B5", "市商务局", .doneReported, "2026-12-02T11:00:00+08:00", note: "已完成", id: 2),
        report("9", "市财政局", .doneReported, "2026-12-03T11:00:00+08:00", id: 3, files: 1),
        report("20", "市法院", .extended(to: CivilDate(iso: "2027-03-31")!), "2026-12-05T10:00:00+08:00", id: 4),
        report("B5", "市商务局", .open, "2026-12-05T11:00:00+08:00", note: "请补充佐证材料", id: 5),
        report("9", "市财政局", .done, "2026-12-05T12:00:00+08:00", id: 6,
               withdrawn: Withdrawal(by: "督查室·张三", at: at("2026-12-05T13:00:00+08:00"))),
        report("20", "市司法局", .extensionRequested(to: CivilDate(iso: "2027-06-30")!), "2026-12-06T10:00:00+08:00", id: 7),
    ]

    func officeReport() -> OfficeReport {
        let standings = Standings(reports: Self.reports)
        let supervision = Supervision(standings: standings)
        let day = CivilDate(iso: "2026-12-07")!
        let ledger = Ledger(items: Self.items, supervision: supervision, policy: Policy(), today: day)
        return OfficeReport(ledger: ledger, items: Self.items, standings: standings, policy: Policy(), day: day, since: CivilDate(iso: "2026-11-30")!,
                            period: (Self.at("2026-11-30T09:00:00+08:00"), Self.at("2026-12-07T09:00:00+08:00")))
    }

    @Test func aDecidedRequestIsPendingNowhere() {
        let report = officeReport()
        let pending = report.awaitingReview.map { "\(Self.items[$0.item].id)|\($0.agency)" }
        #expect(pending == ["9|市财政局", "20|市司法局"], "the withdrawn confirmation puts 9 back; 20 waits only for its co-lead")
        let console = ReviewQueue(items: Self.items, standings: Standings(reports: Self.reports)).entries.map { "\(Self.items[$0.item].id)|\($0.agency)" }
        #expect(console == pending, "the console's queue and the report's are one list")
        #expect(report.awaitingReview.first?.lacksEvidence == false)
    }

    @Test func everyEventOnceWithItsOutcome() {
        let report = officeReport()
        let lines = report.events.map { e in "\(Self.items[e.item].id) \(e.kind) \(Labels.event(e.report.status))" }
        #expect(lines == [
            "20 report 申请延期至2027年3月31日", "B5 report 报告已完成", "9 report 报告已完成",
            "20 decision 同意延期至2027年3月31日", "B5 decision 退回，请继续办理", "9 decision 审核通过，予以销号",
            "9 withdrawal 审核通过，予以销号", "20 report 申请延期至2027年6月30日",
        ], "\(lines)")
        #expect(report.events[0].outcome?.status == .extended(to: CivilDate(iso: "2027-03-31")!))
        #expect(report.events[1].outcome?.status == .open)
        #expect(report.events[2].outcome == nil, "a withdrawn decision answers nothing")
        #expect(report.events[7].outcome == nil)
        let c = report.counts
        #expect(c.received == 4 && c.extensionsAsked == 2 && c.doneReported == 2)
        #expect(c.closed == 1 && c.returned == 1 && c.extended == 1 && c.refused == 0 && c.withdrawn == 1)
        #expect(c.received + c.decisions + c.withdrawn == report.events.count, "the counts add up to the events")
    }

    @Test func aWithdrawnDecisionNoLongerCounts() {
        let standings = Standings(reports: Self.reports)
        let item = Self.items[2]
        #expect(standings.standing(item, milestone: 0, agency: "市财政局").status == .doneReported)
        #expect(standings.withdrawn.map(\.id) == [6])
    }

    @Test func aDecisionCanBeWithdrawnUntilToldOrTimeRunsOut() {
        var decision = Self.reports[3]   // 20, 市法院, 同意延期, 12-05 10:00
        let rule = { (history: SentHistory) in DecisionWithdrawal(items: Self.items, policy: Policy(), history: history) }
        #expect(rule(.empty).allows(decision, now: Self.at("2026-12-05T18:00:00+08:00")))
        #expect(!rule(.empty).allows(decision, now: Self.at("2026-12-06T10:00:01+08:00")), "24 hours by default")
        let told = SentHistory(records: [SentHistory.Record(agency: "市法院", key: "20/m1/decision/2026-12-05", day: CivilDate(iso: "2026-12-07")!,
                                                            fate: .pending)])
        #expect(!rule(told).allows(decision, now: Self.at("2026-12-05T18:00:00+08:00")), "once the telling is on its way")
        decision.withdrawn = Withdrawal(by: "x", at: Self.at("2026-12-05T11:00:00+08:00"))
        #expect(!rule(.empty).allows(decision, now: Self.at("2026-12-05T12:00:00+08:00")), "once")
        #expect(!rule(.empty).allows(Self.reports[0], now: Self.at("2026-12-02T11:00:00+08:00")), "an agency's report is no decision")
    }

    @Test func wordsComeFromOnePlace() {
        for name in ItemStatus.names {
            #expect(!Labels.stateKind(name).contains("2000年"), "no placeholder date in a filter: \(name)")
        }
        #expect(Labels.stateKind("extension_requested") == "申请延期，待审核")
        #expect(Labels.state(.extensionRequested(to: CivilDate(iso: "2027-03-31")!)) == "申请延期至2027年3月31日，待审核")
        #expect(Labels.minute(Self.at("2026-12-05T23:53:09+08:00"), clock: Self.clock) == "2026年12月5日 23:53")
        #expect(Labels.deadline(text: "2023年 12月", original: CivilDate(iso: "2023-12-31")!, due: CivilDate(iso: "2027-02-28")!)
                == "原定2023年12月，已延期至2027年2月28日")
        #expect(Labels.deadline(text: "2024年 12月", original: CivilDate(iso: "2024-12-31")!, due: CivilDate(iso: "2024-12-31")!)
                == "2024年 12月（2024年12月31日）")
    }
}

/// What retention folds away keeps counting: a track built from a summary of its oldest
/// rows and the rows left is the track of all rows.
struct TrackSummaryTests {
    static let records: [(String, String)] = [
        ("8/m1/advance-7/2022-12-24", "2022-12-23"), ("8/m1/verify/2023-01-02", "2023-01-02"),
        ("8/m1/overdue-1/2023-01-16", "2023-01-16"), ("8/m1/overdue-1/2023-01-23", "2023-01-23"),
        ("8/m1/decision/2023-01-24", "2023-01-25"), ("8/m1/overdue-2/2023-01-30", "2023-01-30"),
        ("8/m1/overdue-2/2025-02-06", "2025-02-06"), ("8/ongoing/progress/2023-02-05", "2023-02-01"),
    ]

    func record(_ r: (String, String)) -> SentHistory.Record {
        SentHistory.Record(agency: "市财政局", key: r.0, day: CivilDate(iso: r.1)!, fate: .delivered)
    }

    @Test func aSummaryAndTheRowsLeftAreTheWholeLog() {
        let whole = SentHistory(records: Self.records.map(record))
        // Retention folds the rows before 2025 into summaries, per milestone.
        var summaries: [Int32: SentHistory.Summary] = [:]
        for r in Self.records where r.1 < "2025-01-01" {
            let key = NoticeKey(r.0)!
            summaries[key.milestone, default: SentHistory.Summary(agency: "市财政局", item: "8", milestone: key.milestone)]
                .fold(day: CivilDate(iso: r.1)!, key: key)
        }
        // The store keeps the escalations as text: read back through it.
        let stored = summaries.values.map { s in
            var copy = s
            copy.escalations = SentHistory.Summary.escalations(s.escalationText)
            return copy
        }
        var pruned = SentHistory.empty
        pruned.add(stored)
        pruned.add(Self.records.filter { $0.1 >= "2025-01-01" }.map(record))
        for m: Int32 in [0, -1] {
            let a = whole.track(agency: "市财政局", item: "8", milestone: m)!, b = pruned.track(agency: "市财政局", item: "8", milestone: m)!
            #expect(a.reminders().count == b.reminders().count && a.reminders().first == b.reminders().first && a.reminders().last == b.reminders().last)
            #expect(a.escalations.map(\.step) == b.escalations.map(\.step) && a.escalations.map(\.day) == b.escalations.map(\.day))
            #expect(a.contacted == b.contacted && a.requests == b.requests)
            let ladder = Ladder()
            let sa = LadderState(ladder: ladder, escalations: a.escalations, contacted: a.contacted)
            let sb = LadderState(ladder: ladder, escalations: b.escalations, contacted: b.contacted)
            #expect(sa.next == sb.next && sa.countAtStep == sb.countAtStep && sa.lastDay == sb.lastDay)
        }
        #expect(pruned.track(agency: "市财政局", item: "8", milestone: 0)!.reminders(before: CivilDate(iso: "2025-03-01")!).count == 6,
                "the decision told is no reminder")
        #expect(summaries[0]!.escalationText == "v@2023-01-02 1@2023-01-16 1@2023-01-23 2@2023-01-30")
    }
}
