import Foundation
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
        self.perMinute = perMinute ?? (flavour == .feishu ? 100 : flavour == .json ? 600 : 20)
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
        switch configuration.flavour {
        case .json: return post(generic ?? JSONValue.object([("subject", .string(rendered.subject)), ("text", .string(rendered.text))]).text, id: id, easy: easy, stop: stop)
        case .dingtalk: return post(ChatPayload.dingtalk(rendered), id: id, easy: easy, stop: stop)
        case .feishu: return post(ChatPayload.feishuContent(rendered).text, id: id, easy: easy, stop: stop)
        case .wecom:
            for part in ChatPayload.wecom(rendered) {
                let outcome = post(part, id: id, easy: easy, stop: stop)
                if !outcome.isDelivered { return outcome }
            }
            return .delivered(detail: "errcode 0")
        }
    }

    /// Signs and posts one JSON body.
    public func post(_ body: String, id: String) -> DeliveryOutcome {
        lock.lock()
        defer { lock.unlock() }
        return post(body, id: id, easy: easy)
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
        let now = clock()
        var url = c.url.value
        var payload = Data(body.utf8)
        var headers = ["Content-Type: application/json; charset=utf-8"]
        switch c.flavour {
        case .json:
            let ts = Int(now.timeIntervalSince1970)
            headers += ["webhook-id: \(id)", "webhook-timestamp: \(ts)"]
            if let s = c.secret { headers.append("webhook-signature: \(WebhookSignature.standard(secret: s.value, id: id, timestamp: ts, body: payload))") }
        case .dingtalk:
            if let s = c.secret {
                let ms = Int64(now.timeIntervalSince1970 * 1000)
                url += (url.contains("?") ? "&" : "?") + "timestamp=\(ms)&sign=\(WebhookSignature.dingtalk(secret: s.value, timestampMilliseconds: ms))"
            }
        case .feishu:
            var fields: [(String, JSONValue)] = []
            if let s = c.secret {
                let seconds = Int64(now.timeIntervalSince1970)
                fields = [("timestamp", .string(String(seconds))), ("sign", .string(WebhookSignature.feishu(secret: s.value, timestampSeconds: seconds)))]
            }
            // body is the `content` object; wrap it with msg_type and the signature.
            payload = Data(("{" + fields.map { "\"\($0.0)\":\($0.1.text)," }.joined() + "\"msg_type\":\"post\",\"content\":" + body + "}").utf8)
        case .wecom:
            break
        }
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
    /// 2xx with errcode/code 0 → delivered; 429, 5xx, connection failures and robot rate
    /// limits → transient (Retry-After honoured); other 4xx, signature and other robot
    /// errors → permanent.
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
        let json = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any]
        switch flavour {
        case .json:
            return .delivered(detail: "HTTP \(status)")
        case .dingtalk, .wecom:
            let errcode = json?["errcode"] as? Int ?? -999
            let errmsg = json?["errmsg"] as? String ?? ""
            if errcode == 0 { return .delivered(detail: "errcode 0") }
            if [130101, 45009, 45033, -1].contains(errcode) { return .transient(retryAfter: after ?? 60, reason: "errcode \(errcode) \(errmsg)") }
            return .permanent(reason: "errcode \(errcode) \(errmsg)")
        case .feishu:
            let code = json?["code"] as? Int ?? json?["StatusCode"] as? Int ?? -999
            let msg = json?["msg"] as? String ?? ""
            if code == 0 { return .delivered(detail: "code 0") }
            if [9499, 11232, 11233].contains(code) { return .transient(retryAfter: after ?? 60, reason: "code \(code) \(msg)") }
            return .permanent(reason: "code \(code) \(msg)")
        }
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
