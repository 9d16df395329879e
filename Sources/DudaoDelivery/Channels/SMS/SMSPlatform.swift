import Foundation
import DudaoCore
import DudaoSchedules

/// What differs between SMS platforms — one type per platform, in its own file, as the
/// chat robots are: the `type:` word, its settings, its limits, how a request is shaped
/// and signed, how its reply is read, and how its pushed delivery reports and replies read.
public protocol SMSPlatform: Sendable {
    /// `type:` in channels.yaml.
    static var type: String { get }
    /// Keys of the `sms:` section only this platform has.
    static var keys: [String] { get }
    /// The platform's documented limits, before the section's own.
    static var limits: SMSLimits { get }
    /// Reads the platform's own settings (file:line findings); nil when unusable.
    init?(_ map: YAMLMap, into diag: inout Diagnostics)
    /// The request for one number at `now`, signed with `secret`.
    func request(_ payload: SMSPayload, url: String, secret: String, now: Date) -> SMSRequest
    /// Reads a reply with an HTTP status (2xx or 4xx) for the number sent to.
    func classify(status: Int, body: Data) -> SMSSendResult
    /// Delivery reports and replies pushed to `/hooks/sms/TYPE`; nil when the body is not
    /// the platform's shape.
    static func events(_ body: Data) -> [SMSEvent]?
    /// What the hook answers once the events are recorded.
    static var acknowledgement: String { get }
}

/// Limits checked before anything is sent.
public struct SMSLimits: Hashable, Sendable {
    /// Numbers one request may carry. Dudao sends one number per request (each number's
    /// outcome is its own outbox entry), which every platform allows.
    public var numbersPerCall: Int
    /// Characters a template variable may have (a variable is cut to it at a character
    /// boundary); nil when the platform sends whole texts.
    public var variableLength: Int?
    /// Characters of a whole text (plain-content platforms).
    public var textLength: Int
    /// Requests a second.
    public var perSecond: Int
    /// True when a link may appear in what is sent; otherwise the SMS carries a reply code.
    public var links: Bool
}

/// One signed HTTP request.
public struct SMSRequest: Sendable {
    public var url: String
    public var headers: [String]
    public var body: String
}

/// What a platform said about one send.
public enum SMSSendResult: Hashable, Sendable {
    /// Accepted; `receipt` is the platform's id for it (BizId, SerialNo, msgGroup), which
    /// its delivery report carries.
    case accepted(receipt: String)
    /// Refused for now (rate limits); try again after `after` seconds.
    case later(after: Double?, reason: String)
    /// Refused for good (bad signature, unknown template, number refused).
    case refused(reason: String)
}

/// What the outbox stores for one SMS: one number, and either the text (own templates)
/// or the platform template's code and parameters.
public struct SMSPayload: Codable, Hashable, Sendable {
    /// The number, whole: the outbox is where it must be to send. Shown masked everywhere.
    public var mobile: String
    /// The text, for platforms that send text.
    public var text: String
    /// The platform's template code, when it sends templates.
    public var template: String
    /// The template's parameters in order (name, value), each within the platform's length.
    public var parameters: [[String]]
    /// Dudao's reference for this send, echoed in reports where the platform allows.
    public var reference: String

    public init(mobile: String, text: String, template: String = "", parameters: [[String]] = [], reference: String) {
        self.mobile = mobile
        self.text = text
        self.template = template
        self.parameters = parameters
        self.reference = reference
    }
}

/// What platforms push: a JSON array of objects, or one object. Each platform reads its
/// objects with `read`, which is nil when any of them is not one of its events.
enum PushedBody {
    static func read(_ body: Data, _ event: (_ text: (String) -> String, _ object: [String: Any]) -> SMSEvent?) -> [SMSEvent]? {
        guard let json = try? JSONSerialization.jsonObject(with: body) else { return nil }
        let objects = (json as? [[String: Any]]) ?? (json as? [String: Any]).map { [$0] } ?? []
        guard !objects.isEmpty else { return nil }
        var out: [SMSEvent] = []
        for o in objects {
            let text = { (k: String) in (o[k] as? String) ?? (o[k] as? NSNumber)?.stringValue ?? "" }
            guard let e = event(text, o) else { return nil }
            out.append(e)
        }
        return out
    }
}

enum SMSPlatforms {
    /// Every platform, by `type:`.
    static let all: [any SMSPlatform.Type] = [CMCCMAS.self, AliyunSMS.self, TencentSMS.self]

    static func named(_ type: String) -> (any SMSPlatform.Type)? { all.first { $0.type == type } }
}
