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
    /// pressing one, so nobody hears about the same deadline twice in one morning, and
    /// escalations bunched up by a holiday are spaced out again.
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
            for m in item.milestones.indices where item.status(ofMilestone: m).wantsReminders {
                buffer.removeAll(keepingCapacity: true)
                appendDated(item: itemIndex, milestone: Int32(m), due: item.effectiveDue(ofMilestone: m), levels: levels, window: window, into: &buffer)
                collapse(&buffer, levels: levels, window: window, into: &out)
            }
            if item.ongoing, policy.ongoingMonthly {
                appendProgress(item: itemIndex, window: window, into: &out)
            }
        }
        return out
    }

    /// The first instant at or after `now` when a message may go out: an official workday,
    /// at or after the send time. A message missed while the service was down waits for it,
    /// so catching up after a weekend or an early-morning restart never sends on a day off
    /// or before the working day's send time.
    public func sendableInstant(atOrAfter now: Date) -> Date {
        let today = clock.day(of: now)
        if calendar.isWorkday(today), clock.secondsIntoDay(of: now) >= policy.sendTime.seconds { return now }
        let day = calendar.isWorkday(today) && clock.secondsIntoDay(of: now) < policy.sendTime.seconds
            ? today : calendar.workday(onOrAfter: today.adding(days: 1))
        return clock.instant(day, at: policy.sendTime.seconds)
    }

    // MARK: Rules

    private func appendDated(item: Int32, milestone: Int32, due: CivilDate, levels: [EscalationLevel],
                             window: Window, into buffer: inout [Notice]) {
        // Candidates are kept from a margin before the window, so that collapsing and
        // spacing decide the same way whatever `from` is; the window applies afterwards.
        let earliest = window.firstDay.adding(days: -Self.margin)
        func add(_ rule: Notice.Rule, _ nominal: CivilDate, _ send: CivilDate) {
            if send >= earliest && send <= window.lastDay {
                buffer.append(Notice(item: item, milestone: milestone, rule: rule, occurrence: nominal, sendDay: send, due: due))
            }
        }
        // Before the due date: shift to the previous workday.
        // (Skipped entirely when the due date is already far behind the window.)
        if due >= earliest,
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
        // Nominal days before `earliest` can still shift past it (long holidays).
        let firstNominalWanted = earliest.adding(days: -Self.margin)
        for (i, level) in levels.enumerated() where level.everyDays > 0 {
            let endOffset = i + 1 < levels.count ? levels[i + 1].afterDays - 1 : Int.max
            let firstNominal = due.adding(days: level.afterDays)
            var k = 0
            if firstNominal < firstNominalWanted {
                k = (firstNominal.days(until: firstNominalWanted) + level.everyDays - 1) / level.everyDays
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

    /// Days before the window that candidates are generated for (longer than any holiday break).
    static let margin = 21

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

    /// Sorts one milestone's notices by send day and keeps the most pressing per day; an
    /// escalation closer than half its repeat interval to the previous one (two levels
    /// pushed together by a holiday) is dropped. Then applies the window.
    private func collapse(_ buffer: inout [Notice], levels: [EscalationLevel], window: Window, into out: inout [Notice]) {
        if buffer.count > 1 {
            buffer.sort { $0.sendDay != $1.sendDay ? $0.sendDay < $1.sendDay : $0.rule.urgency > $1.rule.urgency }
        }
        var last: CivilDate? = nil
        var lastEscalation: CivilDate? = nil
        for n in buffer where n.sendDay != last {
            last = n.sendDay
            if case .overdue(let l) = n.rule {
                let every = levels.first { $0.level == l }?.everyDays ?? 1
                if let previous = lastEscalation, previous.days(until: n.sendDay) < max(1, every / 2) { continue }
                lastEscalation = n.sendDay
            }
            if window.contains(n.sendDay) { out.append(n) }
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
