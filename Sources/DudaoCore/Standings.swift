import Foundation

/// Every report and decision, indexed by item, answering "where does this agency stand on
/// this milestone?" — the one rule that planning, `status` and the office's report share.
///
/// A report applies to an agency's milestone when it names that milestone or the whole
/// item, and that agency or every lead. Among the reports that apply, the newest counts —
/// except that a done or cancelled one stands until a later report names at least the
/// same milestone and agency: closing one co-lead's part (`ack 20 --agency 市法院 --status
/// done`) survives a later extension of the whole item. Without any report the schedule
/// file's status counts.
public struct Standings: Sendable {
    private let byItem: [String: [ProgressReport]]
    /// Decisions the office withdrew, oldest first: in the history, not in the standings.
    public let withdrawn: [ProgressReport]

    /// No reports.
    public static let none = Standings(reports: [])

    /// The standings for `reports`, oldest first. A withdrawn decision counts for nothing.
    public init(reports: [ProgressReport]) {
        byItem = Dictionary(grouping: reports.lazy.filter { $0.withdrawn == nil }, by: \.key.item)
        withdrawn = reports.filter { $0.withdrawn != nil }
    }

    /// True when no report names `item`: its file status counts for everybody.
    public func isEmpty(item: String) -> Bool { byItem[item] == nil }

    /// Every report that counts, oldest first within an item.
    public var all: [ProgressReport] { byItem.values.flatMap { $0 } }

    /// The reports that count about `item`, oldest first.
    public func reports(item: String) -> [ProgressReport] { byItem[item] ?? [] }

    /// Where `agency` stands on milestone `milestone` (0-based) of `item`, or on its ongoing
    /// work when `milestone` is `nil`.
    public func standing(_ item: Item, milestone: Int?, agency: String) -> Standing {
        let fileStatus = milestone.map(item.status(ofMilestone:)) ?? item.status
        let fileDue = milestone.map(item.effectiveDue(ofMilestone:))
        guard let reports = byItem[item.id] else { return Standing(status: fileStatus, due: fileDue) }
        let applying = reports.filter { r in
            (r.key.milestone == nil || r.key.milestone == milestone.map { $0 + 1 }) && (r.key.agency == nil || r.key.agency == agency)
        }
        guard !applying.isEmpty else { return Standing(status: fileStatus, due: fileDue) }
        func covers(_ later: ProgressKey, _ earlier: ProgressKey) -> Bool {
            (earlier.milestone == nil || later.milestone != nil) && (earlier.agency == nil || later.agency != nil)
        }
        var winner = applying.last!
        // A final report not covered by any later one wins over a newer, broader one.
        for (i, r) in applying.enumerated().reversed() where r.status.isFinal {
            if !applying[(i + 1)...].contains(where: { covers($0.key, r.key) }) {
                winner = r
                break
            }
        }
        let lastAnswer = applying.last { $0.status.isAgencyReport }
        var due = fileDue
        // The newest granted extension sets the date, whatever came after it (a refused
        // request, a progress report).
        if let m = milestone, let granted = applying.last(where: { if case .extended = $0.status { true } else { false } }),
           let to = granted.status.extendedTo {
            let own = item.milestones[m].due
            if granted.key.milestone != nil {
                due = to
            } else if granted.origin == .deadlineChange {
                // 调整完成时限 of the whole item moves its final deadline, earlier or later,
                // and brings forward the milestones that would fall after it.
                due = m == item.milestones.count - 1 ? to : min(own, to)
            } else {
                due = max(own, to)
            }
        }
        return Standing(status: winner.status, report: winner, lastAnswer: lastAnswer, due: due)
    }
}
