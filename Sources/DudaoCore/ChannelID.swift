/// The name of a delivery channel: `email`, `outbox` (the folder), or a chat channel's
/// name from channels.yaml. Typed so a chat channel cannot pass for one of the built-ins.
public struct ChannelID: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { rawValue = value }

    /// The SMTP channel.
    public static let email: ChannelID = "email"
    /// The outbox folder, for messages no channel reaches.
    public static let outbox: ChannelID = "outbox"

    /// Names a chat channel may not take: the built-in channels, and `skipped`, the sent
    /// log's mark for notices left out after downtime (it shares the channel column).
    public static let reserved: Set<String> = ["email", "outbox", "skipped"]

    public var description: String { rawValue }
    public static func < (a: ChannelID, b: ChannelID) -> Bool { a.rawValue < b.rawValue }
}
