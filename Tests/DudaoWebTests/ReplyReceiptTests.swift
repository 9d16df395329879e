import Foundation
import Testing
import DudaoCore
import DudaoMessages
import DudaoSchedules
import DudaoStore
import DudaoTestSupport
@testable import DudaoWeb

/// What a liaison sees and what is recorded: one report per form however often it is
/// posted, a receipt in words with every date promised, the agency's own reports when the
/// link is opened again, done reports without evidence marked for the reviewer (or refused
/// when the policy wants evidence), and no report on work the office closed.
@Suite(.serialized)
struct ReplyReceiptTests {
    let f: WebFixture
    init() throws { f = try WebFixture() }

    func submissionID(_ page: String) throws -> String {
        let range = try #require(page.range(of: "name=\"submission\" value=\"[0-9a-f]{32}\"", options: .regularExpression))
        return String(page[range].dropFirst("name=\"submission\" value=\"".count).dropLast())
    }

    @Test func aFormRecordsOnceAndTheLinkShowsWhatWasReported() throws {
        #expect(try f.dudao(["run", "--once", "--now", "2026-11-30T10:00:00+08:00", "--public-url", f.url, "--link-days", "365"]).status == 0)
        let health = try f.liveLink(for: "市卫健委")
        let server = try f.startServer()
        defer { f.stop(server) }
        let form = try f.http(["GET", health]).body
        let id = try submissionID(form)
        #expect(try submissionID(try f.http(["GET", health]).body) != id, "each page its own id")

        // A double tap, a refresh, twenty at once: one record, the first receipt every time.
        let next = WebFixture.later(40).iso
        let burst = try TestSupport.python(["Tests/Python/http_request.py", "BURST", health, "20", "item=2", "action=progress",
                                            "text=已完成平台招标", "next_report=\(next)", "submission=\(id)"])
        let statuses = try #require(burst["statuses"] as? [Int]), bodies = try #require(burst["bodies"] as? [String])
        #expect(statuses.allSatisfy { $0 == 200 }, "\(statuses)")
        func number(_ body: String) -> String? {
            body.range(of: "回执编号：<strong>[0-9]{8}-[0-9]+", options: .regularExpression).map { String(body[$0]) }
        }
        #expect(Set(bodies.map(number)).count == 1 && number(bodies[0]) != nil, "one receipt number")
        #expect(bodies.filter { $0.contains("此报送此前已提交，未重复记录") }.count == 19)
        let store = try StateStore(directory: f.state)
        #expect(try store.history(item: "2").count == 1, "one record for one submission id")
        let receipt = bodies[0]
        let promised = CivilDate(iso: next)!.chinese
        #expect(receipt.contains("下次报送日期：\(promised)"), "the receipt repeats the date promised")
        #expect(receipt.range(of: "于<strong>20[0-9]{2}年[0-9]{1,2}月[0-9]{1,2}日 [0-9]{2}:[0-9]{2}</strong>", options: .regularExpression) != nil, "\(receipt)")
        #expect(!receipt.contains("+08:00"), "no machine time in a receipt")

        // A done report without a file: accepted, marked for the reviewer and in the report.
        let done = try f.http(["POST", health, "item=1", "action=done", "text=已完成", "submission=\(try submissionID(try f.http(["GET", health]).body))"]).body
        #expect(done.contains("已收到报送") && done.contains("未附佐证材料"))
        let set = ScheduleSet.load(f.schedules.path)
        let desk = OfficeDesk(store: store, schedules: { set }, templates: try TemplateSet(directory: f.base.appendingPathComponent("Templates").path))
        let review = try desk.review.page(viewer: Viewer(user: "张三", csrf: "x", role: .clerk), now: Date())
        #expect(review.contains("<p class=\"flag\">未附佐证材料</p>"))
        // Tomorrow's report covers everything until its send time, whatever the hour now.
        let report = try f.dudao(["report", "--format", "text", "--now", WebFixture.later(1).iso]).out
        #expect(report.contains("报告已完成——已完成（未附佐证材料）〔待审核〕") && report.contains("，未附佐证材料"), "\(report)")

        // Reopened, the link lists what the agency reported, with the office's decision.
        try desk.review.decide(item: "1", agency: "市卫健委", .giveBack, comment: "请补充方案文件", user: "张三", now: Date())
        let reopened = try f.http(["GET", health]).body
        #expect(reopened.contains("本单位已报送1次") && reopened.contains("报告已完成：已完成") && reopened.contains("审核：退回，请继续办理（请补充方案文件）"), "\(reopened)")
        #expect(reopened.contains("报送进展：已完成平台招标；下次报送日期：\(promised)"))

        // Closed work stays closed for the link.
        let again = try f.http(["POST", health, "item=1", "action=done", "text=补充材料", "submission=\(try submissionID(reopened))"]).body
        #expect(again.contains("已收到报送"))
        try desk.review.decide(item: "1", agency: "市卫健委", .confirm, user: "张三", now: Date())
        let before = try store.history(item: "1").count
        let refused = try f.http(["POST", health, "item=1", "action=progress", "text=又有进展", "submission=\(try submissionID(reopened))"]).body
        #expect(refused.contains("事项1已销号或已撤销，不能再报送"), "\(refused)")
        #expect(try store.history(item: "1").count == before, "nothing recorded on closed work")
        #expect(try f.http(["GET", health]).body.contains("此事项已办结，不再接受报送"))
    }

    @Test func aPolicyCanRequireEvidence() throws {
        try Data("supervisor: 督查室\nreview: {require_evidence: true, withdraw_within: 12h}\n".utf8)
            .write(to: f.schedules.appendingPathComponent("policy.yaml"))
        #expect(try f.dudao(["check", "--now", "2026-11-30T10:00:00+08:00"]).status == 0)
        #expect(try f.dudao(["run", "--once", "--now", "2026-11-30T10:00:00+08:00", "--public-url", f.url, "--link-days", "365"]).status == 0)
        let health = try f.liveLink(for: "市卫健委")
        let server = try f.startServer()
        defer { f.stop(server) }
        let form = try f.http(["GET", health]).body
        #expect(form.contains("须附佐证材料"))
        let refused = try f.http(["POST", health, "item=1", "action=done", "text=已完成", "submission=\(try submissionID(form))"]).body
        #expect(refused.contains("报告已完成须附佐证材料") && !refused.contains("已收到报送"))
        #expect(try StateStore(directory: f.state).history().isEmpty)
        try Data("supervisor: 督查室\nreview: {withdraw_within: 31d}\n".utf8).write(to: f.schedules.appendingPathComponent("policy.yaml"))
        let bad = try f.dudao(["check", "--now", "2026-11-30T10:00:00+08:00"])
        #expect(bad.status == 1 && bad.out.contains("policy.yaml:2") && bad.out.contains("withdraw_within"), "\(bad.out)\(bad.err)")
    }
}

/// The office's pages word things one way: no placeholder date in a filter, a plan that
/// names whom a copy goes to and what each message is about.
struct OfficeWordingTests {
    @Test func filtersAndThePlanSayWhatTheyMean() throws {
        let f = try WebFixture()
        try Data("supervisor: 督查室\noverdue:\n  levels:\n    - {level: 1, name: 督办, cc: [leadership]}\n".utf8)
            .write(to: f.schedules.appendingPathComponent("policy.yaml"))
        #expect(try f.dudao(["ack", "2", "--agency", "市卫健委", "--status", "extension_requested", "--due", "2031-03-31", "--now", "2026-12-01T10:00"]).status == 0)
        let store = try StateStore(directory: f.state)
        let set = ScheduleSet.load(f.schedules.path)
        let desk = OfficeDesk(store: store, schedules: { set }, templates: try TemplateSet(directory: f.base.appendingPathComponent("Templates").path))
        let now = LocalClock(timeZone: TimeZone(identifier: "Asia/Shanghai")!).parse("2026-12-04T10:00:00+08:00")!
        let board = try desk.dashboard(.init(), viewer: Viewer(user: "张三", csrf: "x", role: .clerk), now: now)
        #expect(!board.contains("2000年") && board.contains(">申请延期，待审核</option>") && board.contains(">已延期</option>"))
        #expect(board.contains("申请延期至2031年3月31日，待审核"))
        let review = try desk.review.page(viewer: Viewer(user: "张三", csrf: "x", role: .clerk), now: now)
        #expect(review.components(separatedBy: "2031年3月31日").count == 2, "the date once on the card: \(review)")
        // The plan a day at a time, over the month ahead.
        let start = CivilDate(iso: "2026-12-05")!
        let plan = try (0..<30).map { try desk.plan(viewer: Viewer(user: "张三", csrf: "x", role: .clerk), now: now, day: start.adding(days: $0).iso) }
            .joined()
        #expect(plan.contains("市卫健委分管领导") && !plan.contains("<td>市卫健委</td></tr>"), "who is copied")
        #expect(plan.contains("事项3</a> 财政事项"), "what each message is about")
    }
}

/// A forged link costs the console nothing: twenty 50 MB posts to it at once are refused
/// from the URL alone, before their bodies are read, and the process does not grow.
@Suite(.serialized)
struct ForgedLinkPostTests {
    @Test func bigPostsToABadLinkAreRefusedUnread() throws {
        let f = try WebFixture()
        let server = try f.startServer()
        defer { f.stop(server) }
        func peak() throws -> Int {
            let status = try String(contentsOfFile: "/proc/\(server.processIdentifier)/status", encoding: .utf8)
            let line = try #require(status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") })
            return Int(line.split(separator: " ", omittingEmptySubsequences: true)[1])! / 1024
        }
        let before = try peak()
        let r = try TestSupport.python(["Tests/Python/big_posts.py", "127.0.0.1", "\(f.port)", "/r/x.y", "20", "\(50 << 20)"])
        let statuses = try #require(r["statuses"] as? [Int]), sent = try #require(r["sent"] as? [Int])
        #expect(statuses.allSatisfy { $0 == 403 }, "\(statuses)")
        #expect(sent.allSatisfy { $0 < 50 << 20 }, "no body was read to its end: \(sent)")
        let after = try peak()
        #expect(after < max(100, before + 30), "peak RSS \(after) MB (before \(before) MB)")
        #expect(try f.http(["GET", f.url + "/healthz"]).status == 200)
    }
}

/// Slow clients — a byte every half second, never finishing the head — are dropped after
/// `web.header_timeout`, which the idle timeout alone would never do; the console answers
/// meanwhile.
@Suite(.serialized)
struct SlowClientTests {
    @Test func aTricklingHeadIsDropped() throws {
        let f = try WebFixture()
        try Data("web: {idle_timeout: 30s, header_timeout: 2s}\n".utf8).write(to: f.schedules.appendingPathComponent("dudao.yaml"))
        let server = try f.startServer()
        defer { f.stop(server) }
        let r = try TestSupport.python(["Tests/Python/slow_clients.py", "127.0.0.1", "\(f.port)", "50", "8"])
        let closed = try #require(r["closed_after"] as? [Double])
        #expect(closed.count == 50, "every slow client was closed by the server: \(closed.count)")
        #expect(closed.allSatisfy { $0 >= 1.5 && $0 < 5 }, "after the 2 s header timeout: \(closed.sorted().prefix(3)) … \(closed.sorted().suffix(3))")
        #expect(try #require(r["health_worst_ms"] as? Double) < 1000, "the console answered meanwhile")
    }
}

/// Valid posts with files are streamed: each file goes to a temporary file of its own as it
/// arrives and is gone afterwards, whatever became of the post. (How little memory ten large
/// posts at once take is measured by `make bench` on the release build: the tests run an
/// unoptimised one, whose multipart parser reads about 2 MB a second.)
@Suite(.serialized)
struct StreamedUploadTests {
    @Test func uploadsAreSpooledAndCleanedUp() throws {
        let f = try WebFixture()
        #expect(try f.dudao(["run", "--once", "--now", "2026-11-30T10:00:00+08:00", "--public-url", f.url]).status == 0)
        let link = try f.liveLink(for: "市卫健委")
        let server = try f.startServer()
        defer { f.stop(server) }
        let r = try TestSupport.python(["Tests/Python/upload_posts.py", link, "\(server.processIdentifier)", "3", "2", "\(1 << 20)", "2"])
        let statuses = try #require(r["statuses"] as? [Int])
        #expect(statuses == [200, 200, 200], "\(statuses)")
        let kept = try FileManager.default.contentsOfDirectory(atPath: f.state + "/attachments").filter { !$0.hasPrefix(".") }
        #expect(kept.count == 6, "every file kept once: \(kept)")
        for name in kept {
            let size = try FileManager.default.attributesOfItem(atPath: f.state + "/attachments/" + name)[.size] as? Int
            #expect(size == 1 << 20, "\(name) whole")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: f.state + "/attachments/.incoming").isEmpty, "nothing left spooled")
        let api = try f.stateCommand(["audit", "list", "--action", "reply.submit"]).out
        #expect(api.split(separator: "\n").count == 3, "each submission is in the audit trail:\n\(api)")
    }
}

/// Reports arriving together are one replan: the clock is woken once for a burst, not once
/// per report (`dudao_wakes_total` in /metrics).
@Suite(.serialized)
struct ReplanBurstTests {
    @Test func aBurstOfReportsSharesItsWakes() throws {
        let f = try WebFixture()
        #expect(try f.dudao(["run", "--once", "--now", "2026-11-30T10:00:00+08:00", "--public-url", f.url, "--link-days", "365"]).status == 0)
        _ = try f.link(for: "市卫健委")   // the run wrote its messages and the link key
        let server = try f.startServer(["--public-url", f.url])
        defer { f.stop(server) }
        func wakes() throws -> Double {
            let metrics = try TestSupport.python(["Tests/Python/metrics_check.py", f.url + "/metrics"])
            let samples = try #require(metrics["samples"] as? [[Any]])
            return samples.first { ($0[0] as? String) == "dudao_wakes_total" }?[2] as? Double ?? 0
        }
        Thread.sleep(forTimeInterval: 1)
        let before = try wakes()
        // Four links (a post limit holds per link), 25 reports on each, as fast as they come.
        let key = f.state + "/link.key"
        for day in 1...4 {
            let token = try TestSupport.python(["Tests/Python/reply_token.py", key, "市卫健委", "1,2", "2099-01-0\(day)"])["token"] as! String
            let burst = try TestSupport.python(["Tests/Python/http_request.py", "BURSTNEW", f.url + "/r/" + token, "25", "item=2", "action=progress", "text=进展"])
            #expect((burst["statuses"] as? [Int])?.allSatisfy { $0 == 200 } == true)
        }
        #expect(try StateStore(directory: f.state).history(item: "2").count == 100, "every report recorded")
        Thread.sleep(forTimeInterval: 1)
        let woken = try wakes() - before
        #expect(woken >= 1 && woken <= 20, "100 reports woke the clock \(woken) times")

        // The 31st post on one link within ten minutes waits.
        let one = try TestSupport.python(["Tests/Python/reply_token.py", key, "市卫健委", "1,2", "2099-01-01"])["token"] as! String
        let posts = try TestSupport.python(["Tests/Python/http_request.py", "BURSTNEW", f.url + "/r/" + one, "6", "item=2", "action=progress", "text=进展"])
        let statuses = try #require(posts["statuses"] as? [Int])
        #expect(statuses.filter { $0 == 200 }.count == 5 && statuses.filter { $0 == 429 }.count == 1, "\(statuses)")
        #expect(try StateStore(directory: f.state).history(item: "2").count == 105, "the refused post recorded nothing")
    }
}

/// The outbox's files and the agencies' attachments hold credentials and the agencies'
/// papers: they live in the state folder, readable by the service's user alone.
struct StateFilesTests {
    func mode(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int ?? 0) & 0o777
    }

    @Test func theOutboxAndAttachmentsAreTheServicesAlone() throws {
        let f = try WebFixture()
        try FileManager.default.removeItem(at: f.schedules.appendingPathComponent("channels.yaml"))
        let cwd = TestSupport.scratch("dudao-cwd")
        let r = try TestSupport.run(TestSupport.dudao, ["run", "--once", "--now", "2026-11-30T10:00:00+08:00", "--public-url", f.url,
                                                        "--schedules", f.schedules.path, "--state-dir", f.state], cwd: cwd)
        #expect(r.status == 0, "\(r.err)")
        #expect(!FileManager.default.fileExists(atPath: cwd.appendingPathComponent("var").path), "nothing beside the working directory")
        let day = f.state + "/outbox/2026-11-30"
        let files = try FileManager.default.contentsOfDirectory(atPath: day)
        #expect(files.contains { $0.hasSuffix(".eml") } && files.contains { $0.hasSuffix(".json") })
        for name in files { #expect(try mode(day + "/" + name) == 0o600, "\(name)") }
        #expect(try mode(day) == 0o700 && mode(f.state + "/outbox") == 0o700)

        let attachments = AttachmentStore(stateDirectory: f.state)
        let saved = try attachments.save(filename: "方案.pdf", data: Data("%PDF-1.4\n%%EOF\n".utf8))
        #expect(try mode(attachments.path(saved.sha256)) == 0o600 && mode(attachments.directory) == 0o700)

        try Data("outbox_dir: \(f.base.appendingPathComponent("elsewhere").path)\n".utf8).write(to: f.schedules.appendingPathComponent("channels.yaml"))
        let check = try f.dudao(["check", "--now", "2026-11-30T10:00:00+08:00"])
        #expect(check.status == 0 && check.out.contains("is outside the state folder"), "\(check.out)")
        try Data("outbox_dir: \(f.state)/outbox\n".utf8).write(to: f.schedules.appendingPathComponent("channels.yaml"))
        #expect(!(try f.dudao(["check", "--now", "2026-11-30T10:00:00+08:00"]).out.contains("outside the state folder")))
    }
}

/// Guessing at the login: every attempt is counted before its password is checked, so a
/// burst gets exactly the limit checked; the rest are told when to come back; and the real
/// user, from another address, still gets in — nobody can lock an account.
@Suite(.serialized)
struct LoginBurstTests {
    @Test func aBurstGetsTheLimitAndTheUserStillGetsIn() throws {
        let f = try WebFixture()
        // 200 connections at once from one address: above the per-address connection cap,
        // which would drop them before the login throttle this test is about.
        try Data("web: {max_connections_per_client: 1000}\n".utf8).write(to: f.schedules.appendingPathComponent("dudao.yaml"))
        #expect(try f.addUser().status == 0)
        let server = try f.startServer()
        defer { f.stop(server) }
        func burst(_ n: Int, _ password: String, from source: String) throws -> (statuses: [Int], retry: [String?]) {
            let r = try TestSupport.python(["Tests/Python/login_burst.py", "127.0.0.1", "\(f.port)", "\(n)", "张三", password, source])
            return (r["statuses"] as? [Int] ?? [], (r["retry_after"] as? [Any] ?? []).map { $0 as? String })
        }
        let guesses = try burst(200, "guess guess guess", from: "127.0.0.1")
        #expect(guesses.statuses.filter { $0 == 401 }.count == LoginThrottleLimit.limit, "exactly the limit checked: \(guesses.statuses.sorted())")
        #expect(guesses.statuses.filter { $0 == 429 }.count == 200 - LoginThrottleLimit.limit)
        #expect(zip(guesses.statuses, guesses.retry).allSatisfy { $0.0 != 429 || Int($0.1 ?? "") ?? 0 > 0 }, "429 says when to come back")
        let attacker = try burst(1, "正确的口令 Correct horse 9", from: "127.0.0.1")
        #expect(attacker.statuses == [429], "the guessing address waits, right password or not")
        let user = try burst(1, "正确的口令 Correct horse 9", from: "127.0.0.2")
        #expect(user.statuses == [303], "the real user, elsewhere, gets in")
    }
}

enum LoginThrottleLimit { static let limit = 5 }

/// A new password ends every session the old one opened.
@Suite(.serialized)
struct PasswordChangeTests {
    @Test func aNewPasswordEndsTheSessions() throws {
        let f = try WebFixture()
        #expect(try f.addUser().status == 0)
        let server = try f.startServer()
        defer { f.stop(server) }
        let login: [[String: Any]] = [["method": "GET", "path": "/login"],
                                      ["method": "POST", "path": "/login", "fields": ["csrf": "@csrf", "name": "张三", "password": "正确的口令 Correct horse 9"]]]
        let steps = try JSONSerialization.data(withJSONObject: login + [["method": "GET", "path": "/"]])
        let pages = try TestSupport.run("/usr/bin/env", ["python3", TestSupport.root.appendingPathComponent("Tests/Python/office_client.py").path, f.url,
                                                         String(decoding: steps, as: UTF8.self)])
        let first = try #require(try JSONSerialization.jsonObject(with: pages.data) as? [[String: Any]])
        let cookie = try #require((first[1]["cookies"] as? [String])?.first { $0.hasPrefix("dudao_session=") }).split(separator: ";")[0]
        #expect(first[2]["status"] as? Int == 200)
        let changed = try f.addUser(password: "另一个口令 Another horse 8")
        #expect(changed.status == 0 && changed.out.contains("ended 1 session"), "\(changed.out)")
        let after = try JSONSerialization.data(withJSONObject: [["method": "GET", "path": "/", "headers": ["Cookie": String(cookie)]]])
        let again = try TestSupport.run("/usr/bin/env", ["python3", TestSupport.root.appendingPathComponent("Tests/Python/office_client.py").path, f.url,
                                                         String(decoding: after, as: UTF8.self)])
        let page = try #require(try JSONSerialization.jsonObject(with: again.data) as? [[String: Any]])
        #expect(page[0]["status"] as? Int == 303, "the old session is over")
    }
}

/// Files are what they say beyond their first bytes, and a post refused for one file keeps
/// none of its others.
struct AttachmentCheckTests {
    @Test func filesAreCheckedWholeAndARefusedPostLeavesNothing() throws {
        let pdf = Data("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n".utf8)
        #expect(AttachmentStore.type(of: pdf, named: "a.pdf") == "pdf")
        #expect(AttachmentStore.type(of: Data("%PDF-<html><script>alert(1)</script></html>".utf8), named: "a.pdf") == nil, "a PDF head on a page")
        let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13]) + Data("IHDR".utf8) + Data(count: 17)
            + Data([0, 0, 0, 0]) + Data("IEND".utf8) + Data([0xAE, 0x42, 0x60, 0x82])
        #expect(AttachmentStore.type(of: png, named: "a.png") == "png")
        #expect(AttachmentStore.type(of: png.prefix(20) + Data("<html>".utf8), named: "a.png") == nil)
        #expect(AttachmentStore.type(of: Data([0xFF, 0xD8, 0xFF, 0xE0]) + Data(count: 100) + Data([0xFF, 0xD9]), named: "a.jpg") == "jpeg")
        #expect(AttachmentStore.type(of: Data([0xFF, 0xD8, 0xFF, 0xE0]) + Data("<html>".utf8) + Data(count: 100), named: "a.jpg") == nil)
        #expect(AttachmentStore.type(of: Data([0x50, 0x4B, 0x03, 0x04]) + Data("word/document.xml".utf8), named: "a.docx") == nil, "no [Content_Types].xml")

        // The reply form with a good file beside a bad one: refused, nothing kept.
        let f = try WebFixture()
        #expect(try f.dudao(["run", "--once", "--now", "2026-11-30T10:00:00+08:00", "--public-url", f.url, "--link-days", "365"]).status == 0)
        let token = String(try f.link(for: "市卫健委").split(separator: "/").last!)
        let store = try StateStore(directory: f.state)
        let set = ScheduleSet.load(f.schedules.path)
        let keys = ReplyKeys(current: try ReplyKeys.key(file: f.state + "/link.key", create: false))
        let attachments = AttachmentStore(stateDirectory: f.state)
        let desk = ReplyDesk(store: store, keys: keys, schedules: { set }, templates: try TemplateSet(directory: f.base.appendingPathComponent("Templates").path),
                             attachments: attachments, onReport: {})
        let page = desk.submit(token: token, form: ReplyForm(item: "1", action: "done", text: "已完成"),
                               files: [("方案.pdf", pdf), ("假.pdf", Data("%PDF-<html>".utf8))], client: "127.0.0.1",
                               now: LocalClock(timeZone: TimeZone(identifier: "Asia/Shanghai")!).parse("2026-12-01T10:00:00+08:00")!)
        guard case .form(let html) = page else { Issue.record("recorded: \(page)"); return }
        #expect(html.contains("假.pdf") && html.contains("类型不受支持"))
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: attachments.directory)) ?? []).isEmpty, "the good file was not kept either")
        #expect(try store.history().isEmpty)

        // An agency's files are bounded in all: past its quota a post with files is refused.
        let small = AttachmentStore(stateDirectory: f.state, agencyQuota: pdf.count + 10)
        let quoted = ReplyDesk(store: store, keys: keys, schedules: { set }, templates: try TemplateSet(directory: f.base.appendingPathComponent("Templates").path),
                               attachments: small, onReport: {})
        let at = LocalClock(timeZone: TimeZone(identifier: "Asia/Shanghai")!).parse("2026-12-01T11:00:00+08:00")!
        guard case .receipt = quoted.submit(token: token, form: ReplyForm(item: "1", action: "done", text: "已完成"), files: [("方案.pdf", pdf)],
                                            client: "127.0.0.1", now: at) else { Issue.record("the first file fits"); return }
        #expect(try store.attachedBytes(agency: "市卫健委") == pdf.count)
        let second = pdf + Data("%%EOF\n".utf8)
        guard case .form(let over) = quoted.submit(token: token, form: ReplyForm(item: "2", action: "done", text: "已完成"), files: [("二.pdf", second)],
                                                   client: "127.0.0.1", now: at) else { Issue.record("over the quota"); return }
        #expect(over.contains("MB上限"))
        #expect(try store.history(item: "2").isEmpty)
    }
}

/// `X-Forwarded-For` and the SSO header are believed only from the proxies named in
/// `web.trusted_proxies` (default none): any local process could send them.
@Suite(.serialized)
struct TrustedProxyTests {
    @Test func headersFromAnUntrustedPeerAreIgnored() throws {
        let f = try WebFixture()
        #expect(try f.addUser().status == 0)
        #expect(try f.dudao(["run", "--once", "--now", "2026-11-30T10:00:00+08:00", "--public-url", f.url, "--link-days", "365"]).status == 0)
        let health = try f.liveLink(for: "市卫健委")
        let server = try f.startServer(["--trust-user-header", "X-Remote-User"])
        defer { f.stop(server) }
        let steps = try JSONSerialization.data(withJSONObject: [["method": "GET", "path": "/", "headers": ["X-Remote-User": "张三"]]])
        let r = try TestSupport.run("/usr/bin/env", ["python3", TestSupport.root.appendingPathComponent("Tests/Python/office_client.py").path, f.url,
                                                     String(decoding: steps, as: UTF8.self)])
        let pages = try #require(try JSONSerialization.jsonObject(with: r.data) as? [[String: Any]])
        #expect(pages[0]["status"] as? Int == 303, "no SSO from a peer nobody trusted")
        #expect(try f.http(["FORWARDED", health, "item=2", "action=progress", "text=经代理报送"]).status == 200)
        let by = try StateStore(directory: f.state).history(item: "2").last?.by ?? ""
        #expect(by.contains("127.0.0.1") && !by.contains("203.0.113.7"), "\(by)")
        let bad = try f.dudao(["run", "--once", "--now", "2026-11-30T10:00:00+08:00", "--public-url", f.url, "--trusted-proxies", "localhost"])
        #expect(bad.status == 1 && bad.err.contains("trusted_proxies"), "\(bad.err)")
    }
}

/// A flood of silent connections: the console keeps at most `max_connections` of them and
/// closes each after `idle_timeout`, then answers again.
@Suite(.serialized)
struct ConnectionFloodTests {
    @Test func silentConnectionsAreCappedAndTimedOut() throws {
        let f = try WebFixture()
        try Data("web: {max_connections: 40, idle_timeout: 2s}\n".utf8).write(to: f.schedules.appendingPathComponent("dudao.yaml"))
        let server = try f.startServer()
        defer { f.stop(server) }
        func descriptors() -> Int { (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(server.processIdentifier)/fd").count) ?? 0 }
        let before = descriptors()
        let flood = Process()
        flood.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        flood.arguments = ["python3", TestSupport.root.appendingPathComponent("Tests/Python/idle_connections.py").path, "127.0.0.1", "\(f.port)", "300", "8"]
        flood.standardOutput = FileHandle.nullDevice
        try flood.run()
        Thread.sleep(forTimeInterval: 1)
        let held = descriptors() - before
        #expect(held <= 40 + 5, "at most the cap held: \(held)")
        Thread.sleep(forTimeInterval: 3)
        #expect(descriptors() - before <= 5, "silent ones closed after the idle timeout: \(descriptors() - before)")
        #expect(try f.http(["GET", f.url + "/healthz"]).status == 200, "answering while the flood lasts")
        flood.waitUntilExit()
        let bad = try f.dudao(["check"])
        #expect(bad.status == 0, "\(bad.out)")
        try Data("web: {body_timeout: 2h}\n".utf8).write(to: f.schedules.appendingPathComponent("dudao.yaml"))
        let long = try f.dudao(["check"])
        #expect(long.status == 1 && long.out.contains("body_timeout"), "\(long.out)")
        try Data("web: {max_connections: 5, idle_timeout: 1h}\n".utf8).write(to: f.schedules.appendingPathComponent("dudao.yaml"))
        let wrong = try f.dudao(["check"])
        #expect(wrong.status == 1 && wrong.out.contains("dudao.yaml:1") && wrong.out.contains("max_connections"), "\(wrong.out)")
    }
}
