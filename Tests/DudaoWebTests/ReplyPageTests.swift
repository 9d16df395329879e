import Foundation
import Testing
import DudaoTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// The agencies' reply pages over a real socket: `dudao run --once --public-url` puts a
/// signed link in every message, `dudao run --listen` serves it, Python's urllib submits.
@Suite(.serialized)
struct ReplyPageTests {
    let f: WebFixture
    init() throws { f = try WebFixture() }
    var state: String { f.state }
    var url: String { f.url }
    func dudao(_ args: [String]) throws -> TestSupport.Result { try f.dudao(args) }
    func http(_ args: [String]) throws -> (status: Int, body: String, headers: [String: String]) { try f.http(args) }
    func link(for agency: String) throws -> String { try f.link(for: agency) }

    @Test func anAgencyReportsThroughItsLink() throws {
        // Monday 2026-11-30: a 核实 to each agency, each carrying its link.
        let once = try dudao(["run", "--once", "--now", "2026-11-30T10:00:00+08:00", "--public-url", url])
        #expect(once.status == 0, "\(once.err)")
        let health = try f.liveLink(for: "市卫健委")
        let finance = try f.liveLink(for: "市财政局")

        let server = try f.startServer(["--trusted-proxies", "127.0.0.1"])
        defer { f.stop(server) }

        // The form: the agency's items only, every value escaped, private headers.
        let form = try http(["GET", health])
        #expect(form.status == 200)
        #expect(form.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;托育") && !form.body.contains("<script>"))
        #expect(form.body.contains("互联网医院") && !form.body.contains("财政事项"))
        #expect(form.headers["Cache-Control"] == "no-store" && form.headers["X-Frame-Options"] == "DENY")
        #expect(form.headers["Referrer-Policy"] == "no-referrer")
        #expect(form.headers["Content-Security-Policy"]?.contains("default-src 'none'") == true)

        // Submitting a done report records it for that agency, with who and where.
        let done = try http(["POST", health, "item=1", "action=done", "text=已出台方案，见郑卫〔2026〕8号", "percent=100"])
        #expect(done.status == 200 && done.body.contains("已收到报送"), "\(done.body)")
        let status = try dudao(["status", "--format", "json", "--now", "2026-11-30T12:00:00+08:00"])
        let rows = try #require(try JSONSerialization.jsonObject(with: status.data) as? [[String: Any]])
        let one = try #require(rows.first { $0["id"] as? String == "1" })
        #expect(one["status"] as? String == "done_reported")
        let report = try #require(one["last_report"] as? [String: Any])
        #expect((report["by"] as? String)?.hasPrefix("市卫健委（在线报送，127.0.0.1") == true)
        #expect((report["note"] as? String)?.contains("郑卫〔2026〕8号") == true)

        // Behind a trusted reverse proxy, the address it forwards is recorded.
        #expect(try http(["FORWARDED", health, "item=2", "action=progress", "text=经代理报送"]).status == 200)
        let proxied = try dudao(["status", "--format", "json"]).out
        #expect(proxied.contains("（在线报送，203.0.113.7）"), "\(proxied.prefix(300))")

        // A progress report with a promised date, and an extension request.
        let next = WebFixture.later(40), asked = WebFixture.later(200)
        let promised = try http(["POST", health, "item=2", "action=progress", "text=已完成平台招标", "next_report=\(next.iso)"]).body
        #expect(promised.contains("报送进展") && promised.contains("下次报送日期：\(next.chinese)"), "the receipt repeats the date promised")
        #expect(try http(["POST", health, "item=2", "action=extension", "text=需省级审批", "new_due=\(asked.iso)"]).body.contains("申请延期至\(asked.chinese)"))

        // What is wrong comes back on the form, and nothing is recorded.
        let before = try dudao(["status", "--format", "json"]).out
        #expect(try http(["POST", health, "item=2", "action=extension", "text=无日期"]).body.contains("申请延期请填写新的完成日期"))
        #expect(try http(["POST", health, "item=2", "action=done", "text="]).body.contains("请填写情况说明"))
        #expect(try http(["POST", health, "item=3", "action=done", "text=别人的事项"]).body.contains("请选择事项"), "another agency's item")
        #expect(try http(["POST", health, "item=2", "action=progress", "text=x", "percent=150"]).body.contains("0到100"))
        #expect(try dudao(["status", "--format", "json"]).out == before)

        // Tampered, foreign, expired or oversized: refused, and the page shows no work.
        // The signature's first character changed: all six of its bits count, while the last
        // character's low bits may be padding (changing it then leaves the signature intact).
        let signature = health.split(separator: ".").last!
        let tampered = String(health.dropLast(signature.count)) + (signature.first == "A" ? "B" : "A") + signature.dropFirst()
        for bad in [tampered, url + "/r/nonsense", url + "/r/" + String(finance.split(separator: "/").last!.split(separator: ".")[0]) + "." +
                    String(health.split(separator: ".").last!)] {
            let refused = try http(["GET", bad])
            #expect(refused.status == 403 && refused.body.contains("链接无法使用") && !refused.body.contains("托育"), "\(bad)")
        }
        let key = state + "/link.key"
        let expired = try TestSupport.python(["Tests/Python/reply_token.py", key, "市卫健委", "1,2", "2026-01-01"])["token"] as! String
        #expect(try http(["GET", url + "/r/" + expired]).status == 403)
        // The same signing, done independently in Python with a live date, is accepted.
        let valid = try TestSupport.python(["Tests/Python/reply_token.py", key, "市卫健委", "1,2", "2099-01-01"])["token"] as! String
        #expect(try http(["GET", url + "/r/" + valid]).status == 200)
        #expect(try http(["POST", url + "/r/" + expired, "item=1", "action=done", "text=x"]).status == 403)
        #expect([0, 413].contains(try http(["BIG", health, "200000"]).status), "a 200 KB form is refused")
        #expect(try dudao(["status", "--format", "json"]).out == before)

        // Metrics, read by Prometheus' own parser.
        let metrics = try TestSupport.python(["Tests/Python/metrics_check.py", url + "/metrics"])
        let samples = try #require(metrics["samples"] as? [[Any]])
        func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
            let sample = samples.first { sample in
                let have = sample[1] as? [String: String] ?? [:]
                return (sample[0] as? String) == name && labels.allSatisfy { have[$0.key] == $0.value }
            }
            return sample?[2] as? Double
        }
        #expect(value("dudao_reports_total", ["action": "done_reported"]) == 1)
        #expect(value("dudao_reports_total", ["action": "extension_requested"]) == 1)
        #expect(value("dudao_items", ["light": "red"]) == 3, "all three items are overdue")
        #expect(value("dudao_work_units", ["state": "all"]) == 3 && value("dudao_work_units", ["state": "done"]) == 0, "the figures, as counts")
        #expect(value("dudao_agency_overdue", ["agency": "市财政局"]) == 1 && value("dudao_agency_units", ["agency": "市卫健委", "state": "all"]) == 2)
        #expect(value("dudao_outbox_pending") == 0 && value("dudao_dead_letters") == 0)
        #expect((value("dudao_next_wake_timestamp_seconds") ?? 0) > Date().timeIntervalSince1970 - 86400)
        #expect(value("dudao_build_info") == 1)
        #expect((metrics["types"] as? [String: String])?["dudao_reports"] == "counter")
    }
}
