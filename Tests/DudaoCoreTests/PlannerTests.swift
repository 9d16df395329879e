import Foundation
import Testing
@testable import DudaoCore

private func d(_ s: String) -> CivilDate { CivilDate(iso: s)! }
private func days(_ from: String, _ to: String) -> Set<CivilDate> {
    Set((0...d(from).days(until: d(to))).map { d(from).adding(days: $0) })
}

/// Late-2024 and early-2025 official days, written out here independently of Schedules/calendar.
private let calendar = WorkCalendar(
    holidays: days("2024-10-01", "2024-10-07").union(days("2025-01-01", "2025-01-01")).union(days("2025-01-28", "2025-02-04")),
    makeupWorkdays: [d("2024-10-12"), d("2025-01-26"), d("2025-02-08")],
    coveredYears: [2024, 2025])

private let shanghai = LocalClock(timeZone: TimeZone(identifier: "Asia/Shanghai")!)
private func at(_ s: String) -> Date { shanghai.parse(s)! }

private func item(_ id: String, due: String, lead: [String] = ["市市场监管局"], status: ItemStatus = .open) -> Item {
    Item(id: id, title: "事项\(id)", lead: lead, dueText: due, milestones: [Milestone(due: d(due), text: due)], status: status)
}

private let policy = Policy(supervisor: "市政府督查室")

private func notices(_ items: [Item], _ from: String, _ until: String, policy: Policy = policy) -> [(String, String)] {
    Planner(policy: policy, calendar: calendar).notices(for: items, from: at(from), until: at(until))
        .map { ($0.rule.name, $0.sendDay.iso) }
}

struct PlannerTests {
    @Test func advanceDueAndOverdueAroundNewYear() {
        let got = notices([item("1", due: "2024-12-31")], "2024-11-01", "2025-03-01")
        let expected: [(String, String)] = [
            ("advance-30", "2024-11-29"), // 12-01 is a Sunday: the Friday before
            ("advance-14", "2024-12-17"),
            ("advance-7", "2024-12-24"),
            ("advance-3", "2024-12-27"),  // 12-28 is a Saturday
            ("advance-1", "2024-12-30"),
            ("due", "2024-12-31"),
            // Overdue: Mondays. The agency was reminded before, so no 核实: 催办 twice, then
            // 督办 twice, then 通报.
            ("overdue-1", "2025-01-06"),
            ("overdue-1", "2025-01-13"),
            ("overdue-2", "2025-01-20"),
            ("overdue-2", "2025-01-27"),
            // The 3 workdays given on 01-27 run to 02-07 across the Spring Festival break,
            // so the week of 02-03 (its Monday a holiday, sent on 02-05) is left out.
            ("overdue-3", "2025-02-10"),
            ("overdue-3", "2025-02-17"),
            ("overdue-3", "2025-02-24"),
        ]
        #expect(got.map(\.0) == expected.map(\.0))
        #expect(got.map(\.1) == expected.map(\.1))
    }

    @Test func oneMilestoneHearsOncePerDay() {
        // Due Monday 2024-12-02: 1 day before (Sunday) and 3 days before (Friday) both land on Friday.
        let before = notices([item("2", due: "2024-12-02")], "2024-11-29T00:00", "2024-11-29T23:00")
        #expect(before.map(\.0) == ["advance-1"])
    }

    @Test func neverOnANonWorkday() {
        var items: [Item] = []
        var due = d("2024-09-01")
        for i in 0..<200 {
            items.append(item("\(i)", due: due.iso, lead: ["A\(i % 7)"]))
            due = due.adding(days: 1)
        }
        items.append(Item(id: "ongoing", title: "持续", lead: ["B"], dueText: "持续推进", ongoing: true))
        let planned = Planner(policy: policy, calendar: calendar).notices(for: items, from: at("2024-08-01"), until: at("2025-06-30"))
        #expect(planned.count > 2000)
        for n in planned {
            #expect(calendar.isWorkday(n.sendDay), "\(n.rule.name) on \(n.sendDay)")
        }
        #expect(planned.contains { $0.sendDay == d("2024-10-12") }, "the 调休 Saturday is used")
    }

    /// 4,500 items, some ongoing, most with two leads, due over two years.
    static let largeList: [Item] = {
        var items: [Item] = []
        var due = d("2024-09-01")
        for i in 0..<4_500 {
            items.append(i % 9 == 0 ? Item(id: "\(i)", title: "持续", lead: ["B\(i % 5)"], dueText: "持续推进", ongoing: true)
                                    : item("\(i)", due: due.iso, lead: ["A\(i % 7)", "A\((i + 1) % 7)"]))
            due = due.adding(days: i % 3)
        }
        return items
    }()

    /// A large list is planned in runs of items on all cores: the notices are those of
    /// planning each part alone (below the size that splits), in item order.
    @Test func aLargeListPlannedInParallelGivesTheNoticesOfItsParts() {
        let items = Self.largeList
        let planner = Planner(policy: policy, calendar: calendar)
        let whole = planner.notices(for: items, from: at("2024-08-01"), until: at("2026-06-30"))
        var parts: [Notice] = []
        for start in stride(from: 0, to: items.count, by: 1_500) {
            for n in planner.notices(for: Array(items[start..<(start + 1_500)]), from: at("2024-08-01"), until: at("2026-06-30")) {
                parts.append(Notice(item: n.item + Int32(start), milestone: n.milestone, lead: Int(n.lead), rule: n.rule,
                                    occurrence: n.occurrence, sendDay: n.sendDay, due: n.due))
            }
        }
        #expect(whole.count > 20_000)
        #expect(whole == parts)
    }

    /// The JSON of a long plan is written in rounds on all cores: the bytes are those of
    /// writing it line by line.
    @Test func aLongPlanWrittenInParallelIsTheSameJSON() {
        let plan = Plan(items: Self.largeList, policy: policy, calendar: calendar, from: at("2024-08-01"), until: at("2026-06-30"))
        var chunks: [UInt8] = []
        var count = 0
        plan.writeJSONLines(chunks: { chunks += $0; count += 1 })
        #expect(count > 2, "several rounds")
        #expect(String(decoding: chunks, as: UTF8.self) == plan.jsonLines().map { $0 + "\n" }.joined())
    }

    @Test func doneAndCancelledWorkIsSilent() {
        let items = [item("1", due: "2024-12-31", status: .done), item("2", due: "2024-12-31", status: .cancelled)]
        #expect(notices(items, "2024-11-01", "2025-06-01").isEmpty)
        var partly = item("3", due: "2024-12-31")
        partly.milestones.append(Milestone(due: d("2025-03-31"), text: "2025年3月", status: .done))
        let got = Planner(policy: policy, calendar: calendar).notices(for: [partly], from: at("2024-11-01"), until: at("2025-06-01"))
        #expect(got.allSatisfy { $0.milestone == 0 }, "a done milestone is silent, its sibling is not")
    }

    @Test func extendedWorkIsReplannedAgainstTheNewDate() {
        let got = notices([item("1", due: "2024-12-31", status: .extended(to: d("2025-03-31")))], "2024-11-01", "2025-04-08")
        #expect(!got.contains { $0.0.hasPrefix("overdue") && $0.1 < "2025-04-01" })
        #expect(got.contains { $0 == ("due", "2025-03-31") })
        #expect(got.contains { $0 == ("overdue-1", "2025-04-07") }, "the first Monday after the new date")
    }

    /// Reports are due by the 5th (the next workday when it is a day off); the request goes
    /// out 3 workdays ahead.
    @Test func ongoingWorkIsAskedForItsReportThreeWorkdaysAhead() {
        let item = Item(id: "6", title: "培育数据要素市场", lead: ["市大数据局"], dueText: "持续推进", ongoing: true)
        let got = notices([item], "2024-09-01", "2025-02-28T23:00").filter { $0.0 == "progress" }
        // 10-05 falls in the National Day break: due 10-08, asked 09-26; 01-05 is a Sunday:
        // due 01-06, asked 12-31; 02-05 is asked before the Spring Festival break, on 01-24.
        #expect(got.map(\.1) == ["2024-09-02", "2024-09-26", "2024-10-31", "2024-12-02", "2024-12-31", "2025-01-24", "2025-02-28"])
    }

    @Test func windowBoundsAreExactToTheSecond() {
        let one = [item("1", due: "2024-12-31")]
        #expect(notices(one, "2024-12-31T09:00:00+08:00", "2024-12-31T09:00:00+08:00").map(\.0) == ["due"])
        #expect(notices(one, "2024-12-31T09:00:01+08:00", "2024-12-31T23:59").isEmpty)
        #expect(notices(one, "2024-12-31T00:00", "2024-12-31T08:59:59+08:00").isEmpty)
    }

    @Test func planIsDeterministic() {
        let items = (0..<50).map { item("\($0)", due: d("2024-12-01").adding(days: $0 * 3).iso, lead: ["A\($0 % 4)", "B"]) }
        let a = Plan(items: items, policy: policy, calendar: calendar, from: at("2024-10-01"), until: at("2025-05-01")).jsonLines()
        let b = Plan(items: items, policy: policy, calendar: calendar, from: at("2024-10-01"), until: at("2025-05-01")).jsonLines()
        #expect(a == b)
        #expect(!a.isEmpty)
    }
}

struct DigestGroupingTests {
    @Test func oneMessagePerAgencyAndSendTime() {
        let items = [
            item("1", due: "2024-12-31", lead: ["市市场监管局", "市金融局"]),
            item("2", due: "2024-12-31", lead: ["市市场监管局"]),
            item("3", due: "2024-12-30", lead: ["市市场监管局"]),
        ]
        let plan = Plan(items: items, policy: policy, calendar: calendar, from: at("2024-12-30T00:00"), until: at("2024-12-30T23:00"))
        // 12-30: items 1 and 2 are one day away, item 3 is due; the office's weekly report
        // (a Monday) goes on its own.
        #expect(plan.messages.count == 3)
        #expect(plan.messages.last?.kind == .report && plan.messages.last?.to.agency == "市政府督查室")
        let scjg = plan.messages.first { $0.to.agency == "市市场监管局" }!
        #expect(plan.itemIDs(scjg) == ["1", "2", "3"])
        #expect(scjg.kind == .digest, "advance and due mixed")
        let jr = plan.messages.first { $0.to.agency == "市金融局" }!
        #expect(plan.itemIDs(jr) == ["1"])
        #expect(jr.kind == .advance)
        #expect(jr.sendAt == at("2024-12-30T09:00:00+08:00"))
    }

    /// Nothing was sent before: 核实 first, copying nobody; 催办 copies nobody either (the
    /// office is not copied by default); 督办 and 通报 copy the agency's leadership.
    @Test func theLadderCopiesLeadershipFromLevelTwo() {
        let plan = Plan(items: [item("1", due: "2024-12-31")], policy: policy, calendar: calendar,
                        from: at("2025-01-02T00:00"), until: at("2025-03-31"))
        let chases = plan.messages.filter { $0.kind != .report }
        let levels = chases.map { ($0.kind, $0.level, $0.cc.map(\.description)) }
        #expect(levels.first! == (.verify, 0, []))
        #expect(levels.filter { $0.1 == 1 }.allSatisfy { $0.2.isEmpty })
        #expect(levels.filter { $0.1 >= 2 }.allSatisfy { $0.2 == ["市市场监管局/领导"] })
        #expect(levels.map(\.1) == [0, 1, 1, 2, 2, 3, 3, 3, 3, 3])
    }

    @Test func advanceRemindersCopyNobody() {
        let plan = Plan(items: [item("1", due: "2024-12-31")], policy: policy, calendar: calendar,
                        from: at("2024-11-01"), until: at("2024-12-31T23:00"))
        let reminders = plan.messages.filter { $0.kind != .report }
        #expect(reminders.count == 6)
        #expect(reminders.allSatisfy { $0.cc.isEmpty && $0.level == 0 })
    }

    @Test func dedupKeysAreUniquePerRecipient() {
        let items = (0..<300).map { i in
            item("\(i)", due: d("2024-11-01").adding(days: i).iso, lead: ["A\(i % 5)", "A\((i + 1) % 5)"])
        }
        let plan = Plan(items: items, policy: policy, calendar: calendar, from: at("2024-10-01"), until: at("2025-12-31"))
        var seen = Set<String>()
        var messageKeys = Set<String>()
        for m in plan.messages {
            #expect(messageKeys.insert(plan.messageKey(m)).inserted)
            for n in plan.notices(in: m) {
                #expect(seen.insert(m.to.agency + "|" + plan.dedupKey(n)).inserted, "\(plan.dedupKey(n)) twice to \(m.to)")
            }
        }
        #expect(seen.count > 3000)
    }

    @Test func jsonLineShape() throws {
        let plan = Plan(items: [item("8", due: "2024-12-31")], policy: policy, calendar: calendar,
                        from: at("2024-12-24T00:00"), until: at("2024-12-24T23:00"))
        let line = try #require(plan.jsonLines().first)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["send_at"] as? String == "2024-12-24T09:00:00+08:00")
        #expect(object["kind"] as? String == "advance")
        #expect(object["level"] as? Int == 0)
        #expect(object["items"] as? [String] == ["8"])
        #expect(object["to"] as? [String] == ["市市场监管局"])
        #expect(object["cc"] as? [String] == [])
        #expect(object["dedup_key"] as? String == "市市场监管局@2024-12-24T09:00:00+08:00")
        let notices = try #require(object["notices"] as? [[String: Any]])
        #expect(notices.first?["key"] as? String == "8/m1/advance-7/2024-12-24")
    }

    /// One rule for the date extended work is due, shared by the planner, `check` and
    /// `status`: a milestone's own extension replaces its date (even an earlier one); an
    /// extension of the whole item moves only the milestones due before the new date.
    @Test func effectiveDueOfExtendedMilestones() {
        let june = CivilDate(iso: "2025-06-30")!, dec = CivilDate(iso: "2025-12-31")!, sept = CivilDate(iso: "2025-09-30")!
        var item = Item(id: "1", title: "t", lead: ["A"], dueText: "x",
                        milestones: [Milestone(due: june, text: "a"), Milestone(due: dec, text: "b")], status: .extended(to: sept))
        #expect(item.effectiveDue(ofMilestone: 0) == sept, "the item's extension moves the earlier milestone")
        #expect(item.effectiveDue(ofMilestone: 1) == dec, "and leaves the later one")
        item.milestones[1].status = .extended(to: sept)
        #expect(item.effectiveDue(ofMilestone: 1) == sept, "a milestone's own extension replaces its date")
        item.status = .open
        #expect(item.effectiveDue(ofMilestone: 0) == june)
        // The planner reminds against the same date.
        let clock = LocalClock(timeZone: TimeZone(identifier: "Asia/Shanghai")!)
        let notices = Planner(policy: .default, calendar: .weekdaysOnly)
            .notices(for: [item], from: clock.parse("2025-09-30T00:00")!, until: clock.parse("2025-09-30T23:00")!)
        #expect(notices.contains { $0.milestone == 1 && $0.rule == .due && $0.due == sept })
    }

    /// Catch-up after downtime waits for a workday's send time: never a day off, never before 09:00.
    @Test func missedMessagesWaitForAWorkdaysSendTime() {
        let clock = LocalClock(timeZone: TimeZone(identifier: "Asia/Shanghai")!)
        let planner = Planner(policy: .default, calendar: .weekdaysOnly)
        // Thursday 10:00 → now; Thursday 03:00 → 09:00 that day; Saturday → Monday 09:00.
        #expect(planner.sendableInstant(atOrAfter: clock.parse("2025-01-16T10:00")!) == clock.parse("2025-01-16T10:00")!)
        #expect(planner.sendableInstant(atOrAfter: clock.parse("2025-01-16T03:00")!) == clock.parse("2025-01-16T09:00")!)
        #expect(planner.sendableInstant(atOrAfter: clock.parse("2025-01-18T15:00")!) == clock.parse("2025-01-20T09:00")!)
        #expect(planner.sendableInstant(atOrAfter: clock.parse("2025-01-17T23:00")!) == clock.parse("2025-01-17T23:00")!)
    }
}
