import Foundation

/// One message to one agency at one send time: a digest of every notice it is due then.
public struct PlannedMessage: Hashable, Sendable {
    /// What the message is about; `digest` when it mixes kinds.
    public enum Kind: String, Hashable, Sendable, CaseIterable {
        case advance, due, overdue, ongoing, digest
    }

    /// The workday it is sent on.
    public var sendDay: CivilDate
    /// The instant it is sent (send day at the policy's send time).
    public var sendAt: Date
    /// What it is about.
    public var kind: Kind
    /// Highest escalation level among its notices; 0 when none is overdue.
    public var level: Int
    /// The lead agency addressed.
    public var to: Recipient
    /// Supervising office and leadership, as the escalation level asks.
    public var cc: [Recipient]
    /// The notices it carries, in item order.
    public var notices: [Notice]

    /// A message from its parts.
    public init(sendDay: CivilDate, sendAt: Date, kind: Kind, level: Int, to: Recipient, cc: [Recipient], notices: [Notice]) {
        self.sendDay = sendDay
        self.sendAt = sendAt
        self.kind = kind
        self.level = level
        self.to = to
        self.cc = cc
        self.notices = notices
    }
}

extension Notice.Rule {
    /// The message kind of a notice sent alone.
    var kind: PlannedMessage.Kind {
        switch self {
        case .advance: .advance
        case .due: .due
        case .overdue: .overdue
        case .progress: .ongoing
        }
    }
}
