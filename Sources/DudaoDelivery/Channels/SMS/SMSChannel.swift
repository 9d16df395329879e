import Foundation
import CCurl
import DudaoSecrets
import DudaoCore
import DudaoMessages
import DudaoSchedules

/// SMS through one platform (channels.yaml `sms:`), for the messages that must reach a
/// liaison who reads neither mail nor chat. Each number is an outbox entry of its own, so
/// each has its own outcome, retries and report.
///
/// ```yaml
/// sms:
///   type: cmcc-mas                  # cmcc-mas | aliyun-sms | tencent-sms
///   url: https://mas.example:28888/sms/norsubmit
///   ec_name: 郑州市人民政府
///   ap_id: dudao
///   secret_key: {env: DUDAO_MAS_SECRET}
///   sign: ABC123
///   send: [overdue-2, overdue-3]    # which messages go by SMS too (default: 督办 and above)
///   templates: {overdue-2: SMS_1, sign: SMS_2}   # the platform's template codes (Aliyun and Tencent need them); `sign`: the 签收 follow-up
///   params: [agency, count, level, reply_by]
///   per_day: 10                     # per number
///   quiet: "20:00-08:00"            # and all of every day off (workdays_only: false sends on days off too)
///   unknown: {wait: 2h, then: resend}
///   report_token: {env: DUDAO_SMS_HOOK_TOKEN}
///   report_from: [203.0.113.10]     # the platform's push addresses; default: any
/// ```
public struct SMSChannel: Channel {
    public typealias Payload = SMSPayload

    public let id = ChannelID.sms
    public let settings: Settings
    private let secret: Secret
    /// The token reports must carry, loaded.
    public let reportToken: Secret?
    private let limiter: RateLimiter
    private let clock: @Sendable () -> Date

    public var connections: Int { 2 }
    public var longestSend: TimeInterval { settings.timeout + 1 }

    init(_ s: Settings, environment: [String: String], clock: @escaping @Sendable () -> Date = { Date() }) throws(DeliveryConfigError) {
        settings = s
        do {
            secret = try s.secret.load(environment: environment)
            reportToken = try s.reportToken?.load(environment: environment)
        } catch { throw DeliveryConfigError(error) }
        limiter = RateLimiter(limit: s.limits.perSecond, window: 1)
        self.clock = clock
    }

    /// The platform's type word (`cmcc-mas`).
    public var type: String { Swift.type(of: settings.platform).type }

    /// What the outbox stores for `rendered` to `mobile`: the SMS text cut to the platform's
    /// length, or the platform's template with its variables, each cut to the variable
    /// length — at a character boundary, never inside one.
    public func payload(_ rendered: RenderedMessage, mobile: String, reference: String) -> SMSPayload {
        let limits = settings.limits
        if let code = settings.templates[rendered.template] {
            let parameters = settings.params.map { name -> [String] in
                let value = rendered.smsValues[name] ?? ""
                return [name, limits.variableLength.map { Self.cut(value, to: $0) } ?? value]
            }
            return SMSPayload(mobile: mobile, text: "", template: code, parameters: parameters, reference: reference)
        }
        var text = rendered.sms
        if !limits.links, let link = rendered.smsValues["link"], !link.isEmpty { text = text.replacingOccurrences(of: link, with: "") }
        return SMSPayload(mobile: mobile, text: Self.cut(text, to: limits.textLength), reference: reference)
    }

    /// The longest start of `text` of at most `length` UTF-16 units — as platforms count
    /// (Java's `length()`): an emoji may count twice — that ends at a character boundary.
    public static func cut(_ text: String, to length: Int) -> String {
        var used = 0
        var end = text.startIndex
        for c in text.indices {
            let n = text[c].utf16.count
            if used + n > length { break }
            used += n
            end = text.index(after: c)
        }
        return String(text[..<end])
    }

    /// Dudao's reference for one number's SMS of a message: short, and the same when the
    /// message is planned again after a crash.
    public static func reference(message: String, channel: ChannelID) -> String {
        "d" + EmailMessage.fnv1a(message + "|" + channel.rawValue)
    }

    public func send(_ payload: SMSPayload, key: String, over connection: Connection, stop: StopSignal?) -> DeliveryOutcome {
        // The limits hold before anything goes: a text or variable over them was cut when
        // rendered, so one here is a defect, never sent half.
        if let max = settings.limits.variableLength, let long = payload.parameters.first(where: { $0.count == 2 && $0[1].utf16.count > max }) {
            return .permanent(reason: "短信变量 “\(long[0])” 超过 \(max) 字 variable over the platform's length")
        }
        if payload.template.isEmpty, payload.text.utf16.count > settings.limits.textLength {
            return .permanent(reason: "短信超过 \(settings.limits.textLength) 字 text over the platform's length")
        }
        let wait = limiter.reserve()
        if wait > 0 {
            guard stop?.pause(wait) ?? { Thread.sleep(forTimeInterval: wait); return true }() else {
                return .notAttempted(reason: "stopping while waiting for the rate limit")
            }
        }
        let request = settings.platform.request(payload, url: settings.url, secret: secret.value, now: clock())
        let s = settings
        let result = connection.easy.perform(upload: nil, stop: stop) { o in
            o.string(CURLOPT_URL, request.url)
            o.long(CURLOPT_POST, 1)
            o.string(CURLOPT_COPYPOSTFIELDS, request.body)
            o.list(CURLOPT_HTTPHEADER, request.headers + ["Expect:"])
            if let ca = s.caFile { o.string(CURLOPT_CAINFO, ca) }
            o.long(CURLOPT_SSL_VERIFYPEER, s.insecure ? 0 : 1)
            o.long(CURLOPT_SSL_VERIFYHOST, s.insecure ? 0 : 2)
            o.long(CURLOPT_TIMEOUT_MS, Int(s.timeout * 1000))
            o.long(CURLOPT_CONNECTTIMEOUT_MS, Int(min(s.timeout, 10) * 1000))
        }
        let number = Mobile.masked(payload.mobile)
        guard result.code == CURLE_OK else {
            let message = Redact.url(result.message)
            // Once the request went, the platform may have accepted it: sending again could
            // send it twice (SendSms is not idempotent), so it waits for a report instead.
            if result.requestSent {
                return .unknown(reason: "\(number): \(message)")
            }
            return .transient(retryAfter: nil, reason: "\(number): \(message)")
        }
        switch settings.platform.classify(status: result.responseCode, body: result.body) {
        case .accepted(let receipt): return .delivered(detail: "\(number) \(receipt)", receipt: receipt)
        case .later(let after, let reason): return .transient(retryAfter: after, reason: "\(number): \(reason)")
        case .refused(let reason): return .permanent(reason: "\(number): \(reason)")
        }
    }
}
