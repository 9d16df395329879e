import Foundation
import DudaoSecrets
import CCurl
import DudaoMessages

/// Sends email over SMTP with libcurl: `smtp://` with STARTTLS required, opportunistic or
/// off, or `smtps://` (TLS from the first byte); AUTH when a username is set.
/// TLS certificates are verified unless the channel says `insecure`.
public struct SMTPConfiguration: Sendable {
    /// STARTTLS on `smtp://` URLs.
    public enum StartTLS: String, Sendable, CaseIterable {
        /// Fail unless the server offers STARTTLS.
        case required
        /// Use it when offered.
        case opportunistic
        /// Never (only for servers on the same host).
        case off
    }

    /// `smtp://host:587` or `smtps://host:465`.
    public var url: String
    /// STARTTLS policy for `smtp://`.
    public var startTLS: StartTLS
    /// AUTH user; `nil` for no authentication.
    public var username: String?
    /// AUTH password.
    public var password: Secret?
    /// Envelope and header sender.
    public var from: Mailbox
    /// CA bundle to verify the server with (default: the system's).
    public var caFile: String?
    /// Skip certificate verification. Only ever set deliberately, per channel.
    public var insecure: Bool
    /// Seconds to establish a connection.
    public var connectTimeout: Double
    /// Seconds for a whole message.
    public var timeout: Double
    /// Parallel connections for a batch.
    public var maxConnections: Int

    /// A configuration; secure defaults.
    public init(url: String, startTLS: StartTLS = .required, username: String? = nil, password: Secret? = nil,
                from: Mailbox, caFile: String? = nil, insecure: Bool = false,
                connectTimeout: Double = 10, timeout: Double = 60, maxConnections: Int = 4) {
        self.url = url
        self.startTLS = startTLS
        self.username = username
        self.password = password
        self.from = from
        self.caFile = caFile
        self.insecure = insecure
        self.connectTimeout = connectTimeout
        self.timeout = timeout
        self.maxConnections = maxConnections
    }
}

/// An SMTP client over libcurl. One connection per worker, reused across its messages.
public final class SMTPTransport: @unchecked Sendable {
    /// Its configuration.
    public let configuration: SMTPConfiguration
    private let easy = CurlEasy()
    private let lock = NSLock()

    /// A transport; nothing is connected until the first send.
    public init(_ configuration: SMTPConfiguration) {
        self.configuration = configuration
    }

    /// Sends one message (bytes as built by `EmailMessage.rfc5322()`) to `recipients`.
    public func send(_ message: String, to recipients: [String]) -> DeliveryOutcome {
        lock.lock()
        defer { lock.unlock() }
        return Self.send(message, to: recipients, configuration: configuration, easy: easy)
    }

    /// Sends one message over `connection` (one per worker thread, kept alive between
    /// its messages); `stop` can abort the transfer.
    public func send(_ message: String, to recipients: [String], over connection: Connection, stop: StopSignal?) -> DeliveryOutcome {
        Self.send(message, to: recipients, configuration: configuration, easy: connection.easy, stop: stop)
    }

    /// Sends many messages over up to `maxConnections` parallel connections; outcomes in
    /// input order. `each` hears every outcome as soon as it is known (from a worker thread),
    /// so a caller can record it before the next message goes out.
    public func send(batch: [(message: String, recipients: [String])],
                     each: (@Sendable (Int, DeliveryOutcome) -> Void)? = nil) -> [DeliveryOutcome] {
        let workers = max(1, min(configuration.maxConnections, batch.count))
        let results = OutcomeSlots(count: batch.count)
        let config = configuration
        Workers.run(workers) { w in
            let easy = CurlEasy()
            var i = w
            while i < batch.count {
                let outcome = Self.send(batch[i].message, to: batch[i].recipients, configuration: config, easy: easy)
                results.set(i, outcome)
                each?(i, outcome)
                i += workers
            }
        }
        return results.values
    }

    private static func send(_ message: String, to recipients: [String], configuration c: SMTPConfiguration, easy: CurlEasy,
                             stop: StopSignal? = nil) -> DeliveryOutcome {
        guard !recipients.isEmpty else { return .permanent(reason: "no recipients") }
        let result = easy.perform(upload: Data(message.utf8), stop: stop) { o in
            o.string(CURLOPT_URL, c.url)
            if c.url.lowercased().hasPrefix("smtp://") {
                switch c.startTLS {
                case .required: o.long(CURLOPT_USE_SSL, Int(CURLUSESSL_ALL.rawValue))
                case .opportunistic: o.long(CURLOPT_USE_SSL, Int(CURLUSESSL_TRY.rawValue))
                case .off: o.long(CURLOPT_USE_SSL, Int(CURLUSESSL_NONE.rawValue))
                }
            }
            if let user = c.username {
                o.string(CURLOPT_USERNAME, user)
                if let password = c.password { o.string(CURLOPT_PASSWORD, password.value) }
            }
            o.string(CURLOPT_MAIL_FROM, "<\(c.from.address)>")
            o.list(CURLOPT_MAIL_RCPT, recipients.map { "<\($0)>" })
            if let ca = c.caFile { o.string(CURLOPT_CAINFO, ca) }
            o.long(CURLOPT_SSL_VERIFYPEER, c.insecure ? 0 : 1)
            o.long(CURLOPT_SSL_VERIFYHOST, c.insecure ? 0 : 2)
            o.long(CURLOPT_CONNECTTIMEOUT_MS, Int(c.connectTimeout * 1000))
            o.long(CURLOPT_TIMEOUT_MS, Int(c.timeout * 1000))
        }
        return SMTPReply.classify(code: result.code, reply: result.responseCode, message: result.message)
    }
}

/// How an SMTP attempt ended, from libcurl's result and the server's last reply code.
public enum SMTPReply {
    /// 2xx → delivered; 4xx, connection failures and timeouts → transient; 5xx, failed
    /// authentication, TLS and configuration errors → permanent.
    public static func classify(code: CURLcode, reply: Int, message: String) -> DeliveryOutcome {
        if code == CURLE_OK { return .delivered(detail: "\(reply == 0 ? 250 : reply)") }
        let detail = "\(message)\(reply > 0 ? " (SMTP \(reply))" : "")"
        switch reply {
        case 400..<500: return .transient(retryAfter: nil, reason: detail)
        case 500..<600: return .permanent(reason: detail)
        default: break
        }
        switch code {
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_OPERATION_TIMEDOUT, CURLE_SEND_ERROR, CURLE_ABORTED_BY_CALLBACK,
             CURLE_RECV_ERROR, CURLE_GOT_NOTHING, CURLE_SSL_CONNECT_ERROR, CURLE_WEIRD_SERVER_REPLY, CURLE_PARTIAL_FILE:
            return .transient(retryAfter: nil, reason: detail)
        default:
            // Login denied, STARTTLS refused, certificate not trusted, bad URL…: retrying will not help.
            return .permanent(reason: detail)
        }
    }
}

/// Thread-safe result slots for a parallel batch; `each` is told of every outcome, one at a time.
final class OutcomeSlots: @unchecked Sendable {
    private var slots: [DeliveryOutcome?]
    private let lock = NSLock()
    private let each: (@Sendable (Int, DeliveryOutcome) -> Void)?
    init(count: Int, each: (@Sendable (Int, DeliveryOutcome) -> Void)? = nil) {
        slots = Array(repeating: nil, count: count)
        self.each = each
    }
    func set(_ i: Int, _ o: DeliveryOutcome) {
        lock.lock()
        defer { lock.unlock() }
        slots[i] = o
        each?(i, o)
    }
    var values: [DeliveryOutcome] { slots.map { $0 ?? .transient(retryAfter: nil, reason: "not attempted") } }
}
