import Foundation
import DudaoSecrets
import DudaoTestSupport
import Testing

/// The real `dudao` process against the test SMTP and webhook servers.
struct CommandLineDeliveryTests {
    let servers: TestServers
    init() throws { servers = try TestServers.require() }

    static var dudao: String { TestSupport.dudao }

    /// A copy of the bundled Schedules whose agencies all point at `mailbox` addresses, plus channels.yaml.
    func schedules(channels: String, rewrite: (String) -> String = { $0 }) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dudao-cli-\(UUID().uuidString)/Schedules")
        try FileManager.default.createDirectory(at: dir.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: TestServers.root.appendingPathComponent("Schedules"), to: dir)
        try FileManager.default.copyItem(at: TestServers.root.appendingPathComponent("Templates"), to: dir.deletingLastPathComponent().appendingPathComponent("Templates"))
        let agencies = dir.appendingPathComponent("agencies.yaml")
        try Data(rewrite(try String(contentsOf: agencies, encoding: .utf8)).utf8).write(to: agencies)
        try Data(channels.utf8).write(to: dir.appendingPathComponent("channels.yaml"))
        return dir
    }

    var emailChannel: String {
        """
        email:
          url: \(servers.starttlsURL)
          starttls: required
          username: \(servers.user)
          password: {env: DUDAO_SMTP_PASSWORD}
          from: {name: 市政府督查室, address: duchashi@zhengzhou.example}
          ca_file: \(servers.ca)
          max_connections: 3
        outbox_dir: \(FileManager.default.temporaryDirectory.path)/dudao-outbox-\(UUID().uuidString)

        """
    }

    func run(_ args: [String], env extra: [String: String] = [:]) throws -> (status: Int32, out: String, err: String) {
        let r = try TestSupport.run(Self.dudao, args, environment: extra, cwd: TestServers.root)
        return (r.status, r.out, r.err)
    }

    @Test func sendTestByEmail() throws {
        let dir = try schedules(channels: emailChannel)
        let to = TestServers.recipient("sendtest")
        let r = try run(["send-test", "--schedules", dir.path, "--channel", "email", "--to", to], env: ["DUDAO_SMTP_PASSWORD": servers.password])
        #expect(r.status == 0, "\(r.out)\(r.err)")
        #expect(r.out.contains("email: delivered"))
        let parsed = try servers.received(to)
        #expect((parsed["subject"] as? String)?.hasPrefix("【测试】【督办提醒】") == true)
    }

    @Test func runOnceDeliversEveryDueMessageByEmail() throws {
        let tag = UUID().uuidString.prefix(6).lowercased()
        // Each agency's liaison gets a unique mailbox on the test server.
        let dir = try schedules(channels: emailChannel) { $0.replacingOccurrences(of: "@zhengzhou.example", with: "-\(tag)@zhengzhou.example") }
        let r = try run(["run", "--once", "--schedules", dir.path, "--now", "2024-12-30T10:00:00+08:00"], env: ["DUDAO_SMTP_PASSWORD": servers.password])
        #expect(r.status == 0, "\(r.out)\(r.err)")
        // Monday 12-30: reminders a day ahead, the 核实 of work a year overdue, the office's report.
        #expect(r.out.contains("24 条消息 messages, 24 次投递 deliveries: 24 delivered"))
        let parsed = try servers.received("scjgj-\(tag)@zhengzhou.example")
        #expect(parsed["subject"] as? String == "【督办提醒】市市场监管局共有13项事项需关注（含逾期事项）")
        #expect(parsed["cc"] as? [[String]] == [], "a 核实 copies nobody")
        #expect((parsed["text"] as? String)?.contains("本系统此前未就此事项向贵单位发送提醒") == true, "no earlier reminder is claimed")
        let report = try servers.received("duchashi-\(tag)@zhengzhou.example")
        #expect((report["subject"] as? String)?.hasPrefix("【督办周报】") == true)
    }

    @Test func aRejectedAgencyIsAPermanentFailureAndExitsOne() throws {
        let dir = try schedules(channels: emailChannel) { $0.replacingOccurrences(of: "email: scjgj@zhengzhou.example", with: "email: reject-scjgj@zhengzhou.example") }
        let r = try run(["run", "--once", "--schedules", dir.path, "--now", "2024-12-30T10:00:00+08:00"], env: ["DUDAO_SMTP_PASSWORD": servers.password])
        #expect(r.status == 1)
        #expect(r.err.contains("市市场监管局 via email: permanent"))
        #expect(r.err.contains("550"))
        #expect(r.out.contains("23 delivered, 1 failed"))
    }

    @Test func chatRobotsGetTheirAgencysMessages() throws {
        let channels = """
        chat:
          - {name: scjgj-robot, type: dingtalk, url: {env: DUDAO_TEST_DINGTALK_URL}, secret: {env: DUDAO_TEST_DINGTALK_SECRET}}
        outbox_dir: \(FileManager.default.temporaryDirectory.path)/dudao-outbox-\(UUID().uuidString)

        """
        let dir = try schedules(channels: channels) {
            $0.replacingOccurrences(of: "      - {name: 联络员, email: scjgj@zhengzhou.example}", with: "      - {name: 联络员, email: scjgj@zhengzhou.example, chat: scjgj-robot}")
        }
        let r = try run(["run", "--once", "--schedules", dir.path, "--now", "2024-12-30T10:00:00+08:00"],
                        env: ["DUDAO_TEST_DINGTALK_URL": "\(servers.hookBase)/dingtalk/ok?access_token=dudao-test-token",
                              "DUDAO_TEST_DINGTALK_SECRET": "SECdudao-test-dingtalk-secret"])
        #expect(r.status == 0, "\(r.err)")
        #expect(r.err.contains("市市场监管局 via scjgj-robot: delivered"))
        #expect(r.err.contains("市财政局 via outbox: delivered"), "agencies no channel reaches go to the outbox")
    }

    @Test func secretsNeverAppearInOutputOrLogs() throws {
        let password = "S3cret-\(UUID().uuidString)"
        let dingSecret = "SECknown-\(UUID().uuidString)"
        let token = "TOKEN-\(UUID().uuidString)"
        let channels = emailChannel + """
        chat:
          - {name: robot, type: dingtalk, url: {env: DUDAO_TEST_DINGTALK_URL}, secret: {env: DUDAO_TEST_DINGTALK_SECRET}}

        """
        let dir = try schedules(channels: channels) {
            $0.replacingOccurrences(of: "      - {name: 联络员, email: scjgj@zhengzhou.example}", with: "      - {name: 联络员, email: scjgj@zhengzhou.example, chat: robot}")
        }
        let env = ["DUDAO_SMTP_PASSWORD": password, "DUDAO_TEST_DINGTALK_SECRET": dingSecret,
                   "DUDAO_TEST_DINGTALK_URL": "\(servers.hookBase)/dingtalk/ok?access_token=\(token)"]
        var everything = ""
        for args in [["run", "--once", "--now", "2024-12-30T10:00:00+08:00"], ["send-test", "--channel", "email"], ["send-test", "--channel", "robot"],
                     ["check"], ["plan", "--now", "2024-12-20"], ["render", "--kind", "advance", "--items", "1", "--format", "json"]] {
            let r = try run(args + ["--schedules", dir.path], env: env)
            everything += r.out + r.err
        }
        #expect(everything.contains("permanent"), "the wrong password and signature did fail, so errors were printed")
        for secret in [password, dingSecret, token] {
            #expect(!everything.contains(secret), "a secret leaked")
        }
    }

    @Test func aPasswordWrittenInChannelsYamlIsRefusedWithoutRepeatingIt() throws {
        let dir = try schedules(channels: emailChannel.replacingOccurrences(of: "password: {env: DUDAO_SMTP_PASSWORD}", with: "password: hunter2-literal"))
        let r = try run(["check", "--schedules", dir.path])
        #expect(r.status == 1)
        #expect(r.out.contains("channels.yaml:5:"))
        #expect(!r.out.contains("hunter2-literal"))
    }

    @Test func runOnceWithoutChannelsWritesTheOutbox() throws {
        let outbox = FileManager.default.temporaryDirectory.appendingPathComponent("dudao-outbox-\(UUID().uuidString)")
        let dir = try schedules(channels: "outbox_dir: \(outbox.path)\n")
        let r = try run(["run", "--once", "--schedules", dir.path, "--now", "2024-12-30T10:00:00+08:00"])
        #expect(r.status == 0, "\(r.err)")
        let files = try FileManager.default.contentsOfDirectory(atPath: outbox.appendingPathComponent("2024-12-30").path)
        #expect(files.filter { $0.hasSuffix(".eml") }.count == 24)
        #expect(files.filter { $0.hasSuffix(".json") }.count == 24)
        let eml = files.first { $0.hasPrefix("市市场监管局") && $0.hasSuffix(".eml") }!
        let parsed = try TestServers.python(["Tests/Python/email_check.py", outbox.appendingPathComponent("2024-12-30/" + eml).path])
        #expect(parsed["subject"] as? String == "【督办提醒】市市场监管局共有13项事项需关注（含逾期事项）")
    }
}
