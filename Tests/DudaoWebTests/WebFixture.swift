import Foundation
import Testing
import DudaoCore
import DudaoTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Schedules with three items (one titled with a script tag) for two agencies, a state
/// folder, a free port, and the ways the console's tests talk to `dudao`.
struct WebFixture {
    let port = TestSupport.freePort()
    let base: URL
    var schedules: URL { base.appendingPathComponent("Schedules") }
    var state: String { base.appendingPathComponent("state").path }
    var url: String { "http://127.0.0.1:\(port)" }

    init() throws {
        base = TestSupport.scratch("dudao-web")
        let dir = base.appendingPathComponent("Schedules")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: TestSupport.root.appendingPathComponent("Schedules/calendar"), to: dir.appendingPathComponent("calendar"))
        try FileManager.default.copyItem(at: TestSupport.root.appendingPathComponent("Templates"), to: base.appendingPathComponent("Templates"))
        func write(_ name: String, _ text: String) throws { try Data(text.utf8).write(to: dir.appendingPathComponent(name)) }
        try write("policy.yaml", "supervisor: 督查室\n")
        try write("agencies.yaml", """
            agencies:
              - name: 督查室
                contacts: [{name: 联络员, email: office@zhengzhou.example}]
              - name: 市卫健委
                contacts: [{name: 联络员, email: wjw@zhengzhou.example}]
              - name: 市财政局
                contacts: [{name: 联络员, email: czj@zhengzhou.example}]

            """)
        try write("list.yaml", """
            title: 测试清单
            items:
              - {id: "1", title: "<script>alert(1)</script>托育", lead: [市卫健委], due_text: "2025年12月"}
              - {id: "2", title: 互联网医院, lead: [市卫健委], due_text: "2025年12月"}
              - {id: "3", title: 财政事项, lead: [市财政局], due_text: "2025年12月"}

            """)
        try write("channels.yaml", "outbox_dir: \(base.appendingPathComponent("outbox").path)\n")
    }

    func dudao(_ args: [String]) throws -> TestSupport.Result {
        try TestSupport.run(TestSupport.dudao, args + ["--schedules", schedules.path, "--state-dir", state])
    }

    /// A command that reads only the state (`user`, `audit`): no `--schedules`.
    func stateCommand(_ args: [String]) throws -> TestSupport.Result {
        try TestSupport.run(TestSupport.dudao, args + ["--state-dir", state])
    }

    func http(_ args: [String]) throws -> (status: Int, body: String, headers: [String: String]) {
        let r = try TestSupport.python(["Tests/Python/http_request.py"] + args)
        return (r["status"] as? Int ?? 0, r["body"] as? String ?? "", r["headers"] as? [String: String] ?? [:])
    }

    /// The reply link in the text part of the email written for `agency`.
    func link(for agency: String) throws -> String {
        let day = try FileManager.default.contentsOfDirectory(atPath: base.appendingPathComponent("outbox").path).sorted().last!
        let folder = base.appendingPathComponent("outbox/\(day)")
        let eml = try FileManager.default.contentsOfDirectory(atPath: folder.path).first { $0.hasPrefix(agency) && $0.hasSuffix(".eml") }!
        let parsed = try TestSupport.python(["Tests/Python/email_check.py", folder.appendingPathComponent(eml).path])
        let text = parsed["text"] as? String ?? ""
        let line = text.split(separator: "\n").first { $0.hasPrefix(url + "/r/") }
        return String(try #require(line))
    }

    /// The link in `agency`'s email, signed again with the same key and format but valid
    /// through 2099: a server runs on the real clock, and a test's links must not expire
    /// with the calendar (the messages were sent on a fixed `--now`).
    func liveLink(for agency: String) throws -> String {
        let link = try link(for: agency)
        var payload = String(link.dropFirst((url + "/r/").count).split(separator: ".")[0])
            .replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while payload.count % 4 != 0 { payload += "=" }
        let json = try #require(Data(base64Encoded: payload).flatMap { try JSONSerialization.jsonObject(with: $0) as? [String: Any] })
        let items = (json["i"] as? [String] ?? []).joined(separator: ",")
        let token = try TestSupport.python(["Tests/Python/reply_token.py", state + "/link.key", agency, items, "2099-12-31"])["token"] as! String
        return url + "/r/" + token
    }

    /// A day `days` after the real today, as the console's forms take it: a server runs on
    /// the real clock, so only the distance counts.
    static func later(_ days: Int) -> CivilDate {
        LocalClock(timeZone: TimeZone(identifier: "Asia/Shanghai")!).day(of: Date()).adding(days: days)
    }

    /// `dudao run --listen` on the fixture, answering /healthz; stop it with `stop`.
    func startServer(_ extra: [String] = []) throws -> Process {
        let server = Process()
        server.executableURL = URL(fileURLWithPath: TestSupport.dudao)
        server.arguments = ["run", "--schedules", schedules.path, "--state-dir", state, "--listen", "127.0.0.1:\(port)"] + extra
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        try server.run()
        _ = try http(["WAIT", url + "/healthz"])
        return server
    }

    func stop(_ server: Process) {
        kill(server.processIdentifier, SIGKILL)
        server.waitUntilExit()
    }

    /// The password the console's tests log in with.
    static let password = "正确的口令 Correct horse 9"

    /// `dudao user add NAME` with `password` (written to a file, as an operator would) and
    /// `role` (default: the command's, clerk).
    func addUser(_ name: String = "张三", password: String = WebFixture.password, role: String? = nil) throws -> TestSupport.Result {
        let file = base.appendingPathComponent("pw-\(UUID().uuidString.prefix(8))")
        try Data((password + "\n").utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        return try TestSupport.run(TestSupport.dudao, ["user", "add", name, "--password-file", file.path, "--state-dir", state] + (role.map { ["--role", $0] } ?? []))
    }

    /// Runs one SQL statement on the fixture's SQLite state (as someone with the file would).
    func sql(_ statement: String) throws {
        let r = try TestSupport.run("/usr/bin/env", ["python3", "-c", "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.executescript(sys.argv[2]); c.commit()",
                                                     state + "/dudao.sqlite", statement])
        #expect(r.status == 0, "\(r.err)")
    }

    /// Runs `steps` in one cookie-keeping session of `Tests/Python/office_client.py`; one page per step.
    func browse(_ steps: [[String: Any]]) throws -> [BrowsedPage] {
        let json = String(data: try JSONSerialization.data(withJSONObject: steps), encoding: .utf8)!
        let r = try TestSupport.run("/usr/bin/env", ["python3", TestSupport.root.appendingPathComponent("Tests/Python/office_client.py").path, url, json])
        #expect(r.status == 0, "\(r.err)")
        let pages = try #require(try JSONSerialization.jsonObject(with: r.data) as? [[String: Any]])
        return pages.map { BrowsedPage(status: $0["status"] as? Int ?? 0, body: $0["body"] as? String ?? "",
                                       headers: $0["headers"] as? [String: String] ?? [:]) }
    }

    static func get(_ path: String) -> [String: Any] { ["method": "GET", "path": path] }
    static func post(_ path: String, _ fields: [String: String]) -> [String: Any] { ["method": "POST", "path": path, "fields": fields] }
    /// The login page and its form, as `name`.
    static func login(_ name: String, password: String = WebFixture.password) -> [[String: Any]] {
        [get("/login"), post("/login", ["csrf": "@csrf", "name": name, "password": password])]
    }

    /// `dudao status --format json` rows.
    func status(_ extra: [String] = []) throws -> [[String: Any]] {
        let r = try dudao(["status", "--format", "json"] + extra)
        return try #require(try JSONSerialization.jsonObject(with: r.data) as? [[String: Any]])
    }
}

/// One page `WebFixture.browse` fetched.
struct BrowsedPage {
    let status: Int
    let body: String
    let headers: [String: String]
    var location: String { headers["Location"] ?? headers["location"] ?? "" }
}
