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
    /// The rendered payload.
    public var payload: StoredPayload
    /// Why it cannot be sent at all (an email that cannot be encoded): stored as a dead
    /// letter with this reason, never silently rerouted.
    public var failure: String?
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
        var out: [PreparedDelivery] = []
        for (message, rendered) in messages {
            let key = plan.messageKey(message)
            let notices = Array(plan.notices(in: message).map { NoticeRef(key: plan.dedupKey($0), item: plan.items[Int($0.item)].id) })
            let email = composer.email(for: message, rendered: rendered, in: plan)
            var eml: String? = nil
            var emailFailure: String? = nil
            if let email {
                do { eml = try email.rfc5322() } catch { emailFailure = "邮件无法编码 cannot encode the email: \(error)" }
            }
            let generic = ChatPayload.generic(message, rendered, in: plan)
            var reached = false
            if channels.email != nil, let email {
                out.append(PreparedDelivery(message: key, agency: message.to.agency, channel: .email, notices: notices,
                                            payload: .email(.init(eml: eml ?? "", rcpt: email.recipients)), failure: emailFailure))
                reached = true
            }
            for name in chatChannels(for: [message.to] + message.cc) where channels.chats[name] != nil {
                let chat = StoredPayload.Chat(subject: rendered.subject, text: rendered.text, html: rendered.html,
                                              markdown: rendered.markdown, template: rendered.template, generic: generic)
                out.append(PreparedDelivery(message: key, agency: message.to.agency, channel: ChannelID(rawValue: name), notices: notices,
                                            payload: .chat(chat), failure: nil))
                reached = true
            }
            if !reached {
                out.append(PreparedDelivery(message: key, agency: message.to.agency, channel: .outbox, notices: notices,
                                            payload: .file(.init(day: message.sendDay.iso, eml: eml, json: generic)), failure: emailFailure))
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

    /// Sends one stored entry over `connection` (one per worker thread). A payload that
    /// cannot be read back, or a channel no longer configured, is a permanent failure.
    public func deliver(channel: ChannelID, message: String, payload json: String, over connection: Connection,
                        stop: StopSignal?) -> DeliveryOutcome {
        let payload: StoredPayload
        do { payload = try StoredPayload.decode(json, channel: channel) } catch { return .permanent(reason: "\(error)") }
        switch payload {
        case .email(let e):
            guard let smtp = channels.email else { return .permanent(reason: "no email channel configured") }
            guard !e.eml.isEmpty else { return .permanent(reason: "stored email is empty") }
            return smtp.send(e.eml, to: e.rcpt, over: connection, stop: stop)
        case .file(let f):
            return channels.outbox.write(day: f.day, name: message, eml: f.eml, json: f.json)
        case .chat(let c):
            guard let hook = channels.chats[channel.rawValue] else {
                return .permanent(reason: "chat channel “\(channel)” is no longer configured")
            }
            return hook.send(c.rendered, generic: c.generic, id: "msg_" + EmailMessage.fnv1a(message + channel.rawValue),
                             over: connection, stop: stop)
        }
    }

    /// How many messages a channel may have in flight at once: the SMTP connections, one
    /// per robot (they are paced anyway), one for the folder.
    public func connections(for channel: ChannelID) -> Int {
        channel == .email ? channels.email?.configuration.maxConnections ?? 1 : 1
    }
}
