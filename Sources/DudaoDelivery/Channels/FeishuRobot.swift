import Foundation
import DudaoCore
import DudaoMessages
import DudaoSchedules

/// Feishu (飞书) custom bot: rich-text `post` messages; signing puts `timestamp` (s) and
/// `sign` = Base64(HMAC-SHA256(key "<s>\n<secret>", empty message)) in the JSON body;
/// about 5 requests a second; `code` ≠ 0 is a failure.
public enum FeishuRobot: RobotKind {
    public static let type = "feishu"
    public static let perMinute = 100

    public static func validate(_ map: YAMLMap, secret: SecretReference?, into diag: inout Diagnostics) {}

    /// The `content` object; `sign` wraps it with `msg_type` and the signature.
    public static func bodies(_ p: RobotPayload) -> [String] { [ChatPayload.feishuContent(p.rendered).text] }

    public static func sign(url: String, body: String, id: String, secret: String?, now: Date) -> (url: String, headers: [String], body: String) {
        var fields: [(String, JSONValue)] = []
        if let secret {
            let seconds = Int64(now.timeIntervalSince1970)
            fields = [("timestamp", .string(String(seconds))), ("sign", .string(WebhookSignature.feishu(secret: secret, timestampSeconds: seconds)))]
        }
        let wrapped = "{" + fields.map { "\"\($0.0)\":\($0.1.text)," }.joined() + "\"msg_type\":\"post\",\"content\":" + body + "}"
        return (url, [], wrapped)
    }

    /// code 0 → delivered; 9499, 11232 and 11233 (rate limits) → transient; others permanent.
    public static func classify(reply: [String: Any]?, status: Int, retryAfter: Double?) -> DeliveryOutcome {
        let code = reply?["code"] as? Int ?? reply?["StatusCode"] as? Int ?? -999
        let message = reply?["msg"] as? String ?? ""
        if code == 0 { return .delivered(detail: "code 0") }
        if [9499, 11232, 11233].contains(code) { return .transient(retryAfter: retryAfter ?? 60, reason: "code \(code) \(message)") }
        return .permanent(reason: "code \(code) \(message)")
    }
}
