import Foundation

/// Groups notices by recipient and send day into messages: one agency hears once per
/// morning, however many of its items are due. The office's reports go out on their own.
///
/// A counting sort over (send day × agency) buckets: two linear passes, no per-group
/// arrays, and each notice is stored once — messages refer to it by index. Agencies are
/// ranked by name first, so bucket order is already the output order.
public struct DigestGrouping: Sendable {
    /// The ladder, to know whom each level copies.
    public let policy: Policy
    private let clock: LocalClock

    /// A grouping for a policy.
    public init(policy: Policy) {
        self.policy = policy
        self.clock = LocalClock(timeZone: policy.timeZone)
    }

    /// Messages for `notices` about `items`, ordered by send time, then agency name, and
    /// the index list their `noticeRange`s point into (notice indexes, item order within a message).
    /// `skip(notice, agency)` leaves out notices an agency has already had (the sent log).
    public func group(_ notices: [Notice], items: [Item], skip: ((Notice, String) -> Bool)? = nil) -> (messages: [PlannedMessage], index: [Int32]) {
        let itemNotices = notices.lazy.filter { $0.item >= 0 }
        guard let minDay = itemNotices.map(\.sendDay).min(), let maxDay = itemNotices.map(\.sendDay).max() else {
            return appendingReports(notices, to: ([], []))
        }

        // Agencies ranked by name; each item's leads as ranks in one flat array.
        let names = Array(Set(items.lazy.flatMap(\.lead))).sorted()
        let rank = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, Int32($0)) })
        var leadStart = [Int32](repeating: 0, count: items.count + 1)
        var leads: [Int32] = []
        for (i, item) in items.enumerated() {
            leads += item.lead.map { rank[$0]! }
            leadStart[i + 1] = Int32(leads.count)
        }

        // Pass 1: count per bucket; pass 2: place notice indexes.
        let agencyCount = names.count
        let bucketCount = (minDay.days(until: maxDay) + 1) * agencyCount
        var start = [Int](repeating: 0, count: bucketCount + 1)
        func bucket(_ n: Notice, _ lead: Int32) -> Int { minDay.days(until: n.sendDay) * agencyCount + Int(lead) }
        func wanted(_ n: Notice, _ lead: Int32) -> Bool { skip.map { !$0(n, names[Int(lead)]) } ?? true }
        // A notice for one lead (`lead` ≥ 0) goes to that one; otherwise to every lead.
        func addressees(_ n: Notice) -> Range<Int32> {
            let first = leadStart[Int(n.item)]
            return n.lead < 0 ? first..<leadStart[Int(n.item) + 1] : (first + Int32(n.lead))..<(first + Int32(n.lead) + 1)
        }
        for n in notices where n.item >= 0 {
            for l in addressees(n) where wanted(n, leads[Int(l)]) {
                start[bucket(n, leads[Int(l)]) + 1] += 1
            }
        }
        for b in 0..<bucketCount { start[b + 1] += start[b] }
        var index = [Int32](repeating: 0, count: start[bucketCount])
        var fill = start
        for (k, n) in notices.enumerated() where n.item >= 0 {
            for l in addressees(n) where wanted(n, leads[Int(l)]) {
                let b = bucket(n, leads[Int(l)])
                index[fill[b]] = Int32(k)
                fill[b] += 1
            }
        }

        // One message per non-empty bucket. Whom each level copies, by level number.
        let levels = policy.ladder.levels
        let top = levels.map(\.level).max() ?? 0
        var copiesSupervisor = [Bool](repeating: false, count: top + 1)
        var copiesLeadership = [Bool](repeating: false, count: top + 1)
        for l in levels.reversed() where l.level >= 0 {
            copiesSupervisor[l.level] = l.ccSupervisor
            copiesLeadership[l.level] = l.ccLeadership
        }
        var messages: [PlannedMessage] = []
        var sendAt: (day: CivilDate, at: Date)? = nil
        for b in 0..<bucketCount where start[b] < start[b + 1] {
            let day = minDay.adding(days: b / agencyCount)
            let agency = names[b % agencyCount]
            let range = start[b]..<start[b + 1]
            var kind = notices[Int(index[range.lowerBound])].rule.kind
            var level = 0
            var ccSupervisor = false
            var ccLeadership = false
            for k in range {
                let rule = notices[Int(index[k])].rule
                let ruleKind = rule.kind
                if ruleKind != kind, kind != .digest {
                    // 核实 and ladder levels together are one overdue message; else a digest.
                    kind = (kind == .verify || kind == .overdue) && (ruleKind == .verify || ruleKind == .overdue) ? .overdue : .digest
                }
                if case .overdue(let l) = rule {
                    level = max(level, l)
                    ccSupervisor = ccSupervisor || (copiesSupervisor.indices.contains(l) && copiesSupervisor[l])
                    ccLeadership = ccLeadership || (copiesLeadership.indices.contains(l) && copiesLeadership[l])
                }
            }
            var cc: [Recipient] = []
            if ccLeadership { cc.append(Recipient(agency: agency, role: .leadership)) }
            if ccSupervisor, let office = policy.supervisor, office != agency { cc.append(Recipient(agency: office)) }
            if sendAt?.day != day { sendAt = (day, clock.instant(day, at: policy.sendTime.seconds)) }
            messages.append(PlannedMessage(sendDay: day, sendAt: sendAt!.at, kind: kind, level: level,
                                           to: Recipient(agency: agency), cc: cc, noticeRange: range))
        }
        return appendingReports(notices, to: (messages, index))
    }

    /// Adds one message per office report to the supervising office (copying its
    /// leadership for the monthly one), keeping send order.
    private func appendingReports(_ notices: [Notice], to grouped: (messages: [PlannedMessage], index: [Int32])) -> (messages: [PlannedMessage], index: [Int32]) {
        guard let office = policy.supervisor, notices.contains(where: { $0.item < 0 }) else { return grouped }
        var (messages, index) = grouped
        for (k, n) in notices.enumerated() where n.item < 0 {
            let monthly = n.rule == .report(monthly: true)
            messages.append(PlannedMessage(sendDay: n.sendDay, sendAt: clock.instant(n.sendDay, at: policy.sendTime.seconds), kind: .report,
                                           level: 0, to: Recipient(agency: office),
                                           cc: monthly ? [Recipient(agency: office, role: .leadership)] : [],
                                           noticeRange: index.count..<(index.count + 1)))
            index.append(Int32(k))
        }
        // Stable: at one send time, the office's report comes after the agencies' messages.
        let order = messages.indices.sorted { (messages[$0].sendAt, $0) < (messages[$1].sendAt, $1) }
        return (order.map { messages[$0] }, index)
    }
}
