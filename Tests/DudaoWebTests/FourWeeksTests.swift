import Foundation
import Testing
import DudaoCore
import DudaoMessages
import DudaoSchedules
import DudaoStore
import DudaoTestSupport
@testable import DudaoWeb

/// Issue 22's acceptance, scripted: the bundled list from an empty state, `run --once` on
/// every workday of four weeks, the liaisons replying through their links (duplicates and
/// concurrent ones included), the office returning, approving, refusing and withdrawing.
/// Then: no message names an item twice; every weekly report agrees with the store,
/// recomputed here from its rows; each liaison's page lists exactly what was submitted;
/// one record per submission; and (issue 25) the audit trail verifies, until tampered with.
@Suite(.serialized)
struct FourWeeksTests {
    static let clock = LocalClock(timeZone: TimeZone(identifier: "Asia/Shanghai")!)
    static func at(_ text: String) -> Date { clock.parse(text)! }

    let root = TestSupport.scratch("dudao-four-weeks")
    var schedules: URL { root.appendingPathComponent("Schedules") }
    var state: String { root.appendingPathComponent("state").path }
    var outbox: URL { root.appendingPathComponent("outbox") }

    init() throws {
        try FileManager.default.copyItem(at: TestSupport.root.appendingPathComponent("Schedules"), to: schedules)
        try FileManager.default.copyItem(at: TestSupport.root.appendingPathComponent("Templates"), to: root.appendingPathComponent("Templates"))
        try Data("outbox_dir: \(outbox.path)\n".utf8).write(to: schedules.appendingPathComponent("channels.yaml"))
    }

    func runOnce(_ day: CivilDate) throws {
        let r = try TestSupport.run(TestSupport.dudao, ["run", "--once", "--schedules", schedules.path, "--state-dir", state,
                                                        "--now", "\(day.iso)T10:00:00+08:00", "--public-url", "https://duban.example.gov.cn"])
        #expect(r.status == 0, "\(day): \(r.err)")
    }

    /// Emails parsed so far, by file: each is parsed by Python once.
    let parsed = ParsedMail()

    /// Every email written, parsed back: (file, subject, text).
    func emails() throws -> [(file: String, subject: String, text: String)] {
        var out: [(String, String, String)] = []
        for day in try FileManager.default.contentsOfDirectory(atPath: outbox.path).sorted() {
            let folder = outbox.appendingPathComponent(day)
            for name in try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() where name.hasSuffix(".eml") {
                let file = "\(day)/\(name)"
                if parsed.mails[file] == nil {
                    let p = try TestSupport.python(["Tests/Python/email_check.py", folder.appendingPathComponent(name).path])
                    parsed.mails[file] = (p["subject"] as? String ?? "", p["text"] as? String ?? "")
                }
                out.append((file, parsed.mails[file]!.subject, parsed.mails[file]!.text))
            }
        }
        return out
    }

    /// The token of the newest link written for `agency` that covers `item`.
    func token(_ agency: String, _ item: String) throws -> String {
        for mail in try emails().reversed() where mail.file.contains("/\(agency)@") {
            guard let line = mail.text.split(separator: "\n").first(where: { $0.hasPrefix("https://duban.example.gov.cn/r/") }) else { continue }
            let token = String(line.dropFirst("https://duban.example.gov.cn/r/".count))
            var payload = String(token.split(separator: ".")[0]).replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
            while payload.count % 4 != 0 { payload += "=" }
            let json = try #require(Data(base64Encoded: payload).flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] })
            if (json["i"] as? [String])?.contains(item) == true { return token }
        }
        throw CancellationError()
    }

    @Test func fourWeeksOfRealUse() throws {
        let store = try StateStore(directory: state)
        let set = ScheduleSet.load(schedules.path)
        let templates = try TemplateSet(directory: root.appendingPathComponent("Templates").path)
        let keys = ReplyKeys(current: try ReplyKeys.key(file: state + "/link.key", create: true))
        let reply = ReplyDesk(store: store, keys: keys, schedules: { set }, templates: templates, onReport: {})
        let review = OfficeDesk(store: store, schedules: { set }, templates: templates).review
        var submitted: [String: [String]] = [:]   // agency|item → the notes it submitted, once each

        func post(_ agency: String, _ item: String, _ fields: [String: String], at: String, id: String? = nil, times: Int = 1) throws {
            let form = ReplyForm(item: item, action: fields["action"], text: fields["text"], next_report: fields["next_report"],
                                 new_due: fields["new_due"], submission: id ?? String(UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(32)))
            let token = try token(agency, item)
            let pages = LockedPages()
            DispatchQueue.concurrentPerform(iterations: times) { _ in
                pages.append(reply.submit(token: token, form: form, client: "127.0.0.1", now: Self.at(at)))
            }
            for page in pages.all {
                guard case .receipt = page else { Issue.record("\(agency) \(item) at \(at): not recorded: \(page)"); return }
            }
            submitted["\(agency)|\(item)", default: []].append(fields["text"] ?? "")
        }

        var day = CivilDate(iso: "2026-11-30")!
        let last = CivilDate(iso: "2026-12-25")!
        while day <= last {
            if set.calendar.isWorkday(day) { try runOnce(day) }
            switch day.iso {
            case "2026-11-30":
                // Replies: 17 done (tapped twice), 22 an extension, 23 progress with a date;
                // 市商务局 asks for an extension of its only item.
                try post("市卫健委", "17", ["action": "done", "text": "平台已上线"], at: "2026-11-30T15:00:00+08:00", times: 2)
                try post("市卫健委", "22", ["action": "extension", "text": "需省级审批", "new_due": "2027-03-31"], at: "2026-11-30T16:00:00+08:00")
                try post("市卫健委", "23", ["action": "progress", "text": "已起草方案", "next_report": "2027-01-15"], at: "2026-11-30T16:30:00+08:00")
            case "2026-12-01":
                try review.decide(item: "17", agency: "市卫健委", .giveBack, comment: "请补充上线证明", user: "张三", now: Self.at("2026-12-01T15:00:00+08:00"))
                try review.decide(item: "22", agency: "市卫健委", .approve, user: "张三", now: Self.at("2026-12-01T15:05:00+08:00"))
            case "2026-12-02":
                let commerce = try #require(set.items.first { $0.lead.contains("市商务局") })
                try post("市商务局", commerce.id, ["action": "extension", "text": "等待部委批复", "new_due": "2027-06-30"], at: "2026-12-02T11:00:00+08:00")
            case "2026-12-03":
                let commerce = try #require(set.items.first { $0.lead.contains("市商务局") })
                try review.decide(item: commerce.id, agency: "市商务局", .refuse, comment: "请按期完成", user: "张三", now: Self.at("2026-12-03T16:00:00+08:00"))
                // 17 again, done: confirmed in the evening, withdrawn before anyone was told.
                try post("市卫健委", "17", ["action": "done", "text": "已补充上线证明"], at: "2026-12-03T10:00:00+08:00")
                let id = try review.decide(item: "17", agency: "市卫健委", .confirm, user: "张三", now: Self.at("2026-12-03T17:00:00+08:00"))
                _ = try review.withdraw(id: id, user: "张三", now: Self.at("2026-12-03T17:30:00+08:00"))
            case "2026-12-08":
                try review.decide(item: "17", agency: "市卫健委", .confirm, user: "张三", now: Self.at("2026-12-08T15:00:00+08:00"))
                // Four posts of one form at once, from a tired finger and a refresh.
                try post("市卫健委", "16", ["action": "progress", "text": "已完成医疗领域机制"], at: "2026-12-08T16:00:00+08:00",
                         id: "00112233445566778899aabbccddeeff", times: 4)
            case "2026-12-15":
                try post("市卫健委", "23", ["action": "done", "text": "方案已印发"], at: "2026-12-15T11:00:00+08:00")
            default:
                break
            }
            day = day.adding(days: 1)
        }

        let mails = try emails()
        #expect(mails.count > 40)
        // 1. No message names an item twice.
        for mail in mails where !mail.file.contains("report") {
            let ids = mail.text.matches(of: /【事项([^】]+)】/).map { String($0.1) }
            #expect(Set(ids).count == ids.count, "\(mail.file) names an item twice: \(ids)")
            #expect(!mail.text.contains("请勿转发"))
        }
        // 2. Every weekly report agrees with the store, recomputed from its rows.
        let history = try store.history()
        for mail in mails where mail.file.contains("report-week") {
            let sent = try #require(CivilDate(iso: String(mail.file.prefix(10))))
            let instant = Self.clock.instant(sent, at: 10 * 3600)   // rendered by that morning's run
            let since = mails.filter { $0.file.contains("report-week") }.map { CivilDate(iso: String($0.file.prefix(10)))! }
                .filter { $0 < sent }.max() ?? sent.adding(days: -7)
            // Events from the last report's send time (09:00) to this one's.
            func inPeriod(_ d: Date) -> Bool { d > Self.clock.instant(since, at: 9 * 3600) && d <= Self.clock.instant(sent, at: 9 * 3600) }
            let known = history.filter { $0.at <= instant }
            let reports = known.filter { $0.status.isAgencyReport && inPeriod($0.at) }
            let decisions = known.filter { $0.status.isDecision && inPeriod($0.at) }
            let withdrawals = known.filter { $0.withdrawn.map { inPeriod($0.at) } ?? false }
            let line = "收到报送\(reports.count)件（其中报告完成\(reports.filter { $0.status == .doneReported }.count)件、申请延期\(reports.filter { $0.status.extendedTo != nil }.count)件）；审核决定\(decisions.count)项"
                + "（销号\(decisions.filter { $0.status == .done }.count)、退回\(decisions.filter { $0.status == .open }.count)、同意延期\(decisions.filter { if case .extended = $0.status { true } else { false } }.count)、不同意延期\(decisions.filter { $0.status == .refused }.count)、撤销0）"
                + (withdrawals.isEmpty ? "" : "，撤回决定\(withdrawals.count)项")
            #expect(mail.text.contains(line), "\(mail.file): expected \(line)")
            // Awaiting: each agency's newest report that counts is a request not yet decided.
            var newest: [String: ProgressReport] = [:]
            for r in known where r.withdrawn.map({ $0.at > instant }) ?? true {
                newest["\(r.key.item)|\(r.key.agency ?? "")"] = r
            }
            let awaiting = newest.values.filter { r in if case .extensionRequested = r.status { true } else { r.status == .doneReported } }
            #expect(mail.text.contains("四、待审核（\(awaiting.count)项）"), "\(mail.file): \(awaiting.map(\.key.item))\n\(mail.text)")
            for r in awaiting { #expect(mail.text.contains("· 事项\(r.key.item)“"), "\(mail.file) lists \(r.key.item) as awaiting") }
            let events = mail.text.components(separatedBy: "\n").filter { $0.hasPrefix("  · 2026年") }
            #expect(events.count == reports.count + decisions.count + withdrawals.count, "each event once: \(events)")
        }
        // 3. Each liaison's page lists exactly what was submitted, each once.
        for (key, notes) in submitted {
            let parts = key.split(separator: "|").map(String.init)
            guard case .form(let page) = reply.page(token: try token(parts[0], parts[1]), now: Self.at("2026-12-25T12:00:00+08:00")) else {
                Issue.record("\(parts[0])'s link refused"); continue
            }
            let block = try #require(page.components(separatedBy: "data-item=\"\(parts[1])\"").dropFirst().first?.components(separatedBy: "</div>").first)
            #expect(block.contains("本单位已报送\(notes.count)次"), "\(key): \(block)")
            for note in notes { #expect(block.components(separatedBy: note).count == 2, "\(key): \(note) once") }
        }
        // 4. One record per submission.
        #expect(history.filter { $0.status.isAgencyReport }.count == submitted.values.map(\.count).reduce(0, +))
        // 5. The audit trail (issue 25): a row per submission; it verifies after the four weeks
        //    and names the row once one is deleted by SQL.
        let replies = try StateStore(directory: state).auditRows(AuditFilter(action: .reply), limit: 100_000)
        #expect(replies.count == submitted.values.map(\.count).reduce(0, +))
        let verified = try TestSupport.run(TestSupport.dudao, ["audit", "verify", "--state-dir", state])
        #expect(verified.status == 0, "\(verified.out)\(verified.err)")
        let tamper = try TestSupport.run("/usr/bin/env", ["python3", "-c", "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.executescript(sys.argv[2]); c.commit()",
                                                          state + "/dudao.sqlite", "DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE seq = 2;"])
        #expect(tamper.status == 0, "\(tamper.err)")
        let broken = try TestSupport.run(TestSupport.dudao, ["audit", "verify", "--state-dir", state])
        #expect(broken.status == 1 && broken.err.contains("row 2"), "\(broken.err)")
    }
}

/// Pages gathered from concurrent threads.
final class LockedPages: @unchecked Sendable {
    private let lock = NSLock()
    private var pages: [ReplyDesk.Page] = []
    func append(_ p: ReplyDesk.Page) { lock.withLock { pages.append(p) } }
    var all: [ReplyDesk.Page] { lock.withLock { pages } }
}

/// Parsed emails kept between reads.
final class ParsedMail: @unchecked Sendable {
    var mails: [String: (subject: String, text: String)] = [:]
}
