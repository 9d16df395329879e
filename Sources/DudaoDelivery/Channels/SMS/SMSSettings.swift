import Foundation
import DudaoSecrets
import DudaoCore
import DudaoMessages
import DudaoSchedules

extension SMSChannel {
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
}
