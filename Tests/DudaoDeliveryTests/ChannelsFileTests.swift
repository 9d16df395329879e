import Foundation
import Testing
import DudaoCore
import DudaoSchedules
import DudaoMessages
import DudaoTestSupport
@testable import DudaoDelivery

/// channels.yaml: the shared parts here, each integration's own section in its own file;
/// every finding names file and line.
struct ChannelsFileTests {
    /// A copy of the bundled Schedules with `channels` as channels.yaml (and `agencies` appended to agencies.yaml).
    func read(_ channels: String, agencies extra: String = "") throws -> (ChannelsConfiguration, [String]) {
        let base = TestSupport.scratch("dudao-channels")
        let dir = base.appendingPathComponent("Schedules")
        try FileManager.default.copyItem(at: TestSupport.root.appendingPathComponent("Schedules"), to: dir)
        try Data(channels.utf8).write(to: dir.appendingPathComponent("channels.yaml"))
        if !extra.isEmpty {
            let agencies = try String(contentsOf: dir.appendingPathComponent("agencies.yaml"), encoding: .utf8)
            try Data((agencies + extra).utf8).write(to: dir.appendingPathComponent("agencies.yaml"))
        }
        let (config, diag) = ChannelsFile.read(ScheduleSet.load(dir.path))
        return (config, diag.list.map(\.description))
    }

    @Test func theExampleReadsCleanly() throws {
        let example = try String(contentsOf: TestSupport.root.appendingPathComponent("Schedules/channels.yaml.example"), encoding: .utf8)
        let (config, findings) = try read(example)
        #expect(findings.allSatisfy { !$0.contains("错误 error") }, "\(findings)")
        #expect(config.email?.smtp.startTLS == .required && config.email?.smtp.maxConnections == 4)
        #expect(config.robots.map(\.name) == ["scjgj-dingtalk"] && config.robots[0].flavour == .dingtalk)
        #expect(config.retry.maxAttempts == 10 && config.circuit.failures == 3 && config.circuit.maxPauseSeconds == 900)
    }

    @Test func noFileMeansTheOutboxFolder() throws {
        let base = TestSupport.scratch("dudao-channels")
        try FileManager.default.copyItem(at: TestSupport.root.appendingPathComponent("Schedules"), to: base.appendingPathComponent("Schedules"))
        let (config, diag) = ChannelsFile.read(ScheduleSet.load(base.appendingPathComponent("Schedules").path))
        #expect(config.isEmpty && diag.list.isEmpty && config.outboxDirectory == nil, "outbox/ in the state folder")
    }

    @Test func reservedNamesBadCircuitAndUnknownTypesNameTheirLine() throws {
        let (_, errors) = try read("""
        chat:
          - {name: outbox, type: json, url: "http://127.0.0.1:9/x"}
          - {name: skipped, type: json, url: "http://127.0.0.1:9/y"}
        circuit: {failures: 0, pause: soon}
        retry: {base: 0s, max_delay: 99999999999999999999h}

        """)
        #expect(errors.contains { $0.contains("channels.yaml:2") && $0.contains("“outbox”") && $0.contains("reserved") }, "\(errors)")
        #expect(errors.contains { $0.contains("channels.yaml:3") && $0.contains("“skipped”") && $0.contains("reserved") })
        #expect(errors.contains { $0.contains("channels.yaml:4") && $0.contains("circuit.failures") })
        #expect(errors.contains { $0.contains("channels.yaml:4") && $0.contains("circuit.pause") && $0.contains("soon") })
        #expect(errors.contains { $0.contains("channels.yaml:5") && $0.contains("retry.base") })
        #expect(errors.contains { $0.contains("channels.yaml:5") && $0.contains("retry.max_delay") && $0.contains("36500d") })
    }

    @Test func eachIntegrationChecksItsOwnSection() throws {
        let (config, findings) = try read("""
        email:
          url: http://smtp.example
          starttls: maybe
          password: hunter2
          from: {name: 督查室, address: not-an-address}
        chat:
          - {name: a, type: slack, url: "http://127.0.0.1:9/a"}
          - {name: b, type: wecom, url: {env: WECOM_URL}, secret: {env: WECOM_SECRET}}
          - {name: c, type: dingtalk, url: {env: DING_URL}, per_minute: 0}
          - {name: c, type: feishu, url: {env: FEISHU_URL}, timeout: 0}

        """)
        let errors = findings.filter { $0.contains("错误 error") }, warnings = findings.filter { $0.contains("警告 warning") }
        #expect(errors.contains { $0.contains("channels.yaml:2") && $0.contains("smtp://") }, "\(findings)")
        #expect(errors.contains { $0.contains("channels.yaml:3") && $0.contains("maybe") })
        #expect(errors.contains { $0.contains("channels.yaml:4") && $0.contains("must not be written") && !$0.contains("hunter2") })
        #expect(errors.contains { $0.contains("channels.yaml:5") && $0.contains("not-an-address") })
        #expect(errors.contains { $0.contains("channels.yaml:7") && $0.contains("slack") })
        #expect(warnings.contains { $0.contains("channels.yaml:8") && $0.contains("WeCom robots are not signed") })
        #expect(warnings.contains { $0.contains("channels.yaml:9") && $0.contains("DingTalk robot without `secret`") })
        #expect(errors.contains { $0.contains("channels.yaml:9") && $0.contains("per_minute") })
        #expect(errors.contains { $0.contains("channels.yaml:10") && $0.contains("duplicate channel name") })
        #expect(errors.contains { $0.contains("channels.yaml:10") && $0.contains("timeout") })
        #expect(config.robots.map(\.flavour) == [.wecom, .dingtalk, .feishu])
    }

    /// Timeouts reach libcurl as milliseconds and connections become threads: each has a
    /// bound, and a value outside it is an error on its line (a timeout of 0 would be none).
    @Test func timeoutsAndConnectionsOutOfRangeNameTheirLine() throws {
        let (config, findings) = try read("""
        email:
          url: smtp://127.0.0.1:25
          from: {address: duban@example.gov.cn}
          connect_timeout: 0
          timeout: 9223372036854775807
          max_connections: 100000
        chat:
          - {name: a, type: json, url: "http://127.0.0.1:9/a", timeout: 9223372036854775807, per_minute: 1000000}

        """)
        let errors = findings.filter { $0.contains("错误 error") }
        for (line, key) in [(4, "connect_timeout"), (5, "timeout"), (6, "max_connections"), (8, "timeout"), (8, "per_minute")] {
            #expect(errors.contains { $0.contains("channels.yaml:\(line)") && $0.contains("“\(key)”") }, "\(line) \(key): \(errors)")
        }
        #expect(config.email?.smtp.timeout == 60 && config.email?.smtp.maxConnections == 4 && config.robots.first?.timeout == 15)
    }

    @Test func aChatChannelNamedByAnAgencyMustBeDefined() throws {
        let (_, findings) = try read("chat: []\n", agencies: "  - name: 市测试局\n    contacts: [{name: 联络员, chat: nowhere}]\n")
        #expect(findings.contains { $0.contains("agencies.yaml:") && $0.contains("“nowhere”") && $0.contains("does not define") }, "\(findings)")
    }

    /// The payload each channel stores is read back by the same channel; anything else is a
    /// dead letter with the reason, never an empty message.
    @Test func aCorruptStoredPayloadIsAPermanentFailure() {
        let outbox = FileOutboxChannel(directory: TestSupport.scratch("dudao-outbox").path)
        let outcome = outbox.send(stored: "{\"eml\": 3}", key: "k", over: Connection(), stop: nil)
        #expect(outcome.isPermanent && "\(outcome)".contains("unreadable"), "\(outcome)")
        let good = outbox.send(stored: FileOutboxChannel.stored(.init(day: "2025-01-02", eml: nil, json: "{}")), key: "k", over: Connection(), stop: nil)
        #expect(good.isDelivered, "\(good)")
    }
}

/// Routing: what each message becomes, channel by channel.
struct DispatcherTests {
    /// An address that would break the header cannot be encoded: the email is stored as a
    /// dead letter with the reason — not rerouted to the folder, not sent empty.
    @Test func anEmailThatCannotBeEncodedIsADeadLetterWithTheReason() throws {
        var config = ChannelsConfiguration()
        config.email = EmailChannel.Settings(smtp: SMTPConfiguration(url: "smtp://127.0.0.1:1", from: Mailbox(address: "office@zhengzhou.example")))
        config.outboxDirectory = TestSupport.scratch("dudao-outbox").path
        let channels = try DeliveryChannels(config, stateDirectory: TestSupport.scratch("dudao-state").path)
        let agency = Agency(name: "市测试局", contacts: [Contact(name: "联络员", email: "a@zhengzhou.example\r\nBcc: x@evil.example")])
        let dispatcher = Dispatcher(channels: channels, composer: EmailComposer(from: Mailbox(address: "office@zhengzhou.example"), agencies: [agency]),
                                    agencies: [agency])
        let item = Item(id: "1", title: "测试事项", lead: ["市测试局"], dueText: "2025年1月", milestones: [Milestone(due: CivilDate(iso: "2025-01-31")!, text: "2025年1月")])
        let plan = try MessagePreview.plan(items: [item], ids: ["1"], kind: .due, level: 1, day: CivilDate(iso: "2025-01-31")!, policy: .default)
        let message = try #require(plan.messages.first)
        let rendered = RenderedMessage(subject: "s", text: "t", html: "h", markdown: "m", template: "due")
        let prepared = dispatcher.prepare([(message, rendered)], in: plan)
        #expect(prepared.map(\.channel) == [.email])
        let failure = try #require(prepared[0].failure)
        #expect(failure.contains("cannot encode the email"), "\(failure)")
    }
}
