import DudaoCore

/// Request bodies for chat robots and the generic JSON webhook. Pure: signing and
/// sending happen in DudaoDelivery.
public enum ChatPayload {
    /// WeCom group robots reject markdown over this many bytes.
    public static let wecomLimit = 4096

    /// DingTalk robot markdown message.
    public static func dingtalk(_ m: RenderedMessage) -> String {
        JSONValue.object([
            ("msgtype", .string("markdown")),
            ("markdown", .object([("title", .string(m.subject)), ("text", .string(m.markdown))])),
        ]).text
    }

    /// WeCom robot markdown messages: one, or several when the text exceeds 4,096 bytes,
    /// split between blocks (items) and marked `(1/3)`, `(2/3)`….
    public static func wecom(_ m: RenderedMessage) -> [String] {
        split(m.markdown, limit: wecomLimit - 16).map { JSONValue.object([("msgtype", .string("markdown")), ("markdown", .object([("content", .string($0))]))]).text }
    }

    /// Feishu bot `post` message (rich text: title plus lines); signature fields are added when sending.
    public static func feishuContent(_ m: RenderedMessage) -> JSONValue {
        let lines = m.text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> JSONValue in
            .array([.object([("tag", .string("text")), ("text", .string(String(line)))])])
        }
        return .object([("post", .object([("zh_cn", .object([("title", .string(m.subject)), ("content", .array(lines))]))]))])
    }

    /// The generic webhook body: the message as JSON, for systems that integrate with Dudao.
    public static func generic(_ message: PlannedMessage, _ rendered: RenderedMessage, in plan: Plan) -> String {
        JSONValue.object([
            ("type", .string("dudao.reminder")),
            ("dedup_key", .string(plan.messageKey(message))),
            ("send_at", .string(plan.clock.iso8601(message.sendAt))),
            ("kind", .string(message.kind.rawValue)),
            ("level", .int(message.level)),
            ("to", .string(message.to.description)),
            ("cc", .strings(message.cc.map(\.description))),
            ("subject", .string(rendered.subject)),
            ("text", .string(rendered.text)),
            ("markdown", .string(rendered.markdown)),
            ("notices", .array(plan.notices(in: message).map { n in
                guard let item = plan.item(n) else {
                    return .object([("key", .string(plan.dedupKey(n))), ("rule", .string(n.rule.name))])
                }
                return .object([
                    ("key", .string(plan.dedupKey(n))), ("item", .string(item.id)), ("title", .string(item.title)),
                    ("agency", .string(plan.agency(of: n, in: message))),
                    ("rule", .string(n.rule.name)), ("due", .string(n.due.iso)), ("due_text", .string(item.dueText)),
                ])
            })),
        ]).text
    }

    /// Splits text into chunks of at most `limit` UTF-8 bytes: at blank lines when
    /// possible, else at line ends, else between characters; numbered when more than one.
    static func split(_ text: String, limit: Int) -> [String] {
        guard text.utf8.count > limit else { return [text] }
        var pieces: [String] = []
        for block in text.components(separatedBy: "\n\n") {
            if block.utf8.count <= limit { pieces.append(block); continue }
            for line in block.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
                if line.utf8.count <= limit { pieces.append(line); continue }
                var current = ""
                for c in line {
                    if current.utf8.count + String(c).utf8.count > limit { pieces.append(current); current = "" }
                    current.append(c)
                }
                pieces.append(current)
            }
        }
        var chunks: [String] = []
        var current = ""
        for p in pieces {
            let joined = current.isEmpty ? p : current + "\n\n" + p
            if joined.utf8.count > limit, !current.isEmpty {
                chunks.append(current)
                current = p
            } else {
                current = joined
            }
        }
        if !current.isEmpty { chunks.append(current) }
        return chunks.count == 1 ? chunks : chunks.enumerated().map { "(\($0.offset + 1)/\(chunks.count))\n" + $0.element }
    }
}
