import Foundation
import DudaoMessages
import DudaoSchedules

/// DingTalk (钉钉) custom robot: markdown messages; 加签 signing puts `timestamp` (ms) and
/// `sign` = URL-encoded Base64(HMAC-SHA256(secret, "<ms>\n<secret>")) in the query;
/// 20 messages a minute; HTTP 200 with `errcode` ≠ 0 is a failure.
public enum DingTalkRobot: RobotKind {
    public static let type = "dingtalk"
    public static let perMinute = 20

    public static func validate(_ map: YAMLMap, secret: SecretReference?, into diag: inout Diagnostics) {
        if secret == nil {
            diag.warning(map.file, line: map.line, "钉钉机器人未设置加签 DingTalk robot without `secret`: only keyword or IP security protects it")
        }
    }

    public static func bodies(_ p: RobotPayload) -> [String] { [ChatPayload.dingtalk(p.rendered)] }

    public static func sign(url: String, body: String, id: String, secret: String?, now: Date) -> (url: String, headers: [String], body: String) {
        guard let secret else { return (url, [], body) }
        let ms = Int64(now.timeIntervalSince1970 * 1000)
        let signed = url + (url.contains("?") ? "&" : "?") + "timestamp=\(ms)&sign=\(WebhookSignature.dingtalk(secret: secret, timestampMilliseconds: ms))"
        return (signed, [], body)
    }

    /// errcode 0 → delivered; 130101 (sending too fast) and -1 (busy) → transient; others permanent.
    public static func classify(reply: [String: Any]?, status: Int, retryAfter: Double?) -> DeliveryOutcome {
        errcode(reply, retryAfter: retryAfter, rateLimited: [130101, -1])
    }

    /// The `errcode`/`errmsg` convention DingTalk and WeCom share.
    static func errcode(_ reply: [String: Any]?, retryAfter: Double?, rateLimited: Set<Int>) -> DeliveryOutcome {
        let code = reply?["errcode"] as? Int ?? -999
        let message = reply?["errmsg"] as? String ?? ""
        if code == 0 { return .delivered(detail: "errcode 0") }
        if rateLimited.contains(code) { return .transient(retryAfter: retryAfter ?? 60, reason: "errcode \(code) \(message)") }
        return .permanent(reason: "errcode \(code) \(message)")
    }
}
