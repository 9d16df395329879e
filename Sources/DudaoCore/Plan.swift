import Foundation

/// The planner's answer for a window: the messages, with the items they refer to, and the
/// keys that make each reminder unique.
public struct Plan: Sendable {
    /// The items the notices index into.
    public let items: [Item]
    /// Messages in send order.
    public let messages: [PlannedMessage]
    /// The policy's local time, for printing instants.
    public let clock: LocalClock

    /// Plans `items` for `from...until`: notices, then one message per agency and send time.
    public init(items: [Item], policy: Policy, calendar: WorkCalendar, from: Date, until: Date) {
        let planner = Planner(policy: policy, calendar: calendar)
        let notices = planner.notices(for: items, from: from, until: until)
        self.items = items
        self.messages = DigestGrouping(policy: policy).messages(for: notices, items: items)
        self.clock = planner.clock
    }

    /// `8/m1/advance-7/2024-12-24`: item, milestone (or `ongoing`), rule, occurrence day.
    /// Never sent twice to one recipient.
    public func dedupKey(_ n: Notice) -> String {
        let milestone = n.milestone < 0 ? "ongoing" : "m\(n.milestone + 1)"
        return "\(items[Int(n.item)].id)/\(milestone)/\(n.rule.name)/\(n.occurrence.iso)"
    }

    /// `市市场监管局@2024-12-24T09:00:00+08:00`: one message per agency and send time.
    public func messageKey(_ m: PlannedMessage) -> String {
        "\(m.to.agency)@\(clock.iso8601(m.sendAt))"
    }

    /// The ids of the items a message mentions, once each, in list order.
    public func itemIDs(_ m: PlannedMessage) -> [String] {
        var seen = Set<Int32>()
        return m.notices.compactMap { seen.insert($0.item).inserted ? items[Int($0.item)].id : nil }
    }
}
