/// One reminder about one milestone of one item, before it is addressed and grouped.
///
/// Its dedup key — item, milestone, rule and the nominal occurrence day — is what makes a
/// reminder "the same" across replans, restarts and calendar edits.
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
    public var item: Int32
    /// Index of the milestone; -1 for an ongoing item's progress request.
    public var milestone: Int32
    /// The rule that produced it.
    public var rule: Rule
    /// The nominal day before workday shifting; part of the dedup key.
    public var occurrence: CivilDate
    /// The workday it is sent on.
    public var sendDay: CivilDate
    /// The due date it is about (after any extension); the month's end for progress requests.
    public var due: CivilDate

    /// A notice from its parts.
    public init(item: Int32, milestone: Int32, rule: Rule, occurrence: CivilDate, sendDay: CivilDate, due: CivilDate) {
        self.item = item
        self.milestone = milestone
        self.rule = rule
        self.occurrence = occurrence
        self.sendDay = sendDay
        self.due = due
    }
}
