import Foundation
import Crypto
import DudaoCore
import DudaoSchedules

/// China Mobile 云MAS over its HTTP interface — what government offices mostly send
/// through. A POST whose body is the Base64 of a JSON object: `ecName`, `apId`, `mobiles`,
/// `content` (norsubmit) or `templateId` + `params` (tmpsubmit), `sign`, `addSerial`, and
/// `mac`, the lowercase MD5 of those fields' values in order with the secret key after
/// `apId` (and `templateId` before `mobiles`). Reply `{"rspcod":"success","msgGroup":…,
/// "success":true}`, or an `rspcod` naming the error (IllegalMac, InvalidUsrOrPwd,
/// TooManyMobiles…).
///
/// Reports are pushed as JSON objects (or arrays of them) with `reportStatus`
/// (`CM:0000` or `DELIVRD` when received), `mobile`, `msgGroup`, `errorCode`,
/// `submitDate`, `receiveDate`; replies (上行) with `mobile`, `smsContent`, `sendTime`.
public struct CMCCMAS: SMSPlatform {
    public static let type = "cmcc-mas"
    public static let keys = ["ec_name", "ap_id", "sign", "add_serial"]
    /// Text up to 350 characters (the platform splits long messages); links allowed.
    public static let limits = SMSLimits(numbersPerCall: 5000, variableLength: nil, textLength: 350, perSecond: 20, links: true)
    public static let acknowledgement = #"{"rspcod":"success"}"#

    public var ecName: String
    public var apID: String
    public var sign: String
    public var addSerial: String

    public init?(_ map: YAMLMap, into diag: inout Diagnostics) {
        let ec = map.string("ec_name", required: true, into: &diag)
        let ap = map.string("ap_id", required: true, into: &diag)
        let sign = map.string("sign", required: true, into: &diag)
        guard let ec, let ap, let sign else { return nil }
        (ecName, apID, self.sign, addSerial) = (ec, ap, sign, map.string("add_serial", into: &diag) ?? "")
    }

    public init(ecName: String, apID: String, sign: String, addSerial: String = "") {
        (self.ecName, self.apID, self.sign, self.addSerial) = (ecName, apID, sign, addSerial)
    }

    public func request(_ p: SMSPayload, url: String, secret: String, now: Date) -> SMSRequest {
        let mobiles = Mobile.normalized(p.mobile)  // the MAS takes mainland numbers without +86
        var fields: [(String, String)]
        if p.template.isEmpty {
            fields = [("ecName", ecName), ("apId", apID), ("mobiles", mobiles), ("content", p.text), ("sign", sign), ("addSerial", addSerial)]
        } else {
            let params = String(decoding: (try? JSONSerialization.data(withJSONObject: p.parameters.map { $0.count > 1 ? $0[1] : "" })) ?? Data("[]".utf8),
                                as: UTF8.self)
            fields = [("ecName", ecName), ("apId", apID), ("templateId", p.template), ("mobiles", mobiles), ("params", params),
                      ("sign", sign), ("addSerial", addSerial)]
        }
        let macInput = fields.enumerated().map { i, f in i == 2 ? secret + f.1 : f.1 }.joined()
        let mac = Insecure.MD5.hash(data: Data(macInput.utf8)).map { String(format: "%02x", $0) }.joined()
        var object: [String: String] = Dictionary(uniqueKeysWithValues: fields)
        object["mac"] = mac
        let json = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        return SMSRequest(url: url, headers: ["Content-Type: text/plain; charset=utf-8"], body: json.base64EncodedString())
    }

    public func classify(status: Int, body: Data) -> SMSSendResult {
        let reply = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any]
        let code = reply?["rspcod"] as? String ?? "HTTP \(status)"
        if code == "success", reply?["success"] as? Bool ?? true { return .accepted(receipt: reply?["msgGroup"] as? String ?? "") }
        if status == 429 || status >= 500 { return .later(after: nil, reason: "云MAS \(code)") }
        return .refused(reason: "云MAS \(code)")
    }

    public static func events(_ body: Data) -> [SMSEvent]? {
        PushedBody.read(body) { text, o in
            guard !text("mobile").isEmpty else { return nil }
            if o["smsContent"] != nil { return SMSEvent(kind: .reply, mobile: text("mobile"), detail: text("smsContent"), time: text("sendTime")) }
            guard o["reportStatus"] != nil else { return nil }
            let status = text("reportStatus")
            let ok = status == "CM:0000" || status == "DELIVRD" || text("errorCode") == "DELIVRD"
            return SMSEvent(kind: ok ? .delivered : .failed, mobile: text("mobile"), receipt: text("msgGroup"),
                            detail: text("errorCode").isEmpty ? status : text("errorCode"), time: text("receiveDate"))
        }
    }
}
