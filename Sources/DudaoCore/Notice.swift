/// One reminder about one milestone of one item, before it is addressed and grouped.
///
/// Its dedup key — item, milestone, rule and the nominal occurrence day — is what makes a
/// reminder "the same" across replans, restarts and calendar edits. Stored in 20 bytes:
/// a year's plan for 100,000 items holds millions of these.
public struct Notice: Hashable, Sendable {
    /// Why the notice exists.
    public enum Rule: Hashable, Sendable {
        /// N days before the due date.
        case advance(days: Int)
        /// On the due date.
        case due
        /// After the due date, at an escalation level.
        case overdue(level: Int)
        /// Monthly progress request for ongoing work.
        case progress

        /// `advance-7`, `due`, `overdue-2`, `progress`: used in dedup keys.
        public var name: String {
            switch self {
            case .advance(let d): "advance-\(d)"
            case .due: "due"
            case .overdue(let l): "overdue-\(l)"
            case .progress: "progress"
            }
        }

        /// Higher is more pressing; when two rules land on one send day, the higher is kept.
        var urgency: Int {
            switch self {
            case .advance(let d): 100 - Swift.min(d, 99)
            case .due: 200
            case .overdue(let l): 300 + l
            case .progress: 0
            }
        }
    }

    /// Index of the item in the planned list.
    public let item: Int32
    /// The workday it is sent on.
    public let sendDay: CivilDate
    /// The due date it is about (after any extension); the month's end for progress requests.
    public let due: CivilDate
    private let occurrenceOffset: Int32
    private let milestoneIndex: Int16
    private let kind: UInt8
    private let level: UInt8

    /// A notice from its parts. `occurrence` is the nominal day before workday shifting.
    public init(item: Int32, milestone: Int32, rule: Rule, occurrence: CivilDate, sendDay: CivilDate, due: CivilDate) {
        self.item = item
        self.sendDay = sendDay
        self.due = due
        self.occurrenceOffset = occurrence.dayNumber - due.dayNumber
        self.milestoneIndex = Int16(clamping: milestone)
        switch rule {
        case .advance: (kind, level) = (0, 0)
        case .due: (kind, level) = (1, 0)
        case .overdue(let l): (kind, level) = (2, UInt8(clamping: l))
        case .progress: (kind, level) = (3, 0)
        }
    }

    /// Index of the milestone; -1 for an ongoing item's progress request.
    public var milestone: Int32 { Int32(milestoneIndex) }

    /// The nominal day before workday shifting; part of the dedup key.
    public var occurrence: CivilDate { CivilDate(dayNumber: due.dayNumber + occurrenceOffset) }

    /// The rule that produced it.
    public var rule: Rule {
        switch kind {
        case 0: .advance(days: Int(-occurrenceOffset))
        case 1: .due
        case 2: .overdue(level: Int(level))
        default: .progress
        }
    }
}
