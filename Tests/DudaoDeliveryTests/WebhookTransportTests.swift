import Foundation
import DudaoSecrets
import Testing
@testable import DudaoCore
@testable import DudaoDelivery
@testable import DudaoMessages

/// Secrets the test webhook server verifies with (Tests/Servers/webhook_server.py).
private let secrets: [WebhookConfiguration.Flavour: String] = [
    .json: "whsec_" + Data("dudao-test-generic-secret-32byte".utf8).base64EncodedString(),
    .dingtalk: "SECdudao-test-dingtalk-secret",
    .feishu: "dudao-test-feishu-secret",
]

/// Webhooks over libcurl against a server that checks every signature with its own code.
struct WebhookTransportTests {
    let servers: TestServers
    init() throws { servers = try TestServers.require() }

    func transport(_ flavour: WebhookConfiguration.Flavour, mode: String = "ok", secret: String? = nil) -> WebhookTransport {
        var url = "\(servers.hookBase)/\(flavour.rawValue)/\(mode)"
        if flavour == .dingtalk { url += "?access_token=dudao-test-token" }
        if flavour == .wecom { url += "?key=dudao-test-wecom-key" }
        let s = secret ?? secrets[flavour]
        return WebhookTransport(WebhookConfiguration(name: "t", flavour: flavour, url: Secret(url), secret: s.map { Secret($0) }, perMinute: 1000),
                                sleep: { _ in })
    }

    func message(_ marker: String, body: String? = nil) -> RenderedMessage {
        RenderedMessage(subject: "【督办提醒】\(marker)", text: "市市场监管局：\n\(marker)\n距完成时限还有7天",
                        html: "<p>\(marker)</p>", markdown: body ?? "### 【督办提醒】\n**\(marker)** 距完成时限还有7天", template: "advance")
    }

    func marker() -> String { "m-\(UUID().uuidString.prefix(8))" }

    @Test(arguments: WebhookConfiguration.Flavour.allCases)
    func signedAndVerified(_ flavour: WebhookConfiguration.Flavour) throws {
        let m = marker()
        let outcome = transport(flavour).send(message(m), id: "msg_\(m)")
        #expect(outcome.isDelivered, "\(outcome)")
        let got = try servers.hooks(containing: m)
        #expect(got.count == 1)
        #expect(got.first?["verified"] as? Bool == true, "\(got.first?["reason"] ?? "")")
        #expect(got.first?["flavour"] as? String == flavour.rawValue)
    }

    @Test(arguments: [WebhookConfiguration.Flavour.json, .dingtalk, .feishu])
    func aWrongSecretIsAPermanentSignatureError(_ flavour: WebhookConfiguration.Flavour) throws {
        let m = marker()
        let outcome = transport(flavour, secret: flavour == .json ? "whsec_" + Data("wrong".utf8).base64EncodedString() : "wrong-secret").send(message(m), id: "msg_\(m)")
        #expect(outcome.isPermanent, "\(outcome)")
        #expect(try servers.hooks(containing: m).first?["verified"] as? Bool == false)
    }

    @Test func wecomDigestsOver4096BytesAreSplit() throws {
        let m = marker()
        let long = (1...40).map { "**事项\($0)：\(m) 允许对食品自动制售设备等新业态发放食品经营许可**\n- 完成时限：2024年 12月（2024年12月31日）\n- 当前状态：已逾期36天" }.joined(separator: "\n\n")
        #expect(long.utf8.count > 6000)
        let outcome = transport(.wecom).send(message(m, body: long), id: "x")
        #expect(outcome.isDelivered, "\(outcome)")
        let got = try servers.hooks(containing: m)
        #expect(got.count >= 2)
        #expect(got.allSatisfy { $0["verified"] as? Bool == true }, "every part ≤ 4096 bytes")
        let contents = got.compactMap { (($0["body"] as? [String: Any])?["markdown"] as? [String: Any])?["content"] as? String }
        #expect(contents.first?.hasPrefix("(1/\(got.count))") == true)
        #expect((1...40).allSatisfy { n in contents.contains { $0.contains("**事项\(n)：") } }, "no item lost")
    }

    @Test(arguments: [
        (WebhookConfiguration.Flavour.json, "429", "transient", Double?(2.0)),
        (.json, "500", "transient", nil),
        (.json, "400", "permanent", nil),
        (.dingtalk, "ratelimit", "transient", 60.0),
        (.wecom, "ratelimit", "transient", 60.0),
        (.feishu, "ratelimit", "transient", 60.0),
        (.dingtalk, "500", "transient", nil),
    ])
    func failuresAreClassified(_ flavour: WebhookConfiguration.Flavour, _ mode: String, _ expected: String, _ retryAfter: Double?) {
        let outcome = transport(flavour, mode: mode).send(message(marker()), id: "x")
        switch outcome {
        case .transient(let after, _):
            #expect(expected == "transient")
            #expect(after == retryAfter, "Retry-After honoured")
        case .permanent: #expect(expected == "permanent")
        case .delivered: Issue.record("\(mode) must not count as delivered")
        case .notAttempted: Issue.record("\(mode) was attempted")
        case .unknown: Issue.record("robots are retried as before: \(mode) is not unknown")
        }
    }

    @Test func endpointDownIsTransient() {
        let t = WebhookTransport(WebhookConfiguration(name: "t", flavour: .json, url: Secret("http://127.0.0.1:1/json/ok"), timeout: 3), sleep: { _ in })
        #expect(t.send(message("x"), id: "x").isTransient)
    }

    @Test func rateLimitPacesSendsWithoutRealWaiting() {
        final class FakeClock: @unchecked Sendable { var t = 1000.0 }
        let clock = FakeClock()
        let limiter = RateLimiter(limit: 20, window: 60, now: { clock.t })
        var waits: [Double] = []
        for _ in 0..<25 {
            let w = limiter.reserve()
            waits.append(w)
            clock.t += w + 0.1 // the caller sleeps w, then sends
        }
        #expect(waits.prefix(20).allSatisfy { $0 == 0 })
        #expect(waits[20] > 57 && waits[20] <= 60, "the 21st waits for the first to leave the minute: \(waits[20])")
        // Never more than 20 in any 60 s.
        #expect(limiter.reserve() >= 0)
    }

    @Test func tokensNeverAppearInErrors() {
        let t = WebhookTransport(WebhookConfiguration(name: "t", flavour: .dingtalk, url: Secret("http://127.0.0.1:1/robot/send?access_token=SECRET-TOKEN"), timeout: 3), sleep: { _ in })
        let outcome = t.send(message("x"), id: "x")
        #expect(!outcome.description.contains("SECRET-TOKEN"), "\(outcome)")
    }
}

/// The signatures themselves, against values computed independently with Python's hmac.
struct WebhookSignatureTests {
    @Test func matchesPythonsHMAC() throws {
        let py = try TestServers.python(["-c", """
        import base64,hmac,hashlib,json,urllib.parse
        h=lambda k,m: base64.b64encode(hmac.new(k,m,hashlib.sha256).digest()).decode()
        print(json.dumps({
          "standard": "v1,"+h(b"0123456789abcdef", b"msg_1.1700000000.{\\"a\\":1}"),
          "dingtalk": urllib.parse.quote_plus(h(b"SECabc", b"1700000000000\\nSECabc")),
          "feishu": h(b"1700000000\\nfs-secret", b""),
        }))
        """].map { $0 })
        #expect(WebhookSignature.standard(secret: "whsec_" + Data("0123456789abcdef".utf8).base64EncodedString(), id: "msg_1", timestamp: 1_700_000_000, body: Data("{\"a\":1}".utf8)) == py["standard"] as? String)
        #expect(WebhookSignature.dingtalk(secret: "SECabc", timestampMilliseconds: 1_700_000_000_000) == py["dingtalk"] as? String)
        #expect(WebhookSignature.feishu(secret: "fs-secret", timestampSeconds: 1_700_000_000) == py["feishu"] as? String)
    }
}
