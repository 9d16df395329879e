import Foundation

/// The records planning follows: every report and decision, and what was sent.
public struct Supervision: Sendable {
    /// Reports and decisions.
    public var standings: Standings
    /// The sent log and the outbox.
    public var history: SentHistory
    /// Overdue messages delivered but not yet confirmed (`Signing`): not signed for, and
    /// their follow-up not yet delivered. They do not count as unanswered for climbing.
    public var unconfirmed: Set<String> = []
    /// Overdue messages past their time to sign, unsigned, by agency (未签收).
    public var unsigned: [String: Int] = [:]
    /// When each agency last signed for its notices (with a `sign:` policy).
    public var lastSigned: [String: Date] = [:]

    /// Records from their parts.
    public init(standings: Standings = .none, history: SentHistory = .empty) {
        self.standings = standings
        self.history = history
    }

    /// No reports, nothing sent: a fresh deployment.
    public static let none = Supervision()
}
