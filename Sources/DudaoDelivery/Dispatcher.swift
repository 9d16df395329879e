import Foundation
import DudaoCore
import DudaoMessages

/// One delivery of one message over one channel.
public struct DeliveryRecord: Hashable, Sendable {
    /// The message's key (agency @ send time).
    public var key: String
    /// The addressee.
    public var to: String
    /// `email`, a chat channel's name, or `outbox`.
    public var channel: String
    /// What happened.
    public var outcome: DeliveryOutcome
}

/// Routes rendered messages: email to agencies with email contacts when SMTP is
/// configured, each chat robot their contacts name, and the outbox folder for anything no
/// channel reaches. Email goes out as one parallel batch.
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

    /// Delivers every message; one record per message and channel.
    public func deliver(_ messages: [(PlannedMessage, RenderedMessage)], in plan: Plan) -> [DeliveryRecord] {
        var records: [DeliveryRecord] = []
        var batch: [(message: String, recipients: [String])] = []
        var batchKeys: [(key: String, to: String)] = []
        for (message, rendered) in messages {
            let key = plan.messageKey(message)
            var reached = false
            let email = composer.email(for: message, rendered: rendered, in: plan)
            if channels.email != nil, let email {
                do {
                    batch.append((try email.rfc5322(), email.recipients))
                    batchKeys.append((key, message.to.description))
                    reached = true
                } catch {
                    records.append(DeliveryRecord(key: key, to: message.to.description, channel: "email", outcome: .permanent(reason: "\(error)")))
                }
            }
            for name in chatChannels(for: [message.to] + message.cc) {
                guard let transport = channels.chats[name] else { continue }
                let generic = ChatPayload.generic(message, rendered, in: plan)
                records.append(DeliveryRecord(key: key, to: message.to.description, channel: name,
                                              outcome: transport.send(rendered, generic: generic, id: "msg_" + EmailMessage.fnv1a(key))))
                reached = true
            }
            if !reached {
                let eml = try? email?.rfc5322()
                records.append(DeliveryRecord(key: key, to: message.to.description, channel: "outbox",
                                              outcome: channels.outbox.write(day: message.sendDay.iso, name: key, eml: eml,
                                                                             json: ChatPayload.generic(message, rendered, in: plan))))
            }
        }
        if let smtp = channels.email, !batch.isEmpty {
            for (i, outcome) in smtp.send(batch: batch).enumerated() {
                records.append(DeliveryRecord(key: batchKeys[i].key, to: batchKeys[i].to, channel: "email", outcome: outcome))
            }
        }
        return records
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
}
