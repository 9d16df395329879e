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
    public func render(_ message: PlannedMessage, in plan: Plan, markdown: Bool = true) -> RenderedMessage {
        let name = MessageContext.templateName(for: message)
        let values = context.values(for: message, in: plan)
        func part(_ p: String) -> String { templates.render(name, p, values) ?? "" }
        let subject = part("subject").split(whereSeparator: { $0.isNewline || $0 == "\t" }).joined(separator: " ")
            .trimming(" ")
        return RenderedMessage(subject: subject, text: part("text"), html: part("html"), markdown: markdown ? part("markdown") : "",
                               template: name)
    }
}
