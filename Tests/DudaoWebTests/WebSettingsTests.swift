import Foundation
import Testing
import Crypto
import DudaoCore
import DudaoTestSupport
@testable import DudaoWeb

/// `web:` in Schedules/dudao.yaml: read with file and line, checked by `dudao check`, used
/// by `dudao run` under its options, and the link key from an environment variable.
struct WebSettingsTests {
    let f: WebFixture
    init() throws { f = try WebFixture() }

    func write(_ text: String) throws {
        try Data(text.utf8).write(to: f.schedules.appendingPathComponent("dudao.yaml"))
    }

    @Test func everySettingIsRead() throws {
        try write("""
            web:
              listen: "[::1]:8443"
              public_url: https://duban.example.gov.cn
              link_key: {env: DUDAO_LINK_KEY}
              previous_link_key: {credential: dudao-link-key-old}
              link_days: 30
              trust_user_header: X-Remote-User

            """)
        let (s, findings) = WebSettings.read(schedules: f.schedules.path)
        #expect(findings.list.isEmpty, "\(findings.list)")
        #expect(s.listen == "[::1]:8443" && WebSettings.bind(s.listen!)! == ("::1", 8443))
        #expect(s.publicURL == "https://duban.example.gov.cn" && s.linkDays == 30 && s.trustUserHeader == "X-Remote-User")
        #expect(s.linkKey == .environment("DUDAO_LINK_KEY") && s.previousLinkKey == .credential("dudao-link-key-old"))
        try FileManager.default.removeItem(at: f.schedules.appendingPathComponent("dudao.yaml"))
        try FileManager.default.copyItem(at: TestSupport.root.appendingPathComponent("Schedules/dudao.yaml.example"),
                                         to: f.schedules.appendingPathComponent("dudao.yaml"))
        let example = WebSettings.read(schedules: f.schedules.path)
        #expect(example.diagnostics.list.isEmpty && example.settings.listen == "127.0.0.1:8080", "the bundled example reads cleanly")
        let none = WebSettings.read(schedules: f.base.path)
        #expect(none.settings.listen == nil && none.settings.linkDays == 60 && none.diagnostics.list.isEmpty, "no file: no console")
    }

    @Test func mistakesAreNamedWithTheirLineAndCheckFails() throws {
        try write("""
            web:
              listen: 8080
              public_url: ftp://duban.example.gov.cn
              link_key: 0123456789abcdef0123456789abcdef
              link_days: 400
              trust_user_header: "X Remote User"
              port: 8080

            """)
        let lines = WebSettings.read(schedules: f.schedules.path).diagnostics.errors.map(\.problem.description)
        let file = f.schedules.appendingPathComponent("dudao.yaml").path
        for (line, words) in [(2, "HOST:PORT"), (3, "http or https"), (4, "must not be written in the file"), (5, "1–365"),
                              (6, "header name"), (7, "port")] {
            #expect(lines.contains { $0.hasPrefix("\(file):\(line):") && $0.contains(words) }, "line \(line): \(lines)")
        }
        #expect(!lines.joined().contains("0123456789abcdef"), "a secret written in the file is not repeated")
        let check = try TestSupport.run(TestSupport.dudao, ["check", "--schedules", f.schedules.path])
        #expect(check.status == 1 && check.out.contains("dudao.yaml:2:"))
        let run = try f.dudao(["run", "--once", "--now", "2026-11-30T10:00:00+08:00"])
        #expect(run.status == 1 && run.err.contains("dudao.yaml:2:"), "\(run.err)")
        #expect(!FileManager.default.fileExists(atPath: f.base.appendingPathComponent("outbox").path), "nothing sent")
    }

    /// The address and the key come from dudao.yaml and the environment: the email's link
    /// is signed with that key, and no key file is made.
    @Test func linksSignedWithAKeyFromTheEnvironment() throws {
        let key = "k3y-from-the-environment-0123456789-abcdef"
        try write("web: {public_url: \"\(f.url)\", link_key: {env: DUDAO_TEST_LINK_KEY}, link_days: 10}\n")
        let missing = try f.dudao(["run", "--once", "--now", "2026-11-30T10:00:00+08:00"])
        #expect(missing.status == 1 && missing.err.contains("environment variable DUDAO_TEST_LINK_KEY"), "\(missing.err)")
        let r = try TestSupport.run(TestSupport.dudao, ["run", "--once", "--now", "2026-11-30T10:00:00+08:00",
                                                        "--schedules", f.schedules.path, "--state-dir", f.state],
                                    environment: ["DUDAO_TEST_LINK_KEY": key + "\n"])
        #expect(r.status == 0, "\(r.err)")
        let link = try f.link(for: "市卫健委")
        let token = String(link.dropFirst((f.url + "/r/").count))
        let verified = try ReplyToken.verify(token, keys: [SymmetricKey(data: Data(key.utf8))], today: CivilDate(iso: "2026-11-30")!).get()
        #expect(verified.agency == "市卫健委" && verified.expires == CivilDate(iso: "2026-12-10")!, "link_days from the file")
        #expect(!FileManager.default.fileExists(atPath: f.state + "/link.key"))
        #expect(!r.err.contains(key) && !r.out.contains(key), "the key is never printed")
        let short = try TestSupport.run(TestSupport.dudao, ["run", "--once", "--now", "2026-11-30T10:00:00+08:00",
                                                            "--schedules", f.schedules.path, "--state-dir", f.state],
                                        environment: ["DUDAO_TEST_LINK_KEY": "short"])
        #expect(short.status == 1 && short.err.contains("shorter than 32 bytes") && !short.err.contains("short\n"))
    }

    /// The service listens where dudao.yaml says and trusts its SSO header; an option overrides the file.
    @Test func theServiceListensWhereTheFileSays() throws {
        try write("web: {listen: \"127.0.0.1:\(f.port)\", trust_user_header: X-Remote-User, trusted_proxies: [127.0.0.1]}\n")
        #expect(try f.addUser().status == 0)
        let server = Process()
        server.executableURL = URL(fileURLWithPath: TestSupport.dudao)
        server.arguments = ["run", "--schedules", f.schedules.path, "--state-dir", f.state]
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        try server.run()
        defer { f.stop(server) }
        _ = try f.http(["WAIT", f.url + "/healthz"])
        let steps = #"[{"method": "GET", "path": "/", "headers": {"X-Remote-User": "张三"}}]"#
        let r = try TestSupport.run("/usr/bin/env", ["python3", "Tests/Python/office_client.py", f.url, steps])
        let page = try #require(try JSONSerialization.jsonObject(with: r.data) as? [[String: Any]]).first
        #expect(page?["status"] as? Int == 200 && (page?["body"] as? String ?? "").contains("张三"), "the header named in dudao.yaml logs in")
        let bad = try f.dudao(["run", "--listen", "nowhere"])
        #expect(bad.status == 1 && bad.err.contains("--listen 应为 HOST:PORT"))
    }
}
