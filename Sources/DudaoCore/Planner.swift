import Foundation

/// Turns items, the records and the working-day calendar into every notice due in a time
/// window. Pure and deterministic: the same inputs give the same notices in the same order.
///
/// Before a date it reminds on fixed days. After it, each lead agency climbs the ladder by
/// what the records show was sent and answered, and the plan assumes every message it plans
/// is sent and nothing is answered — so a year's plan shows the climb.
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

    /// Every notice sent at an instant in `from...until`, in item order, then lead agency,
    /// milestone and send day. Claimed notices (sent, in the outbox, skipped) are left out.
    /// A notice for every lead (`lead` -1) stands for work no records distinguish.
    ///
    /// The office's decisions are told once; after that, done and cancelled work is skipped
    /// and extended work is planned against its new date.
    /// Two advance rules landing on the same send day collapse into the more pressing one,
    /// so nobody hears about the same deadline twice in one morning.
    ///
    /// `ladderFrom` (the service after downtime) leaves the ladder's weekly days before it
    /// out rather than assuming they were sent: the ladder goes on from what was recorded.
    public func notices(for items: [Item], supervision: Supervision = .none, from: Date, until: Date, ladderFrom: Date? = nil) -> [Notice] {
        guard from <= until else { return [] }
        var window = Window(planner: self, from: from, until: until)
        if let ladderFrom, ladderFrom > from { window.ladderFirstDay = clock.day(of: ladderFrom) }
        // Items are planned independently: a large list is planned in runs of items on all
        // cores, and the runs joined in item order (the same notices as one run would give).
        let cores = items.count < 2_000 ? 1 : ProcessInfo.processInfo.activeProcessorCount
        let planner = self, planned = window
        return OrderedRuns.map(items.count, cores: cores) { range in
            planner.notices(for: items, in: range, supervision: supervision, window: planned)
        }
    }

    /// The notices of `items[range]`, in item order.
    private func notices(for items: [Item], in range: Range<Int>, supervision: Supervision, window: Window) -> [Notice] {
        var out: [Notice] = []
        out.reserveCapacity(range.count * 4)
        var buffer: [Notice] = []

        for index in range {
            let item = items[index]
            let itemIndex = Int32(index)
            // Work nobody reported on and nothing was sent about is the same for every lead:
            // planned once, for all of them (most of a large list, most of the time).
            let quiet = supervision.history.isEmpty(item: item.id) && supervision.standings.isEmpty(item: item.id)
            let leads: [(Int, String)] = quiet ? [(-1, item.lead.first ?? "")] : item.lead.enumerated().map { ($0.offset, $0.element) }
            for (lead, agency) in leads {
                var told: Set<ProgressReport> = []
                for m in item.milestones.indices {
                    let standing = supervision.standings.standing(item, milestone: m, agency: agency)
                    let track = quiet ? nil : supervision.history.track(agency: agency, item: item.id, milestone: Int32(m))
                    let work = Work(item: itemIndex, milestone: Int32(m), lead: lead, id: item.id, track: track)
                    appendDecision(work, standing: standing, window: window, told: &told, into: &out)
                    guard standing.status.wantsReminders, let due = standing.due else { continue }
                    buffer.removeAll(keepingCapacity: true)
                    appendAhead(work, due: due, window: window, into: &buffer)
                    let before = out.count
                    collapse(&buffer, work, window: window, into: &out)
                    let remindedAhead = out.count > before
                    // Overdue messages not yet signed for, whose follow-up has not reached the agency.
                    let held = supervision.unconfirmed.isEmpty ? [] : Set((track?.escalations ?? []).map(\.day).filter {
                        supervision.unconfirmed.contains(Signing.key(agency: agency, item: item.id, milestone: Int32(m), day: $0))
                    })
                    appendOverdue(work, due: due, firstOverdue: due.adding(days: 1), standing: standing,
                                  contacted: remindedAhead, held: held, window: window, into: &out)
                }
                if item.ongoing, policy.ongoing.enabled {
                    let standing = supervision.standings.standing(item, milestone: nil, agency: agency)
                    let track = quiet ? nil : supervision.history.track(agency: agency, item: item.id, milestone: -1)
                    let work = Work(item: itemIndex, milestone: -1, lead: lead, id: item.id, track: track)
                    appendDecision(work, standing: standing, window: window, told: &told, into: &out)
                    guard standing.status.wantsReminders else { continue }
                    appendOngoing(work, standing: standing, window: window, into: &out)
                }
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

    /// The day of the ladder's weekly rhythm at or after `day`, and the nominal weekday of
    /// its week (the dedup key's day).
    public func ladderDay(onOrAfter day: CivilDate) -> (send: CivilDate, nominal: CivilDate) {
        let weekday = policy.ladder.weekday
        let send = calendar.weeklyDay(onOrAfter: day, weekday: weekday)
        return (send, send.adding(days: weekday - send.isoWeekday))
    }

    /// The report day (nominal, and moved to a workday) of ongoing work in `month` of `year`.
    public func reportDay(year: Int, month: Int) -> (nominal: CivilDate, due: CivilDate) {
        let nominal = CivilDate(year: year, month: month, day: policy.ongoing.reportDay)!
        return (nominal, calendar.workday(onOrAfter: nominal))
    }

    // MARK: Rules

    /// One agency's piece of work being planned.
    private struct Work {
        let item: Int32
        let milestone: Int32
        let lead: Int
        let id: String
        let track: SentHistory.Track?

        func claimed(_ n: Notice) -> Bool {
            guard let track else { return false }
            return track.claimed.contains(Plan.dedupKey(id: id, n, occurrence: n.occurrence.iso))
        }
    }

    /// Advance and due-day reminders, shifted to the previous workday.
    private func appendAhead(_ w: Work, due: CivilDate, window: Window, into buffer: inout [Notice]) {
        // Candidates are kept from a margin before the window, so that collapsing decides
        // the same way whatever `from` is; the window applies afterwards.
        let earliest = window.firstDay.adding(days: -Self.margin)
        guard due >= earliest,
              window.lastDay >= calendar.workday(onOrBefore: due.adding(days: -(policy.advanceDays.max() ?? 0))) else { return }
        func add(_ rule: Notice.Rule, _ nominal: CivilDate) {
            let send = calendar.workday(onOrBefore: nominal)
            if send >= earliest && send <= window.lastDay {
                buffer.append(Notice(item: w.item, milestone: w.milestone, lead: w.lead, rule: rule, occurrence: nominal, sendDay: send, due: due))
            }
        }
        for days in policy.advanceDays where days > 0 { add(.advance(days: days), due.adding(days: -days)) }
        if policy.dueDay { add(.due, due) }
    }

    /// Days before the window that candidates are generated for (longer than any holiday break).
    static let margin = 21

    /// Climbs the ladder for work overdue since `firstOverdue`, on the agency's weekly day.
    private func appendOverdue(_ w: Work, due: CivilDate, firstOverdue: CivilDate, standing: Standing, contacted: Bool,
                               held: Set<CivilDate> = [], window: Window, into out: inout [Notice]) {
        guard firstOverdue <= window.lastDay else { return }
        let answered = standing.lastAnswer.map { clock.day(of: $0.at) }
        let since = (w.track?.escalations ?? []).lazy.filter { answered == nil || $0.day > answered! }
        var state = LadderState(ladder: policy.ladder, escalations: since,
                                contacted: contacted || standing.lastAnswer != nil || (w.track?.contacted ?? false), held: held)
        var earliest = max(firstOverdue, window.ladderFirstDay ?? window.firstDay)
        switch standing.pause(policy: policy, calendar: calendar, clock: clock) {
        case .untilDecided: return
        case .through(let last):
            guard last < window.lastDay else { return }
            earliest = max(earliest, last.adding(days: 1))
        case nil: break
        }
        if let next = state.earliest(calendar: calendar) { earliest = max(earliest, next) }
        while let step = state.next {
            let (day, nominal) = ladderDay(onOrAfter: earliest)
            if day > window.lastDay { break }
            let rule: Notice.Rule = if case .level(let l) = step { .overdue(level: l) } else { .verify }
            let n = Notice(item: w.item, milestone: w.milestone, lead: w.lead, rule: rule, occurrence: nominal, sendDay: day, due: due)
            guard window.contains(day), !w.claimed(n) else {
                earliest = day.adding(days: 1)
                continue
            }
            out.append(n)
            state.sent(step, on: day)
            earliest = max(day.adding(days: 1), state.earliest(calendar: calendar) ?? day.adding(days: 1))
        }
    }

    /// Monthly report requests for ongoing work, and the ladder for a report that did not
    /// come: it starts after the first report day whose request was sent and that no
    /// answer since the month before's report day covers.
    private func appendOngoing(_ w: Work, standing: Standing, window: Window, into out: inout [Notice]) {
        var requested = w.track?.requests ?? []
        let before = policy.ongoing.remindWorkdaysBefore
        var month = window.firstDay.adding(days: -40)
        let last = window.lastDay.adding(days: 40)
        while month <= last {
            let (nominal, due) = reportDay(year: month.year, month: month.month)
            let send = calendar.workdays(before: due, count: before)
            if window.contains(send) {
                let n = Notice(item: w.item, milestone: -1, lead: w.lead, rule: .progress, occurrence: nominal, sendDay: send, due: due)
                if !w.claimed(n) {
                    out.append(n)
                    requested.insert(nominal)
                }
            }
            month = month.endOfMonth.adding(days: 1)
        }
        let answered = standing.lastAnswer.map { clock.day(of: $0.at) }
        let missed = requested.filter { day in
            guard let answered else { return true }
            let previous = day.adding(days: -day.day).endOfMonth   // last day of the month before
            let (previousReportDay, _) = reportDay(year: previous.year, month: previous.month)
            return answered <= previousReportDay
        }
        guard let first = missed.min() else { return }
        let due = calendar.workday(onOrAfter: first)
        appendOverdue(w, due: due, firstOverdue: due.adding(days: 1), standing: standing, contacted: true, window: window, into: &out)
    }

    /// The office's decision that counts for this agency's work (销号, 退回, an extension
    /// granted or refused), told at the first send time after it was recorded: the same
    /// morning when decided before the send time on a workday, else the next workday. A
    /// decision about the whole item is told once, with the first milestone it decides.
    private func appendDecision(_ w: Work, standing: Standing, window: Window, told: inout Set<ProgressReport>, into out: inout [Notice]) {
        guard let decision = standing.report, decision.status.isDecision, told.insert(decision).inserted else { return }
        let decided = clock.day(of: decision.at)
        let send = calendar.isWorkday(decided) && clock.secondsIntoDay(of: decision.at) < policy.sendTime.seconds
            ? decided : calendar.workday(onOrAfter: decided.adding(days: 1))
        let n = Notice(item: w.item, milestone: w.milestone, lead: w.lead, rule: .decision, occurrence: decided, sendDay: send,
                       due: standing.due ?? send)
        if window.contains(send), !w.claimed(n) { out.append(n) }
    }

    /// Sorts one milestone's reminders by send day and keeps the most pressing per day,
    /// then applies the window and leaves out claimed ones.
    private func collapse(_ buffer: inout [Notice], _ w: Work, window: Window, into out: inout [Notice]) {
        if buffer.count > 1 {
            buffer.sort { $0.sendDay != $1.sendDay ? $0.sendDay < $1.sendDay : $0.rule.urgency > $1.rule.urgency }
        }
        var last: CivilDate? = nil
        for n in buffer where n.sendDay != last {
            last = n.sendDay
            if window.contains(n.sendDay), !w.claimed(n) { out.append(n) }
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
        /// First day the ladder plans on, when later than `firstDay`.
        var ladderFirstDay: CivilDate?

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

extension Planner {
    /// The office's reports sent in `from...until`: weekly on the report weekday, and on the
    /// first workday of each month when a monthly one is asked for. Claimed ones are left out.
    public func officeReports(from: Date, until: Date, history: SentHistory) -> [Notice] {
        guard let office = policy.supervisor, from <= until else { return [] }
        let window = Window(planner: self, from: from, until: until)
        let claimed = history.track(agency: office, item: "", milestone: -1)?.claimed ?? []
        var out: [Notice] = []
        func add(_ monthly: Bool, _ nominal: CivilDate, _ send: CivilDate) {
            let n = Notice(item: -1, milestone: -1, rule: .report(monthly: monthly), occurrence: nominal, sendDay: send, due: send)
            if window.contains(send), !claimed.contains(Plan.dedupKey(id: "", n, occurrence: nominal.iso)) { out.append(n) }
        }
        if let weekday = policy.officeReport.weekday {
            var week = window.firstDay.adding(days: -7)
            while week <= window.lastDay.adding(days: 7) {
                if let send = calendar.weeklyDay(inWeekOf: week, weekday: weekday) {
                    add(false, send.adding(days: weekday - send.isoWeekday), send)
                }
                week = week.adding(days: 7)
            }
        }
        if policy.officeReport.monthly {
            var month = window.firstDay.adding(days: -31)
            while month <= window.lastDay {
                let first = month.adding(days: 1 - month.day)
                add(true, first, calendar.workday(onOrAfter: first))
                month = month.endOfMonth.adding(days: 1)
            }
        }
        return out.sorted { $0.sendDay < $1.sendDay }
    }
}
