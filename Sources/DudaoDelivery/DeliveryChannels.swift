import Foundation
import DudaoCore
import DudaoMessages

/// The transports for configured channels, with their secrets loaded. Loading is the only
/// place secrets are read; everything after holds them as `Secret` (prints `***`).
public struct DeliveryChannels: Sendable {
    /// The SMTP transport, if email is configured.
    public let email: SMTPTransport?
    /// Webhook transports by channel name.
    public let chats: [String: WebhookTransport]
    /// Folder for messages no channel reaches.
    public let outbox: FileOutbox
    /// Retry and dead-letter settings.
    public let retry: RetrySettings
    /// When a failing channel is paused.
    public let circuit: CircuitSettings

    /// Builds transports; throws naming the channel and secret source, never the value.
    public init(_ settings: ChannelSettings, environment: [String: String] = ProcessInfo.processInfo.environment) throws(DeliveryConfigError) {
        func secret(_ ref: SecretReference) throws(DeliveryConfigError) -> Secret {
            switch ref {
            case .environment(let n): return try Secret.load(.environment(n), environment: environment)
            case .file(let p): return try Secret.load(.file(p), environment: environment)
            case .credential(let n): return try Secret.load(.credential(n), environment: environment)
            case .literal(let v): return Secret(v)
            }
        }
        if let e = settings.email {
            guard let tls = SMTPConfiguration.StartTLS(rawValue: e.startTLS) else { throw .invalid("email.starttls “\(e.startTLS)”") }
            email = SMTPTransport(SMTPConfiguration(
                url: e.url, startTLS: tls, username: e.username, password: try e.password.map(secret),
                from: Mailbox(name: e.fromName, address: e.fromAddress), caFile: e.caFile, insecure: e.insecure,
                connectTimeout: e.connectTimeout, timeout: e.timeout, maxConnections: e.maxConnections))
        } else {
            email = nil
        }
        var chats: [String: WebhookTransport] = [:]
        for c in settings.chats {
            guard let flavour = WebhookConfiguration.Flavour(rawValue: c.type) else { throw .invalid("chat “\(c.name)” type “\(c.type)”") }
            chats[c.name] = WebhookTransport(WebhookConfiguration(
                name: c.name, flavour: flavour, url: try secret(c.url), secret: try c.secret.map(secret),
                perMinute: c.perMinute, timeout: c.timeout, caFile: c.caFile, insecure: c.insecure))
        }
        self.chats = chats
        outbox = FileOutbox(directory: settings.outboxDirectory)
        retry = settings.retry
        circuit = settings.circuit
    }

    /// The sender for emails: the email channel's `from`, else `fallback`.
    public func sender(fallback: Mailbox) -> Mailbox { email?.configuration.from ?? fallback }
}

/// Writes messages as files (`.eml` and `.json`) instead of sending them: the channel of
/// a machine with no mail server, and a record an operator can open.
public struct FileOutbox: Sendable {
    /// The folder (created when needed).
    public let directory: String

    /// An outbox in `directory`.
    public init(directory: String) { self.directory = directory }

    /// Writes `name.eml` (when given) and `name.json` under `directory/day/`, atomically.
    public func write(day: String, name: String, eml: String?, json: String) -> DeliveryOutcome {
        let dir = URL(fileURLWithPath: directory).appendingPathComponent(day)
        let safe = String(name.map { $0.isLetter || $0.isNumber || "-_.@".contains($0) ? $0 : "_" })
        do {
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            for (ext, text) in [("eml", eml), ("json", json)] {
                guard let text else { continue }
                let target = dir.appendingPathComponent("\(safe).\(ext)")
                let temp = dir.appendingPathComponent(".\(safe).\(ext).tmp")
                try Data(text.utf8).write(to: temp)
                guard rename(temp.path, target.path) == 0 else {
                    return .transient(retryAfter: nil, reason: "cannot write outbox \(target.path): \(String(cString: strerror(errno)))")
                }
            }
            return .delivered(detail: dir.appendingPathComponent(safe).path)
        } catch {
            return .transient(retryAfter: nil, reason: "cannot write outbox: \(error.localizedDescription)")
        }
    }
}
