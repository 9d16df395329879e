import Foundation
import DudaoMessages
import DudaoSchedules

/// WeCom (企业微信) group robot: `?key=` in the URL, no signing; markdown of at most
/// 4,096 bytes (longer digests go as several posts, split between items); 20 messages a
/// minute; errcode 45009 means rate limited.
public enum WeComRobot: RobotKind {
    public static let type = "wecom"
    public static let perMinute = 20

    public static func validate(_ map: YAMLMap, secret: SecretReference?, into diag: inout Diagnostics) {
        if secret != nil {
            diag.warning(map.file, line: map.line("secret"), "企业微信机器人不签名 WeCom robots are not signed: `secret` is ignored (the key is in the URL)")
        }
    }

    public static func bodies(_ p: RobotPayload) -> [String] { ChatPayload.wecom(p.rendered) }

    public static func sign(url: String, body: String, id: String, secret: String?, now: Date) -> (url: String, headers: [String], body: String) {
        (url, [], body)
    }

    /// errcode 0 → delivered; 45009 and 45033 (rate limits) and -1 (busy) → transient; others permanent.
    public static func classify(reply: [String: Any]?, status: Int, retryAfter: Double?) -> DeliveryOutcome {
        DingTalkRobot.errcode(reply, retryAfter: retryAfter, rateLimited: [45009, 45033, -1])
    }
}
