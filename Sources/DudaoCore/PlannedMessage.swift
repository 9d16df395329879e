import Foundation

/// One message to one agency at one send time: a digest of every notice it is due then.
/// Its notices are read through `Plan.notices(in:)`; the message holds only their range.
public struct PlannedMessage: Hashable, Sendable {
    /// What the message is about; `digest` when it mixes kinds.
    public enum Kind: String, Hashable, Sendable, CaseIterable {
        case advance, due, verify, overdue, ongoing, report, decision, digest
    }

    /// The workday it is sent on.
    public var sendDay: CivilDate
    /// The instant it is sent (send day at the policy's send time).
    public var sendAt: Date
    /// What it is about.
    public var kind: Kind
    /// Highest ladder level among its notices; 0 when none is (a 核实 request is 0).
    public var level: Int
    /// The lead agency addressed.
    public var to: Recipient
    /// Leadership and the supervising office, as the ladder level asks.
    public var cc: [Recipient]
    /// Where its notices sit in the plan's grouped index.
    public var noticeRange: Range<Int>

    /// A message from its parts.
    public init(sendDay: CivilDate, sendAt: Date, kind: Kind, level: Int, to: Recipient, cc: [Recipient], noticeRange: Range<Int>) {
        self.sendDay = sendDay
        self.sendAt = sendAt
        self.kind = kind
        self.level = level
        self.to = to
        self.cc = cc
        self.noticeRange = noticeRange
    }
}

extension Notice.Rule {
    /// The message kind of a notice sent alone.
    var kind: PlannedMessage.Kind {
        switch self {
        case .advance: .advance
        case .due: .due
        case .verify: .verify
        case .overdue: .overdue
        case .progress: .ongoing
        case .report: .report
        case .decision: .decision
        }
    }
}
