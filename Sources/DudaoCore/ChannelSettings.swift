import Foundation

/// How Dudao delivers, as configured in `Schedules/channels.yaml`: plain data, secrets
/// only by reference. Parsed by DudaoSchedules, turned into transports by DudaoDelivery.
public struct ChannelSettings: Hashable, Sendable {
    /// The SMTP channel, if email is configured.
    public var email: EmailSettings?
    /// Chat robots and webhooks, by name (agencies.yaml contacts name them in `chat:`).
    public var chats: [ChatSettings]
    /// Where messages go when no channel reaches a recipient (`var/outbox`).
    public var outboxDirectory: String
    /// Retries and dead letters.
    public var retry: RetrySettings
    /// When a failing channel is paused.
    public var circuit: CircuitSettings

    /// Settings from their parts.
    public init(email: EmailSettings? = nil, chats: [ChatSettings] = [], outboxDirectory: String = "var/outbox",
                retry: RetrySettings = RetrySettings(), circuit: CircuitSettings = CircuitSettings()) {
        self.email = email
        self.chats = chats
        self.outboxDirectory = outboxDirectory
        self.retry = retry
        self.circuit = circuit
    }

    /// True when no channel is configured: everything goes to the outbox folder.
    public var isEmpty: Bool { email == nil && chats.isEmpty }
}

/// Where a secret is read from. The value itself never appears in configuration.
public enum SecretReference: Hashable, Sendable, CustomStringConvertible {
    /// An environment variable.
    case environment(String)
    /// A file (e.g. `/etc/dudao/smtp-password`, mode 0600).
    case file(String)
    /// A systemd credential (`LoadCredential=NAME:…`).
    case credential(String)
    /// A value written in the file: allowed for URLs without tokens only.
    case literal(String)

    public var description: String {
        switch self {
        case .environment(let n): "env \(n)"
        case .file(let p): "file \(p)"
        case .credential(let n): "credential \(n)"
        case .literal: "literal"
        }
    }
}

/// The SMTP channel.
public struct EmailSettings: Hashable, Sendable {
    /// `smtp://host:587` or `smtps://host:465`.
    public var url: String
    /// `required`, `opportunistic` or `off`.
    public var startTLS: String
    /// AUTH user.
    public var username: String?
    /// AUTH password.
    public var password: SecretReference?
    /// Sender display name.
    public var fromName: String
    /// Sender address.
    public var fromAddress: String
    /// CA bundle.
    public var caFile: String?
    /// Skip TLS verification.
    public var insecure: Bool
    /// Seconds.
    public var connectTimeout: Double
    /// Seconds.
    public var timeout: Double
    /// Parallel connections.
    public var maxConnections: Int

    /// Settings with secure defaults.
    public init(url: String, startTLS: String = "required", username: String? = nil, password: SecretReference? = nil,
                fromName: String, fromAddress: String, caFile: String? = nil, insecure: Bool = false,
                connectTimeout: Double = 10, timeout: Double = 60, maxConnections: Int = 4) {
        self.url = url
        self.startTLS = startTLS
        self.username = username
        self.password = password
        self.fromName = fromName
        self.fromAddress = fromAddress
        self.caFile = caFile
        self.insecure = insecure
        self.connectTimeout = connectTimeout
        self.timeout = timeout
        self.maxConnections = maxConnections
    }
}

/// One chat robot or webhook.
public struct ChatSettings: Hashable, Sendable {
    /// Name used by agencies.yaml contacts.
    public var name: String
    /// `json`, `dingtalk`, `wecom` or `feishu`.
    public var type: String
    /// The endpoint (robot URLs carry tokens: use a secret reference).
    public var url: SecretReference
    /// Signing secret.
    public var secret: SecretReference?
    /// Sends per minute (default by type).
    public var perMinute: Int?
    /// CA bundle.
    public var caFile: String?
    /// Skip TLS verification.
    public var insecure: Bool
    /// Seconds for a whole request.
    public var timeout: Double

    /// Settings from their parts.
    public init(name: String, type: String, url: SecretReference, secret: SecretReference? = nil, perMinute: Int? = nil,
                caFile: String? = nil, insecure: Bool = false, timeout: Double = 15) {
        self.timeout = timeout
        self.name = name
        self.type = type
        self.url = url
        self.secret = secret
        self.perMinute = perMinute
        self.caFile = caFile
        self.insecure = insecure
    }
}

/// When to retry a failed delivery and when to give up (channels.yaml `retry:`).
public struct RetrySettings: Hashable, Sendable {
    /// First backoff in seconds; doubles with each attempt (full jitter).
    public var baseSeconds: Double
    /// Longest backoff in seconds.
    public var maxDelaySeconds: Double
    /// Attempts before a message becomes a dead letter.
    public var maxAttempts: Int
    /// Age in seconds after which a message becomes a dead letter.
    public var maxAgeSeconds: Double

    /// Settings; defaults: 60 s doubling to 1 h, 10 attempts, 2 days.
    public init(baseSeconds: Double = 60, maxDelaySeconds: Double = 3600, maxAttempts: Int = 10, maxAgeSeconds: Double = 2 * 86400) {
        self.baseSeconds = baseSeconds
        self.maxDelaySeconds = maxDelaySeconds
        self.maxAttempts = maxAttempts
        self.maxAgeSeconds = maxAgeSeconds
    }

    /// Exponential backoff with full jitter: a random delay up to `base × 2^(attempt−1)`
    /// (capped), never shorter than what the server asked for (`Retry-After`).
    public func delay(afterAttempt attempt: Int, retryAfter: Double?, random: Double) -> Double {
        let ceiling = min(maxDelaySeconds, baseSeconds * pow(2, Double(max(0, attempt - 1))))
        return max(retryAfter ?? 0, ceiling * min(max(random, 0), 1))
    }
}

/// When a channel that keeps failing is paused (channels.yaml `circuit:`): after `failures`
/// transient failures in a row its messages wait `pause` seconds, then one is sent as a
/// probe; each failed probe doubles the pause up to `maxPause`.
public struct CircuitSettings: Hashable, Sendable {
    /// Consecutive transient failures that open the circuit.
    public var failures: Int
    /// First pause in seconds.
    public var pauseSeconds: Double
    /// Longest pause in seconds.
    public var maxPauseSeconds: Double

    /// Settings; defaults: 3 failures, 30 s doubling to 15 min.
    public init(failures: Int = 3, pauseSeconds: Double = 30, maxPauseSeconds: Double = 900) {
        self.failures = failures
        self.pauseSeconds = pauseSeconds
        self.maxPauseSeconds = maxPauseSeconds
    }
}
