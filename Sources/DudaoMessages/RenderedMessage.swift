import DudaoCore

/// A message rendered from templates: what email and chat transports send.
public struct RenderedMessage: Hashable, Sendable {
    /// One line, white space folded.
    public var subject: String
    /// Plain-text body.
    public var text: String
    /// HTML body; item text escaped.
    public var html: String
    /// Markdown for chat robots.
    public var markdown: String
    /// The template folder used (`advance`, `digest`…).
    public var template: String
    /// The short notice an SMS carries (`NAME/sms.mustache`); empty when the kind has none.
    public var sms: String = ""
    /// The few short values an SMS platform's template takes: `agency`, `count`, `level`,
    /// `reply_by`, `link`.
    public var smsValues: [String: String] = [:]

    /// A rendered message from its parts.
    public init(subject: String, text: String, html: String, markdown: String, template: String) {
        self.subject = subject
        self.text = text
        self.html = html
        self.markdown = markdown
        self.template = template
    }
}

/// Renders planned messages with a `TemplateSet`.
public struct MessageRenderer: Sendable {
    /// The templates.
    public let templates: TemplateSet
    /// The values builder.
    public let context: MessageContext

    /// A renderer.
    public init(templates: TemplateSet, context: MessageContext) {
        self.templates = templates
        self.context = context
    }

    /// Renders one message of `plan`. Without `markdown` (a message that goes by email
    /// only), the chat part is left empty: rendering is most of the cost of a message.
    /// `number` is the 文号 of the document it carries (督办通知单, 督查通报), told in
    /// its subject and text.
    /// A report's `figures`, when the caller has them, are not computed again.
    public func render(_ message: PlannedMessage, in plan: Plan, markdown: Bool = true, number: String? = nil,
                       figures: ReportFigures? = nil) -> RenderedMessage {
        let name = MessageContext.templateName(for: message)
        var values = context.values(for: message, in: plan, figures: figures)
        if let number {
            values["doc_number"] = number
            values["has_doc_number"] = true
        }
        func part(_ p: String) -> String { templates.render(name, p, values) ?? "" }
        let subject = part("subject").split(whereSeparator: { $0.isNewline || $0 == "\t" }).joined(separator: " ")
            .trimming(" ")
        var rendered = RenderedMessage(subject: subject, text: part("text"), html: part("html"), markdown: markdown ? part("markdown") : "",
                                       template: name)
        // Only kinds with an SMS template are sent by SMS; the rest leave these empty.
        if let sms = templates.render(name, "sms", values) {
            rendered.sms = sms.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined()
            rendered.smsValues = [
                "agency": message.to.agency, "count": "\(values["count"] as? Int ?? 0)",
                "level": plan.policy.ladder.level(message.level)?.name ?? "提醒",
                "reply_by": values["reply_by"] as? String ?? "", "link": values["reply_url"] as? String ?? "",
            ]
        }
        return rendered
    }

    /// The SMS that follows up a notice not signed for in time (`partials/sms_sign.mustache`,
    /// template `sign` on platforms that send templates): who, what was sent when, and how
    /// to sign — the link, or the reply code 1.
    public func signFollowUp(agency: String, sent: CivilDate, level: String, count: Int, link: String?) -> RenderedMessage {
        var values: [String: Any] = ["agency": agency, "office": context.office, "sent": Labels.date(sent), "level": level, "count": count]
        if let link { values["reply_url"] = link }
        var r = RenderedMessage(subject: "", text: "", html: "", markdown: "", template: "sign")
        r.sms = (templates.render("partials", "sms_sign", values) ?? "").split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }.joined()
        r.smsValues = ["agency": agency, "count": "\(count)", "level": level, "reply_by": Labels.date(sent), "link": link ?? "", "code": "1"]
        return r
    }

    /// The numbered document `message` carries as a Word file to attach (`DocumentKind.of`):
    /// the 督办通知单 from the message's own values, or the 督查通报 from the report's figures.
    public func document(for message: PlannedMessage, in plan: Plan, number: String,
                         figures: ReportFigures? = nil) -> (document: OfficialDocument, filename: String)? {
        switch DocumentKind.of(message) {
        case .notice:
            var values = context.values(for: message, in: plan)
            values["level_name"] = plan.policy.ladder.level(message.level)?.name ?? "督办"
            return (NoticeSheet.document(values: values, number: number), "督办通知单-\(number).docx")
        case .report:
            guard let figures = figures ?? context.figures(for: message, in: plan) else { return nil }
            return (CirculatedReport.document(figures, plan: plan, office: context.office, number: number), "督查通报-\(number).docx")
        case nil:
            return nil
        }
    }
}
