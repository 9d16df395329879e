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

    /// How long chasing waits, if it does: through a promised report date (`in_progress
    /// --next-report`), the office's review after a report (`review_days` workdays), the
    /// date asked for in an extension request; or, for a done report, until the office
    /// decides.
    public func pause(policy: Policy, calendar: WorkCalendar, clock: LocalClock) -> Pause? {
        guard let report else { return nil }
        let day = clock.day(of: report.at)
        switch status {
        case .inProgress:
            return .through(report.nextReport ?? calendar.workdays(after: day, count: policy.reviewDays))
        case .reported:
            return .through(calendar.workdays(after: day, count: policy.reviewDays))
        case .doneReported:
            return .untilDecided
        case .extensionRequested(let to):
            return .through(max(to, calendar.workdays(after: day, count: policy.reviewDays)))
        default:
            return nil
        }
    }
}

/// A pause in chasing.
public enum Pause: Hashable, Sendable {
    /// Through the end of this day.
    case through(CivilDate)
    /// Until the office decides (a done report awaiting 销号).
    case untilDecided
}
