import Foundation
import Testing
import DudaoCore
import DudaoMessages
import DudaoSchedules
import DudaoStore
import DudaoTestSupport
@testable import DudaoWeb

/// 签收 end to end on an injected clock, across a weekend, with a fake 云MAS that checks
/// its MAC: a 催办 goes by email on Friday 15:00; 市财政局 signs by phone (代签); 市卫健委
/// never reads email, is followed up by SMS on Monday once four working hours passed, and
/// signs by replying 1; 市教育局's follow-up cannot get through (rate limited), so its
/// 催办 never counted and it gets 催办 again the next Friday while the others climb to
/// 督办; 市民政局 has no mobile, so nothing holds it. Without a `sign:` policy every agency
/// climbs the same way — the ones that signed or cannot be texted see no change.
struct SignLoopTests {
    static let agencies = """
        agencies:
          - name: 督查室
            contacts: [{name: 联络员, email: office@zhengzhou.example}]
          - name: 市卫健委
            contacts: [{name: 联络员, email: wjw@zhengzhou.example, mobile: "13800130005"}]
            leadership: [{name: 分管领导, email: wjw-lead@zhengzhou.example, mobile: "13900139006"}]
          - name: 市财政局
            contacts: [{name: 联络员, email: czj@zhengzhou.example, mobile: "13800138011"}]
          - name: 市教育局
            contacts: [{name: 联络员, email: jyj@zhengzhou.example, mobile: "13800130001"}]
          - name: 市民政局
            contacts: [{name: 联络员, email: mzj@zhengzhou.example}]

        """
    static let list = """
        title: 测试清单
        items:
          - {id: "1", title: 托育服务, lead: [市卫健委], due_text: "2025年2月"}
          - {id: "2", title: 预算绩效, lead: [市财政局], due_text: "2025年2月"}
          - {id: "3", title: 课后服务, lead: [市教育局], due_text: "2025年2月"}
          - {id: "4", title: 养老服务, lead: [市民政局], due_text: "2025年2月"}

        """
    static func policy(signing: Bool) -> String {
        """
        supervisor: 督查室
        send_time: "15:00"
        report: {weekly: off}
        overdue:
          weekday: friday
          verify: off
          levels:
            - {level: 1, name: 催办, climb_after: 1, every: 7d, reply_days: 3}
            - {level: 2, name: 督办, climb_after: 2, every: 7d, reply_days: 3, cc: [leadership]}
            - {level: 3, name: 通报, every: 7d, reply_days: 3}

        """ + (signing ? "sign: {within: 4h, follow_up: sms}\n" : "")
    }

    struct Scenario {
        let f: WebFixture
        let fake: SMSPlatformFake
        let env = ["DUDAO_TEST_SMS_SECRET": SMSPlatformFake.secret]

        init(signing: Bool) throws {
            f = try WebFixture()
            fake = try SMSPlatformFake("cmcc-mas", slow: 2)
            func write(_ name: String, _ text: String) throws { try Data(text.utf8).write(to: f.schedules.appendingPathComponent(name)) }
            try write("agencies.yaml", SignLoopTests.agencies)
            try write("list.yaml", SignLoopTests.list)
            try write("policy.yaml", SignLoopTests.policy(signing: signing))
            try write("channels.yaml", "outbox_dir: \(f.base.appendingPathComponent("outbox").path)\nretry: {max_age: 10d, max_attempts: 100}\n"
                      + fake.section(extra: "  timeout: 5"))
        }

        @discardableResult
        func dudao(_ args: [String]) throws -> TestSupport.Result {
            let r = try TestSupport.run(TestSupport.dudao, args + ["--schedules", f.schedules.path, "--state-dir", f.state], environment: env)
            #expect(r.status == 0, "\(args): \(r.err)")
            return r
        }

        /// One wake at `now`. It exits 1 while 市教育局's number is rate limited (an SMS still to
        /// retry), so only what it did is checked.
        @discardableResult
        func run(_ now: String) throws -> TestSupport.Result {
            let r = try TestSupport.run(TestSupport.dudao, ["run", "--once", "--now", now, "--public-url", f.url, "--schedules", f.schedules.path,
                                                            "--state-dir", f.state], environment: env)
            #expect(r.status == 0 || (r.status == 1 && r.err.contains("138****0001") && !r.err.contains("dead letter")), "\(now): \(r.err)")
            return r
        }

        /// Subjects of the emails written on `day`, by agency.
        func subjects(_ day: String) throws -> [String: String] {
            let folder = f.base.appendingPathComponent("outbox/\(day)")
            var out: [String: String] = [:]
            for name in (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [] where name.hasSuffix(".eml") {
                let parsed = try TestSupport.python(["Tests/Python/email_check.py", folder.appendingPathComponent(name).path])
                let agency = String(name.prefix { $0 != "@" })
                out[agency] = parsed["subject"] as? String ?? ""
            }
            return out
        }

        func text(_ day: String, _ agency: String) throws -> String {
            let folder = f.base.appendingPathComponent("outbox/\(day)")
            let name = try #require(try FileManager.default.contentsOfDirectory(atPath: folder.path).first { $0.hasPrefix(agency) && $0.hasSuffix(".eml") })
            return try TestSupport.python(["Tests/Python/email_check.py", folder.appendingPathComponent(name).path])["text"] as? String ?? ""
        }
    }

    @Test func aNoticeCountsOnceItWasSignedForOrItsFollowUpReachedTheAgency() throws {
        let s = try Scenario(signing: true)
        // Friday 15:00: 催办 to all four, by email (the outbox folder). No SMS: 催办 is not in sms.send.
        try s.run("2025-03-07T15:00:00+08:00")
        let friday = try s.subjects("2025-03-07")
        #expect(Set(friday.keys) == ["市卫健委", "市财政局", "市教育局", "市民政局"] && friday.values.allSatisfy { $0.hasPrefix("【催办】") }, "\(friday)")
        #expect(s.fake.sent.isEmpty)
        // 市财政局 confirms by phone within the hour: the office signs for it.
        let signed = try s.dudao(["sign", "市财政局", "--note", "电话确认已收到", "--now", "2025-03-07T16:00:00+08:00"])
        #expect(signed.out.contains("市财政局"))
        // Monday 08:30: four working hours (Fri 15:00–17:30, then Mon 09:00–10:30) are not over.
        try s.run("2025-03-10T08:30:00+08:00")
        #expect(s.fake.sent.isEmpty, "no follow-up before the time to sign ends, and none over the weekend")
        // Monday 10:30: the follow-ups go — to 市卫健委 (delivered) and 市教育局 (rate limited, retried); not to
        // 市财政局 (signed) nor 市民政局 (no mobile).
        try s.run("2025-03-10T10:30:00+08:00")
        let sent = s.fake.sent
        #expect(sent.map { $0["mobile"] as? String } == ["13800130005"], "\(sent)")
        let content = sent.first?["content"] as? String ?? ""
        #expect(content.contains("尚未签收") && content.contains("回复1签收") && content.contains(s.f.url + "/s/"), "\(content)")
        #expect(content.contains("2025年3月7日") && content.contains("催办"), "\(content)")
        // The platform pushes its delivery report and the reply 1; pushed twice, the second changes nothing.
        let events = s.fake.events
        #expect(events.map { $0["kind"] as? String } == ["report", "reply"], "\(events)")
        var files: [String] = []
        for (i, e) in events.enumerated() {
            let url = s.f.base.appendingPathComponent("push-\(i).json")
            try JSONSerialization.data(withJSONObject: e["body"]!).write(to: url)
            files.append(url.path)
        }
        let first = try s.dudao(["sms-report"] + files + ["--now", "2025-03-10T10:35:00+08:00"])
        #expect(first.out.contains("1 new, 0 repeated") && first.out.contains("签收 signed: 市卫健委"), "\(first.out)")
        let again = try s.dudao(["sms-report"] + files + ["--now", "2025-03-10T10:40:00+08:00"])
        #expect(again.out.components(separatedBy: "0 new, 1 repeated").count == 3 && !again.out.contains("signed"), "\(again.out)")
        // Friday: 市卫健委 signed, 市财政局 signed, 市民政局 cannot be texted: their 催办 counted, 督办 now.
        // 市教育局's 催办 was never confirmed (no signature, its follow-up still not through): 催办 again.
        try s.run("2025-03-14T15:00:00+08:00")
        let next = try s.subjects("2025-03-14")
        #expect(next["市卫健委"]?.hasPrefix("【督办单】") == true && next["市财政局"]?.hasPrefix("【督办单】") == true
                && next["市民政局"]?.hasPrefix("【督办单】") == true, "\(next)")
        #expect(next["市教育局"]?.hasPrefix("【催办】") == true, "\(next)")
        // The 此前提醒 line says what was signed, as the records show it.
        #expect(try s.text("2025-03-14", "市卫健委").contains("贵单位最近一次签收：2025年3月10日"))
        #expect(try s.text("2025-03-14", "市财政局").contains("贵单位最近一次签收：2025年3月7日"))
        #expect(try s.text("2025-03-14", "市教育局").contains("贵单位尚未签收"))
        // 督办 goes by SMS too, to the liaison and the leadership of 市卫健委 and to 市财政局's liaison.
        let texted = Set(s.fake.sent.compactMap { $0["mobile"] as? String })
        #expect(texted == ["13800130005", "13900139006", "13800138011"], "\(texted)")
        // status says who has not signed, and what the platform reported.
        let status = try s.dudao(["status", "--now", "2025-03-14T16:00:00+08:00"]).out
        #expect(status.contains("未签收") && status.contains("市教育局（1）") && status.contains("cmcc-mas 回复 1"), "\(status)")
        // The office's 台账 names them too, linking to each agency's page.
        let desk = OfficeDesk(store: try StateStore(directory: s.f.state), schedules: { ScheduleSet.load(s.f.schedules.path) },
                              templates: try TemplateSet(directory: s.f.base.appendingPathComponent("Templates").path))
        let board = try desk.dashboard(OfficeDesk.Filter(), viewer: Viewer(user: "张三", csrf: "x", role: .leader),
                                       now: LocalClock(timeZone: TimeZone(identifier: "Asia/Shanghai")!).parse("2025-03-14T16:00:00+08:00")!)
        #expect(board.contains("id=\"unsigned\"") && board.contains("市教育局</a>（1）") && !board.contains("市财政局</a>（"), "\(board)")
        // The report names who has not signed.
        let report = try s.dudao(["report", "--format", "text", "--now", "2025-03-14T16:00:00+08:00"])
        #expect(report.out.contains("未签收") && report.out.contains("市教育局"), "\(report.out)")
        // 市教育局 signs at last (by phone): its follow-up, still waiting, does not go — it would say it had not.
        try s.dudao(["sign", "市教育局", "--note", "电话确认", "--now", "2025-03-14T16:30:00+08:00"])
        let cancelled = try TestSupport.run("/usr/bin/env", ["python3", "-c", """
            import sqlite3, sys
            print(sqlite3.connect(sys.argv[1]).execute("SELECT state || ':' || last_error FROM outbox WHERE agency = '市教育局' AND message LIKE '%#签收'").fetchall())
            """, s.f.state + "/dudao.sqlite"]).out
        #expect(cancelled.contains("cancelled:单位已签收"), "\(cancelled)")
        try s.run("2025-03-17T09:00:00+08:00")
        #expect(!s.fake.sent.contains { $0["mobile"] as? String == "13800130001" }, "\(s.fake.sent)")
        // Every number in what the commands print, and in the outbox's channel column, is masked.
        for out in [first.out, again.out, report.out, try TestSupport.run(TestSupport.dudao, ["outbox", "--state-dir", s.f.state]).out, try s.dudao(["status"]).out] {
            for number in ["13800130005", "13900139006", "13800138011", "13800130001"] { #expect(!out.contains(number), "\(number) in \(out)") }
        }
    }

    /// The control: the same two weeks without `sign:` — everyone climbs to 督办 alike.
    @Test func withoutSigningEveryAgencyClimbsAsBefore() throws {
        let s = try Scenario(signing: false)
        try s.run("2025-03-07T15:00:00+08:00")
        try s.run("2025-03-10T10:30:00+08:00")
        #expect(s.fake.sent.isEmpty, "no follow-ups without a sign: policy")
        try s.run("2025-03-14T15:00:00+08:00")
        let next = try s.subjects("2025-03-14")
        #expect(Set(next.keys) == ["市卫健委", "市财政局", "市教育局", "市民政局"] && next.values.allSatisfy { $0.hasPrefix("【督办单】") }, "\(next)")
        #expect(!(try s.text("2025-03-14", "市财政局")).contains("签收"), "no 签收 wording without the policy")
    }
}
