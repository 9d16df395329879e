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

    /// One event since the last report: an agency's report, the office's decision, or a
    /// decision withdrawn. Each is listed once.
    public struct Event: Sendable {
        /// What kind of event.
        public enum Kind: Sendable {
            /// An agency reported (progress, done, an extension asked for).
            case report
            /// The office decided (销号, 退回, 同意延期, 不同意延期, 撤销).
            case decision
            /// The office withdrew a decision (撤回决定); `report` is the decision.
            case withdrawal
        }

        public var kind: Kind
        /// Index of the item.
        public var item: Int
        /// The agency concerned (nil: every lead).
        public var agency: String?
        /// The report or decision.
        public var report: ProgressReport
        /// When it happened (for a withdrawal, when it was withdrawn).
        public var at: Date
        /// For a done report or an extension request: the office's decision on it since, if any.
        public var outcome: ProgressReport?
    }

    /// How many events of each kind the period holds; they add up to `events.count`.
    public struct Counts: Hashable, Sendable {
        /// Reports from agencies (all kinds).
        public var received = 0
        /// Of them: extension requests.
        public var extensionsAsked = 0
        /// Of them: done reports.
        public var doneReported = 0
        /// Decisions: 销号.
        public var closed = 0
        /// 退回.
        public var returned = 0
        /// 同意延期.
        public var extended = 0
        /// 不同意延期.
        public var refused = 0
        /// 撤销.
        public var cancelled = 0
        /// 调整完成时限: deadlines the office moved by order (not counted as 同意延期).
        public var deadlinesChanged = 0
        /// 恢复办理: closed or cancelled work the office reopened (not counted as 退回).
        public var reopened = 0
        /// Decisions withdrawn.
        public var withdrawn = 0

        /// Decisions of every kind.
        public var decisions: Int { closed + returned + extended + refused + cancelled + deadlinesChanged + reopened }
    }

    /// The day it is about.
    public var day: CivilDate
    /// The day of the last report: work due after it and overdue now is new.
    public var since: CivilDate
    /// The instants the events lie between: after the last report went out, up to when this
    /// one goes out. An event on a report day after its report is in the next one, never
    /// in both or neither.
    public var period: (after: Date, through: Date)
    /// Items by their worst light.
    public var lights: [Light: Int]
    /// Agencies with overdue work first, most overdue items first, then most days.
    public var agencies: [AgencyLine]
    /// Reports, decisions and withdrawals in `period`, oldest first.
    public var events: [Event]
    /// `events` counted by kind.
    public var counts: Counts
    /// Reports awaiting the office's decision (the console's 待审核).
    public var awaitingReview: [ReviewQueue.Entry]
    /// Work that became overdue since `since`.
    public var newlyOverdue: [LedgerRow]
    /// Work whose last overdue message was at the ladder's top level (通报).
    public var atTop: [LedgerRow]

    /// The report for `day`, covering the events of `period` and the work newly overdue
    /// since the day `since`.
    public init(ledger: Ledger, items: [Item], standings: Standings, policy: Policy, day: CivilDate, since: CivilDate,
                period: (after: Date, through: Date)) {
        self.day = day
        self.since = since
        self.period = period
        let top = policy.ladder.levels.last?.level ?? Int.max
        var worst: [Int: Light] = [:]
        var lines: [String: AgencyLine] = [:]
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
            lines[row.agency] = line
        }
        lights = Dictionary(grouping: worst.values, by: { $0 }).mapValues(\.count)
        agencies = lines.values.sorted {
            ($0.overdue, $0.overdueDays, $1.agency) > ($1.overdue, $1.overdueDays, $0.agency)
        }
        let index = Dictionary(items.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        func inPeriod(_ at: Date) -> Bool { at > period.after && at <= period.through }
        let decisions = standings.all.filter { $0.status.isDecision }
        var events: [Event] = []
        var counts = Counts()
        for r in standings.all + standings.withdrawn where inPeriod(r.at) {
            guard let item = index[r.key.item] else { continue }
            if r.status.isAgencyReport {
                var outcome: ProgressReport? = nil
                if r.status == .doneReported || r.status.extendedTo != nil {
                    outcome = decisions.first { $0.at >= r.at && Self.answers($0.key, r.key) }
                }
                events.append(Event(kind: .report, item: item, agency: r.key.agency, report: r, at: r.at, outcome: outcome))
                counts.received += 1
                if r.status == .doneReported { counts.doneReported += 1 }
                if r.status.extendedTo != nil { counts.extensionsAsked += 1 }
            } else {
                events.append(Event(kind: .decision, item: item, agency: r.key.agency, report: r, at: r.at))
                switch r.status {
                case .done: counts.closed += 1
                case .open where r.origin == .office: counts.reopened += 1
                case .open: counts.returned += 1
                case .extended where r.origin == .deadlineChange: counts.deadlinesChanged += 1
                case .extended: counts.extended += 1
                case .refused: counts.refused += 1
                case .cancelled: counts.cancelled += 1
                default: break
                }
            }
        }
        for r in standings.withdrawn {
            guard let w = r.withdrawn, inPeriod(w.at), let item = index[r.key.item] else { continue }
            events.append(Event(kind: .withdrawal, item: item, agency: r.key.agency, report: r, at: w.at))
            counts.withdrawn += 1
        }
        self.events = events.sorted { ($0.at, $0.item) < ($1.at, $1.item) }
        self.counts = counts
        self.awaitingReview = ReviewQueue(items: items, standings: standings).entries
        self.newlyOverdue = fresh
        self.atTop = atTop
    }

    /// True when a decision keyed `decision` answers a report keyed `report`: the same item
    /// and agency (or every lead), the same milestone or either about the whole item.
    static func answers(_ decision: ProgressKey, _ report: ProgressKey) -> Bool {
        decision.item == report.item && (decision.agency == nil || report.agency == nil || decision.agency == report.agency)
            && (decision.milestone == nil || report.milestone == nil || decision.milestone == report.milestone)
    }
}
