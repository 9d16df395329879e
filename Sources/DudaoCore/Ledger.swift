import Foundation

/// One lead agency on one item, as the office's 台账 shows it.
public struct LedgerRow: Sendable {
    /// Index of the item in the list.
    public var item: Int
    /// The lead agency.
    public var agency: String
    /// The state that counts: of the first milestone still open, else of the last one.
    public var status: ItemStatus
    /// The worst light over its milestones and ongoing work.
    public var light: Light
    /// The ladder step of the last overdue message since the agency's last answer.
    public var step: LadderStep?
    /// Reminders of any kind that reached the agency about the item.
    public var remindersSent: Int
    /// Day of the first and last of them.
    public var firstSent: CivilDate?
    public var lastSent: CivilDate?
    /// The agency's newest answer.
    public var lastReport: ProgressReport?
    /// The earliest date still open (after extensions); `nil` for purely ongoing or finished work.
    public var due: CivilDate?
    /// How the report that set `status` came (a deadline moved by order reads differently).
    public var origin: ReportOrigin = .reply
}

/// The 台账: every item and lead agency with its standing, light and ladder step on a
/// day. Pure; `status`, the office's report and the console read it.
public struct Ledger: Sendable {
    /// One row per item and lead agency, in list order.
    public let rows: [LedgerRow]

    /// The ledger of `items` under `supervision` on `today`.
    public init(items: [Item], supervision: Supervision, policy: Policy, today: CivilDate) {
        var rows: [LedgerRow] = []
        rows.reserveCapacity(items.count)
        let clock = LocalClock(timeZone: policy.timeZone)
        for (index, item) in items.enumerated() {
            for agency in item.lead {
                var standings: [(standing: Standing, ongoing: Bool)] = item.milestones.indices.map {
                    (supervision.standings.standing(item, milestone: $0, agency: agency), false)
                }
                if item.ongoing || item.milestones.isEmpty {
                    standings.append((supervision.standings.standing(item, milestone: nil, agency: agency), item.ongoing))
                }
                let lastAnswer = standings.compactMap(\.standing.lastAnswer).max { $0.at < $1.at }
                let answered = lastAnswer.map { clock.day(of: $0.at) }
                let open = standings.first { $0.standing.status.wantsReminders }
                let status = (open ?? standings.last)?.standing.status ?? item.status
                let origin = (open ?? standings.last)?.standing.report?.origin ?? .reply
                let light = standings.map { policy.lights.light($0.standing, ongoing: $0.ongoing, today: today, lastReport: answered) }.min()
                    ?? .green
                var row = LedgerRow(item: index, agency: agency, status: status, light: light, step: nil, remindersSent: 0,
                                    lastReport: lastAnswer, due: standings.filter { $0.standing.status.wantsReminders }.compactMap(\.standing.due).min(),
                                    origin: origin)
                if !supervision.history.isEmpty(item: item.id) {
                    var sent = 0
                    var first: CivilDate? = nil, last: CivilDate? = nil
                    var best: LadderStep? = nil
                    for m in -1..<Int32(item.milestones.count) {
                        guard let track = supervision.history.track(agency: agency, item: item.id, milestone: m) else { continue }
                        let reminders = track.reminders()
                        sent += reminders.count
                        first = [first, reminders.first].compactMap { $0 }.min()
                        last = [last, reminders.last].compactMap { $0 }.max()
                        let answer = (m >= 0 ? standings[Int(m)].standing : standings.last?.standing)?.lastAnswer.map { clock.day(of: $0.at) }
                        if let last = track.escalations.last(where: { answer == nil || $0.day > answer! }), (best?.number ?? -1) < last.step.number {
                            best = last.step
                        }
                    }
                    row.remindersSent = sent
                    row.firstSent = first
                    row.lastSent = last
                    row.step = best
                }
                rows.append(row)
            }
        }
        self.rows = rows
    }
}
