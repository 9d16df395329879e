import Foundation
import DudaoSecrets
import DudaoCore
import DudaoMessages

/// The configured channels, built and with their secrets loaded. Loading is the only place
/// secrets are read; everything after holds them as `Secret` (prints `***`).
public struct DeliveryChannels: Sendable {
    /// The email channel, if configured.
    public let email: EmailChannel?
    /// Chat robots and webhooks by name.
    public let chats: [String: RobotChannel]
    /// The SMS platform, if configured.
    public let sms: SMSChannel?
    /// The outbox folder, for messages no channel reaches.
    public let outbox: FileOutboxChannel
    /// Retry and dead-letter settings.
    public let retry: RetrySettings
    /// When a failing channel is paused.
    public let circuit: CircuitSettings

    /// Builds the channels; throws naming the channel and secret source, never the value.
    /// The outbox folder is `outbox/` in `stateDirectory` unless channels.yaml names one.
    public init(_ config: ChannelsConfiguration, stateDirectory: String,
                environment: [String: String] = ProcessInfo.processInfo.environment) throws(DeliveryConfigError) {
        email = try config.email.map { s throws(DeliveryConfigError) in try EmailChannel(s, environment: environment) }
        var chats: [String: RobotChannel] = [:]
        for s in config.robots { chats[s.name] = try RobotChannel(s, environment: environment) }
        self.chats = chats
        sms = try config.sms.map { s throws(DeliveryConfigError) in try SMSChannel(s, environment: environment) }
        outbox = FileOutboxChannel(directory: config.outboxDirectory ?? (stateDirectory as NSString).appendingPathComponent("outbox"))
        retry = config.retry
        circuit = config.circuit
    }

    /// The channel called `id`, if configured.
    public func channel(_ id: ChannelID) -> (any Channel)? {
        switch id.lane {
        case .email: email
        case .outbox: outbox
        case .sms: sms
        default: chats[id.rawValue]
        }
    }

    /// True when no channel is configured: everything goes to the outbox folder.
    public var isEmpty: Bool { email == nil && chats.isEmpty && sms == nil }

    /// The sender for emails: the email channel's `from`, else `fallback`.
    public func sender(fallback: Mailbox) -> Mailbox { email?.transport.configuration.from ?? fallback }
}
