/// The name of a delivery channel: `email`, `outbox` (the folder), `sms/HASH` (one number
/// on the SMS platform), or a chat channel's name from channels.yaml. Typed so a chat channel cannot pass for one of the built-ins.
public struct ChannelID: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { rawValue = value }

    /// The SMTP channel.
    public static let email: ChannelID = "email"
    /// The outbox folder, for messages no channel reaches.
    public static let outbox: ChannelID = "outbox"

    /// The SMS platform. Each number a message goes to is an entry of its own, on
    /// `sms/HASH` (`sms(to:)`): one lane, one circuit, one outcome per number.
    public static let sms: ChannelID = "sms"

    /// The entry's channel for SMS to `mobile`: a short hash, so the number itself is not
    /// in the column (which logs and pages show).
    public static func sms(to mobile: String) -> ChannelID {
        // The same number whether written 138… or +86138… (platforms' reports differ). 24
        // bits: about a hundred numbers share each hash, so the column does not give the
        // number away; two numbers of one message that collide are told apart by Dispatcher.
        let number = Mobile.normalized(mobile)
        var h: UInt32 = 2166136261
        for b in number.utf8 { h = (h ^ UInt32(b)) &* 16777619 }
        return ChannelID(rawValue: "sms/" + String(h & 0xFFFFFF, radix: 16))
    }

    /// The channel that sends it: `sms` for every `sms/…` entry, else itself.
    public var lane: ChannelID {
        guard let slash = rawValue.firstIndex(of: "/") else { return self }
        return ChannelID(rawValue: String(rawValue[..<slash]))
    }

    /// Names a chat channel may not take: the built-in channels, and `skipped`, the sent
    /// log's mark for notices left out after downtime (it shares the channel column).
    public static let reserved: Set<String> = ["email", "outbox", "skipped", "sms"]

    public var description: String { rawValue }
    public static func < (a: ChannelID, b: ChannelID) -> Bool { a.rawValue < b.rawValue }
}
