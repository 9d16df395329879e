import Foundation
import Crypto
import DudaoCore
import DudaoSchedules

/// Aliyun SendSms (API 2017-05-25), signed the V3 way (`ACS3-HMAC-SHA256`): the canonical
/// request — method, path, sorted and RFC 3986-encoded query, the lowercased signed headers
/// (host and every `x-acs-*`) and the body's SHA-256 — hashed, then HMAC-SHA256 under the
/// AccessKey secret. Parameters go in the query: PhoneNumbers, SignName, TemplateCode,
/// TemplateParam (a JSON object) and OutId, which delivery reports echo.
///
/// Templates only, approved in advance, with no 党政 content and variables of at most 35
/// characters; 50 notifications a day per number and template
/// (`isv.BUSINESS_LIMIT_CONTROL`). The call is not idempotent: a timeout is `unknown`.
/// Reports are pushed as a JSON array (`phone_number`, `success`, `err_code`, `biz_id`,
/// `out_id`, `report_time`); replies (SmsUp) as one with `phone_number`, `content`, `send_time`.
public struct AliyunSMS: SMSPlatform {
    public static let type = "aliyun-sms"
    public static let keys = ["access_key_id", "sign"]
    public static let limits = SMSLimits(numbersPerCall: 1000, variableLength: 35, textLength: 500, perSecond: 20, links: false)
    public static let acknowledgement = #"{"code":0,"msg":"成功"}"#

    public var accessKeyID: String
    public var signName: String

    public init?(_ map: YAMLMap, into diag: inout Diagnostics) {
        let id = map.string("access_key_id", required: true, into: &diag)
        let sign = map.string("sign", required: true, into: &diag)
        guard let id, let sign else { return nil }
        (accessKeyID, signName) = (id, sign)
    }

    public init(accessKeyID: String, signName: String) {
        (self.accessKeyID, self.signName) = (accessKeyID, signName)
    }

    /// RFC 3986: unreserved characters stay, every other byte is %XX.
    static func encode(_ s: String) -> String {
        var out = ""
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                out.append(Character(UnicodeScalar(b)))
            default:
                out += String(format: "%%%02X", b)
            }
        }
        return out
    }

    static func hex(_ d: some Sequence<UInt8>) -> String { d.map { String(format: "%02x", $0) }.joined() }

    public func request(_ p: SMSPayload, url: String, secret: String, now: Date) -> SMSRequest {
        var params: [String: String] = [:]
        for pair in p.parameters where pair.count == 2 { params[pair[0]] = pair[1] }
        let templateParam = String(decoding: (try? JSONSerialization.data(withJSONObject: params, options: [.sortedKeys])) ?? Data("{}".utf8), as: UTF8.self)
        let query = [("OutId", p.reference), ("PhoneNumbers", Mobile.normalized(p.mobile)),
                     ("SignName", signName), ("TemplateCode", p.template), ("TemplateParam", templateParam)]
            .sorted { $0.0 < $1.0 }.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
        let host = Self.host(of: url)
        let date = ISO8601DateFormatter().string(from: now)
        var nonceBytes = [UInt8](repeating: 0, count: 16)
        for i in nonceBytes.indices { nonceBytes[i] = UInt8.random(in: 0...255) }
        let payloadHash = Self.hex(SHA256.hash(data: Data()))
        let headers = [("host", host), ("x-acs-action", "SendSms"), ("x-acs-content-sha256", payloadHash), ("x-acs-date", date),
                       ("x-acs-signature-nonce", Self.hex(nonceBytes)), ("x-acs-version", "2017-05-25")]
        let signed = headers.map(\.0).joined(separator: ";")
        let canonical = ["POST", "/", query, headers.map { "\($0.0):\($0.1)\n" }.joined(), signed, payloadHash].joined(separator: "\n")
        let toSign = "ACS3-HMAC-SHA256\n" + Self.hex(SHA256.hash(data: Data(canonical.utf8)))
        let signature = Self.hex(HMAC<SHA256>.authenticationCode(for: Data(toSign.utf8), using: SymmetricKey(data: Data(secret.utf8))))
        let authorization = "ACS3-HMAC-SHA256 Credential=\(accessKeyID),SignedHeaders=\(signed),Signature=\(signature)"
        let base = url.hasSuffix("/") ? url : url + "/"
        return SMSRequest(url: base + "?" + query,
                          headers: headers.filter { $0.0 != "host" }.map { "\($0.0): \($0.1)" } + ["Authorization: \(authorization)", "Accept: application/json"],
                          body: "")
    }

    /// `host[:port]` of a URL: what the Host header carries and the signature covers.
    static func host(of url: String) -> String {
        guard let c = URLComponents(string: url), let host = c.host else { return "" }
        return c.port.map { "\(host):\($0)" } ?? host
    }

    public func classify(status: Int, body: Data) -> SMSSendResult {
        let reply = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any]
        let code = reply?["Code"] as? String ?? "HTTP \(status)"
        let message = reply?["Message"] as? String ?? ""
        if code == "OK" { return .accepted(receipt: reply?["BizId"] as? String ?? "") }
        if code == "isv.BUSINESS_LIMIT_CONTROL" { return .later(after: 3600, reason: "阿里云 \(code) \(message)") }
        if code.hasPrefix("Throttling") || status == 429 || status >= 500 { return .later(after: 60, reason: "阿里云 \(code) \(message)") }
        return .refused(reason: "阿里云 \(code) \(message)")
    }

    public static func events(_ body: Data) -> [SMSEvent]? {
        PushedBody.read(body) { text, o in
            guard !text("phone_number").isEmpty else { return nil }
            if o["content"] != nil { return SMSEvent(kind: .reply, mobile: text("phone_number"), detail: text("content"), time: text("send_time")) }
            guard let success = o["success"] as? Bool else { return nil }
            return SMSEvent(kind: success ? .delivered : .failed, mobile: text("phone_number"), receipt: text("biz_id"),
                            reference: text("out_id").isEmpty ? nil : text("out_id"), detail: text("err_code"), time: text("report_time"))
        }
    }
}
