import Foundation

/// 签收 over the recent notices: which the agencies signed for, which are waiting for a
/// follow-up, and which (unsigned, follow-up not yet delivered) do not yet count as
/// unanswered on the ladder. Pure: the store gives the facts, the policy the rules.
///
/// A signature covers every notice that reached the agency before it (a liaison signs
/// for what is on the desk). Only the ladder's notices (核实, 催办, 督办, 通报) are followed
/// up and held: a reminder before the deadline asks for nothing.
public struct Signing: Sendable {
    /// A notice that reached an agency, from the sent log.
    public struct Delivery: Hashable, Sendable {
        public var agency: String
        public var message: String
        public var item: String
        public var milestone: Int32
        /// The local day it reached the agency (the ladder's day for it).
        public var day: CivilDate
        public var at: Date
        /// True for the ladder's notices.
        public var ladder: Bool
        /// The ladder level (0 for 核实).
        public var level: Int

        public init(agency: String, message: String, item: String, milestone: Int32, day: CivilDate, at: Date, ladder: Bool, level: Int = 0) {
            self.level = level
            self.agency = agency
            self.message = message
            self.item = item
            self.milestone = milestone
            self.day = day
            self.at = at
            self.ladder = ladder
        }
    }

    /// A follow-up's state in the outbox.
    public enum FollowUpState: Hashable, Sendable {
        /// Waiting to go (or its outcome unknown).
        case pending
        /// Reached at least one number.
        case delivered(Date)
        /// Could not be sent: the notice counts as it would without a follow-up.
        case failed
    }

    /// A message waiting for a signature, and when it is followed up.
    public struct Waiting: Hashable, Sendable {
        public var agency: String
        public var message: String
        /// When it first reached the agency.
        public var sent: Date
        /// When the time to sign ends.
        public var due: Date
        /// The items it was about.
        public var items: [String]
        /// Its highest ladder level (0 for 核实).
        public var level: Int
    }

    /// `agency|item|milestone|day` of the ladder's notices that do not yet count.
    public private(set) var unconfirmed: Set<String> = []
    /// Messages whose time to sign ended, unsigned and not yet followed up, that can be.
    public private(set) var followUpsDue: [Waiting] = []
    /// When the next time to sign ends.
    public private(set) var next: Date?
    /// Ladder messages past their time, unsigned, by agency: 未签收 on the dashboard and in the report.
    public private(set) var unsigned: [String: Int] = [:]

    /// The key `unconfirmed` holds.
    public static func key(agency: String, item: String, milestone: Int32, day: CivilDate) -> String {
        "\(agency)|\(item)|\(milestone)|\(day.iso)"
    }

    /// The key of a message's follow-up in the outbox.
    public static func followUpKey(_ message: String) -> String { message + "#签收" }

    /// - Parameters:
    ///   - signs: when each agency signed (any way), in any order.
    ///   - followUps: by message key (not the follow-up's own key).
    ///   - canFollowUp: whether an agency can be followed up at all (a mobile on file and
    ///     an SMS platform); one that cannot counts once its time to sign ended.
    public init(policy: SignPolicy, deliveries: [Delivery], signs: [String: [Date]], followUps: [String: FollowUpState],
                calendar: WorkCalendar, clock: LocalClock, now: Date, canFollowUp: (String) -> Bool) {
        var messages: [String: (agency: String, at: Date, items: [String], ladder: Bool, level: Int)] = [:]
        for d in deliveries {
            var m = messages[d.message] ?? (d.agency, d.at, [], false, 0)
            m.at = min(m.at, d.at)
            if !m.items.contains(d.item) { m.items.append(d.item) }
            m.ladder = m.ladder || d.ladder
            if d.ladder { m.level = max(m.level, d.level) }
            messages[d.message] = m
        }
        var held = Set<String>()
        for (key, m) in messages where m.ladder {
            let signed = signs[m.agency]?.contains { $0 >= m.at } ?? false
            if signed { continue }
            let due = policy.hours.adding(policy.withinSeconds, to: m.at, calendar: calendar, clock: clock)
            let followUp = followUps[key]
            let possible = policy.followUp == .sms && canFollowUp(m.agency)
            if due <= now { unsigned[m.agency, default: 0] += 1 }
            switch followUp {
            case .delivered?, .failed?:
                continue
            case .pending?:
                held.insert(key)
            case nil:
                guard possible else { continue }
                held.insert(key)
                if due <= now {
                    followUpsDue.append(Waiting(agency: m.agency, message: key, sent: m.at, due: due, items: m.items, level: m.level))
                } else {
                    next = min(next ?? due, due)
                }
            }
        }
        for d in deliveries where d.ladder && held.contains(d.message) {
            unconfirmed.insert(Self.key(agency: d.agency, item: d.item, milestone: d.milestone, day: d.day))
        }
        followUpsDue.sort { ($0.due, $0.message) < ($1.due, $1.message) }
    }
}
