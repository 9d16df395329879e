import Foundation
import Testing
@testable import DudaoCore
@testable import DudaoSchedules
@testable import DudaoImport

/// The plan of the real seed, on the bundled calendar, across all four years of data.
struct BundledPlanTests {
    let set = ScheduleSet.load(Fixtures.schedules)
    let clock = LocalClock(timeZone: TimeZone(identifier: "Asia/Shanghai")!)

    func plan(_ items: [Item]) -> Plan {
        Plan(items: items, policy: set.policy, calendar: set.calendar,
             from: clock.parse("2023-01-01")!, until: clock.parse("2026-12-31T23:59:59+08:00")!)
    }

    @Test func neverOnANonWorkdayNeverTwiceNothingForDoneItems() throws {
        var items = set.items
        let doneIDs: Set<String> = ["1", "6", "20"]
        for i in items.indices where doneIDs.contains(items[i].id) { items[i].status = .done }
        let plan = plan(items)
        #expect(plan.messages.count > 500)

        var keys = Set<String>()
        var messageKeys = Set<String>()
        for m in plan.messages {
            #expect(set.calendar.isWorkday(m.sendDay), "\(m.sendDay) is not a workday")
            #expect(clock.iso8601(m.sendAt).hasSuffix("T09:00:00+08:00"))
            #expect(messageKeys.insert(plan.messageKey(m)).inserted)
            for n in plan.notices(in: m) {
                #expect(keys.insert(m.to.description + "|" + plan.dedupKey(n)).inserted, "\(plan.dedupKey(n)) twice")
                if let item = plan.item(n) { #expect(!doneIDs.contains(item.id), "item \(item.id) is done") }
            }
        }
        // Spring Festival 2024 (02-10..02-17) and National Day 2025 (10-01..10-08) are silent.
        #expect(!plan.messages.contains { $0.sendDay >= CivilDate(iso: "2024-02-10")! && $0.sendDay <= CivilDate(iso: "2024-02-17")! })
        #expect(!plan.messages.contains { $0.sendDay >= CivilDate(iso: "2025-10-01")! && $0.sendDay <= CivilDate(iso: "2025-10-08")! })
    }

    @Test func aliasesAreResolvedBeforePlanning() {
        let four = set.items.first { $0.id == "4" }!
        #expect(four.lead == ["市市场监管局", "市金融局"], "市市场监管局(知识产权局) is an alias")
        let sixteen = set.items.first { $0.id == "16" }!
        #expect(sixteen.lead.first == "市消防救援支队", "市消防支队 is an alias")
    }

    @Test func theSeedsDecemberDeadlinesInThePlan() {
        let p = Plan(items: set.items, policy: set.policy, calendar: set.calendar,
                     from: clock.parse("2024-12-30")!, until: clock.parse("2024-12-30T23:00")!)
        // Monday 12-30, 市市场监管局 hears once: eleven items are a day from due, and items 9
        // and 20 (due 2023-12-31) are a year overdue with nothing on record — one digest,
        // whose overdue part is a 核实 request copying nobody.
        let scjg = p.messages.first { $0.to.agency == "市市场监管局" }!
        #expect(p.itemIDs(scjg) == ["1", "3", "4", "5", "7", "9", "10", "13", "14", "15", "16", "19", "20"])
        #expect(scjg.kind == .digest)
        #expect(scjg.level == 0)
        #expect(scjg.cc.isEmpty)
        let rules = p.notices(in: scjg).map { "\(p.items[Int($0.item)].id):\($0.rule.name)" }
        #expect(rules.contains("1:advance-1") && rules.contains("20:verify"))
        // An agency with only advance reminders is copied to nobody.
        let jr = p.messages.first { $0.to.agency == "市金融局" }!
        #expect(jr.kind == .advance && jr.cc.isEmpty)
    }
}
