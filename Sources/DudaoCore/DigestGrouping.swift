import Foundation

/// Groups notices by recipient and send day into messages: one agency hears once per
/// morning, however many of its items are due.
public struct DigestGrouping: Sendable {
    /// Escalation levels, to know whom each overdue level copies.
    public let policy: Policy
    private let clock: LocalClock

    /// A grouping for a policy.
    public init(policy: Policy) {
        self.policy = policy
        self.clock = LocalClock(timeZone: policy.timeZone)
    }

    /// Messages for `notices` about `items`, ordered by send time, then agency name.
    public func messages(for notices: [Notice], items: [Item]) -> [PlannedMessage] {
        // Intern agency names so grouping keys are integers.
        var agencyIndex: [String: Int32] = [:]
        var agencyNames: [String] = []
        var leadIndexes = [[Int32]](repeating: [], count: items.count)
        for (i, item) in items.enumerated() {
            leadIndexes[i] = item.lead.map { name in
                if let k = agencyIndex[name] { return k }
                let k = Int32(agencyNames.count)
                agencyIndex[name] = k
                agencyNames.append(name)
                return k
            }
        }

        var groupOf: [Int64: Int] = [:]
        var groups: [(day: CivilDate, agency: Int32, notices: [Notice])] = []
        for notice in notices {
            for agency in leadIndexes[Int(notice.item)] {
                let key = Int64(notice.sendDay.dayNumber) << 32 | Int64(agency)
                if let g = groupOf[key] {
                    groups[g].notices.append(notice)
                } else {
                    groupOf[key] = groups.count
                    groups.append((notice.sendDay, agency, [notice]))
                }
            }
        }
        groups.sort { a, b in
            a.day != b.day ? a.day < b.day : agencyNames[Int(a.agency)] < agencyNames[Int(b.agency)]
        }

        let levels = Dictionary(policy.overdue.map { ($0.level, $0) }, uniquingKeysWith: { a, _ in a })
        var sendInstants: [CivilDate: Date] = [:]
        return groups.map { group in
            let agency = agencyNames[Int(group.agency)]
            var kind = group.notices[0].rule.kind
            var level = 0
            var ccSupervisor = false
            var ccLeadership = false
            for n in group.notices {
                if n.rule.kind != kind { kind = .digest }
                if case .overdue(let l) = n.rule {
                    level = max(level, l)
                    ccSupervisor = ccSupervisor || (levels[l]?.ccSupervisor ?? false)
                    ccLeadership = ccLeadership || (levels[l]?.ccLeadership ?? false)
                }
            }
            var cc: [Recipient] = []
            if ccLeadership { cc.append(Recipient(agency: agency, role: .leadership)) }
            if ccSupervisor, let office = policy.supervisor, office != agency { cc.append(Recipient(agency: office)) }
            let sendAt: Date
            if let cached = sendInstants[group.day] {
                sendAt = cached
            } else {
                sendAt = clock.instant(group.day, at: policy.sendTime.seconds)
                sendInstants[group.day] = sendAt
            }
            return PlannedMessage(sendDay: group.day, sendAt: sendAt, kind: kind, level: level,
                                  to: Recipient(agency: agency), cc: cc, notices: group.notices)
        }
    }
}
