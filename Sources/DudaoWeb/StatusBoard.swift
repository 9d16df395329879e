import Foundation
import DudaoCore
import DudaoSchedules
import DudaoStore

/// The 台账 at an instant: one `StatusRow` per item and lead agency, with the next planned
/// message and the failures on record. `dudao status`, the console's dashboard and
/// `/api/items` all read it, so they never disagree.
public struct StatusBoard: Sendable {
    /// Rows in list order.
    public let rows: [StatusRow]
    /// The records the rows were built from.
    public let supervision: Supervision
    /// The day the rows are about.
    public let today: CivilDate

    /// The board of `set` under `store`'s records (none when nil) at `now`; the next
    /// planned message is looked for `horizonDays` ahead.
    public init(set: ScheduleSet, store: StateStore?, now: Date, horizonDays: Int = 400) throws {
        try self.init(set: set, items: set.items, store: store, now: now, horizonDays: horizonDays)
    }

    /// The rows of `items` only (an item's page: one item's plan, not the whole list's).
    public init(set: ScheduleSet, items: [Item], store: StateStore?, now: Date, horizonDays: Int = 400) throws {
        let clock = LocalClock(timeZone: set.policy.timeZone)
        let supervision = try store?.supervision(clock: clock) ?? .none
        let dead = try store?.deadLetters() ?? [:]
        let skipped = try store?.skippedCounts() ?? [:]
        let plan = Plan(items: items, policy: set.policy, calendar: set.calendar, from: now,
                        until: now.addingTimeInterval(Double(horizonDays) * 86400), supervision: supervision)
        var next: [String: Date] = [:]
        for m in plan.messages where m.kind != .report {
            for n in plan.notices(in: m) {
                let key = plan.items[Int(n.item)].id + "|" + m.to.agency
                if next[key] == nil { next[key] = m.sendAt }
            }
        }
        today = clock.day(of: now)
        let ledger = Ledger(items: items, supervision: supervision, policy: set.policy, today: today)
        let today = self.today
        rows = ledger.rows.map { row in
            let item = items[row.item]
            return StatusRow(row: row, item: item, policy: set.policy, today: today, next: next[item.id + "|" + row.agency],
                             failures: dead[item.id] ?? 0, skipped: skipped[item.id] ?? 0, clock: clock)
        }
        self.supervision = supervision
    }

    /// Rows counted by light.
    public var lightCounts: [Light: Int] {
        var counts: [Light: Int] = [:]
        for r in rows { counts[r.light, default: 0] += 1 }
        return counts
    }
}
