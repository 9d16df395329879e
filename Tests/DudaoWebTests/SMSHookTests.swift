import Foundation
import Testing
import DudaoTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// The console's side of SMS and 签收: `/hooks/sms/TYPE` (token, platform, size, shape,
/// repeats, two at once), a report settling an unknown outcome, a reply 1 signing, the
/// short links, the reply page's 签收 and 已读, the office's 代签 by role — and no whole
/// mobile number in the log, the pages or /metrics.
struct SMSHookTests {
    static let token = "hook-token-" + String(UUID().uuidString.prefix(8))

    struct Setup {
        let f: WebFixture
        let fake: SMSPlatformFake
        let log: URL
        var env: [String: String] { ["DUDAO_TEST_SMS_SECRET": SMSPlatformFake.secret, "DUDAO_TEST_SMS_TOKEN": SMSHookTests.token] }

        init(reportFrom: String = "127.0.0.1") throws {
            f = try WebFixture()
            fake = try SMSPlatformFake("aliyun-sms", slow: 2)
            log = f.base.appendingPathComponent("server.log")
            func write(_ name: String, _ text: String) throws { try Data(text.utf8).write(to: f.schedules.appendingPathComponent(name)) }
            // Items due in March 2025, reported done the day after (`finish`): the server, on the
            // real clock, has nothing to send whatever the day.
            try write("agencies.yaml", """
                agencies:
                  - name: 督查室
                    contacts: [{name: 联络员, email: office@zhengzhou.example}]
                  - name: 市卫健委
                    contacts: [{name: 联络员, email: wjw@zhengzhou.example, mobile: "13800130003"}]
                  - name: 市财政局
                    contacts: [{name: 联络员, email: czj@zhengzhou.example, mobile: "13800138000"}]
                  - name: 市教育局
                    contacts: [{name: 联络员, email: jyj@zhengzhou.example, mobile: "+8613800130005"}]

                """)
            try write("list.yaml", """
                title: 测试清单
                items:
                  - {id: "1", title: 托育服务, lead: [市卫健委], due_text: "2025年3月"}
                  - {id: "2", title: 预算绩效, lead: [市财政局], due_text: "2025年3月"}
                  - {id: "3", title: 课后服务, lead: [市教育局], due_text: "2025年3月"}

                """)
            try write("policy.yaml", "supervisor: 督查室\nreport: {weekly: off}\nsign: {within: 4h, follow_up: sms}\n")
            try write("channels.yaml", "outbox_dir: \(f.base.appendingPathComponent("outbox").path)\n" + fake.section(extra: """
                  timeout: 1
                  send: [due]
                  templates: {due: SMS_300001, sign: SMS_300002}
                  unknown: {wait: 3650d, then: resend}
                  report_token: {env: DUDAO_TEST_SMS_TOKEN}
                  report_from: [\(reportFrom)]
                """))
        }

        func dudao(_ args: [String]) throws -> TestSupport.Result {
            try TestSupport.run(TestSupport.dudao, args + ["--schedules", f.schedules.path, "--state-dir", f.state], environment: env)
        }

        /// Every item reported done: nothing is chased while the server runs.
        func finish() throws {
            for id in ["1", "2", "3"] {
                let r = try dudao(["ack", id, "--status", "done", "--now", "2025-04-01T10:00:00+08:00"])
                #expect(r.status == 0, "\(r.err)")
            }
        }

        func start() throws -> Process {
            let server = Process()
            server.executableURL = URL(fileURLWithPath: TestSupport.dudao)
            server.arguments = ["run", "--schedules", f.schedules.path, "--state-dir", f.state, "--listen", "127.0.0.1:\(f.port)"]
            server.environment = ProcessInfo.processInfo.environment.merging(env) { $1 }
            _ = FileManager.default.createFile(atPath: log.path, contents: nil)
            let handle = try FileHandle(forWritingTo: log)
            server.standardOutput = handle
            server.standardError = handle
            try server.run()
            _ = try f.http(["WAIT", f.url + "/healthz"])
            return server
        }

        func push(_ path: String, _ body: Any, times: Int = 1, headers: [String] = []) throws -> (statuses: [Int], bodies: [String]) {
            let file = f.base.appendingPathComponent("push-\(UUID().uuidString.prefix(8)).json")
            try JSONSerialization.data(withJSONObject: body).write(to: file)
            let r = try TestSupport.python(["Tests/Python/sms_push.py", f.url + path, file.path, "\(times)"] + headers)
            return (r["statuses"] as? [Int] ?? [], r["bodies"] as? [String] ?? [])
        }

        func count(_ sql: String) throws -> Int {
            let r = try TestSupport.run("/usr/bin/env", ["python3", "-c", "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])",
                                                         f.state + "/dudao.sqlite", sql])
            return Int(r.out.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
        }
    }

    @Test func reportsAndRepliesArriveOnTheHookOnceAndVerified() throws {
        let s = try Setup()
        // The due day: email and SMS (due is in sms.send). 市卫健委's number answers too slowly: unknown.
        let run = try s.dudao(["run", "--once", "--now", "2025-03-31T09:00:00+08:00", "--public-url", s.f.url])
        #expect(run.err.contains("138****0003") && run.err.contains("结果不明"), "\(run.err)")
        #expect(try s.count("SELECT COUNT(*) FROM outbox WHERE channel LIKE 'sms/%' AND unknown_until IS NOT NULL AND state = 'pending'") == 1)
        #expect(s.fake.sent.count == 3, "the slow send was accepted by the platform all the same")
        try s.finish()
        let server = try s.start()
        defer { s.f.stop(server) }
        let events = s.fake.events
        let reports = events.filter { $0["kind"] as? String == "report" }.compactMap { ($0["body"] as? [Any])?.first }
        let reply = try #require(events.first { $0["kind"] as? String == "reply" }?["body"])
        #expect(reports.count == 3)
        // Refused: a wrong token, another platform, a body that is no report, one too large.
        #expect(try s.push("/hooks/sms/aliyun-sms/wrong", reports).statuses == [403])
        #expect(try s.push("/hooks/sms/tencent-sms/\(SMSHookTests.token)", reports).statuses == [404])
        #expect(try s.push("/hooks/sms/aliyun-sms/\(SMSHookTests.token)", ["hello": "world"]).statuses == [400])
        let big = try TestSupport.python(["Tests/Python/sms_push.py", s.f.url + "/hooks/sms/aliyun-sms/\(SMSHookTests.token)", "@BIG:400000"])
        #expect(big["statuses"] as? [Int] == [413])
        #expect(try s.count("SELECT COUNT(*) FROM sms_event") == 0, "nothing refused was recorded")
        // The reports, pushed twice at once: each recorded once; the unknown one is settled as sent.
        let pushed = try s.push("/hooks/sms/aliyun-sms/\(SMSHookTests.token)", reports, times: 2)
        #expect(pushed.statuses == [200, 200] && pushed.bodies.allSatisfy { $0.contains("\"code\":0") }, "\(pushed)")
        #expect(try s.count("SELECT COUNT(*) FROM sms_event") == 3)
        #expect(try s.count("SELECT COUNT(*) FROM outbox WHERE channel LIKE 'sms/%' AND state = 'sent' AND report LIKE '送达%'") == 3)
        #expect(try s.count("SELECT COUNT(*) FROM outbox WHERE unknown_until IS NOT NULL") == 0)
        // Again, the token in a header: nothing changes.
        #expect(try s.push("/hooks/sms/aliyun-sms", reports, headers: ["X-Dudao-Token=\(SMSHookTests.token)"]).statuses == [200])
        #expect(try s.count("SELECT COUNT(*) FROM sms_event") == 3)
        // A reply 1 from 市教育局's number (E.164 in agencies.yaml, national in the push): 签收.
        #expect(try s.push("/hooks/sms/aliyun-sms/\(SMSHookTests.token)", reply).statuses == [200])
        #expect(try s.push("/hooks/sms/aliyun-sms/\(SMSHookTests.token)", reply).statuses == [200])
        #expect(try s.count("SELECT COUNT(*) FROM agency_receipt WHERE agency = '市教育局' AND kind = 'signed' AND how = 'sms'") == 1)
        #expect(try s.count("SELECT COUNT(*) FROM audit WHERE action = 'notice.sign' AND object = '市教育局'") == 1)
        // /metrics counts what was recorded, once.
        let metrics = try s.f.http(["GET", s.f.url + "/metrics"]).body
        #expect(metrics.contains("dudao_sms_reports_total{platform=\"aliyun-sms\",result=\"delivered\"} 3"), "\(metrics)")
        #expect(metrics.contains("dudao_sms_reports_total{platform=\"aliyun-sms\",result=\"reply\"} 1"))
        // A short link opens its reply link; an unknown one is refused.
        try s.f.sql("INSERT INTO short_link (code, token, at) VALUES ('abcdefghjk', 'TOKEN123', '2025-03-31T01:00:00Z')")
        let short = try s.f.browse([WebFixture.get("/s/abcdefghjk")]).first
        #expect(short?.status == 303 && short?.location == "/r/TOKEN123", "\(String(describing: short))")
        #expect(try s.f.http(["GET", s.f.url + "/s/nothere"]).status == 404)
        // Whole numbers appear nowhere but in the outbox's payloads: not in the log, /metrics, the pages.
        let logText = (try? String(contentsOf: s.log, encoding: .utf8)) ?? ""
        for text in [logText, metrics, run.err, run.out] {
            for number in ["13800130003", "13800138000", "13800130005"] { #expect(!text.contains(number), "\(number)") }
        }
    }

    /// The reply page: opening it is 已读; one click is 签收 (no form), after which it says so.
    /// The office's 代签 needs a clerk and a reason, and goes in the audit trail.
    @Test func theReplyPageSignsInOneClickAndTheOfficeSignsForAnAgency() throws {
        let s = try Setup(reportFrom: "203.0.113.9")
        _ = try s.dudao(["run", "--once", "--now", "2025-03-31T09:00:00+08:00", "--public-url", s.f.url])
        #expect(try s.f.addUser("张三", role: "clerk").status == 0 && s.f.addUser("李四", role: "leader").status == 0)
        try s.finish()
        let server = try s.start()
        defer { s.f.stop(server) }
        let link = try s.f.liveLink(for: "市财政局")
        let page = try s.f.http(["GET", link])
        #expect(page.status == 200 && page.body.contains("id=\"sign\"") && page.body.contains(">签收</button>"), "\(page.body)")
        #expect(try s.count("SELECT COUNT(*) FROM agency_receipt WHERE agency = '市财政局' AND kind = 'read' AND how = 'link'") == 1)
        _ = try s.f.http(["GET", link])
        #expect(try s.count("SELECT COUNT(*) FROM agency_receipt WHERE agency = '市财政局' AND kind = 'read'") == 1, "once in ten minutes")
        let signed = try s.f.http(["POST", link + "/sign"])
        #expect(signed.status == 200 && signed.body.contains("id=\"signed\"") && !signed.body.contains("id=\"sign\""), "\(signed.body)")
        #expect(try s.count("SELECT COUNT(*) FROM agency_receipt WHERE agency = '市财政局' AND kind = 'signed' AND how = 'link'") == 1)
        #expect(try s.f.http(["POST", link + "x/sign"]).status != 200, "a tampered link signs nothing")
        // 代签: not without a login, not as a leader, not without a reason; as a clerk, recorded.
        let path = "/agencies/" + "市卫健委".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        let anonymous = try s.f.browse([WebFixture.post(path + "/sign", ["note": "电话确认"])]).first
        #expect(anonymous?.status == 303 && anonymous?.location.hasPrefix("/login") == true, "\(String(describing: anonymous))")
        let leader = try s.f.browse(WebFixture.login("李四") + [WebFixture.get(path), WebFixture.post(path + "/sign", ["csrf": "@csrf", "note": "电话确认"])])
        #expect(leader.last?.status == 403 && !leader[leader.count - 2].body.contains("id=\"office-sign\""))
        let clerk = try s.f.browse(WebFixture.login("张三") + [
            WebFixture.get(path), WebFixture.post(path + "/sign", ["csrf": "@csrf", "note": ""]),
            WebFixture.get(path), WebFixture.post(path + "/sign", ["csrf": "@csrf", "note": "纸质签收单 第12号"]), WebFixture.get(path)])
        #expect(clerk[clerk.count - 4].status == 422 && clerk[clerk.count - 4].body.contains("代签依据"))
        #expect(clerk[clerk.count - 2].status == 303)
        let agencyPage = clerk[clerk.count - 1].body
        #expect(agencyPage.contains("代签") && agencyPage.contains("纸质签收单 第12号") && agencyPage.contains("张三"), "\(agencyPage)")
        #expect(try s.count("SELECT COUNT(*) FROM audit WHERE action = 'notice.sign' AND object = '市卫健委' AND outcome = 'ok'") == 1)
        #expect(try s.count("SELECT COUNT(*) FROM audit WHERE action = 'notice.sign' AND object = '市卫健委' AND outcome = 'refused'") >= 1)
        // 已发送 shows an SMS as sent: the text, the number masked, an outcome not yet known.
        let unknown = try s.count("SELECT id FROM outbox WHERE channel LIKE 'sms/%' AND unknown_until IS NOT NULL")
        let sent = try s.f.browse(WebFixture.login("李四") + [WebFixture.get("/sent/\(unknown)")]).last?.body ?? ""
        #expect(sent.contains("短信") && sent.contains("138****0003") && sent.contains("结果不明") && !sent.contains("13800130003"), "\(sent)")
        // Reports from an address not in sms.report_from are refused, the right token or not.
        let events = s.fake.events.compactMap { $0["body"] }
        #expect(try s.push("/hooks/sms/aliyun-sms/\(SMSHookTests.token)", events[0]).statuses == [403])
        #expect(try s.count("SELECT COUNT(*) FROM sms_event") == 0)
        // The directory lists numbers masked; the log has none whole.
        let directory = try s.f.browse(WebFixture.login("李四") + [WebFixture.get("/agencies")]).last?.body ?? ""
        #expect(directory.contains("138****0003") && !directory.contains("13800130003"))
        let logText = (try? String(contentsOf: s.log, encoding: .utf8)) ?? ""
        #expect(!logText.contains("13800130003") && !logText.contains("13800138000"))
    }
}
