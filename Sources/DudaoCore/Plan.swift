import Foundation

/// The planner's answer for a window: the messages, the notices they carry, and the keys
/// that make each reminder unique.
public struct Plan: Sendable {
    /// The items the notices index into.
    public let items: [Item]
    /// Every notice, in item order.
    public let notices: [Notice]
    /// Messages in send order.
    public let messages: [PlannedMessage]
    /// The policy's local time, for printing instants.
    public let clock: LocalClock
    /// The policy planned with.
    public let policy: Policy
    private let index: [Int32]

    /// Plans `items` for `from...until`: notices, then one message per agency and send time.
    /// `alreadySent` holds `agency|dedup key` of notices delivered before; they are left out.
    public init(items: [Item], policy: Policy, calendar: WorkCalendar, from: Date, until: Date, alreadySent: Set<String> = []) {
        let planner = Planner(policy: policy, calendar: calendar)
        let notices = planner.notices(for: items, from: from, until: until)
        var skip: ((Notice, String) -> Bool)? = nil
        if !alreadySent.isEmpty {
            skip = { n, agency in alreadySent.contains(Claim.key(agency: agency, notice: Self.dedupKey(id: items[Int(n.item)].id, n, occurrence: n.occurrence.iso))) }
        }
        (messages, index) = DigestGrouping(policy: policy).group(notices, items: items, skip: skip)
        self.items = items
        self.notices = notices
        self.clock = planner.clock
        self.policy = policy
    }

    /// A plan of exactly `notices`, grouped into messages (previews, catch-up); `skip`
    /// leaves out a notice for an agency.
    public init(items: [Item], notices: [Notice], policy: Policy, skip: ((Notice, String) -> Bool)? = nil) {
        (messages, index) = DigestGrouping(policy: policy).group(notices, items: items, skip: skip)
        self.items = items
        self.notices = notices
        self.clock = LocalClock(timeZone: policy.timeZone)
        self.policy = policy
    }

    /// The notices a message carries, in item order.
    public func notices(in m: PlannedMessage) -> LazyMapSequence<ArraySlice<Int32>, Notice> {
        index[m.noticeRange].lazy.map { self.notices[Int($0)] }
    }

    /// `8/m1/advance-7/2024-12-24`: item, milestone (or `ongoing`), rule, occurrence day.
    /// Never sent twice to one recipient.
    public func dedupKey(_ n: Notice) -> String {
        Self.dedupKey(id: items[Int(n.item)].id, n, occurrence: n.occurrence.iso)
    }

    /// The key from its parts; `occurrence` is the ISO day (callers may cache it).
    static func dedupKey(id: String, _ n: Notice, occurrence: String) -> String {
        id + (n.milestone < 0 ? "/ongoing/" : "/m\(n.milestone + 1)/") + n.rule.name + "/" + occurrence
    }

    /// `市市场监管局@2024-12-24T09:00:00+08:00`: one message per agency and send time.
    public func messageKey(_ m: PlannedMessage) -> String {
        "\(m.to.agency)@\(clock.iso8601(m.sendAt))"
    }

    /// The ids of the items a message mentions, once each, in list order.
    public func itemIDs(_ m: PlannedMessage) -> [String] {
        var seen = Set<Int32>()
        return notices(in: m).compactMap { seen.insert($0.item).inserted ? items[Int($0.item)].id : nil }
    }
}
