import Foundation
import DudaoCore

/// The office's report for one report message and the figures beside it, this period's
/// and the one before: computed once for the email, the 通报 and the console.
public struct ReportFigures: Sendable {
    public let report: OfficeReport
    public let assessment: Assessment
    /// The period before, as the records then stood (reports and decisions made since left out).
    public let previous: Assessment
    public let monthly: Bool

    /// The report `message` of `plan` carries; `lists[i]` names item `i`'s list.
    public init(plan: Plan, message: PlannedMessage, monthly: Bool, lists: [String]) {
        let day = message.sendDay
        self.monthly = monthly
        let previousReport = plan.supervision.history.track(agency: message.to.agency, item: "", milestone: -1)?
            .delivered.filter { $0 < day }.max()
        let since = previousReport ?? day.adding(days: monthly ? -31 : -7)
        let ledger = Ledger(items: plan.items, supervision: plan.supervision, policy: plan.policy, today: day)
        // Reports go out at the send time: the period runs from the last one's to this one's.
        let sendTime = plan.policy.sendTime.seconds
        let after = plan.clock.instant(since, at: sendTime)
        report = OfficeReport(ledger: ledger, items: plan.items, standings: plan.supervision.standings,
                              policy: plan.policy, day: day, since: since, period: (after, message.sendAt))
        let lengths = plan.policy.officeReport.lengths
        assessment = Assessment(items: plan.items, lists: lists, ledger: ledger, supervision: plan.supervision, policy: plan.policy,
                                calendar: plan.calendar, day: day, since: since, period: (after, message.sendAt), lengths: lengths)
        let before = since.adding(days: -since.days(until: day))
        let then = Supervision(standings: Assessment.standings(plan.supervision.standings, asOf: after), history: plan.supervision.history)
        previous = Assessment(items: plan.items, lists: lists,
                              ledger: Ledger(items: plan.items, supervision: then, policy: plan.policy, today: since),
                              supervision: then, policy: plan.policy, calendar: plan.calendar, day: since, since: before,
                              period: (plan.clock.instant(before, at: sendTime), after), lengths: lengths)
    }

    /// 周 or 月.
    public var periodWord: String { monthly ? "月" : "周" }
}
