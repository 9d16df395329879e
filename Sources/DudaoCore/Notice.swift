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
        /// 核实: first contact on work already overdue.
        case verify
        /// After the due date, at a level of the ladder.
        case overdue(level: Int)
        /// Monthly progress request for ongoing work.
        case progress
        /// The office's weekly or monthly report.
        case report(monthly: Bool)
        /// The office's decision on the agency's work (销号, 退回, 延期 granted or refused),
        /// told on the first send time after it was recorded. Not a reminder: it climbs no
        /// ladder and is never counted as one.
        case decision

        /// `advance-7`, `due`, `overdue-2`, `progress`: used in dedup keys.
        public var name: String {
            switch self {
            case .advance(let d): "advance-\(d)"
            case .due: "due"
            case .verify: "verify"
            case .overdue(let l): "overdue-\(l)"
            case .progress: "progress"
            case .report(let monthly): monthly ? "report-month" : "report-week"
            case .decision: "decision"
            }
        }

        /// The rule a name stands for (`advance-7`, `overdue-2`…); `nil` when unknown.
        public init?(name: some StringProtocol) {
            switch name {
            case "due": self = .due
            case "verify": self = .verify
            case "progress": self = .progress
            case "report-week": self = .report(monthly: false)
            case "report-month": self = .report(monthly: true)
            case "decision": self = .decision
            default:
                if name.hasPrefix("advance-"), let d = Int(name.dropFirst(8)), d > 0 { self = .advance(days: d) }
                else if name.hasPrefix("overdue-"), let l = Int(name.dropFirst(8)), l > 0 { self = .overdue(level: l) }
                else { return nil }
            }
        }

        /// The ladder step of an overdue rule.
        public var ladderStep: LadderStep? {
            switch self {
            case .verify: .verify
            case .overdue(let l): .level(l)
            default: nil
            }
        }

        /// Higher is more pressing: when two rules land on one send day, the higher is kept, and
        /// a message block about an item leads with it.
        public var urgency: Int {
            switch self {
            case .advance(let d): 100 - Swift.min(d, 99)
            case .due: 200
            case .verify: 300
            case .overdue(let l): 300 + l
            case .progress: 0
            case .report: 0
            case .decision: 0
            }
        }
    }

    /// Index of the item in the planned list; -1 for the office's report.
    public let item: Int32
    /// The workday it is sent on.
    public let sendDay: CivilDate
    /// The due date it is about (after any extension); the month's end for progress requests.
    public let due: CivilDate
    private let occurrenceOffset: Int32
    private let milestoneIndex: Int16
    private let leadIndex: Int16
    private let kind: UInt8
    private let level: UInt8

    /// A notice from its parts. `occurrence` is the nominal day before workday shifting;
    /// `lead` the index in the item's lead agencies it goes to, -1 for every lead.
    public init(item: Int32, milestone: Int32, lead: Int = -1, rule: Rule, occurrence: CivilDate, sendDay: CivilDate, due: CivilDate) {
        self.item = item
        self.leadIndex = Int16(clamping: lead)
        self.sendDay = sendDay
        self.due = due
        self.occurrenceOffset = occurrence.dayNumber - due.dayNumber
        self.milestoneIndex = Int16(clamping: milestone)
        switch rule {
        case .advance: (kind, level) = (0, 0)
        case .due: (kind, level) = (1, 0)
        case .overdue(let l): (kind, level) = (2, UInt8(clamping: l))
        case .progress: (kind, level) = (3, 0)
        case .verify: (kind, level) = (4, 0)
        case .report(let monthly): (kind, level) = (5, monthly ? 1 : 0)
        case .decision: (kind, level) = (6, 0)
        }
    }

    /// Index in the item's lead agencies of the one agency it goes to; -1 for every lead.
    public var lead: Int { Int(leadIndex) }

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
        case 3: .progress
        case 4: .verify
        case 6: .decision
        default: .report(monthly: level == 1)
        }
    }
}
