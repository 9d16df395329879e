import Foundation
import Testing
import DudaoTestSupport

/// The office's console over a real socket, driven by a cookie-keeping Python client:
/// login, sessions and form tokens, escaping, the agency's files, the review queue and
/// its decisions, the item's history, the API, throttling and a proxy's SSO header.
@Suite(.serialized)
struct OfficePageTests {
    let f: WebFixture
    init() throws { f = try WebFixture() }

    struct Page {
        let status: Int
        let body: String
        let headers: [String: String]
        let cookies: [String]
    }

    /// Runs `steps` in one browser session; one page per step.
    func browse(_ steps: [[String: Any]]) throws -> [Page] {
        let json = String(data: try JSONSerialization.data(withJSONObject: steps), encoding: .utf8)!
        let r = try TestSupport.run("/usr/bin/env", ["python3", "Tests/Python/office_client.py", f.url, json])
        #expect(r.status == 0, "\(r.err)")
        let pages = try #require(try JSONSerialization.jsonObject(with: r.data) as? [[String: Any]])
        return pages.map { Page(status: $0["status"] as? Int ?? 0, body: $0["body"] as? String ?? "",
                                headers: $0["headers"] as? [String: String] ?? [:], cookies: $0["cookies"] as? [String] ?? []) }
    }

    static func get(_ path: String, headers: [String: String] = [:]) -> [String: Any] { ["method": "GET", "path": path, "headers": headers] }
    static func post(_ path: String, _ fields: [String: String], files: [[String]] = []) -> [String: Any] {
        ["method": "POST", "path": path, "fields": fields, "files": files]
    }
    static var login: [[String: Any]] { [get("/login"), post("/login", ["csrf": "@csrf", "name": "张三", "password": "正确的口令 Correct horse 9"])] }

    func file(_ name: String, _ bytes: Data) throws -> String {
        let path = f.base.appendingPathComponent(name).path
        try bytes.write(to: URL(fileURLWithPath: path))
        return path
    }

    func user(_ args: [String]) throws -> TestSupport.Result {
        try TestSupport.run(TestSupport.dudao, ["user"] + args + ["--state-dir", f.state])
    }

    @Test func theOfficeReviewsWhatAnAgencyReports() throws {
        let password = try file("pw", Data("正确的口令 Correct horse 9\n".utf8))
        #expect(try user(["add", "张三", "--password-file", password]).status == 0)
        #expect(try user(["add", "王五", "--password-file", try file("short", Data("short\n".utf8))]).status == 1, "too short")
        for (weak, why) in [("aaaaaaaaaa", "同一字符"), ("          ", "同一字符"), ("abcdefghijk", "三类"), ("Wangwu-12345", "账号名"),
                            ("P@ssw0rd123", "过于常见"), ("正确的口令 correct horse", "三类")] {
            let r = try user(["add", "wangwu", "--password-file", try file("weak", Data((weak + "\n").utf8))])
            #expect(r.status == 1 && r.err.contains(why), "\(weak): \(r.err)")
        }
        #expect(try user(["list"]).out.hasPrefix("张三\t"))
        #expect(try f.dudao(["run", "--once", "--now", "2026-11-30T10:00:00+08:00", "--public-url", f.url]).status == 0)
        let link = try f.liveLink(for: "市卫健委")
        let server = try f.startServer(["--trust-user-header", "X-Remote-User", "--trusted-proxies", "127.0.0.1,::1"])
        defer { f.stop(server) }

        // Nothing without a login; a wrong password or a missing form token is refused.
        let anonymous = try browse([Self.get("/"), Self.get("/api/items"), Self.get("/review"),
                                    Self.get("/login"), Self.post("/login", ["csrf": "@csrf", "name": "张三", "password": "wrong password"]),
                                    Self.post("/login", ["name": "张三", "password": "正确的口令 Correct horse 9"])])
        #expect(anonymous[0].status == 303 && anonymous[0].headers["Location"] == "/login")
        #expect(anonymous[1].status == 401 && anonymous[2].status == 303)
        #expect(anonymous[4].status == 401 && anonymous[4].body.contains("用户名或密码错误"))
        #expect(anonymous[5].status == 403, "login without its form token")

        // Logged in: the 台账 escapes everything, filters, and is private.
        var pages = try browse(Self.login + [Self.get("/"), Self.get("/?agency=%E5%B8%82%E8%B4%A2%E6%94%BF%E5%B1%80"), Self.get("/items/1"),
                                             Self.get("/plan"), Self.get("/outbox"), Self.get("/api/items")])
        #expect(pages[1].status == 303)
        let session = try #require(pages[1].cookies.first { $0.hasPrefix("dudao_session=") })
        #expect(session.contains("HttpOnly") && session.contains("SameSite=Strict"))
        let board = pages[2]
        #expect(board.status == 200 && board.headers["Cache-Control"] == "no-store")
        #expect(board.headers["Content-Security-Policy"]?.contains("default-src 'none'") == true)
        #expect(board.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;托育") && !board.body.contains("<script"))
        #expect(board.body.contains("互联网医院") && board.body.contains("财政事项") && board.body.contains("红</span> 3"))
        #expect(pages[3].body.contains("财政事项") && !pages[3].body.contains("互联网医院"), "filtered by agency")
        #expect(pages[4].body.contains("核实") && !pages[4].body.contains("<script"), "the item's file shows the 核实 sent")
        #expect(pages[5].status == 200 && pages[6].status == 200 && !pages[5].body.contains("<script"))
        let api = try #require(try JSONSerialization.jsonObject(with: Data(pages[7].body.utf8)) as? [[String: Any]])
        #expect(api.count == 3 && api.first?["title"] as? String == "<script>alert(1)</script>托育")

        // The agency reports done with evidence; a disguised file and an oversized one are refused.
        let pdf = try file("方案.pdf", Data("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n".utf8))
        let fake = try file("fake.pdf", Data("<html><script>alert(1)</script></html>".utf8))
        let big = try file("big.pdf", Data("%PDF-1.4\n".utf8) + Data(count: 11 << 20))
        let before = try f.status()
        let refused = try browse([Self.post(link, ["item": "1", "action": "done", "text": "已完成"], files: [["files", "fake.pdf", fake]]),
                                  Self.post(link, ["item": "1", "action": "done", "text": "已完成"], files: [["files", "big.pdf", big]])])
        #expect(refused[0].status == 200 && refused[0].body.contains("类型不受支持或与扩展名不符"))
        #expect(refused[1].status == 200 && refused[1].body.contains("超过10 MB"), "an 11 MB file is refused")
        #expect(NSDictionary(dictionary: ["rows": try f.status()]) == NSDictionary(dictionary: ["rows": before]), "nothing recorded")
        let done = try browse([Self.post(link, ["item": "1", "action": "done", "text": "已出台方案"], files: [["files", "方案.pdf", pdf]])])
        #expect(done[0].status == 200 && done[0].body.contains("已收到报送") && done[0].body.contains("方案.pdf"))
        // Granted by the console on the real clock: a date after whatever today is.
        let asked = WebFixture.later(300)
        #expect(try f.dudao(["ack", "2", "--agency", "市卫健委", "--status", "extension_requested", "--due", asked.iso]).status == 0)

        // The review queue: a decision needs the form token, and a confirmation; a card that
        // is wrong says so beside itself and keeps what was typed; then 销号 turns the light
        // blue, and the extension is granted to the date asked for.
        func decide(_ item: String, _ decision: String, comment: String = "") -> [[String: Any]] {
            [Self.get("/review"),
             Self.post("/review", ["csrf": "@csrf", "item": item, "agency": "市卫健委", "report": "@report:\(item)", "decision": decision, "comment": comment]),
             Self.post("/review", ["csrf": "@csrf", "item": "@hidden:item", "agency": "@hidden:agency", "report": "@hidden:report",
                                   "decision": "@hidden:decision", "date": "@hidden:date", "comment": "@hidden:comment", "step": "confirm"])]
        }
        pages = try browse(Self.login + [Self.get("/review"),
                                         Self.post("/review", ["item": "1", "agency": "市卫健委", "decision": "confirm"]),
                                         Self.get("/review"),
                                         Self.post("/review", ["csrf": "@csrf", "item": "1", "agency": "市卫健委", "report": "@report:1",
                                                               "decision": "return", "comment": "  "])]
                           + decide("1", "confirm") + [Self.get("/review?decided=0")] + Array(decide("2", "approve").prefix(2)))
        #expect(try f.status().first { $0["id"] as? String == "2" }?["status"] as? String == "extension_requested", "nothing decided without its confirmation")
        #expect(pages[11].body.contains("决定：同意延期至\(asked.chinese)"))
        pages += try browse(Self.login + decide("2", "approve") + [Self.get("/items/1"), Self.get("/api/items/1")]).dropFirst(2)
        let queue = pages[2].body
        #expect(queue.contains("已出台方案") && queue.contains("方案.pdf") && queue.contains("申请延期"))
        #expect(pages[3].status == 403, "no form token")
        #expect(pages[5].status == 422 && pages[5].body.contains("<p class=\"error\" role=\"alert\">退回请填写意见。</p>"), "the error beside its card")
        #expect(pages[7].status == 200 && pages[7].body.contains("请确认审核决定") && pages[7].body.contains("决定：审核通过，予以销号"))
        #expect(pages[8].status == 303 && pages[8].headers["Location"]?.hasPrefix("/review?decided=") == true)
        #expect(pages[9].status == 200 && !pages[9].body.contains("已记录"), "no line for a row that is no decision")
        #expect(pages[14].status == 303)
        let afterDecisions = try browse(Self.login + [Self.get(pages[8].headers["Location"]!), Self.get("/review")])
        #expect(afterDecisions[2].body.contains("已记录：事项1（市卫健委）审核通过，予以销号。"), "\(afterDecisions[2].body)")
        #expect(afterDecisions[3].body.contains("同意延期至\(asked.chinese)") && afterDecisions[3].body.contains("没有待审核的报送"))
        let rows = try f.status()
        #expect(rows.first { $0["id"] as? String == "1" }?["light"] as? String == "blue")
        #expect(rows.first { $0["id"] as? String == "1" }?["status"] as? String == "done")
        #expect(rows.first { $0["id"] as? String == "2" }?["extended_to"] as? String == asked.iso)
        let told = try f.http(["GET", link]).body
        #expect(told.contains("督查室审核意见") && told.contains("审核通过，予以销号") && told.contains("同意延期"), "the agency's link shows the decisions")
        let history = pages[15].body
        #expect(history.contains("督查室·张三") && history.contains("审核通过，予以销号") && history.contains("市卫健委（在线报送，127.0.0.1"))
        let href = try #require(history.range(of: "/files/[0-9a-f]{64}", options: .regularExpression).map { String(history[$0]) })
        let item = try #require(try JSONSerialization.jsonObject(with: Data(pages[16].body.utf8)) as? [String: Any])
        #expect((item["reports"] as? [[String: Any]])?.map { $0["status"] as? String } == ["done_reported", "done"])
        let download = try browse(Self.login + [Self.get(href)])[2]
        #expect(download.status == 200 && download.body.hasPrefix("%PDF-1.4") && download.headers["Content-Disposition"]?.hasPrefix("attachment;") == true)

        // Guessing passwords: five failures for this name from this address (the count
        // started again at the last login) and it waits, even with the right password.
        let guesses = try browse([Self.get("/login")] + (0..<6).map { _ in
            Self.post("/login", ["csrf": "@csrf", "name": "张三", "password": "guess guess guess"])
        } + [Self.post("/login", ["csrf": "@csrf", "name": "张三", "password": "正确的口令 Correct horse 9"])])
        #expect(guesses[1...5].allSatisfy { $0.status == 401 } && guesses[6...7].allSatisfy { $0.status == 429 }, "\(guesses.map(\.status))")
        #expect(Int(guesses[7].headers["Retry-After"] ?? "") ?? 0 > 0)

        // A reverse proxy's authenticated user: an account logs in; anybody else does not.
        let sso = try browse([Self.get("/", headers: ["X-Remote-User": "张三"]), Self.get("/", headers: ["X-Remote-User": "陌生人"])])
        #expect(sso[0].status == 200 && sso[0].body.contains("督办台账"))
        #expect(sso[1].status == 303)

        // Logging out ends the session.
        let out = try browse([Self.get("/", headers: ["X-Remote-User": "张三"]), Self.post("/logout", ["csrf": "@csrf"]), Self.get("/")])
        #expect(out[1].status == 303 && out[2].status == 303)
    }
}

/// The same loop in headless Chromium: what an office clerk and an agency's liaison do.
/// Screenshots land in `.build/screenshots/`.
@Suite(.serialized)
struct ConsoleBrowserTests {
    @Test func aDoneReportTurnsTheLightBlueInABrowser() throws {
        let f = try WebFixture()
        #expect(try f.addUser().status == 0)
        #expect(try f.dudao(["run", "--once", "--now", "2026-11-30T10:00:00+08:00", "--public-url", f.url]).status == 0)
        let link = try f.liveLink(for: "市卫健委")
        let pdf = f.base.appendingPathComponent("方案.pdf")
        try Data("%PDF-1.4\n%%EOF\n".utf8).write(to: pdf)
        let server = try f.startServer()
        defer { f.stop(server) }

        let out = TestSupport.root.appendingPathComponent(".build/screenshots").path
        let seen = try TestSupport.python(["Tests/Python/console_browser.py", f.url, link, "张三", "正确的口令 Correct horse 9", pdf.path, out])
        #expect((seen["login_url"] as? String)?.hasSuffix("/login") == true, "the dashboard asks for a login first")
        #expect(seen["dashboard_title"] as? String == "督办台账 · 督办")
        #expect(seen["alert_escaped"] as? Bool == true, "the script tag is shown as text")
        #expect(seen["light_before"] as? String == "红")
        #expect(seen["reply_title"] as? String == "在线报送")
        #expect((seen["receipt"] as? String)?.contains("已收到报送") == true && (seen["receipt"] as? String)?.contains("方案.pdf") == true)
        #expect((seen["review_card"] as? String)?.contains("郑卫〔2026〕8号") == true)
        #expect((seen["confirmation"] as? String)?.contains("决定：审核通过，予以销号") == true, "a confirmation before anything is recorded")
        #expect((seen["decision"] as? String)?.contains("已记录：事项1（市卫健委）审核通过，予以销号") == true)
        #expect(seen["light_after"] as? String == "蓝")
        #expect((seen["narrow_scroll_width"] as? Int ?? 9999) <= 400, "the item page fits a phone's width")
        #expect((seen["console_errors"] as? [String])?.isEmpty == true, "\(seen["console_errors"] ?? "")")
        for shot in ["2-dashboard", "4-receipt", "6-dashboard-after"] {
            #expect(FileManager.default.fileExists(atPath: out + "/\(shot).png"))
        }
    }
}
