/// The overdue ladder (policy.yaml `overdue:`): how work past its date is chased, climbing
/// by what was really sent and answered.
///
/// 核实 (verify) first when nothing was ever sent about the work to the agency; then 催办
/// (level 1) to the liaison, 督办 (level 2) copying the agency's leadership after
/// `climbAfter` unanswered level-1 messages, 通报 (level 3) after as many unanswered
/// level-2 ones. Any answer from the agency starts it again at level 1. All of an agency's
/// overdue work goes out together on `weekday`.
public struct Ladder: Hashable, Sendable {
    /// ISO weekday of the agency's weekly overdue message: 1 = Monday … 7 = Sunday.
    public var weekday: Int
    /// Workdays a 核实 request gives for the answer; `nil` when verification is off.
    public var verifyReplyDays: Int?
    /// The levels, in increasing order.
    public var levels: [LadderLevel]

    /// A ladder from its parts.
    public init(weekday: Int = 1, verifyReplyDays: Int? = 5, levels: [LadderLevel] = LadderLevel.defaults) {
        self.weekday = weekday
        self.verifyReplyDays = verifyReplyDays
        self.levels = levels
    }

    /// The level numbered `number`, if configured.
    public func level(_ number: Int) -> LadderLevel? { levels.first { $0.level == number } }

    /// The level after `number`, if any.
    public func level(after number: Int) -> LadderLevel? { levels.first { $0.level > number } }
}

/// One rung of the ladder.
public struct LadderLevel: Hashable, Sendable {
    /// 1, 2, 3…: in messages, dedup keys (`overdue-2`) and template names.
    public var level: Int
    /// 催办, 督办, 通报: the level's name in messages.
    public var name: String
    /// Unanswered messages at this level before the next level; `nil` at the top.
    public var climbAfter: Int?
    /// Messages at this level at most, until the agency answers; `nil` for no limit.
    public var maxTimes: Int?
    /// The interval between messages, slowing with the time spent at the level.
    public var cadence: [CadenceStep]
    /// Workdays the message gives for a written reply; the next one waits for them.
    public var replyDays: Int
    /// Copy the supervising office.
    public var ccSupervisor: Bool
    /// Copy the agency's leadership.
    public var ccLeadership: Bool

    /// A level from its parts.
    public init(level: Int, name: String, climbAfter: Int?, maxTimes: Int? = nil, cadence: [CadenceStep] = [CadenceStep(everyDays: 7)],
                replyDays: Int = 3, ccSupervisor: Bool = false, ccLeadership: Bool = false) {
        self.level = level
        self.name = name
        self.climbAfter = climbAfter
        self.maxTimes = maxTimes
        self.cadence = cadence
        self.replyDays = replyDays
        self.ccSupervisor = ccSupervisor
        self.ccLeadership = ccLeadership
    }

    /// Days from one message at this level to the next, `age` days after the first one.
    public func interval(atAge age: Int) -> Int {
        for step in cadence {
            if let until = step.untilDays, age >= until { continue }
            return step.everyDays
        }
        return cadence.last?.everyDays ?? 7
    }

    /// 催办 weekly, two unanswered then 督办 weekly copying leadership, two unanswered then
    /// 通报: weekly in its first four weeks, fortnightly for eight more, then every four
    /// weeks, twelve times at most. A year unanswered is 1 + 2 + 2 + 12 = 17 messages.
    public static let defaults = [
        LadderLevel(level: 1, name: "催办", climbAfter: 2),
        LadderLevel(level: 2, name: "督办", climbAfter: 2, ccLeadership: true),
        LadderLevel(level: 3, name: "通报", climbAfter: nil, maxTimes: 12,
                    cadence: [CadenceStep(everyDays: 7, untilDays: 28), CadenceStep(everyDays: 14, untilDays: 84), CadenceStep(everyDays: 28)],
                    ccLeadership: true),
    ]
}

/// `7d for 28d`: every `everyDays` while the time at the level is under `untilDays`.
public struct CadenceStep: Hashable, Sendable {
    /// Days between messages.
    public var everyDays: Int
    /// Age at the level (days since its first message) this step ends at; `nil` for the last.
    public var untilDays: Int?

    /// A step.
    public init(everyDays: Int, untilDays: Int? = nil) {
        self.everyDays = everyDays
        self.untilDays = untilDays
    }
}

/// What the ladder says the next overdue message is.
public enum LadderStep: Hashable, Sendable {
    /// 核实: first contact on work already overdue.
    case verify
    /// A level of the ladder.
    case level(Int)

    /// 0 for verify, else the level number.
    public var number: Int {
        switch self {
        case .verify: 0
        case .level(let n): n
        }
    }
}
