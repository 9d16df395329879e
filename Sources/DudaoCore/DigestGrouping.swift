import Foundation

/// Groups notices by recipient and send day into messages: one agency hears once per
/// morning, however many of its items are due.
///
/// A counting sort over (send day × agency) buckets: two linear passes, no per-group
/// arrays, and each notice is stored once — messages refer to it by index. Agencies are
/// ranked by name first, so bucket order is already the output order.
public struct DigestGrouping: Sendable {
    /// Escalation levels, to know whom each overdue level copies.
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
        guard let minDay = notices.lazy.map(\.sendDay).min(), let maxDay = notices.lazy.map(\.sendDay).max() else { return ([], []) }

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
        for n in notices {
            for l in leadStart[Int(n.item)]..<leadStart[Int(n.item) + 1] where wanted(n, leads[Int(l)]) {
                start[bucket(n, leads[Int(l)]) + 1] += 1
            }
        }
        for b in 0..<bucketCount { start[b + 1] += start[b] }
        var index = [Int32](repeating: 0, count: start[bucketCount])
        var fill = start
        for (k, n) in notices.enumerated() {
            for l in leadStart[Int(n.item)]..<leadStart[Int(n.item) + 1] where wanted(n, leads[Int(l)]) {
                let b = bucket(n, leads[Int(l)])
                index[fill[b]] = Int32(k)
                fill[b] += 1
            }
        }

        // One message per non-empty bucket.
        let levels = Dictionary(policy.overdue.map { ($0.level, $0) }, uniquingKeysWith: { a, _ in a })
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
                if rule.kind != kind { kind = .digest }
                if case .overdue(let l) = rule {
                    level = max(level, l)
                    ccSupervisor = ccSupervisor || (levels[l]?.ccSupervisor ?? false)
                    ccLeadership = ccLeadership || (levels[l]?.ccLeadership ?? false)
                }
            }
            var cc: [Recipient] = []
            if ccLeadership { cc.append(Recipient(agency: agency, role: .leadership)) }
            if ccSupervisor, let office = policy.supervisor, office != agency { cc.append(Recipient(agency: office)) }
            if sendAt?.day != day { sendAt = (day, clock.instant(day, at: policy.sendTime.seconds)) }
            messages.append(PlannedMessage(sendDay: day, sendAt: sendAt!.at, kind: kind, level: level,
                                           to: Recipient(agency: agency), cc: cc, noticeRange: range))
        }
        return (messages, index)
    }
}
