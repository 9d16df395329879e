/// Where one agency is on the ladder for one piece of work, from the overdue messages sent
/// since its last answer: what the next message is and the earliest day it may go.
/// Pure: the planner feeds it the history, then each message it plans.
public struct LadderState: Sendable {
    /// The ladder.
    public let ladder: Ladder
    /// The last overdue message since the last answer.
    public private(set) var last: LadderStep?
    /// Messages in a row at the last step.
    public private(set) var countAtStep = 0
    /// Day of the first of them.
    public private(set) var firstAtStep: CivilDate?
    /// Day of the last message.
    public private(set) var lastDay: CivilDate?
    /// True once anything reached the agency about the work (or it answered): no 核实 then.
    public private(set) var contacted: Bool

    /// A state after `escalations` (the overdue messages since the agency's last answer, in
    /// order). `contacted` when anything was sent before or the agency ever answered.
    /// Messages on a `held` day reached the agency unconfirmed (not signed for, follow-up not
    /// yet delivered): they set the pace but do not count as unanswered, so the level is
    /// repeated instead of climbed.
    public init(ladder: Ladder, escalations: some Sequence<(step: LadderStep, day: CivilDate)>, contacted: Bool, held: Set<CivilDate> = []) {
        self.ladder = ladder
        self.contacted = contacted
        for e in escalations { sent(e.step, on: e.day, counts: !held.contains(e.day)) }
    }

    /// The next message, or `nil` when the ladder has stopped (`max_times` reached at the
    /// top, or at a level that does not climb).
    public var next: LadderStep? {
        guard let first = ladder.levels.first else { return nil }
        guard let last else {
            return contacted || ladder.verifyReplyDays == nil ? .level(first.level) : .verify
        }
        guard case .level(let n) = last else { return .level(first.level) }
        // A level no longer configured (the policy changed): go on from the nearest one above.
        guard let level = ladder.level(n) else { return .level(ladder.level(after: n)?.level ?? ladder.levels.last!.level) }
        if let k = level.climbAfter, countAtStep >= k, let up = ladder.level(after: n) { return .level(up.level) }
        if let max = level.maxTimes, countAtStep >= max { return nil }
        return .level(n)
    }

    /// The earliest day of the next message: a full interval of the last one's level after
    /// it, and after the reply window it gave.
    public func earliest(calendar: WorkCalendar) -> CivilDate? {
        guard let last, let lastDay else { return nil }
        switch last {
        case .verify:
            let reply = calendar.workdays(after: lastDay, count: ladder.verifyReplyDays ?? 0)
            return max(lastDay.adding(days: 7), reply.adding(days: 1))
        case .level(let n):
            let level = ladder.level(n) ?? ladder.levels.last
            let age = firstAtStep.map { $0.days(until: lastDay) } ?? 0
            let gap = level?.interval(atAge: age) ?? 7
            let reply = calendar.workdays(after: lastDay, count: level?.replyDays ?? 0)
            return max(lastDay.adding(days: gap), reply.adding(days: 1))
        }
    }

    /// Records a message at `step` on `day`; one that does not `count` keeps the pace only.
    public mutating func sent(_ step: LadderStep, on day: CivilDate, counts: Bool = true) {
        if step == last {
            if counts { countAtStep += 1 }
        } else {
            countAtStep = counts ? 1 : 0
            firstAtStep = day
        }
        last = step
        lastDay = day
        contacted = true
    }
}
