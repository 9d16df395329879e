import Foundation
import DudaoCore
import DudaoMessages
import DudaoSchedules

/// A generic JSON webhook for systems that integrate with Dudao, signed the Standard
/// Webhooks way: `webhook-id`, `webhook-timestamp` and `webhook-signature` headers; any 2xx
/// is delivered.
public enum StandardWebhook: RobotKind {
    public static let type = "json"
    public static let perMinute = 600

    public static func validate(_ map: YAMLMap, secret: SecretReference?, into diag: inout Diagnostics) {}

    /// The generic body: the message as JSON with its notices; subject and text outside a plan.
    public static func bodies(_ p: RobotPayload) -> [String] {
        [p.generic.isEmpty ? JSONValue.object([("subject", .string(p.subject)), ("text", .string(p.text))]).text : p.generic]
    }

    public static func sign(url: String, body: String, id: String, secret: String?, now: Date) -> (url: String, headers: [String], body: String) {
        let ts = Int(now.timeIntervalSince1970)
        var headers = ["webhook-id: \(id)", "webhook-timestamp: \(ts)"]
        if let secret { headers.append("webhook-signature: \(WebhookSignature.standard(secret: secret, id: id, timestamp: ts, body: Data(body.utf8)))") }
        return (url, headers, body)
    }

    public static func classify(reply: [String: Any]?, status: Int, retryAfter: Double?) -> DeliveryOutcome {
        .delivered(detail: "HTTP \(status)")
    }
}
