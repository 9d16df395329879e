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

    /// The records planned with.
    public let supervision: Supervision
    /// The working days planned with.
    public let calendar: WorkCalendar

    /// Plans `items` for `from...until`: notices, the office's reports, then one message per
    /// agency and send time. Notices the records show as claimed are left out.
    /// `ladderFrom`: see `Planner.notices`.
    public init(items: [Item], policy: Policy, calendar: WorkCalendar, from: Date, until: Date, supervision: Supervision = .none,
                ladderFrom: Date? = nil) {
        let planner = Planner(policy: policy, calendar: calendar)
        var notices = planner.notices(for: items, supervision: supervision, from: from, until: until, ladderFrom: ladderFrom)
        notices += planner.officeReports(from: from, until: until, history: supervision.history)
        (messages, index) = DigestGrouping(policy: policy).group(notices, items: items)
        self.items = items
        self.notices = notices
        self.clock = planner.clock
        self.policy = policy
        self.supervision = supervision
        self.calendar = calendar
    }

    /// A plan of exactly `notices`, grouped into messages (previews, catch-up); `skip`
    /// leaves out a notice for an agency.
    public init(items: [Item], notices: [Notice], policy: Policy, calendar: WorkCalendar = .weekdaysOnly,
                supervision: Supervision = .none, skip: ((Notice, String) -> Bool)? = nil) {
        (messages, index) = DigestGrouping(policy: policy).group(notices, items: items, skip: skip)
        self.items = items
        self.notices = notices
        self.clock = LocalClock(timeZone: policy.timeZone)
        self.policy = policy
        self.supervision = supervision
        self.calendar = calendar
    }

    /// The notices a message carries, in item order.
    public func notices(in m: PlannedMessage) -> LazyMapSequence<ArraySlice<Int32>, Notice> {
        index[m.noticeRange].lazy.map { self.notices[Int($0)] }
    }

    /// `8/m1/advance-7/2024-12-24`: item, milestone (or `ongoing`), rule, occurrence day;
    /// `office/report-week/2024-12-23` for the office's report. Never sent twice to one
    /// recipient (`NoticeKey` reads it back).
    public func dedupKey(_ n: Notice) -> String {
        Self.dedupKey(id: n.item < 0 ? "" : items[Int(n.item)].id, n, occurrence: n.occurrence.iso)
    }

    /// The key from its parts; `occurrence` is the ISO day (callers may cache it).
    static func dedupKey(id: String, _ n: Notice, occurrence: String) -> String {
        if n.item < 0 { return "office/" + n.rule.name + "/" + occurrence }
        return id + (n.milestone < 0 ? "/ongoing/" : "/m\(n.milestone + 1)/") + n.rule.name + "/" + occurrence
    }

    /// `市市场监管局@2024-12-24T09:00:00+08:00`: one message per agency and send time;
    /// the office's report adds `#report-week` or `#report-month`.
    public func messageKey(_ m: PlannedMessage) -> String {
        let at = "\(m.to.agency)@\(clock.iso8601(m.sendAt))"
        guard m.kind == .report, let n = notices(in: m).first else { return at }
        return at + "#" + n.rule.name
    }

    /// The ids of the items a message mentions, once each, in list order.
    public func itemIDs(_ m: PlannedMessage) -> [String] {
        itemIndexes(m).map { items[Int($0)].id }
    }

    /// The indexes in `items` of the items a message mentions, once each, in list order.
    public func itemIndexes(_ m: PlannedMessage) -> [Int32] {
        // A planned message holds its notices in item order, so repeats are adjacent; a
        // preview's may not be, and gets the general way.
        var indexes: [Int32] = []
        for n in notices(in: m) where n.item >= 0 && n.item != indexes.last { indexes.append(n.item) }
        if zip(indexes, indexes.dropFirst()).contains(where: { $0 >= $1 }) {
            var seen = Set<Int32>()
            indexes = indexes.filter { seen.insert($0).inserted }
        }
        return indexes
    }

    /// The agency a notice goes to in `m`: its own lead, or the message's addressee.
    public func agency(of n: Notice, in m: PlannedMessage) -> String {
        n.lead >= 0 && n.item >= 0 ? items[Int(n.item)].lead[n.lead] : m.to.agency
    }

    /// The reminders that reached `agency` about `n`'s work before `n` is sent, as the sent
    /// log (and what retention summarised of it) shows — never what is only planned.
    public func remindersBefore(_ n: Notice, agency: String) -> SentHistory.Reminders {
        guard n.item >= 0 else { return SentHistory.Reminders() }
        return supervision.history.track(agency: agency, item: items[Int(n.item)].id, milestone: n.milestone)?
            .reminders(before: n.sendDay) ?? SentHistory.Reminders()
    }

    /// The item a notice is about; `nil` for the office's report.
    public func item(_ n: Notice) -> Item? { n.item >= 0 ? items[Int(n.item)] : nil }
}
