import Foundation
import DudaoSecrets
import DudaoCore
import DudaoMessages
import DudaoSchedules

/// What the outbox stores for a chat robot or webhook: the rendered parts, and the generic
/// JSON body (Standard Webhooks). Each robot shapes its request from it when sending.
public struct RobotPayload: Codable, Hashable, Sendable {
    public var subject: String
    public var text: String
    public var html: String
    public var markdown: String
    public var template: String
    /// The generic JSON body; empty when sent outside a plan (`send-test`).
    public var generic: String

    /// A payload for a rendered message.
    public init(_ r: RenderedMessage, generic: String?) {
        subject = r.subject
        text = r.text
        html = r.html
        markdown = r.markdown
        template = r.template
        self.generic = generic ?? ""
    }

    /// The parts as a rendered message.
    public var rendered: RenderedMessage {
        RenderedMessage(subject: subject, text: text, html: html, markdown: markdown, template: template)
    }
}

/// What differs between chat robots — one type per integration, in its own file: the
/// `type:` word, the default pace, its own settings checks, how a request is shaped and
/// signed, and how a 2xx reply is read (each robot has its own error and rate-limit codes).
public protocol RobotKind: Sendable {
    /// `type:` in channels.yaml.
    static var type: String { get }
    /// Sends a minute the robot accepts.
    static var perMinute: Int { get }
    /// Checks of a chat entry that only this kind has (file:line).
    static func validate(_ map: YAMLMap, secret: SecretReference?, into diag: inout Diagnostics)
    /// The request bodies for one message (WeCom splits long digests).
    static func bodies(_ payload: RobotPayload) -> [String]
    /// Signs one request at `now`: the URL, extra headers and body to post.
    static func sign(url: String, body: String, id: String, secret: String?, now: Date) -> (url: String, headers: [String], body: String)
    /// Reads a 2xx reply: delivered, or the robot's own error (transient for its rate limits).
    static func classify(reply: [String: Any]?, status: Int, retryAfter: Double?) -> DeliveryOutcome
}

/// A chat robot or webhook (channels.yaml `chat:` entries), sent by `WebhookTransport`.
///
/// ```yaml
/// chat:
///   - {name: scjgj-robot, type: dingtalk, url: {env: DINGTALK_SCJGJ_URL}, secret: {env: DINGTALK_SCJGJ_SECRET}}
/// ```
public struct RobotChannel: Channel {
    public typealias Payload = RobotPayload

    /// One `chat:` entry, secrets by reference.
    public struct Settings: Sendable {
        public var name: String
        public var flavour: WebhookConfiguration.Flavour
        public var url: SecretReference
        public var secret: SecretReference?
        public var perMinute: Int?
        public var caFile: String?
        public var insecure: Bool
        public var timeout: Double

        static let keys = ["name", "type", "url", "secret", "per_minute", "ca_file", "insecure", "timeout"]

        /// Reads one entry; nil (with the findings) when it cannot be used. Names are checked by `ChannelsFile`.
        static func read(_ c: YAMLMap, name: String, into diag: inout Diagnostics) -> Settings? {
            c.checkKeys(keys, into: &diag)
            let type = c.string("type", required: true, into: &diag) ?? ""
            let flavour = WebhookConfiguration.Flavour.allCases.first { $0.kind.type == type }
            if flavour == nil, !type.isEmpty {
                let all = WebhookConfiguration.Flavour.allCases.map { $0.kind.type }
                diag.error(c.file, line: c.line("type"), "type 应为 \(all.joined(separator: "、")), not “\(type)”")
            }
            let url = SecretReference.read(c, "url", allowLiteral: true, into: &diag)
            if url == nil { diag.error(c.file, line: c.line, "缺少 missing url for chat channel “\(name)”") }
            let secret = SecretReference.read(c, "secret", into: &diag)
            let perMinute = c.int("per_minute", in: 1...6000, into: &diag)
            let timeout = c.int("timeout", in: 1...600, into: &diag) ?? 15
            guard let flavour, let url else { return nil }
            flavour.kind.validate(c, secret: secret, into: &diag)
            return Settings(name: name, flavour: flavour, url: url, secret: secret, perMinute: perMinute, caFile: c.string("ca_file", into: &diag),
                            insecure: c.bool("insecure", into: &diag) ?? false, timeout: Double(timeout))
        }
    }

    public let id: ChannelID
    public var connections: Int { 1 }
    /// The timeout includes connecting; waiting for the robot's pace comes before it.
    public var longestSend: TimeInterval { transport.configuration.timeout + 60 / Double(max(1, transport.configuration.perMinute)) }
    /// The HTTP client, paced to the robot's limit.
    public let transport: WebhookTransport

    /// The channel for loaded settings; reads the URL and secret now.
    init(_ s: Settings, environment: [String: String]) throws(DeliveryConfigError) {
        id = ChannelID(rawValue: s.name)
        let url: Secret, secret: Secret?
        do { (url, secret) = (try s.url.load(environment: environment), try s.secret?.load(environment: environment)) } catch { throw DeliveryConfigError(error) }
        transport = WebhookTransport(WebhookConfiguration(
            name: s.name, flavour: s.flavour, url: url, secret: secret,
            perMinute: s.perMinute, timeout: s.timeout, caFile: s.caFile, insecure: s.insecure))
    }

    public func send(_ payload: RobotPayload, key: String, over connection: Connection, stop: StopSignal?) -> DeliveryOutcome {
        transport.send(payload.rendered, generic: payload.generic.isEmpty ? nil : payload.generic,
                       id: "msg_" + EmailMessage.fnv1a(key + id.rawValue), over: connection, stop: stop)
    }
}
