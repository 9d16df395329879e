import Foundation
import Crypto

/// The signatures chat robots and webhook receivers check. Pure functions of secret,
/// time and body, so tests can fix the clock.
public enum WebhookSignature {
    /// Base64 HMAC-SHA256 of `message` under `key`.
    static func hmac(key: Data, _ message: Data) -> String {
        Data(HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: key))).base64EncodedString()
    }

    /// Standard Webhooks: `v1,` + base64 HMAC-SHA256 over `id.timestamp.body`, keyed with
    /// the base64 part of a `whsec_…` secret (or the secret's bytes when it has no prefix).
    public static func standard(secret: String, id: String, timestamp: Int, body: Data) -> String {
        let key: Data
        if secret.hasPrefix("whsec_"), let decoded = Data(base64Encoded: String(secret.dropFirst(6))) { key = decoded } else { key = Data(secret.utf8) }
        return "v1," + hmac(key: key, Data("\(id).\(timestamp).".utf8) + body)
    }

    /// DingTalk: base64 HMAC-SHA256 keyed with the secret over `"<ms timestamp>\n<secret>"`,
    /// URL-encoded for the `sign` query parameter.
    public static func dingtalk(secret: String, timestampMilliseconds: Int64) -> String {
        let sign = hmac(key: Data(secret.utf8), Data("\(timestampMilliseconds)\n\(secret)".utf8))
        return sign.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? sign
    }

    /// Feishu: base64 HMAC-SHA256 keyed with `"<s timestamp>\n<secret>"` over an empty message.
    public static func feishu(secret: String, timestampSeconds: Int64) -> String {
        hmac(key: Data("\(timestampSeconds)\n\(secret)".utf8), Data())
    }
}
