/// What the records show was sent, per agency and piece of work: the facts the ladder
/// climbs by and messages quote (留痕).
public struct SentHistory: Sendable {
    /// What became of a claimed notice.
    public enum Fate: Sendable {
        /// Reached the agency (the sent log).
        case delivered
        /// In the outbox, not yet delivered: the ladder counts it as sent, messages do not.
        case pending
        /// Skipped by catch-up or a dead letter: never sent, never planned again.
        case notSent
    }

    /// One claimed notice.
    public struct Record: Sendable {
        /// The agency.
        public var agency: String
        /// Its dedup key.
        public var key: String
        /// The day it was delivered (or is due to be).
        public var day: CivilDate
        /// What became of it.
        public var fate: Fate

        /// A record.
        public init(agency: String, key: String, day: CivilDate, fate: Fate) {
            self.agency = agency
            self.key = key
            self.day = day
            self.fate = fate
        }
    }

    /// What retention removed from the sent log about one agency's milestone (or ongoing
    /// work), folded into one row that is never pruned: how many reminders reached the
    /// agency and when the first and last did, every overdue message (step and day: the
    /// count per level and the level reached), and the report days asked for. With it, a
    /// restart years later climbs on from where the ladder was and a message's 此前提醒
    /// still counts every reminder.
    public struct Summary: Hashable, Sendable {
        /// The agency.
        public var agency: String
        /// Item id.
        public var item: String
        /// Milestone index (0-based); -1 for ongoing work.
        public var milestone: Int32
        /// Reminders of any kind that reached the agency.
        public var delivered: Int
        /// Day of the first and the last of them.
        public var first: CivilDate?
        public var last: CivilDate?
        /// Overdue messages (核实 and levels), in day order.
        public var escalations: [Escalation]
        /// Report days (nominal) whose progress request reached the agency.
        public var requests: [CivilDate]

        /// A summary from its parts.
        public init(agency: String, item: String, milestone: Int32, delivered: Int = 0, first: CivilDate? = nil, last: CivilDate? = nil,
                    escalations: [Escalation] = [], requests: [CivilDate] = []) {
            self.agency = agency
            self.item = item
            self.milestone = milestone
            self.delivered = delivered
            self.first = first
            self.last = last
            self.escalations = escalations
            self.requests = requests
        }

        /// Adds one delivered record (`key` its parsed dedup key); a decision told is not a
        /// reminder and leaves the summary as it was, as it leaves a track.
        public mutating func fold(day: CivilDate, key: NoticeKey) {
            if case .decision = key.rule { return }
            delivered += 1
            first = Swift.min(first ?? day, day)
            last = Swift.max(last ?? day, day)
            if let step = key.rule.ladderStep {
                escalations.insert(Escalation(step: step, day: day), at: escalations.lastIndex { $0.day <= day }.map { $0 + 1 } ?? 0)
            }
            if case .progress = key.rule, !requests.contains(key.occurrence) {
                requests.append(key.occurrence)
                requests.sort()
            }
        }

        /// `v@2024-12-02 1@2024-12-09 2@2025-01-06`: the escalations as the store keeps them.
        public var escalationText: String {
            escalations.map { ($0.step.number == 0 ? "v" : String($0.step.number)) + "@" + $0.day.iso }.joined(separator: " ")
        }

        /// Reads `escalationText` back; entries that do not parse are left out.
        public static func escalations(_ text: String) -> [Escalation] {
            text.split(separator: " ").compactMap { part in
                let bits = part.split(separator: "@")
                guard bits.count == 2, let day = CivilDate(iso: bits[1]) else { return nil }
                if bits[0] == "v" { return Escalation(step: .verify, day: day) }
                return Int(bits[0]).flatMap { $0 > 0 ? Escalation(step: .level($0), day: day) : nil }
            }
        }
    }

    /// One overdue message: its step and day.
    public struct Escalation: Hashable, Sendable {
        public var step: LadderStep
        public var day: CivilDate

        public init(step: LadderStep, day: CivilDate) {
            self.step = step
            self.day = day
        }
    }

    /// Reminders that reached an agency about a piece of work: how many, the first and the
    /// last — the facts a message's 此前提醒 line states.
    public struct Reminders: Hashable, Sendable {
        public var count = 0
        public var first: CivilDate?
        public var last: CivilDate?
        /// The days the sent log still lists (all of them unless retention folded some
        /// into a summary).
        public var days: [CivilDate] = []

        public init(count: Int = 0, first: CivilDate? = nil, last: CivilDate? = nil, days: [CivilDate] = []) {
            self.count = count
            self.first = first
            self.last = last
            self.days = days
        }
    }

    /// One agency's record on one milestone (or ongoing work).
    public struct Track: Sendable {
        /// Days reminders of any kind reached the agency, in order, as the sent log lists
        /// them (retention's summary holds the older ones: see `reminders(before:)`).
        public internal(set) var delivered: [CivilDate] = []
        /// Reminders retention folded into a summary: how many, the first and last day.
        public internal(set) var pruned: Reminders = Reminders()
        /// Overdue messages (核实 and levels) delivered or pending, in order.
        public internal(set) var escalations: [(step: LadderStep, day: CivilDate)] = []
        /// Report days (nominal) whose progress request was delivered or pending.
        public internal(set) var requests: Set<CivilDate> = []
        /// True when anything reached the agency or is on its way.
        public internal(set) var contacted = false
        /// Keys claimed in any way: never planned again.
        public internal(set) var claimed: Set<String> = []

        /// Reminders that reached the agency before `day` (every one when `nil`).
        public func reminders(before day: CivilDate? = nil) -> Reminders {
            let listed = day.map { d in delivered.filter { $0 < d } } ?? delivered
            var out = Reminders(count: listed.count, first: listed.first, last: listed.last, days: listed)
            if pruned.count > 0 {
                out.count += pruned.count
                out.first = [pruned.first, out.first].compactMap { $0 }.min()
                out.last = [pruned.last, out.last].compactMap { $0 }.max()
            }
            return out
        }

        /// Takes in what retention folded away: it precedes every row the sent log still has.
        mutating func add(_ s: Summary) {
            if s.delivered > 0 { contacted = true }
            pruned.count += s.delivered
            pruned.first = [pruned.first, s.first].compactMap { $0 }.min()
            pruned.last = [pruned.last, s.last].compactMap { $0 }.max()
            for e in s.escalations {
                escalations.insert((e.step, e.day), at: escalations.lastIndex { $0.day <= e.day }.map { $0 + 1 } ?? 0)
            }
            requests.formUnion(s.requests)
        }

        /// Keeps `delivered` and `escalations` in day order: records mostly come in order,
        /// so this is an append.
        mutating func add(_ r: Record, _ key: NoticeKey) {
            claimed.insert(r.key)
            // A decision told is not a reminder: it neither contacts nor escalates.
            if case .notSent = r.fate { return }
            if case .decision = key.rule { return }
            contacted = true
            if case .delivered = r.fate {
                delivered.insert(r.day, at: delivered.lastIndex { $0 <= r.day }.map { $0 + 1 } ?? 0)
            }
            if let step = key.rule.ladderStep {
                escalations.insert((step, r.day), at: escalations.lastIndex { $0.day <= r.day }.map { $0 + 1 } ?? 0)
            }
            if case .progress = key.rule { requests.insert(key.occurrence) }
        }
    }

    /// Tracks by item, then agency and milestone.
    private var byItem: [String: [TrackKey: Track]] = [:]

    private struct TrackKey: Hashable {
        var agency: String
        var milestone: Int32
    }

    /// Nothing sent.
    public static let empty = SentHistory(records: [])

    /// The history of `records`; keys that are not dedup keys are ignored.
    public init(records: [Record]) {
        add(records)
    }

    /// Adds `records` (the store adds the sent log's new rows on each wake, then the outbox's).
    public mutating func add(_ records: some Sequence<Record>) {
        for r in records {
            guard let key = NoticeKey(r.key) else { continue }
            // Mutated in place: copying a track out and back would copy its sets.
            byItem[key.item, default: [:]][TrackKey(agency: r.agency, milestone: key.milestone), default: Track()].add(r, key)
        }
    }

    /// Adds what retention folded into summaries (read before the sent log's rows).
    public mutating func add(_ summaries: some Sequence<Summary>) {
        for s in summaries {
            byItem[s.item, default: [:]][TrackKey(agency: s.agency, milestone: s.milestone), default: Track()].add(s)
        }
    }

    /// True when nothing at all was claimed.
    public var isEmpty: Bool { byItem.isEmpty }

    /// True when nothing was claimed about `item`.
    public func isEmpty(item: String) -> Bool { byItem[item] == nil }

    /// `agency`'s record on milestone `milestone` (0-based; -1 for ongoing work) of item `item`
    /// (`""` and -1 for the office's reports).
    public func track(agency: String, item: String, milestone: Int32) -> Track? {
        byItem[item]?[TrackKey(agency: agency, milestone: milestone)]
    }
}
