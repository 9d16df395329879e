import Foundation

/// The office's weekly (or monthly) report: counts by light, agencies ranked by overdue
/// work, what changed since the last report, and the work at the top of the ladder (通报).
/// Pure: built from the ledger and the records.
public struct OfficeReport: Sendable {
    /// One agency's line.
    public struct AgencyLine: Sendable {
        public var agency: String
        /// Items it leads that are overdue (red).
        public var overdue: Int
        /// Days overdue summed over them.
        public var overdueDays: Int
        /// The most overdue.
        public var maxOverdueDays: Int
        /// Items it leads in all.
        public var items: Int
        /// Items whose last overdue message was at the top level.
        public var atTop: Int
    }

    /// One change since the last report.
    public struct Change: Sendable {
        /// The item.
        public var item: Int
        /// The agency concerned (nil: every lead).
        public var agency: String?
        /// What happened.
        public var report: ProgressReport
    }

    /// The day it is about.
    public var day: CivilDate
    /// The day of the last report (exclusive start of "since").
    public var since: CivilDate
    /// Items by their worst light.
    public var lights: [Light: Int]
    /// Agencies with overdue work first, most overdue items first, then most days.
    public var agencies: [AgencyLine]
    /// Reports from agencies received since `since`.
    public var received: [Change]
    /// Items closed (销号) since `since`.
    public var closed: [Change]
    /// Extensions asked for since `since`.
    public var extensionsAsked: [Change]
    /// Reports awaiting the office's decision (done reported, extension requested).
    public var awaitingReview: [LedgerRow]
    /// Work that became overdue since `since`.
    public var newlyOverdue: [LedgerRow]
    /// Work whose last overdue message was at the ladder's top level (通报).
    public var atTop: [LedgerRow]

    /// The report for `day`, covering what happened after `since`.
    public init(ledger: Ledger, items: [Item], standings: Standings, policy: Policy, day: CivilDate, since: CivilDate) {
        self.day = day
        self.since = since
        let clock = LocalClock(timeZone: policy.timeZone)
        let top = policy.ladder.levels.last?.level ?? Int.max
        var worst: [Int: Light] = [:]
        var lines: [String: AgencyLine] = [:]
        var awaiting: [LedgerRow] = []
        var fresh: [LedgerRow] = []
        var atTop: [LedgerRow] = []
        for row in ledger.rows {
            worst[row.item] = min(worst[row.item] ?? .grey, row.light)
            var line = lines[row.agency] ?? AgencyLine(agency: row.agency, overdue: 0, overdueDays: 0, maxOverdueDays: 0, items: 0, atTop: 0)
            line.items += 1
            if row.light == .red, let due = row.due {
                let days = due.days(until: day)
                line.overdue += 1
                line.overdueDays += days
                line.maxOverdueDays = max(line.maxOverdueDays, days)
                if due >= since { fresh.append(row) }
            }
            if let step = row.step, step.number >= top {
                line.atTop += 1
                atTop.append(row)
            }
            switch row.status {
            case .doneReported, .extensionRequested: awaiting.append(row)
            default: break
            }
            lines[row.agency] = line
        }
        lights = Dictionary(grouping: worst.values, by: { $0 }).mapValues(\.count)
        agencies = lines.values.sorted {
            ($0.overdue, $0.overdueDays, $1.agency) > ($1.overdue, $1.overdueDays, $0.agency)
        }
        let index = Dictionary(items.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        var received: [Change] = [], closed: [Change] = [], asked: [Change] = []
        for r in standings.all.sorted(by: { $0.at < $1.at }) {
            let d = clock.day(of: r.at)
            guard d > since, d <= day, let item = index[r.key.item] else { continue }
            let change = Change(item: item, agency: r.key.agency, report: r)
            if r.status.isAgencyReport { received.append(change) }
            if case .done = r.status { closed.append(change) }
            if case .extensionRequested = r.status { asked.append(change) }
        }
        self.received = received
        self.closed = closed
        self.extensionsAsked = asked
        self.awaitingReview = awaiting
        self.newlyOverdue = fresh
        self.atTop = atTop
    }
}
