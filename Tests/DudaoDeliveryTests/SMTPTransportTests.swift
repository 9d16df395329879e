import Foundation
import DudaoSecrets
import DudaoTestSupport
import Testing
@testable import DudaoDelivery
@testable import DudaoMessages

/// SMTP over libcurl against a real aiosmtpd server with STARTTLS and AUTH.
struct SMTPTransportTests {
    let servers: TestServers
    init() throws { servers = try TestServers.require() }

    func config(_ url: String? = nil, password: String? = nil, ca: Bool = true, insecure: Bool = false, connections: Int = 2) -> SMTPConfiguration {
        SMTPConfiguration(url: url ?? servers.starttlsURL, startTLS: .required, username: servers.user,
                          password: Secret(password ?? servers.password), from: Mailbox(name: "市政府督查室", address: "duchashi@zhengzhou.example"),
                          caFile: ca ? servers.ca : nil, insecure: insecure, connectTimeout: 5, timeout: 20, maxConnections: connections)
    }

    func email(to: String, title: String = "允许对食品自动制售设备等新业态发放食品经营许可") -> EmailMessage {
        EmailMessage(from: Mailbox(name: "市政府督查室", address: "duchashi@zhengzhou.example"),
                     to: [Mailbox(name: "市市场监管局 联络员", address: to)],
                     subject: "【督办提醒】“\(title)”距完成时限还有7天",
                     text: "市市场监管局：\n\n贵单位牵头的以下事项距完成时限还有7天。\n.\n以点开头的一行\n" + String(repeating: "正文", count: 2000),
                     html: "<p>\(title)</p>", date: Date(timeIntervalSince1970: 1_735_002_000), key: "test/\(to)")
    }

    @Test func deliversOverSTARTTLSWithAuthAndVerifiedCertificate() throws {
        let to = TestServers.recipient()
        let outcome = SMTPTransport(config()).send(try email(to: to).rfc5322(), to: [to])
        #expect(outcome == .delivered(detail: "250"))
        let parsed = try servers.received(to)
        #expect(parsed["subject"] as? String == "【督办提醒】“允许对食品自动制售设备等新业态发放食品经营许可”距完成时限还有7天")
        #expect(parsed["to"] as? [[String]] == [["市市场监管局 联络员", to]])
        #expect(parsed["from"] as? [[String]] == [["市政府督查室", "duchashi@zhengzhou.example"]])
        #expect((parsed["text"] as? String)?.contains("\n.\n以点开头的一行\n") == true, "dot-stuffing round-trips")
        #expect(parsed["html"] as? String == "<p>允许对食品自动制售设备等新业态发放食品经营许可</p>")
        #expect(parsed["all_crlf"] as? Bool == true)
        #expect((parsed["max_line"] as? Int ?? 999) <= 998)
        #expect(parsed["date"] != nil && parsed["message_id"] != nil)
        let envelope = try servers.envelope(to)
        #expect(envelope["mail_from"] as? String == "duchashi@zhengzhou.example")
        #expect(envelope["rcpt_tos"] as? [String] == [to])
        #expect(envelope["tls"] as? Bool == true, "STARTTLS was used")
        #expect(envelope["auth"] as? Bool == true)
    }

    @Test func deliversOverSMTPS() throws {
        let to = TestServers.recipient()
        #expect(SMTPTransport(config(servers.smtpsURL)).send(try email(to: to).rfc5322(), to: [to]).isDelivered)
        #expect(try servers.received(to)["subject"] != nil)
    }

    @Test func wrongPasswordIsPermanent() throws {
        let to = TestServers.recipient()
        let outcome = SMTPTransport(config(password: "wrong-password")).send(try email(to: to).rfc5322(), to: [to])
        #expect(outcome.isPermanent, "\(outcome)")
        #expect(!outcome.description.contains("wrong-password"))
    }

    @Test func reply451IsTransientAnd550IsPermanent() throws {
        let temp = TestServers.recipient("tempfail")
        let t = SMTPTransport(config()).send(try email(to: temp).rfc5322(), to: [temp])
        #expect(t.isTransient, "\(t)")
        #expect(t.description.contains("451"))
        let rejected = TestServers.recipient("reject")
        let p = SMTPTransport(config()).send(try email(to: rejected).rfc5322(), to: [rejected])
        #expect(p.isPermanent, "\(p)")
        #expect(p.description.contains("550"))
    }

    @Test func certificateVerificationStaysOnByDefault() throws {
        let to = TestServers.recipient()
        // The system's CAs do not trust the test server's certificate.
        let refused = SMTPTransport(config(ca: false)).send(try email(to: to).rfc5322(), to: [to])
        #expect(refused.isPermanent, "\(refused)")
        // Only an explicit per-channel `insecure` skips verification.
        #expect(SMTPTransport(config(ca: false, insecure: true)).send(try email(to: to).rfc5322(), to: [to]).isDelivered)
    }

    @Test func serverDownIsTransient() throws {
        let closed = try closedPort()
        let outcome = SMTPTransport(config("smtp://127.0.0.1:\(closed)")).send(try email(to: "x@zhengzhou.example").rfc5322(), to: ["x@zhengzhou.example"])
        #expect(outcome.isTransient, "\(outcome)")
    }

    @Test func headerInjectionThroughARealServer() throws {
        let to = TestServers.recipient()
        let eml = try email(to: to, title: "事项\r\nBcc: x@evil.example").rfc5322()
        #expect(SMTPTransport(config()).send(eml, to: [to]).isDelivered)
        let parsed = try servers.received(to)
        let names = (parsed["header_names"] as? [String] ?? []).map { $0.lowercased() }
        #expect(!names.contains("bcc"))
        #expect(try servers.envelope(to)["rcpt_tos"] as? [String] == [to])
    }

    @Test func aBatchReusesConnectionsInParallel() throws {
        let recipients = (0..<30).map { _ in TestServers.recipient("batch") }
        let batch = try recipients.map { (message: try email(to: $0).rfc5322(), recipients: [$0]) }
        let outcomes = SMTPTransport(config(connections: 3)).send(batch: batch)
        #expect(outcomes.count == 30)
        #expect(outcomes.allSatisfy { $0.isDelivered }, "\(outcomes.filter { !$0.isDelivered })")
        for r in recipients { #expect(FileManager.default.fileExists(atPath: servers.mailDir + "/" + r + ".eml")) }
    }

    /// A port nothing listens on.
    func closedPort() throws -> Int { TestSupport.freePort() }
}
