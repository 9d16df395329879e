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

    /// One agency's record on one milestone (or ongoing work).
    public struct Track: Sendable {
        /// Days reminders of any kind reached the agency, in order.
        public internal(set) var delivered: [CivilDate] = []
        /// Overdue messages (核实 and levels) delivered or pending, in order.
        public internal(set) var escalations: [(step: LadderStep, day: CivilDate)] = []
        /// Report days (nominal) whose progress request was delivered or pending.
        public internal(set) var requests: Set<CivilDate> = []
        /// True when anything reached the agency or is on its way.
        public internal(set) var contacted = false
        /// Keys claimed in any way: never planned again.
        public internal(set) var claimed: Set<String> = []

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
