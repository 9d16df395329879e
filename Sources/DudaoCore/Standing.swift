import Foundation

/// Where one lead agency stands on one milestone (or on ongoing work): the state that
/// counts, the date it is due by, and the agency's last answer.
public struct Standing: Hashable, Sendable {
    /// The state that counts (see `Standings`).
    public var status: ItemStatus
    /// The report that set it; `nil` when it comes from the schedule file.
    public var report: ProgressReport?
    /// The agency's newest answer (any report it made), which restarts the ladder.
    public var lastAnswer: ProgressReport?
    /// Due date after an extension; `nil` for ongoing work.
    public var due: CivilDate?

    /// A standing from its parts.
    public init(status: ItemStatus, report: ProgressReport? = nil, lastAnswer: ProgressReport? = nil, due: CivilDate? = nil) {
        self.status = status
        self.report = report
        self.lastAnswer = lastAnswer
        self.due = due
    }

    /// The last day chasing waits for, if it waits: a promised report date (`in_progress
    /// --next-report`), the office's review after a report (`review_days` workdays), the
    /// date asked for in an extension request, or — for a done report awaiting the office —
    /// indefinitely (`CivilDate` far ahead).
    public func pausedThrough(policy: Policy, calendar: WorkCalendar, clock: LocalClock) -> CivilDate? {
        guard let report else { return nil }
        let day = clock.day(of: report.at)
        switch status {
        case .inProgress:
            if let promised = report.nextReport { return promised }
            return calendar.workdays(after: day, count: policy.reviewDays)
        case .reported:
            return calendar.workdays(after: day, count: policy.reviewDays)
        case .doneReported:
            return CivilDate(dayNumber: Int32.max / 2)
        case .extensionRequested(let to):
            return max(to, calendar.workdays(after: day, count: policy.reviewDays))
        default:
            return nil
        }
    }
}
