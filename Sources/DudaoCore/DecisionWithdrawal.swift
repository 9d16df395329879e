import Foundation

/// When the office may take back a decision (撤回决定): within `review.withdraw_within` of
/// recording it (24 hours by default) and only until the agency is told — the decision's
/// message claimed in the sent log or the outbox — whichever comes first. After that a
/// decision stands, and the office decides again instead.
public struct DecisionWithdrawal: Sendable {
    let items: [String: Item]
    let policy: Policy
    let history: SentHistory
    let clock: LocalClock

    /// The rule for `items` under `policy`, with what was sent.
    public init(items: [Item], policy: Policy, history: SentHistory) {
        self.items = Dictionary(items.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        self.policy = policy
        self.history = history
        self.clock = LocalClock(timeZone: policy.timeZone)
    }

    /// True when `decision` may still be withdrawn at `now`.
    public func allows(_ decision: ProgressReport, now: Date) -> Bool {
        guard decision.status.isDecision, decision.withdrawn == nil, decision.id != nil,
              now.timeIntervalSince(decision.at) < Double(policy.review.withdrawSeconds), now >= decision.at else { return false }
        return !told(decision)
    }

    /// The decisions among `standings` that may still be withdrawn at `now`, newest first.
    public func withdrawable(_ standings: Standings, now: Date) -> [ProgressReport] {
        standings.all.filter { allows($0, now: now) }.sorted { $0.at > $1.at }
    }

    /// True once the message telling `decision` was claimed for any agency it concerns.
    func told(_ decision: ProgressReport) -> Bool {
        guard let item = items[decision.key.item] else { return false }
        let day = clock.day(of: decision.at).iso
        let agencies = decision.key.agency.map { [$0] } ?? item.lead
        for agency in agencies {
            for m in Int32(-1)..<Int32(item.milestones.count) {
                guard let track = history.track(agency: agency, item: item.id, milestone: m) else { continue }
                let key = item.id + (m < 0 ? "/ongoing/" : "/m\(m + 1)/") + Notice.Rule.decision.name + "/" + day
                if track.claimed.contains(key) { return true }
            }
        }
        return false
    }
}
