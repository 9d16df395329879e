import Foundation
import DudaoCore

/// Turns a planned, rendered message into an `EmailMessage`: the agency's liaison
/// contacts in To, leadership and the supervising office's contacts in Cc.
public struct EmailComposer: Sendable {
    /// Sender (normally the supervising office's mailbox).
    public var from: Mailbox
    /// Attach an `.ics` with the deadline (policy switch).
    public var attachCalendar: Bool
    private let agencies: [String: Agency]

    /// A composer over the agencies Dudao knows (by canonical name).
    public init(from: Mailbox, agencies: [Agency], attachCalendar: Bool = false) {
        self.from = from
        self.attachCalendar = attachCalendar
        self.agencies = Dictionary(agencies.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// Mailboxes of a recipient; empty when the agency has no email contact.
    public func mailboxes(for r: Recipient) -> [Mailbox] {
        guard let agency = agencies[r.agency] else { return [] }
        let people = r.role == .leadership ? agency.leadership : agency.contacts
        return people.compactMap { c in c.email.map { Mailbox(name: "\(agency.name) \(c.name)", address: $0) } }
    }

    /// The email for `message`; `nil` when its addressee has no email contact.
    public func email(for message: PlannedMessage, rendered: RenderedMessage, in plan: Plan,
                      attachments: [EmailMessage.Attachment] = []) -> EmailMessage? {
        let to = mailboxes(for: message.to)
        guard !to.isEmpty else { return nil }
        var seen = Set(to.map(\.address))
        let cc = message.cc.flatMap(mailboxes(for:)).filter { seen.insert($0.address).inserted }
        var calendar: String? = nil
        if attachCalendar, let first = plan.notices(in: message).first, let item = plan.item(first) {
            calendar = ICalendar.deadline(uid: "\(plan.dedupKey(first))@dudao", summary: "【完成时限】事项\(item.id)：\(item.title)",
                                          description: "牵头单位：\(item.lead.joined(separator: "、"))\n完成时限：\(item.dueText)",
                                          due: first.due, stamp: message.sendAt)
        }
        var email = EmailMessage(from: from, to: to, cc: cc, subject: rendered.subject, text: rendered.text, html: rendered.html,
                                 date: message.sendAt, utcOffsetSeconds: plan.clock.offset(at: message.sendAt),
                                 key: plan.messageKey(message), calendar: calendar)
        email.attachments = attachments
        return email
    }
}
