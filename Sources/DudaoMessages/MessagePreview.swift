import Foundation
import DudaoCore

/// Builds the plan `dudao render` shows: chosen items, as one kind of notice, sent at `now`.
public enum MessagePreview {
    /// What to preview.
    public enum Kind: String, CaseIterable, Sendable {
        case advance, due, verify, overdue, ongoing, digest
    }

    /// A plan with one notice per chosen item's first milestone at `day`. `digest` uses
    /// each item's natural rule on that day (advance, due, overdue or progress).
    public static func plan(items all: [Item], ids: [String], kind: Kind, level: Int, day: CivilDate, policy: Policy,
                            calendar: WorkCalendar = .weekdaysOnly) throws(PreviewError) -> Plan {
        var notices: [Notice] = []
        for id in ids {
            guard let index = all.firstIndex(where: { $0.id == id }) else { throw .unknownItem(id) }
            let item = all[index]
            let milestone = item.milestones.first
            let due = milestone?.due ?? day.endOfMonth
            let left = day.days(until: due)
            let rule: Notice.Rule
            switch kind {
            case .advance: rule = .advance(days: max(1, left))
            case .due: rule = .due
            case .verify: rule = .verify
            case .overdue: rule = .overdue(level: max(1, level))
            case .ongoing: rule = .progress
            case .digest:
                if milestone == nil { rule = .progress }
                else if left > 0 { rule = .advance(days: left) }
                else if left == 0 { rule = .due }
                else { rule = .overdue(level: max(1, level)) }
            }
            // A progress request asks for the next report day's report.
            let planner = Planner(policy: policy, calendar: calendar)
            var report = planner.reportDay(year: day.year, month: day.month)
            if report.due < day {
                let next = day.endOfMonth.adding(days: 1)
                report = planner.reportDay(year: next.year, month: next.month)
            }
            let occurrence: CivilDate = if case .advance(let d) = rule { due.adding(days: -d) } else { rule == .progress ? report.nominal : day }
            notices.append(Notice(item: Int32(index), milestone: milestone == nil || rule == .progress ? -1 : 0,
                                  rule: rule, occurrence: occurrence, sendDay: day, due: rule == .progress ? report.due : due))
        }
        return Plan(items: all, notices: notices, policy: policy, calendar: calendar)
    }
}

/// A preview that cannot be built.
public enum PreviewError: Error, Hashable, Sendable, CustomStringConvertible {
    /// No item with this id.
    case unknownItem(String)
    public var description: String {
        switch self {
        case .unknownItem(let id): "没有序号为 \(id) 的事项 no item with id “\(id)”"
        }
    }
}

extension MessagePreview {
    /// A plan holding the office's report for `day` alone (`dudao report`), addressed to
    /// the supervising office (`nil` when the policy names none).
    public static func officeReport(items: [Item], policy: Policy, calendar: WorkCalendar, supervision: Supervision,
                                    day: CivilDate, monthly: Bool) -> Plan? {
        guard policy.supervisor != nil else { return nil }
        let n = Notice(item: -1, milestone: -1, rule: .report(monthly: monthly), occurrence: day, sendDay: day, due: day)
        return Plan(items: items, notices: [n], policy: policy, calendar: calendar, supervision: supervision)
    }
}
