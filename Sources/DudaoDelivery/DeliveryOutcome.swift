/// What happened to one delivery attempt. Transient failures are retried (after
/// `retryAfter` seconds when the server said so); permanent ones go to dead letters.
public enum DeliveryOutcome: Hashable, Sendable, CustomStringConvertible {
    /// Accepted by the server; `detail` is its reply (e.g. `250`); `receipt` the id its
    /// delivery reports will name (SMS platforms).
    case delivered(detail: String, receipt: String? = nil)
    /// Try again later: SMTP 4xx, connection failures, timeouts, HTTP 429/5xx, robot rate limits.
    case transient(retryAfter: Double?, reason: String)
    /// Will not succeed by retrying: SMTP 5xx, HTTP 4xx, signature or configuration errors.
    case permanent(reason: String)
    /// The request went but no answer came (a timeout): the peer may have accepted it.
    /// Not sent again blindly — it waits for a delivery report, or for a bound (SMS).
    case unknown(reason: String)
    /// Never handed to the peer (the service began to stop while it waited for a slot):
    /// it stays pending and no attempt is counted.
    case notAttempted(reason: String)

    /// True for `.delivered`.
    public var isDelivered: Bool { if case .delivered = self { true } else { false } }
    /// True for `.transient`.
    public var isTransient: Bool { if case .transient = self { true } else { false } }
    /// True for `.permanent`.
    public var isPermanent: Bool { if case .permanent = self { true } else { false } }

    public var description: String {
        switch self {
        case .delivered(let d, _): "delivered (\(d))"
        case .transient(let after, let reason): "transient\(after.map { ", retry after \(Int($0.rounded(.up))) s" } ?? ""): \(reason)"
        case .permanent(let reason): "permanent: \(reason)"
        case .unknown(let reason): "unknown (no answer after sending): \(reason)"
        case .notAttempted(let reason): "not attempted: \(reason)"
        }
    }
}
