import Foundation
import DudaoSecrets
import DudaoCore
import DudaoMessages
import DudaoSchedules

/// Email over SMTP(S) (channels.yaml `email:`), sent by `SMTPTransport`; outcomes read by `SMTPReply`.
///
/// ```yaml
/// email:
///   url: smtp://smtp.zhengzhou.example:587
///   starttls: required                   # required | opportunistic | off
///   username: dudao
///   password: {env: DUDAO_SMTP_PASSWORD}  # or {file: …} or {credential: smtp-password}
///   from: {name: 市政府督查室, address: duchashi@zhengzhou.example}
/// ```
public struct EmailChannel: Channel {
    /// What the outbox stores: the message as it goes on the wire, and its envelope recipients.
    public struct Payload: Codable, Hashable, Sendable {
        /// RFC 5322 bytes.
        public var eml: String
        /// Envelope recipients.
        public var rcpt: [String]

        public init(eml: String, rcpt: [String]) {
            self.eml = eml
            self.rcpt = rcpt
        }
    }

    /// The `email:` section: the SMTP configuration, its password by reference.
    public struct Settings: Sendable {
        /// Everything but the password.
        public var smtp: SMTPConfiguration
        /// Where the AUTH password is read from.
        public var password: SecretReference?

        static let keys = ["url", "starttls", "username", "password", "from", "ca_file", "insecure", "connect_timeout", "timeout", "max_connections"]

        /// Reads and validates the section; findings name the line.
        static func read(_ e: YAMLMap, into diag: inout Diagnostics) -> Settings {
            e.checkKeys(keys, into: &diag)
            let url = e.string("url", required: true, into: &diag) ?? ""
            if !url.isEmpty, !(url.hasPrefix("smtp://") || url.hasPrefix("smtps://")) {
                diag.error(e.file, line: e.line("url"), "email.url 应以 smtp:// 或 smtps:// 开头 must start with smtp:// or smtps://")
            }
            let starttlsText = e.string("starttls", into: &diag) ?? "required"
            let starttls = SMTPConfiguration.StartTLS(rawValue: starttlsText)
            if starttls == nil {
                diag.error(e.file, line: e.line("starttls"), "starttls 应为 required、opportunistic 或 off, not “\(starttlsText)”")
            }
            let from = e.map("from", into: &diag)
            from?.checkKeys(["name", "address"], into: &diag)
            let address = from?.string("address", required: true, into: &diag) ?? ""
            if from == nil { diag.error(e.file, line: e.line, "缺少 missing email.from: {name, address}") }
            else if !AgencyDirectory.isPlausibleEmail(address) { diag.error(e.file, line: from?.line("address"), "email.from 地址无效 invalid address “\(address)”") }
            let smtp = SMTPConfiguration(
                url: url, startTLS: starttls ?? .required, username: e.string("username", into: &diag),
                from: Mailbox(name: from?.string("name", into: &diag) ?? "督办系统", address: address),
                caFile: e.string("ca_file", into: &diag), insecure: e.bool("insecure", into: &diag) ?? false,
                connectTimeout: Double(e.int("connect_timeout", in: 1...600, into: &diag) ?? 10),
                timeout: Double(e.int("timeout", in: 1...3600, into: &diag) ?? 60),
                maxConnections: e.int("max_connections", in: 1...64, into: &diag) ?? 4)
            return Settings(smtp: smtp, password: SecretReference.read(e, "password", into: &diag))
        }
    }

    public var id: ChannelID { .email }
    public var connections: Int { transport.configuration.maxConnections }
    public var longestSend: TimeInterval { transport.configuration.connectTimeout + transport.configuration.timeout }
    /// The SMTP client.
    public let transport: SMTPTransport

    /// The channel for loaded settings; reads the password now.
    init(_ s: Settings, environment: [String: String]) throws(DeliveryConfigError) {
        var smtp = s.smtp
        do { smtp.password = try s.password?.load(environment: environment) } catch { throw DeliveryConfigError(error) }
        transport = SMTPTransport(smtp)
    }

    public func send(_ payload: Payload, key: String, over connection: Connection, stop: StopSignal?) -> DeliveryOutcome {
        guard !payload.eml.isEmpty else { return .permanent(reason: "stored email is empty") }
        return transport.send(payload.eml, to: payload.rcpt, over: connection, stop: stop)
    }
}
