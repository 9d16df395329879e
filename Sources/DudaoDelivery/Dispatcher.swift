import Foundation
import DudaoCore
import DudaoMessages

/// A message prepared for one channel: what the outbox stores and a transport sends.
public struct PreparedDelivery: Sendable {
    /// Message key (agency @ send time).
    public var message: String
    /// Addressee agency.
    public var agency: String
    /// The channel.
    public var channel: ChannelID
    /// The notices it carries.
    public var notices: [NoticeRef]
    /// The payload as stored (JSON of the channel's `Payload`).
    public var payload: String
    /// Why it cannot be sent at all (an email that cannot be encoded): stored as a dead
    /// letter with this reason, never silently rerouted.
    public var failure: String?
    /// Dudao's reference for an SMS, which platforms' reports may echo.
    public var reference: String? = nil
    /// The short link an SMS carries, to be kept: its code and the reply token it opens.
    public var shortLink: ShortLink? = nil
}

/// Routes rendered messages to channels and sends prepared ones: email to agencies with
/// email contacts when SMTP is configured, each chat robot their contacts name, and the
/// outbox folder for anything no channel reaches.
public struct Dispatcher: Sendable {
    /// The transports.
    public let channels: DeliveryChannels
    /// Builds emails.
    public let composer: EmailComposer
    private let agencies: [String: Agency]

    /// A dispatcher over channels and the agencies' contacts.
    public init(channels: DeliveryChannels, composer: EmailComposer, agencies: [Agency]) {
        self.channels = channels
        self.composer = composer
        self.agencies = Dictionary(agencies.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
    }

    // MARK: Prepare

    /// One prepared delivery per message and channel, payloads rendered.
    public func prepare(_ messages: [(PlannedMessage, RenderedMessage)], in plan: Plan) -> [PreparedDelivery] {
        prepare(messages.map { ($0.0, $0.1, []) }, in: plan)
    }

    /// The same, each email with its files attached (chat robots carry text only: the
    /// document's number is in it).
    public func prepare(_ messages: [(PlannedMessage, RenderedMessage, [EmailMessage.Attachment])], in plan: Plan) -> [PreparedDelivery] {
        var out: [PreparedDelivery] = []
        for (message, rendered, attachments) in messages {
            let key = plan.messageKey(message)
            let notices = Array(plan.notices(in: message).map { NoticeRef(key: plan.dedupKey($0), item: plan.item($0)?.id ?? "") })
            let email = composer.email(for: message, rendered: rendered, in: plan, attachments: attachments)
            var eml: String? = nil
            var emailFailure: String? = nil
            if let email {
                do { eml = try email.rfc5322() } catch { emailFailure = "邮件无法编码 cannot encode the email: \(error)" }
            }
            var reached = false
            if channels.email != nil, let email {
                out.append(PreparedDelivery(message: key, agency: message.to.agency, channel: .email, notices: notices,
                                            payload: EmailChannel.stored(.init(eml: eml ?? "", rcpt: email.recipients)), failure: emailFailure))
                reached = true
            }
            let chats = chatChannels(for: [message.to] + message.cc).filter { channels.chats[$0] != nil }
            let generic = chats.isEmpty && reached ? "" : ChatPayload.generic(message, rendered, in: plan)
            for name in chats {
                out.append(PreparedDelivery(message: key, agency: message.to.agency, channel: ChannelID(rawValue: name), notices: notices,
                                            payload: RobotChannel.stored(RobotPayload(rendered, generic: generic)), failure: nil))
                reached = true
            }
            // SMS is a notice beside the message, never its only copy: it does not count as reaching the agency.
            if let sms = channels.sms, sms.settings.send.contains(rendered.template), !rendered.sms.isEmpty || sms.settings.templates[rendered.template] != nil {
                let (short, link) = ShortLink.shorten(rendered)
                for (mobile, channel) in mobiles(for: [message.to] + message.cc) {
                    let reference = SMSChannel.reference(message: key, channel: channel)
                    out.append(PreparedDelivery(message: key, agency: message.to.agency, channel: channel, notices: notices,
                                                payload: SMSChannel.stored(sms.payload(short, mobile: mobile, reference: reference)), failure: nil,
                                                reference: reference, shortLink: link))
                }
            }
            if !reached {
                out.append(PreparedDelivery(message: key, agency: message.to.agency, channel: .outbox, notices: notices,
                                            payload: FileOutboxChannel.stored(.init(day: message.sendDay.iso, eml: eml, json: generic)),
                                            failure: emailFailure))
            }
        }
        return out
    }

    /// The follow-up SMS of a notice not signed for (`Signing`), one per liaison mobile of
    /// `agency`, under the message key `key`; none without an SMS platform or a mobile.
    public func prepareFollowUp(_ rendered: RenderedMessage, key: String, agency: String) -> [PreparedDelivery] {
        guard let sms = channels.sms else { return [] }
        let (short, link) = ShortLink.shorten(rendered)
        return mobiles(for: [Recipient(agency: agency)]).map { mobile, channel in
            let reference = SMSChannel.reference(message: key, channel: channel)
            return PreparedDelivery(message: key, agency: agency, channel: channel, notices: [],
                                    payload: SMSChannel.stored(sms.payload(short, mobile: mobile, reference: reference)), failure: nil,
                                    reference: reference, shortLink: link)
        }
    }

    /// True when an SMS can reach `agency`'s liaisons: a platform, and a mobile on file.
    public func canText(_ agency: String) -> Bool { channels.sms != nil && !mobiles(for: [Recipient(agency: agency)]).isEmpty }

    /// True when `message` goes to a chat robot or the file outbox, which need the
    /// markdown part; false when it goes by email only.
    public func needsMarkdown(_ message: PlannedMessage) -> Bool {
        guard channels.email != nil, !composer.mailboxes(for: message.to).isEmpty else { return true }
        return chatChannels(for: [message.to] + message.cc).contains { channels.chats[$0] != nil }
    }

    /// Mobiles of the contacts of `recipients`, each number once, in order, with the
    /// entry's channel (`ChannelID.sms(to:)`; a number whose hash another of the same
    /// message already took gets `-2`, `-3`…, so neither is lost to the outbox's
    /// one-entry-per-channel rule).
    func mobiles(for recipients: [Recipient]) -> [(mobile: String, channel: ChannelID)] {
        var numbers = Set<String>()
        var taken = Set<ChannelID>()
        var out: [(String, ChannelID)] = []
        for r in recipients {
            guard let agency = agencies[r.agency] else { continue }
            for c in (r.role == .leadership ? agency.leadership : agency.contacts) {
                guard let m = c.mobile, Mobile.isValid(m), numbers.insert(Mobile.normalized(m)).inserted else { continue }
                var channel = ChannelID.sms(to: m), n = 1
                while !taken.insert(channel).inserted {
                    n += 1
                    channel = ChannelID(rawValue: ChannelID.sms(to: m).rawValue + "-\(n)")
                }
                out.append((m, channel))
            }
        }
        return out
    }

    /// Chat channels named by the contacts of `recipients`, each once, in order.
    func chatChannels(for recipients: [Recipient]) -> [String] {
        var seen = Set<String>()
        var out: [String] = []
        for r in recipients {
            guard let agency = agencies[r.agency] else { continue }
            for c in (r.role == .leadership ? agency.leadership : agency.contacts) {
                if let chat = c.chat, seen.insert(chat).inserted { out.append(chat) }
            }
        }
        return out
    }

    // MARK: Send

    /// Sends one stored entry over `connection` (one per worker thread) through its channel.
    /// A channel no longer configured is a permanent failure.
    public func deliver(channel id: ChannelID, message: String, payload json: String, over connection: Connection,
                        stop: StopSignal?) -> DeliveryOutcome {
        guard let channel = channels.channel(id) else {
            return .permanent(reason: "channel “\(id)” is no longer configured")
        }
        return channel.send(stored: json, key: message, over: connection, stop: stop)
    }

    /// How many messages a channel may have in flight at once.
    public func connections(for id: ChannelID) -> Int { channels.channel(id)?.connections ?? 1 }

    /// The longest one send on a channel can take.
    public func longestSend(for id: ChannelID) -> TimeInterval { channels.channel(id)?.longestSend ?? 60 }
}
