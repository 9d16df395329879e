import Foundation

/// Turns items, the policy and the working-day calendar into every notice due in a time
/// window. Pure and deterministic: the same inputs give the same notices in the same order.
public struct Planner: Sendable {
    /// When to remind and escalate.
    public let policy: Policy
    /// Official working days.
    public let calendar: WorkCalendar
    /// Local time in the policy's zone.
    public let clock: LocalClock

    /// A planner for a policy and calendar.
    public init(policy: Policy, calendar: WorkCalendar) {
        self.policy = policy
        self.calendar = calendar
        self.clock = LocalClock(timeZone: policy.timeZone)
    }

    /// Every notice sent at an instant in `from...until`, in item order, then send day.
    ///
    /// Done and cancelled work is skipped; extended work is planned against its new date.
    /// Two rules of one milestone landing on the same send day collapse into the more
    /// pressing one, so nobody hears about the same deadline twice in one morning.
    public func notices(for items: [Item], from: Date, until: Date) -> [Notice] {
        guard from <= until else { return [] }
        let window = Window(planner: self, from: from, until: until)
        var out: [Notice] = []
        out.reserveCapacity(items.count * 4)
        var buffer: [Notice] = []
        let levels = policy.overdue.sorted { $0.afterDays < $1.afterDays }

        for (index, item) in items.enumerated() {
            let itemIndex = Int32(index)
            guard item.status.wantsReminders else { continue }
            for (m, milestone) in item.milestones.enumerated() {
                let status = milestone.status ?? item.status
                guard status.wantsReminders else { continue }
                var due = milestone.due
                if case .extended(let to) = status {
                    due = milestone.status == nil ? max(due, to) : to
                }
                buffer.removeAll(keepingCapacity: true)
                appendDated(item: itemIndex, milestone: Int32(m), due: due, levels: levels, window: window, into: &buffer)
                collapseSameDay(&buffer, into: &out)
            }
            if item.ongoing, policy.ongoingMonthly {
                appendProgress(item: itemIndex, window: window, into: &out)
            }
        }
        return out
    }

    // MARK: Rules

    private func appendDated(item: Int32, milestone: Int32, due: CivilDate, levels: [EscalationLevel],
                             window: Window, into buffer: inout [Notice]) {
        func add(_ rule: Notice.Rule, _ nominal: CivilDate, _ send: CivilDate) {
            if window.contains(send) {
                buffer.append(Notice(item: item, milestone: milestone, rule: rule, occurrence: nominal, sendDay: send, due: due))
            }
        }
        // Before the due date: shift to the previous workday.
        // (Skipped entirely when the due date is already behind the window.)
        if due >= window.firstDay,
           window.lastDay >= calendar.workday(onOrBefore: due.adding(days: -(policy.advanceDays.max() ?? 0))) {
            for days in policy.advanceDays where days > 0 {
                let nominal = due.adding(days: -days)
                add(.advance(days: days), nominal, calendar.workday(onOrBefore: nominal))
            }
            if policy.dueDay {
                add(.due, due, calendar.workday(onOrBefore: due))
            }
        }
        // After the due date: shift to the next workday; never escalate early.
        // Nominal days this far before the window can still shift into it (long holidays).
        let earliest = window.firstDay.adding(days: -21)
        for (i, level) in levels.enumerated() where level.everyDays > 0 {
            let endOffset = i + 1 < levels.count ? levels[i + 1].afterDays - 1 : Int.max
            let firstNominal = due.adding(days: level.afterDays)
            var k = 0
            if firstNominal < earliest {
                k = (firstNominal.days(until: earliest) + level.everyDays - 1) / level.everyDays
            }
            while true {
                let offset = level.afterDays + k * level.everyDays
                if offset > endOffset { break }
                let nominal = due.adding(days: offset)
                if nominal > window.lastDay { break }
                add(.overdue(level: level.level), nominal, calendar.workday(onOrAfter: nominal))
                k += 1
            }
        }
    }

    private func appendProgress(item: Int32, window: Window, into out: inout [Notice]) {
        var monthEnd = window.firstDay.endOfMonth
        while true {
            let send = calendar.lastWorkday(ofMonthOf: monthEnd)
            if send > window.lastDay { break }
            if window.contains(send) {
                out.append(Notice(item: item, milestone: -1, rule: .progress, occurrence: monthEnd, sendDay: send, due: monthEnd))
            }
            monthEnd = monthEnd.adding(days: 1).endOfMonth
        }
    }

    /// Sorts one milestone's notices by send day and keeps the most pressing per day.
    private func collapseSameDay(_ buffer: inout [Notice], into out: inout [Notice]) {
        if buffer.count > 1 {
            buffer.sort { $0.sendDay != $1.sendDay ? $0.sendDay < $1.sendDay : $0.rule.urgency > $1.rule.urgency }
        }
        var last: CivilDate? = nil
        for n in buffer where n.sendDay != last {
            out.append(n)
            last = n.sendDay
        }
    }

    // MARK: Window

    /// The send window in local days, with exact checks on its first and last day.
    struct Window {
        let firstDay: CivilDate
        let lastDay: CivilDate
        let fromSeconds: Int
        let untilSeconds: Int
        let sendSeconds: Int

        init(planner: Planner, from: Date, until: Date) {
            let clock = planner.clock
            firstDay = clock.day(of: from)
            lastDay = clock.day(of: until)
            fromSeconds = clock.secondsIntoDay(of: from)
            untilSeconds = clock.secondsIntoDay(of: until)
            sendSeconds = planner.policy.sendTime.seconds
        }

        func contains(_ day: CivilDate) -> Bool {
            if day < firstDay || day > lastDay { return false }
            if day == firstDay, sendSeconds < fromSeconds { return false }
            if day == lastDay, sendSeconds > untilSeconds { return false }
            return true
        }
    }
}
