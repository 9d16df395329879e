import Foundation
import Crypto
import DudaoCore
import DudaoStore

/// Where an SMS platform pushes delivery reports and replies: `POST /hooks/sms/TYPE/TOKEN`
/// (or the token in `X-Dudao-Token`). The platforms sign nothing they push, so the path's
/// token is the check; the body is bounded, read as the platform's shape, and each event
/// recorded once. The console does not read SMS itself: the service hands it the platform
/// (its type, token and reader) as channels.yaml configures it.
public struct SMSHook: Sendable {
    /// The platform's `type:` (`cmcc-mas`), the path's second part.
    public var platform: String
    /// The token the path must carry.
    public var token: String
    /// Reads a pushed body; nil when it is not the platform's shape.
    public var events: @Sendable (Data) -> [SMSEvent]?
    /// The platform's expected answer.
    public var acknowledgement: String
    /// Addresses pushes may come from; empty: any (the token still checked).
    public var from: Set<String>

    public init(platform: String, token: String, events: @escaping @Sendable (Data) -> [SMSEvent]?, acknowledgement: String,
                from: [String] = []) {
        self.from = Set(from)
        self.platform = platform
        self.token = token
        self.events = events
        self.acknowledgement = acknowledgement
    }

    /// The largest body read: platforms push at most a few hundred reports at once.
    static let maxBytes = 256 * 1024

    /// True when `given` is the token, compared in constant time.
    func accepts(token given: String) -> Bool {
        guard !token.isEmpty else { return false }
        let a = SHA256.hash(data: Data(given.utf8)), b = SHA256.hash(data: Data(token.utf8))
        return zip(a, b).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
