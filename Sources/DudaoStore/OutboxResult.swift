import Foundation

/// What became of one attempt at an outbox entry, as it is written down.
public struct OutboxResult: Sendable {
    public enum Kind: Sendable, Equatable {
        /// Sent at this time: the entry is done and its notices reach the agency.
        case delivered(at: Date, receipt: String? = nil)
        /// Failed; tried again at `at`.
        case retry(at: Date, error: String)
        /// Sent with no answer: waits until `until` for a delivery report (still pending,
        /// marked unknown), then goes again or is given up as configured.
        case unknown(until: Date, error: String)
        /// Failed for good: a dead letter.
        case dead(error: String)
    }

    public var entry: OutboxEntry
    public var kind: Kind

    public init(_ entry: OutboxEntry, _ kind: Kind) {
        self.entry = entry
        self.kind = kind
    }
}
