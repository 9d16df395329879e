/// The records planning follows: every report and decision, and what was sent.
public struct Supervision: Sendable {
    /// Reports and decisions.
    public var standings: Standings
    /// The sent log and the outbox.
    public var history: SentHistory

    /// Records from their parts.
    public init(standings: Standings = .none, history: SentHistory = .empty) {
        self.standings = standings
        self.history = history
    }

    /// No reports, nothing sent: a fresh deployment.
    public static let none = Supervision()
}
