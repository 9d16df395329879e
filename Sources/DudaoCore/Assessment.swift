import Foundation

/// The figures leaders judge agencies by (考核): for a period, per lead agency, per list and
/// in all — 按期完成率, 办结率, overdue work and the longest overdue, 响应时效, 退回 and
/// work at 通报 — with a short list of the longest-overdue items and the best and worst
/// agencies (红榜/黑榜). The one home of these figures: the report, the 通报 document, the
/// console and `/metrics` read them from here. Pure.
///
/// What is counted (each lead of an item on its own, as the 台账 shows it):
/// - a **unit** is one milestone (or the whole item) with a due date, for one lead; work
///   cancelled (撤销) and purely ongoing work (持续推进) are no units;
/// - **due in the period**: its deadline in force (after extensions) falls from the first
///   day of the period up to the day before `day` — it could be overdue on `day`;
/// - **done on time**: closed (销号) and the agency's done report that the closing answered,
///   or else the closing itself, came on or before the deadline in force; work the list
///   marks done counts as done on time;
/// - **办结率**: units closed out of all units;
/// - **overdue** and **longest overdue**: the 台账's red rows on `day`, in calendar days;
/// - **响应时效**: for each item and lead whose first report after the first reminder that
///   reached it came in the period, the workdays from that reminder's day to the report's
///   day (the same day: 0), averaged;
/// - **退回**: decisions returning a report (not the office reopening work by itself) made
///   in the period, for each lead they apply to;
/// - **at 通报**: 台账 rows whose last overdue message since the last answer was at the
///   ladder's top level.
public struct Assessment: Sendable {
    /// One agency's (or list's, or everybody's) figures.
    public struct Figures: Hashable, Sendable {
        public var name: String
        /// Items led (one per lead), cancelled ones included.
        public var items = 0
        public var dueInPeriod = 0
        public var doneOnTime = 0
        public var units = 0
        public var done = 0
        public var overdue = 0
        public var longestOverdue = 0
        public var responses = 0
        public var responseWorkdays = 0
        public var returned = 0
        public var atTop = 0

        public init(name: String) { self.name = name }

        /// 按期完成率, 0…1; nil when nothing fell due in the period.
        public var onTimeRate: Double? { dueInPeriod == 0 ? nil : Double(doneOnTime) / Double(dueInPeriod) }
        /// 办结率, 0…1; nil without units.
        public var completionRate: Double? { units == 0 ? nil : Double(done) / Double(units) }
        /// 响应时效: mean workdays; nil when no response came in the period.
        public var responseTime: Double? { responses == 0 ? nil : Double(responseWorkdays) / Double(responses) }

        mutating func add(_ o: Figures) {
            items += o.items; dueInPeriod += o.dueInPeriod; doneOnTime += o.doneOnTime; units += o.units; done += o.done
            overdue += o.overdue; longestOverdue = max(longestOverdue, o.longestOverdue); responses += o.responses
            responseWorkdays += o.responseWorkdays; returned += o.returned; atTop += o.atTop
        }
    }

    /// One overdue item of the short list.
    public struct OverdueItem: Sendable {
        /// Index of the item.
        public var item: Int
        public var agency: String
        public var due: CivilDate
        public var days: Int
        public var step: LadderStep?
    }

    /// How many items the short list names and how many agencies each end of the ranking.
    public struct Lengths: Hashable, Sendable {
        public var worstItems: Int
        public var ranking: Int
        public init(worstItems: Int = 10, ranking: Int = 5) {
            self.worstItems = worstItems
            self.ranking = ranking
        }
    }

    /// The day it is about (overdue counts on it).
    public var day: CivilDate
    /// The period's first day; it ends the day before `day`.
    public var since: CivilDate
    public var total: Figures
    /// Every lead agency, by name.
    public var agencies: [Figures]
    /// Every list, in the lists' order.
    public var lists: [Figures]
    /// The longest overdue first, at most `Lengths.worstItems`.
    public var worstItems: [OverdueItem]
    /// 红榜: agencies with nothing overdue, the best on-time and completion rates first.
    public var best: [Figures]
    /// 黑榜: agencies with overdue work, the most first, then the longest.
    public var worst: [Figures]

    /// The figures on `day` for the period from `since`. `ledger` is the 台账 on `day` under
    /// `supervision`; `lists[i]` names item `i`'s list; `period` holds the instants the
    /// period's decisions and reports lie between.
    public init(items: [Item], lists: [String], ledger: Ledger, supervision: Supervision, policy: Policy, calendar: WorkCalendar,
                day: CivilDate, since: CivilDate, period: (after: Date, through: Date), lengths: Lengths = Lengths()) {
        self.day = day
        self.since = since
        let clock = LocalClock(timeZone: policy.timeZone)
        let top = policy.ladder.levels.last?.level ?? Int.max
        let standings = supervision.standings
        var byAgency: [String: Figures] = [:]
        var byList: [String: Figures] = [:]
        var overdueItems: [OverdueItem] = []
        func inPeriod(_ at: Date) -> Bool { at > period.after && at <= period.through }

        for row in ledger.rows {
            let item = items[row.item]
            var f = Figures(name: row.agency)
            f.items = 1
            if row.light == .red, let due = row.due {
                let days = due.days(until: day)
                f.overdue = 1
                f.longestOverdue = days
                overdueItems.append(OverdueItem(item: row.item, agency: row.agency, due: due, days: days, step: row.step))
            }
            if let step = row.step, step.number >= top { f.atTop = 1 }
            let reports = standings.reports(item: item.id)
            for m in item.milestones.indices {
                let standing = standings.standing(item, milestone: m, agency: row.agency)
                guard let due = standing.due, standing.status != .cancelled else { continue }
                f.units += 1
                let isDone = standing.status == .done
                if isDone { f.done += 1 }
                guard due >= since, due < day else { continue }
                f.dueInPeriod += 1
                if isDone {
                    let closing = standing.report
                    let told = closing.flatMap { c in
                        reports.last { $0.status == .doneReported && $0.at <= c.at && $0.key.agency == row.agency && OfficeReport.answers(c.key, $0.key) }
                    }
                    if let doneAt = (told ?? closing)?.at, clock.day(of: doneAt) > due { continue }
                    f.doneOnTime += 1
                }
            }
            var firstReminder: CivilDate? = nil
            for m in -1..<Int32(item.milestones.count) {
                if let first = supervision.history.track(agency: row.agency, item: item.id, milestone: m)?.reminders().first {
                    firstReminder = min(firstReminder ?? first, first)
                }
            }
            if let first = firstReminder,
               let answer = reports.first(where: { $0.status.isAgencyReport && $0.key.agency == row.agency && clock.day(of: $0.at) >= first }),
               inPeriod(answer.at) {
                f.responses = 1
                f.responseWorkdays = calendar.workdays(from: first.adding(days: 1), through: clock.day(of: answer.at)).count
            }
            for r in reports where r.status == .open && r.status.isDecision && r.origin != .office && inPeriod(r.at)
                && (r.key.agency == nil || r.key.agency == row.agency) {
                f.returned += 1
            }
            byAgency[row.agency, default: Figures(name: row.agency)].add(f)
            let list = lists.indices.contains(row.item) ? lists[row.item] : ""
            byList[list, default: Figures(name: list)].add(f)
        }
        var total = Figures(name: "合计")
        for f in byAgency.values { total.add(f) }
        self.total = total
        agencies = byAgency.values.sorted { $0.name < $1.name }
        var listOrder: [String] = []
        var seen = Set<String>()
        for l in lists where seen.insert(l).inserted { listOrder.append(l) }
        self.lists = listOrder.compactMap { byList[$0] }
        worstItems = Array(overdueItems.sorted { ($0.days, $1.item, $1.agency) > ($1.days, $0.item, $0.agency) }.prefix(lengths.worstItems))
        best = Array(agencies.filter { $0.overdue == 0 && $0.units > 0 }.sorted {
            ($0.onTimeRate ?? 1, $0.completionRate ?? 0, $0.units, $1.name) > ($1.onTimeRate ?? 1, $1.completionRate ?? 0, $1.units, $0.name)
        }.prefix(lengths.ranking))
        worst = Array(agencies.filter { $0.overdue > 0 }.sorted {
            ($0.overdue, $0.longestOverdue, $1.name) > ($1.overdue, $1.longestOverdue, $0.name)
        }.prefix(lengths.ranking))
    }

    /// The standings as they were at `instant`: reports and decisions made after it left
    /// out, so a past period's figures are what the records then showed.
    public static func standings(_ standings: Standings, asOf instant: Date) -> Standings {
        Standings(reports: (standings.all + standings.withdrawn).filter { $0.at <= instant }.map { r in
            var r = r
            if let w = r.withdrawn, w.at > instant { r.withdrawn = nil }
            return r
        }.sorted { $0.at < $1.at })
    }

    /// A rate as the office reads it: 87.5%, or — when there is nothing to measure.
    public static func percent(_ rate: Double?) -> String {
        guard let rate else { return "—" }
        return String(format: "%.1f%%", rate * 100)
    }

    /// A change of a rate in percentage points, between the rates as shown (87.5% and
    /// 86.2% differ by +1.3个百分点; two rates shown alike are 持平), or — .
    public static func points(_ now: Double?, _ before: Double?) -> String {
        guard let now, let before else { return "—" }
        let tenths = Int((now * 1000).rounded()) - Int((before * 1000).rounded())
        return tenths == 0 ? "持平" : "\(tenths > 0 ? "+" : "−")\(abs(tenths) / 10).\(abs(tenths) % 10)个百分点"
    }
}
