import Foundation
import DudaoCore

/// One row of the sent log: a notice that reached an agency (or was skipped), in which
/// message, over which channel, when.
public struct SentEntry: Hashable, Sendable {
    /// The dedup key.
    public var notice: String
    /// The agency.
    public var agency: String
    /// The message key.
    public var message: String
    /// The channel, or `skipped`.
    public var channel: ChannelID
    /// When.
    public var at: Date
}
