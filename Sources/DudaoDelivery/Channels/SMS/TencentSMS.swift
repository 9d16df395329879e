import Foundation
import Crypto
import DudaoCore
import DudaoSchedules

/// Tencent Cloud SendSms (API 2021-01-11), signed `TC3-HMAC-SHA256`: the canonical request
/// (method, path, query, `content-type` and `host` headers, the body's SHA-256) hashed into
/// the string to sign, under a key derived from the secret by the date, `sms` and
/// `tc3_request`. The request's timestamp must be within five minutes of the server's.
/// Numbers in E.164; per-number results in `SendStatusSet` with `Code` "Ok" or an error
/// such as `LimitExceeded.DeliveryFrequencyLimit`.
///
/// Templates only; no links in variables; variables up to 12 characters on personal
/// accounts (`variable_length` raises it for organisations). Reports are pushed as a JSON
/// array (`mobile`, `report_status`, `errmsg`, `sid`, `user_receive_time`); replies as one
/// object with `mobile`, `text`, `time`; both answered `{"result":0,"errmsg":"OK"}`.
public struct TencentSMS: SMSPlatform {
    public static let type = "tencent-sms"
    public static let keys = ["secret_id", "sdk_app_id", "sign", "region"]
    public static let limits = SMSLimits(numbersPerCall: 200, variableLength: 12, textLength: 500, perSecond: 20, links: false)
    public static let acknowledgement = #"{"result":0,"errmsg":"OK"}"#

    public var secretID: String
    public var appID: String
    public var signName: String
    public var region: String

    public init?(_ map: YAMLMap, into diag: inout Diagnostics) {
        let id = map.string("secret_id", required: true, into: &diag)
        let app = map.string("sdk_app_id", required: true, into: &diag)
        let sign = map.string("sign", required: true, into: &diag)
        guard let id, let app, let sign else { return nil }
        (secretID, appID, signName, region) = (id, app, sign, map.string("region", into: &diag) ?? "ap-guangzhou")
    }

    public init(secretID: String, appID: String, signName: String, region: String = "ap-guangzhou") {
        (self.secretID, self.appID, self.signName, self.region) = (secretID, appID, signName, region)
    }

    static func hmac(_ key: Data, _ text: String) -> Data {
        Data(HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: SymmetricKey(data: key)))
    }

    public func request(_ p: SMSPayload, url: String, secret: String, now: Date) -> SMSRequest {
        let body: [String: Any] = ["PhoneNumberSet": [p.mobile.hasPrefix("+") ? p.mobile : "+86" + p.mobile], "SmsSdkAppId": appID,
                                   "SignName": signName, "TemplateId": p.template, "TemplateParamSet": p.parameters.map { $0.count > 1 ? $0[1] : "" },
                                   "SessionContext": p.reference]
        let json = String(decoding: (try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data(),
                          as: UTF8.self)
        let timestamp = Int(now.timeIntervalSince1970)
        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = TimeZone(identifier: "UTC")!
        let d = utc.dateComponents([.year, .month, .day], from: now)
        let date = String(format: "%04d-%02d-%02d", d.year!, d.month!, d.day!)
        let host = AliyunSMS.host(of: url)
        let contentType = "application/json; charset=utf-8"
        let canonical = ["POST", "/", "", "content-type:\(contentType)\nhost:\(host)\n", "content-type;host",
                         AliyunSMS.hex(SHA256.hash(data: Data(json.utf8)))].joined(separator: "\n")
        let scope = "\(date)/sms/tc3_request"
        let toSign = "TC3-HMAC-SHA256\n\(timestamp)\n\(scope)\n" + AliyunSMS.hex(SHA256.hash(data: Data(canonical.utf8)))
        let key = Self.hmac(Self.hmac(Self.hmac(Data(("TC3" + secret).utf8), date), "sms"), "tc3_request")
        let signature = AliyunSMS.hex(Self.hmac(key, toSign))
        return SMSRequest(url: url, headers: [
            "Content-Type: \(contentType)", "X-TC-Action: SendSms", "X-TC-Version: 2021-01-11", "X-TC-Timestamp: \(timestamp)",
            "X-TC-Region: \(region)",
            "Authorization: TC3-HMAC-SHA256 Credential=\(secretID)/\(scope), SignedHeaders=content-type;host, Signature=\(signature)",
        ], body: json)
    }

    public func classify(status: Int, body: Data) -> SMSSendResult {
        let response = ((try? JSONSerialization.jsonObject(with: body)) as? [String: Any])?["Response"] as? [String: Any]
        if let error = response?["Error"] as? [String: Any] {
            let code = error["Code"] as? String ?? ""
            let reason = "腾讯云 \(code) \(error["Message"] as? String ?? "")"
            return code.hasPrefix("LimitExceeded") || code == "RequestLimitExceeded" || code.hasPrefix("InternalError") ? .later(after: 60, reason: reason)
                : .refused(reason: reason)
        }
        guard let first = (response?["SendStatusSet"] as? [[String: Any]])?.first else {
            return status >= 500 ? .later(after: nil, reason: "腾讯云 HTTP \(status)") : .refused(reason: "腾讯云 HTTP \(status): no SendStatusSet")
        }
        let code = first["Code"] as? String ?? ""
        if code == "Ok" { return .accepted(receipt: first["SerialNo"] as? String ?? "") }
        let reason = "腾讯云 \(code) \(first["Message"] as? String ?? "")"
        if code.hasPrefix("LimitExceeded") { return .later(after: 3600, reason: reason) }
        return .refused(reason: reason)
    }

    public static func events(_ body: Data) -> [SMSEvent]? {
        PushedBody.read(body) { text, o in
            guard !text("mobile").isEmpty else { return nil }
            if o["text"] != nil { return SMSEvent(kind: .reply, mobile: text("mobile"), detail: text("text"), time: text("time")) }
            guard o["report_status"] != nil else { return nil }
            return SMSEvent(kind: text("report_status") == "SUCCESS" ? .delivered : .failed, mobile: text("mobile"), receipt: text("sid"),
                            detail: text("errmsg"), time: text("user_receive_time"))
        }
    }
}
