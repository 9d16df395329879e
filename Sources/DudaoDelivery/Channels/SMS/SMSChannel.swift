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

    /// The `sms:` section, secrets by reference.
    public struct Settings: Sendable {
        public var platform: any SMSPlatform
        public var url: String
        public var secret: SecretReference
        /// Template names (`overdue-2`) of the messages that also go by SMS.
        public var send: Set<String>
        /// Template codes by message kind, for platforms that send templates.
        public var templates: [String: String]
        /// The variables a platform template takes, in order.
        public var params: [String]
        /// SMS a number may get a day.
        public var perDay: Int
        /// Minutes of the day from which SMS wait, and until which (`20:00-08:00`).
        public var quiet: (from: Int, until: Int)
        /// How long an SMS whose outcome is unknown (a timeout after the request went)
        /// waits for its report, and what happens if none comes.
        public var unknownWait: Double
        public var unknownResend: Bool
        /// The token `/hooks/sms/TYPE/TOKEN` must carry.
        public var reportToken: SecretReference?
        /// Addresses reports may come from (the platform's published push addresses); empty: any.
        public var reportFrom: [String] = []
        /// False when SMS may go on days off too (still outside `quiet`).
        public var workdaysOnly = true
        public var limits: SMSLimits
        public var timeout: Double
        public var caFile: String?
        public var insecure: Bool

        static let common = ["type", "url", "secret_key", "send", "templates", "params", "per_day", "quiet", "workdays_only", "unknown",
                             "report_token", "report_from", "per_second", "variable_length", "timeout", "ca_file", "insecure"]
        /// Names a template's variables may take.
        public static let parameterNames = ["agency", "count", "level", "reply_by", "link", "code"]

        /// Reads the section; nil (with findings, each at its line) when it cannot be used.
        static func read(_ m: YAMLMap, into diag: inout Diagnostics) -> Settings? {
            let type = m.string("type", required: true, into: &diag) ?? ""
            guard let kind = SMSPlatforms.named(type) else {
                if !type.isEmpty {
                    diag.error(m.file, line: m.line("type"), "sms.type 应为 \(SMSPlatforms.all.map { $0.type }.joined(separator: "、")), not “\(type)”")
                }
                return nil
            }
            m.checkKeys(common + kind.keys, into: &diag)
            let url = m.string("url", required: true, into: &diag) ?? ""
            if !url.isEmpty, !(url.hasPrefix("https://") || url.hasPrefix("http://")) {
                diag.error(m.file, line: m.line("url"), "sms.url 应以 https:// 开头 must be an https:// URL")
            }
            let secret = SecretReference.read(m, "secret_key", into: &diag)
            if secret == nil, !m.has("secret_key") { diag.error(m.file, line: m.line, "缺少 missing sms.secret_key: {env: NAME}") }
            let platform = kind.init(m, into: &diag)
            var limits = kind.limits
            if let n = m.int("per_second", in: 1...1000, into: &diag) { limits.perSecond = n }
            if let n = m.int("variable_length", in: 1...500, into: &diag) {
                if limits.variableLength == nil { diag.warning(m.file, line: m.line("variable_length"), "\(type) 发送全文，variable_length 不起作用 sends whole texts: variable_length has no effect") }
                limits.variableLength = n
            }
            let send = m.strings("send", into: &diag) ?? ["overdue-2", "overdue-3"]
            for (i, name) in send.enumerated() where !TemplateSet.kinds.contains(name) {
                diag.error(m.file, line: m.line("send"), "sms.send 第 \(i + 1) 项 “\(name)” 不是消息种类 is not a message kind (\(TemplateSet.kinds.joined(separator: ", ")))")
            }
            var templates: [String: String] = [:]
            if let t = m.map("templates", into: &diag) {
                for name in t.keyNames {
                    if !TemplateSet.kinds.contains(name), name != "sign" {
                        diag.error(t.file, line: t.line(name), "sms.templates: “\(name)” 不是消息种类 is not a message kind (or “sign”, the 签收 follow-up)")
                    }
                    if let code = t.string(name, required: true, into: &diag) { templates[name] = code }
                }
            }
            let params = m.strings("params", into: &diag) ?? ["agency", "count", "level", "reply_by"]
            for p in params where !parameterNames.contains(p) {
                diag.error(m.file, line: m.line("params"), "sms.params: “\(p)” 不可用 is not one of \(parameterNames.joined(separator: ", "))")
            }
            if !limits.links, params.contains("link") {
                diag.error(m.file, line: m.line("params"), "\(type) 不允许变量中含链接 does not allow links in variables: use “code” (回复码) instead of “link”")
            }
            if limits.variableLength != nil {
                for name in send where templates[name] == nil {
                    diag.error(m.file, line: m.has("templates") ? m.line("templates") : m.line("send"),
                               "\(type) 只能发送已审核的模板 sends approved templates only: sms.templates needs a code for “\(name)”")
                }
            }
            let quietText = m.string("quiet", into: &diag) ?? "20:00-08:00"
            let quiet = Self.quiet(quietText)
            if quiet == nil { diag.error(m.file, line: m.line("quiet"), "sms.quiet 应形如 must look like “20:00-08:00”, not “\(quietText)”") }
            var wait = 7200.0, resend = true
            if let u = m.map("unknown", into: &diag) {
                u.checkKeys(["wait", "then"], into: &diag)
                if let w = u.string("wait", into: &diag) {
                    if let s = PolicyFile.duration(w), s >= 60 { wait = Double(s) } else {
                        diag.error(u.file, line: u.line("wait"), "sms.unknown.wait 应为至少 1m 的时长 must be a duration of at least 1m, like 2h")
                    }
                }
                switch u.string("then", into: &diag) ?? "resend" {
                case "resend": resend = true
                case "fail": resend = false
                case let other: diag.error(u.file, line: u.line("then"), "sms.unknown.then 应为 resend 或 fail, not “\(other)”")
                }
            }
            let token = SecretReference.read(m, "report_token", into: &diag)
            let from = m.strings("report_from", into: &diag) ?? []
            for address in from where !address.allSatisfy({ $0.isHexDigit || $0 == "." || $0 == ":" }) || address.isEmpty {
                diag.error(m.file, line: m.line("report_from"), "sms.report_from: “\(address)” 不是 IP 地址 is not an IP address")
            }
            guard let platform, let secret, let quiet else { return nil }
            var s = Settings(platform: platform, url: url, secret: secret, send: Set(send), templates: templates, params: params,
                             perDay: m.int("per_day", in: 1...100, into: &diag) ?? 10, quiet: quiet, unknownWait: wait, unknownResend: resend,
                             reportToken: token, limits: limits, timeout: Double(m.int("timeout", in: 1...600, into: &diag) ?? 15),
                             caFile: m.string("ca_file", into: &diag), insecure: m.bool("insecure", into: &diag) ?? false)
            s.reportFrom = from
            s.workdaysOnly = m.bool("workdays_only", into: &diag) ?? true
            return s
        }

        /// `20:00-08:00` → minutes of the day.
        static func quiet(_ text: String) -> (from: Int, until: Int)? {
            let parts = text.split(separator: "-")
            guard parts.count == 2 else { return nil }
            func minutes(_ s: Substring) -> Int? {
                let hm = s.trimmingCharacters(in: .whitespaces).split(separator: ":")
                guard hm.count == 2, let h = Int(hm[0]), let m = Int(hm[1]), (0...24).contains(h), (0..<60).contains(m), h * 60 + m <= 1440 else { return nil }
                return h * 60 + m
            }
            guard let a = minutes(parts[0]), let b = minutes(parts[1]) else { return nil }
            return (a, b)
        }
    }

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
