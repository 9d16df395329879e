import Foundation
import DudaoSecrets
import CCurl
import DudaoCore
import DudaoMessages

/// A chat robot or webhook endpoint.
public struct WebhookConfiguration: Sendable {
    /// What the endpoint speaks.
    public enum Flavour: String, Sendable, CaseIterable {
        /// Generic JSON signed the Standard Webhooks way.
        case json
        /// DingTalk custom robot.
        case dingtalk
        /// WeCom (企业微信) group robot.
        case wecom
        /// Feishu (飞书) custom bot.
        case feishu

        /// The integration that signs, shapes and reads this flavour's requests.
        public var kind: any RobotKind.Type {
            switch self {
            case .json: StandardWebhook.self
            case .dingtalk: DingTalkRobot.self
            case .wecom: WeComRobot.self
            case .feishu: FeishuRobot.self
            }
        }
    }

    /// Channel name (for logs and agencies.yaml `chat:`).
    public var name: String
    /// The flavour.
    public var flavour: Flavour
    /// The endpoint URL; robots' URLs carry tokens, so it is a secret and never logged whole.
    public var url: Secret
    /// Signing secret (DingTalk, Feishu, generic); WeCom has none.
    public var secret: Secret?
    /// Sends per minute; DingTalk and WeCom allow 20.
    public var perMinute: Int
    /// Seconds for a whole request.
    public var timeout: Double
    /// CA bundle for https endpoints.
    public var caFile: String?
    /// Skip certificate verification (explicit, per channel).
    public var insecure: Bool

    /// A configuration with the robot's default rate.
    public init(name: String, flavour: Flavour, url: Secret, secret: Secret? = nil, perMinute: Int? = nil,
                timeout: Double = 15, caFile: String? = nil, insecure: Bool = false) {
        self.name = name
        self.flavour = flavour
        self.url = url
        self.secret = secret
        self.perMinute = perMinute ?? flavour.kind.perMinute
        self.timeout = timeout
        self.caFile = caFile
        self.insecure = insecure
    }
}

/// Posts messages to one webhook endpoint over a kept-alive libcurl connection, signing
/// each request and pacing to the endpoint's rate limit.
public final class WebhookTransport: @unchecked Sendable {
    /// Its configuration.
    public let configuration: WebhookConfiguration
    private let easy = CurlEasy()
    private let limiter: RateLimiter
    private let clock: @Sendable () -> Date
    private let sleep: @Sendable (Double) -> Void
    private let lock = NSLock()

    /// A transport; `clock` signs requests, `sleep` waits for the rate limiter (both injectable for tests).
    public init(_ configuration: WebhookConfiguration, limiter: RateLimiter? = nil,
                clock: @escaping @Sendable () -> Date = { Date() },
                sleep: @escaping @Sendable (Double) -> Void = { Thread.sleep(forTimeInterval: $0) }) {
        self.configuration = configuration
        self.limiter = limiter ?? RateLimiter(limit: configuration.perMinute)
        self.clock = clock
        self.sleep = sleep
    }

    /// Sends a rendered message; WeCom digests over 4,096 bytes go as several posts.
    public func send(_ rendered: RenderedMessage, generic: String? = nil, id: String) -> DeliveryOutcome {
        lock.lock()
        defer { lock.unlock() }
        return send(rendered, generic: generic, id: id, easy: easy, stop: nil)
    }

    /// Sends over `connection` (one per worker thread); `stop` cuts short a wait for a
    /// rate-limit slot (the message is then not attempted) and can abort the transfer.
    public func send(_ rendered: RenderedMessage, generic: String? = nil, id: String, over connection: Connection, stop: StopSignal?) -> DeliveryOutcome {
        send(rendered, generic: generic, id: id, easy: connection.easy, stop: stop)
    }

    private func send(_ rendered: RenderedMessage, generic: String?, id: String, easy: CurlEasy, stop: StopSignal?) -> DeliveryOutcome {
        let bodies = configuration.flavour.kind.bodies(RobotPayload(rendered, generic: generic))
        var outcome = DeliveryOutcome.delivered(detail: "no parts")
        for body in bodies {
            outcome = post(body, id: id, easy: easy, stop: stop)
            if !outcome.isDelivered { return outcome }
        }
        return outcome
    }

    /// Posts many bodies over up to `connections` parallel kept-alive connections, still
    /// within the endpoint's rate limit; outcomes in input order.
    public func post(batch: [(body: String, id: String)], connections: Int) -> [DeliveryOutcome] {
        let workers = max(1, min(connections, batch.count))
        let results = OutcomeSlots(count: batch.count)
        Workers.run(workers) { w in
            let easy = CurlEasy()
            var i = w
            while i < batch.count {
                results.set(i, self.post(batch[i].body, id: batch[i].id, easy: easy))
                i += workers
            }
        }
        return results.values
    }

    private func post(_ body: String, id: String, easy: CurlEasy, stop: StopSignal? = nil) -> DeliveryOutcome {
        let wait = limiter.reserve()
        if wait > 0 {
            if let stop {
                guard stop.pause(wait) else { return .notAttempted(reason: "stopping while waiting for the rate limit") }
            } else {
                sleep(wait)
            }
        }
        let c = configuration
        let request = c.flavour.kind.sign(url: c.url.value, body: body, id: id, secret: c.secret?.value, now: clock())
        let url = request.url
        let payload = Data(request.body.utf8)
        let headers = ["Content-Type: application/json; charset=utf-8"] + request.headers
        let result = easy.perform(upload: nil, stop: stop) { o in
            o.string(CURLOPT_URL, url)
            o.long(CURLOPT_POST, 1)
            o.string(CURLOPT_COPYPOSTFIELDS, String(decoding: payload, as: UTF8.self))
            o.list(CURLOPT_HTTPHEADER, headers)
            if let ca = c.caFile { o.string(CURLOPT_CAINFO, ca) }
            o.long(CURLOPT_SSL_VERIFYPEER, c.insecure ? 0 : 1)
            o.long(CURLOPT_SSL_VERIFYHOST, c.insecure ? 0 : 2)
            o.long(CURLOPT_TIMEOUT_MS, Int(c.timeout * 1000))
            o.long(CURLOPT_CONNECTTIMEOUT_MS, Int(min(c.timeout, 10) * 1000))
        }
        return WebhookReply.classify(flavour: c.flavour, code: result.code, status: result.responseCode,
                                     body: result.body, retryAfter: result.headers["retry-after"], message: Redact.url(result.message))
    }
}

/// Classifies webhook replies: HTTP status first, then the robot's own error code.
public enum WebhookReply {
    /// 429, 5xx and connection failures → transient (Retry-After honoured); other 4xx →
    /// permanent; a 2xx reply is read by the flavour's integration (its error codes, its
    /// rate-limit codes).
    public static func classify(flavour: WebhookConfiguration.Flavour, code: CURLcode, status: Int, body: Data,
                                retryAfter: String?, message: String) -> DeliveryOutcome {
        guard code == CURLE_OK else {
            switch code {
            case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_OPERATION_TIMEDOUT, CURLE_SEND_ERROR, CURLE_ABORTED_BY_CALLBACK,
                 CURLE_RECV_ERROR, CURLE_GOT_NOTHING, CURLE_SSL_CONNECT_ERROR, CURLE_PARTIAL_FILE:
                return .transient(retryAfter: nil, reason: message)
            default:
                return .permanent(reason: message)
            }
        }
        let after = retryAfter.flatMap(Double.init)
        switch status {
        case 429: return .transient(retryAfter: after ?? 60, reason: "HTTP 429")
        case 500..<600: return .transient(retryAfter: after, reason: "HTTP \(status)")
        case 200..<300: break
        default: return .permanent(reason: "HTTP \(status)")
        }
        return flavour.kind.classify(reply: (try? JSONSerialization.jsonObject(with: body)) as? [String: Any], status: status, retryAfter: after)
    }
}

/// Removes query strings and user info from URLs in text, where robot tokens live.
public enum Redact {
    /// `https://oapi.dingtalk.com/robot/send?access_token=…` → `https://oapi.dingtalk.com/robot/send?…`.
    public static func url(_ text: String) -> String {
        var out = ""
        var inQuery = false
        for c in text {
            if inQuery {
                if c.isWhitespace || c == "\"" || c == "'" { inQuery = false; out.append(c) }
                continue
            }
            if c == "?" && out.contains("://") { out += "?…"; inQuery = true; continue }
            out.append(c)
        }
        return out
    }
}
