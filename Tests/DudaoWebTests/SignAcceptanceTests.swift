import Foundation
import Testing
import DudaoTestSupport

/// The acceptance of SMS and 签收 on the bundled list, with a mobile added to every
/// agency: two scripted weeks in which 市市场监管局 never reads its email. It is followed
/// up by SMS four working hours after the 核实 (the others signed for theirs), signs by
/// replying 1, and its ladder moves on as the records say it received the notice; every
/// other agency's messages are those of the same weeks without `sign:`.
struct SignAcceptanceTests {
    static let silent = "市市场监管局"

    struct Run {
        let base = TestSupport.scratch("dudao-sign-acceptance")
        let fake: SMSPlatformFake
        var schedules: URL { base.appendingPathComponent("Schedules") }
        var state: String { base.appendingPathComponent("state").path }

        init(signing: Bool) throws {
            fake = try SMSPlatformFake("cmcc-mas")
            try FileManager.default.copyItem(at: TestSupport.root.appendingPathComponent("Schedules"), to: schedules)
            try FileManager.default.copyItem(at: TestSupport.root.appendingPathComponent("Templates"), to: base.appendingPathComponent("Templates"))
            // Every contact gets a mobile of its own; the silent agency's liaison one the fake answers with 1.
            let r = try TestSupport.python(["-c", """
                import json, sys, yaml
                path, silent = sys.argv[1], sys.argv[2]
                doc = yaml.safe_load(open(path))
                n = 10
                for a in doc["agencies"]:
                    for key in ("contacts", "leadership"):
                        for c in a.get(key) or []:
                            n += 1
                            c["mobile"] = "13800000005" if (a["name"] == silent and key == "contacts") else "1391000%04d" % n
                yaml.safe_dump(doc, open(path, "w"), allow_unicode=True, sort_keys=False)
                print(json.dumps({"agencies": n}))
                """, schedules.appendingPathComponent("agencies.yaml").path, SignAcceptanceTests.silent])
            #expect((r["agencies"] as? Int ?? 0) > 50)
            if signing {
                let policy = try String(contentsOf: schedules.appendingPathComponent("policy.yaml"), encoding: .utf8)
                try Data((policy + "\nsign: {within: 4h, follow_up: sms}\n").utf8).write(to: schedules.appendingPathComponent("policy.yaml"))
            }
            try Data(("outbox_dir: \(base.appendingPathComponent("outbox").path)\n" + fake.section()).utf8)
                .write(to: schedules.appendingPathComponent("channels.yaml"))
        }

        @discardableResult
        func dudao(_ args: [String]) throws -> TestSupport.Result {
            let r = try TestSupport.run(TestSupport.dudao, args + ["--schedules", schedules.path, "--state-dir", state],
                                        environment: ["DUDAO_TEST_SMS_SECRET": SMSPlatformFake.secret])
            #expect(r.status == 0, "\(args): \(r.err.suffix(2000))")
            return r
        }

        func run(_ now: String) throws { try dudao(["run", "--once", "--now", now, "--public-url", "https://duban.example.gov.cn"]) }

        /// Subjects of the emails of `day`, by agency.
        func subjects(_ day: String) throws -> [String: String] {
            let folder = base.appendingPathComponent("outbox/\(day)")
            var out: [String: String] = [:]
            for name in (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [] where name.hasSuffix(".eml") {
                let parsed = try TestSupport.python(["Tests/Python/email_check.py", folder.appendingPathComponent(name).path])
                out[String(name.prefix { $0 != "@" })] = parsed["subject"] as? String ?? ""
            }
            return out
        }

        func text(_ day: String, _ agency: String) throws -> String {
            let folder = base.appendingPathComponent("outbox/\(day)")
            let name = try #require(try FileManager.default.contentsOfDirectory(atPath: folder.path).first { $0.hasPrefix(agency + "@") && $0.hasSuffix(".eml") })
            return try TestSupport.python(["Tests/Python/email_check.py", folder.appendingPathComponent(name).path])["text"] as? String ?? ""
        }
    }

    @Test func theAgencyThatNeverReadsEmailIsReachedBySMSAndTheOthersSeeNoChange() throws {
        let s = try Run(signing: true)
        // Monday 3 March 2025, 09:00: 核实 to every agency with overdue work, by email.
        try s.run("2025-03-03T09:00:00+08:00")
        let first = try s.subjects("2025-03-03").filter { $0.value.hasPrefix("【逾期核实】") }
        #expect(first.count > 20 && first[Self.silent] != nil, "\(first.keys.sorted())")
        // Everyone else signs for it before noon (the office records what they confirmed).
        let others = first.keys.filter { $0 != Self.silent }.sorted()
        try s.dudao(["sign"] + others + ["--note", "已阅签收", "--now", "2025-03-03T11:00:00+08:00"])
        #expect(s.fake.sent.isEmpty)
        // 14:29: four working hours (09:00–12:00, 13:30–14:30) not yet over; 14:30: the follow-up, to the silent agency only.
        try s.run("2025-03-03T14:29:00+08:00")
        #expect(s.fake.sent.isEmpty)
        try s.run("2025-03-03T14:30:00+08:00")
        #expect(s.fake.sent.compactMap { $0["mobile"] as? String } == ["13800000005"], "\(s.fake.sent)")
        // Its liaison replies 1; the platform's report and the reply are recorded once each.
        var files: [String] = []
        for (i, e) in s.fake.events.enumerated() {
            let url = s.base.appendingPathComponent("push-\(i).json")
            try JSONSerialization.data(withJSONObject: e["body"]!).write(to: url)
            files.append(url.path)
        }
        #expect(files.count == 2)
        let recorded = try s.dudao(["sms-report"] + files + ["--now", "2025-03-03T14:40:00+08:00"])
        #expect(recorded.out.contains("签收 signed: \(Self.silent)"), "\(recorded.out)")
        // Two weeks on, the ladder's next message goes to everyone, the silent agency's saying when it signed.
        try s.run("2025-03-10T09:00:00+08:00")
        try s.run("2025-03-17T09:00:00+08:00")
        #expect(s.fake.sent.count == 1, "no other follow-up: everyone signed")
        let later = try s.subjects("2025-03-17")
        #expect(try s.text("2025-03-17", Self.silent).contains("贵单位最近一次签收：2025年3月3日"))

        // The same two weeks without `sign:`: the same messages, agency by agency.
        let control = try Run(signing: false)
        try control.run("2025-03-03T09:00:00+08:00")
        try control.run("2025-03-03T14:30:00+08:00")
        try control.run("2025-03-10T09:00:00+08:00")
        try control.run("2025-03-17T09:00:00+08:00")
        #expect(control.fake.sent.isEmpty)
        #expect(try control.subjects("2025-03-03") == s.subjects("2025-03-03"))
        #expect(try control.subjects("2025-03-10") == s.subjects("2025-03-10"))
        #expect(try control.subjects("2025-03-17") == later && later[Self.silent]?.hasPrefix("【催办】") == true, "\(later)")
    }
}
