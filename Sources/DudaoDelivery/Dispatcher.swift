import Foundation
import DudaoCore
import DudaoMessages

/// A message prepared for one channel: what the outbox stores and a transport sends.
public struct PreparedDelivery: Sendable {
    /// Message key (agency @ send time).
    public var message: String
    /// Addressee agency.
    public var agency: String
    /// `email`, a chat channel's name, or `outbox`.
    public var channel: String
    /// The notices it carries.
    public var notices: [NoticeRef]
    /// The rendered payload (`OutboxPayload`, as JSON text).
    public var payload: String
}

/// What a stored payload holds, per channel kind. Rendered once, at enqueue time, so a
/// retry after a restart sends exactly what was planned.
enum OutboxPayload {
    static func email(eml: String, recipients: [String]) -> String {
        JSONValue.object([("eml", .string(eml)), ("rcpt", .strings(recipients))]).text
    }

    static func chat(_ r: RenderedMessage, generic: String) -> String {
        JSONValue.object([("subject", .string(r.subject)), ("text", .string(r.text)), ("html", .string(r.html)),
                          ("markdown", .string(r.markdown)), ("template", .string(r.template)), ("generic", .string(generic))]).text
    }

    static func file(day: String, eml: String?, json: String) -> String {
        JSONValue.object([("day", .string(day)), ("eml", eml.map(JSONValue.string) ?? .null), ("json", .string(json))]).text
    }

    static func fields(_ payload: String) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(payload.utf8)) as? [String: Any]) ?? [:]
    }
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
            func add(_ channel: String, _ payload: String) {
                out.append(PreparedDelivery(message: key, agency: message.to.agency, channel: channel, notices: notices, payload: payload))
            }
            let email = composer.email(for: message, rendered: rendered, in: plan)
            let eml = try? email?.rfc5322()
            let generic = ChatPayload.generic(message, rendered, in: plan)
            var reached = false
            if channels.email != nil, let email, let eml {
                add("email", OutboxPayload.email(eml: eml, recipients: email.recipients))
                reached = true
            }
            for name in chatChannels(for: [message.to] + message.cc) where channels.chats[name] != nil {
                add(name, OutboxPayload.chat(rendered, generic: generic))
                reached = true
            }
            if !reached { add("outbox", OutboxPayload.file(day: message.sendDay.iso, eml: eml, json: generic)) }
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

    /// Sends prepared deliveries; outcomes in input order. Each channel runs on its own
    /// thread, so a slow or failing channel never delays the others; email goes as one
    /// parallel batch.
    /// `each` hears every outcome as soon as it is known, so it can be recorded at once.
    public func send(_ deliveries: [(channel: String, message: String, payload: String)],
                     each: (@Sendable (Int, DeliveryOutcome) -> Void)? = nil) -> [DeliveryOutcome] {
        let results = OutcomeSlots(count: deliveries.count, each: each)
        let byChannel = Dictionary(grouping: deliveries.indices, by: { deliveries[$0].channel })
        let channels = self.channels
        let groups = Array(byChannel)
        Workers.run(groups.count) { g in
            let (channel, indexes) = groups[g]
            switch channel {
            case "email":
                guard let smtp = channels.email else {
                    indexes.forEach { results.set($0, .permanent(reason: "no email channel configured")) }
                    return
                }
                let batch = indexes.map { i -> (message: String, recipients: [String]) in
                    let f = OutboxPayload.fields(deliveries[i].payload)
                    return (f["eml"] as? String ?? "", f["rcpt"] as? [String] ?? [])
                }
                _ = smtp.send(batch: batch) { k, outcome in results.set(indexes[k], outcome) }
            case "outbox":
                for i in indexes {
                    let f = OutboxPayload.fields(deliveries[i].payload)
                    results.set(i, channels.outbox.write(day: f["day"] as? String ?? "undated", name: deliveries[i].message,
                                                         eml: f["eml"] as? String, json: f["json"] as? String ?? "{}"))
                }
            default:
                guard let hook = channels.chats[channel] else {
                    indexes.forEach { results.set($0, .permanent(reason: "chat channel “\(channel)” is no longer configured")) }
                    return
                }
                for i in indexes {
                    let f = OutboxPayload.fields(deliveries[i].payload)
                    let rendered = RenderedMessage(subject: f["subject"] as? String ?? "", text: f["text"] as? String ?? "",
                                                   html: f["html"] as? String ?? "", markdown: f["markdown"] as? String ?? "",
                                                   template: f["template"] as? String ?? "")
                    results.set(i, hook.send(rendered, generic: f["generic"] as? String, id: "msg_" + EmailMessage.fnv1a(deliveries[i].message + channel)))
                }
            }
        }
        return results.values
    }
}
