import Foundation
import Testing
import DudaoCore
import DudaoMessages
import DudaoSchedules
import DudaoStore
import DudaoStorePostgres
import DudaoTestSupport
@testable import DudaoWeb

/// What the office does on an item by itself — 调整完成时限, 同意延期, 撤销, 恢复办理, 代录 —
/// is recorded with who, when and why on either engine, changes the plan as it says, is
/// refused in words when it cannot hold, and is told to the agency in its own words.
/// A schedules value the test swaps as the service's reload would.
final class LockedSet: @unchecked Sendable {
    private let lock = NSLock()
    private var set: ScheduleSet
    init(_ set: ScheduleSet) { self.set = set }
    var value: ScheduleSet {
        get { lock.withLock { set } }
        set { lock.withLock { self.set = newValue } }
    }
}

struct ItemActionTests {
    let f: WebFixture
    init() throws { f = try WebFixture() }

    static let clock = LocalClock(timeZone: TimeZone(identifier: "Asia/Shanghai")!)
    static func at(_ text: String) -> Date { clock.parse(text)! }

    func store(_ engine: String) throws -> StateStore {
        guard engine == "postgres" else { return try StateStore(directory: f.state) }
        let server = try #require(PostgresServer.shared, "PostgreSQL 15 for the tests: \(PostgresServer.unavailableReason)")
        return try StateStore(backend: PostgresBackend(url: PostgresURL(server.database(), environment: [:])))
    }

    func desk(_ store: StateStore) throws -> (ItemActionDesk, ScheduleSet) {
        let set = ScheduleSet.load(f.schedules.path)
        let templates = try TemplateSet(directory: f.base.appendingPathComponent("Templates").path)
        return (OfficeDesk(store: store, schedules: { set }, templates: templates).actions, set)
    }

    func standing(_ store: StateStore, _ set: ScheduleSet, _ item: String, _ agency: String) throws -> Standing {
        let standings = try store.supervision(clock: Self.clock).standings
        let target = try #require(set.items.first { $0.id == item })
        return standings.standing(target, milestone: target.milestones.isEmpty ? nil : target.milestones.count - 1, agency: agency)
    }

    /// The reminders planned for `item` over the next 60 days.
    func planned(_ store: StateStore, _ set: ScheduleSet, _ item: String, from: Date) throws -> Int {
        let plan = Plan(items: set.items, policy: set.policy, calendar: set.calendar, from: from, until: from.addingTimeInterval(60 * 86400),
                        supervision: try store.supervision(clock: Self.clock))
        return plan.messages.filter { m in m.kind != .decision && plan.itemIndexes(m).contains { plan.items[Int($0)].id == item } }.count
    }

    @Test(arguments: ["sqlite", "postgres"]) func everyActionIsRecordedWithWhoWhenAndWhy(_ engine: String) throws {
        let store = try store(engine)
        let (desk, set) = try desk(store)
        let now = Self.at("2026-12-02T10:00")
        func act(_ kind: ItemAction.Kind, _ item: String, agency: String? = nil, date: String = "", state: String = "", source: String = "",
                 reason: String, at: Date = now) throws -> Int64 {
            try desk.record(ItemAction(kind: kind, item: item, agency: agency, date: date, state: state, source: source, reason: reason),
                            user: "张三", client: "10.0.0.7", now: at)
        }

        // 调整完成时限 by order: the plan counts the new date; the row says how it came.
        #expect(try planned(store, set, "2", from: now) > 0, "overdue item 2 is chased before")
        let moved = try act(.deadline, "2", date: "2027-03-31", reason: "市政府领导批示：延至一季度末")
        var s = try standing(store, set, "2", "市卫健委")
        #expect(s.due == CivilDate(iso: "2027-03-31") && s.report?.origin == .deadlineChange && s.report?.id == moved)
        #expect(try planned(store, set, "2", from: now) == 0, "nothing is due before 2027-02-01 any more")
        // Brought forward again by a later order: earlier dates hold for a deadline change.
        _ = try act(.deadline, "2", date: "2027-01-15", reason: "领导要求提前", at: now.addingTimeInterval(60))
        #expect(try standing(store, set, "2", "市卫健委").due == CivilDate(iso: "2027-01-15"))

        // 同意延期 nobody asked for, later than the deadline in force only.
        #expect(throws: ItemActionError.self) { try act(.extend, "2", date: "2027-01-10", reason: "x") }
        _ = try act(.extend, "3", agency: "市财政局", date: "2027-02-28", reason: "年底集中支付")
        #expect(try standing(store, set, "3", "市财政局").status == .extended(to: CivilDate(iso: "2027-02-28")!))

        // 撤销: no more reminders; twice is refused; 恢复办理 brings the chasing back.
        #expect(try planned(store, set, "1", from: now) > 0)
        _ = try act(.cancel, "1", reason: "市政府常务会议决定不再实施")
        #expect(try standing(store, set, "1", "市卫健委").status == .cancelled)
        #expect(try planned(store, set, "1", from: now) == 0, "a cancelled item is not reminded")
        #expect(throws: ItemActionError.self) { try act(.cancel, "1", reason: "again") }
        _ = try act(.reopen, "1", reason: "会议决定恢复实施", at: now.addingTimeInterval(120))
        #expect(try standing(store, set, "1", "市卫健委").status == .open)
        #expect(try planned(store, set, "1", from: now.addingTimeInterval(120)) > 0, "reopened work is chased again")
        #expect(throws: ItemActionError.self) { try act(.reopen, "1", reason: "twice") }

        // 代录: an answer on paper counts as the agency's own, with its source and date.
        _ = try act(.proxy, "1", agency: "市卫健委", date: "2026-12-01", state: "reported", source: "纸质来函", reason: "已完成场地选址", at: now.addingTimeInterval(180))
        s = try standing(store, set, "1", "市卫健委")
        #expect(s.lastAnswer?.origin == .proxy && s.status == .reported)
        #expect(s.lastAnswer?.note == "已完成场地选址（纸质来函，2026年12月1日收到）", "\(s.lastAnswer?.note ?? "")")
        #expect(s.lastAnswer?.by == "市卫健委（督查室·张三代录）")
        #expect(s.pause(policy: set.policy, calendar: set.calendar, clock: Self.clock) != nil, "chasing pauses for the office's review")

        // Refusals, in words, nothing recorded.
        let before = try store.history().count
        for (a, why) in [(ItemAction(kind: .deadline, item: "2", date: "2027-03-31", reason: " "), "请填写事由"),
                         (ItemAction(kind: .deadline, item: "2", date: "2026-11-01", reason: "x"), "不能早于今天"),
                         (ItemAction(kind: .deadline, item: "2", date: "2027-02-30", reason: "x"), "十年内的日期"),
                         (ItemAction(kind: .cancel, item: "3", agency: "市卫健委", reason: "x"), "不是事项3的牵头单位"),
                         (ItemAction(kind: .proxy, item: "3", date: "2026-12-03", state: "reported", source: "电话", reason: "x"), "不晚于今天"),
                         (ItemAction(kind: .proxy, item: "3", date: "2026-12-01", state: "done", source: "电话", reason: "x"), "请选择报送的状态"),
                         (ItemAction(kind: nil, item: "3", reason: "x"), "请选择办理事项"),
                         (ItemAction(kind: .cancel, item: "99", reason: "x"), "没有序号为99的事项")] {
            do {
                _ = try desk.record(a, user: "张三", client: "10.0.0.7", now: now)
                Issue.record("\(a) was recorded")
            } catch {
                #expect(error.description.contains(why), "\(error.description)")
            }
        }
        #expect(try store.history().count == before)

        // Each one is in the audit trail with who, from where, what and why.
        let rows = try store.auditRows(limit: 50).reversed().filter { $0.action.rawValue.hasPrefix("item.") }
        #expect(rows.map(\.action) == [.itemDeadline, .itemDeadline, .itemExtend, .itemCancel, .itemReopen, .itemProxy])
        #expect(rows.allSatisfy { $0.actor == "张三" && $0.client == "10.0.0.7" && $0.outcome == .ok })
        #expect(rows[0].object == "事项2·全部牵头单位" && rows[0].detail.contains("2027-03-31") && rows[0].detail.contains("事由：市政府领导批示"))
        #expect(rows[2].object == "事项3·市财政局" && rows[5].detail.contains("纸质来函") && rows[5].detail.contains("2026-12-01"))
        #expect(try store.verifyAudit().rows >= 6)
    }

    /// 增加/减少牵头单位: kept in the store in order, applied when the schedules are read (the
    /// item comes from a file), planned for the new lead; the last lead cannot be removed.
    @Test(arguments: ["sqlite", "postgres"]) func leadsAreAddedAndRemovedByDecision(_ engine: String) throws {
        let store = try store(engine)
        let current = LockedSet(ScheduleSet.load(f.schedules.path, owned: try store.officeOwned()))
        let desk = OfficeDesk(store: store, schedules: { current.value }, templates: try TemplateSet(directory: f.base.appendingPathComponent("Templates").path)).actions
        let now = Self.at("2026-12-02T10:00")
        func act(_ kind: ItemAction.Kind, _ agency: String, reason: String = "市政府常务会议决定") throws {
            _ = try desk.record(ItemAction(kind: kind, item: "2", agency: agency, reason: reason), user: "张三", client: "10.0.0.7", now: now)
            current.value = ScheduleSet.load(f.schedules.path, owned: try store.officeOwned())
        }
        let before = try store.ownedRevisionCount()
        try act(.addLead, "市财政局")
        #expect(current.value.items.first { $0.id == "2" }?.lead == ["市卫健委", "市财政局"])
        #expect(try store.ownedRevisionCount() == before + 1, "the service reads the schedules again")
        let plan = Plan(items: current.value.items, policy: current.value.policy, calendar: current.value.calendar, from: now,
                        until: now.addingTimeInterval(30 * 86400), supervision: try store.supervision(clock: Self.clock))
        #expect(plan.messages.contains { m in m.to.agency == "市财政局" && plan.itemIndexes(m).contains { plan.items[Int($0)].id == "2" } },
                "the new lead is reminded")
        try act(.removeLead, "市卫健委")
        #expect(current.value.items.first { $0.id == "2" }?.lead == ["市财政局"])
        for (kind, agency, why) in [(ItemAction.Kind.removeLead, "市财政局", "只有这一个牵头单位"), (.addLead, "市财政局", "已是事项2的牵头单位"),
                                    (.addLead, "市不存在局", "通讯录中没有单位"), (.removeLead, "市卫健委", "不是事项2的牵头单位")] {
            do {
                try act(kind, agency)
                Issue.record("\(kind) \(agency) was recorded")
            } catch {
                #expect("\(error)".contains(why), "\(error)")
            }
        }
        #expect(throws: ItemActionError.self) { try act(.addLead, "市卫健委", reason: "") }
        let rows = try store.auditRows(limit: 20).reversed().filter { $0.action.rawValue.hasPrefix("item.lead") }
        #expect(rows.map(\.action) == [.itemLeadAdd, .itemLeadRemove] && rows.allSatisfy { $0.actor == "张三" && $0.detail.contains("事由：市政府常务会议决定") })
        #expect(rows.first?.object == "事项2·市财政局")
    }

    /// The route as a hostile or careless client meets it: a 代录 post without the form token
    /// is refused before it is read, a file that is not what it says is refused beside the
    /// form with what was typed kept, and a confirmation posted twice records once.
    @Test func theRouteHoldsAgainstBadPosts() throws {
        _ = try f.addUser("张三", role: "clerk")
        let server = try f.startServer()
        defer { f.stop(server) }
        let fake = f.base.appendingPathComponent("扫描件.pdf")
        try Data("MZ this is not a PDF".utf8).write(to: fake)
        let fields = ["action": "proxy", "state": "reported", "source": "电话", "date": WebFixture.later(0).iso, "reason": "电话报告<已完成>"]
        let confirm = ["csrf": "@csrf", "action": "cancel", "reason": "会议决定", "step": "confirm"]
        let pages = try f.browse(WebFixture.login("张三") + [
            ["method": "POST", "path": "/items/1/act", "fields": fields, "files": [["files", "扫描件.pdf", fake.path]]],
            WebFixture.get("/items/1"),
            ["method": "POST", "path": "/items/1/act?csrf=@csrf", "fields": fields, "files": [["files", "扫描件.pdf", fake.path]]],
            WebFixture.get("/items/3"),
            WebFixture.post("/items/3/act", confirm),
            WebFixture.get("/items/3"),
            WebFixture.post("/items/3/act", confirm),
        ])
        #expect(pages[2].status == 403, "no form token: \(pages[2].status)")
        #expect(pages[4].status == 422 && pages[4].body.contains("扫描件.pdf") && pages[4].body.contains("类型不受支持"), "\(pages[4].status)")
        #expect(pages[4].body.contains("电话报告&lt;已完成&gt;"), "what was typed comes back, escaped")
        #expect(pages[6].status == 303 && pages[8].status == 422 && pages[8].body.contains("事项3已撤销。"), "twice: \(pages[8].status)")
        let store = try StateStore(directory: f.state)
        #expect(try store.history(item: "3").filter { $0.status == .cancelled }.count == 1)
        #expect(try store.history(item: "1").isEmpty)
    }

    /// The 办理 panel is a clerk's: a leader reads the item without it; a clerk's page keeps
    /// what was typed beside the error.
    @Test func thePanelIsForClerks() throws {
        let store = try store("sqlite")
        let set = ScheduleSet.load(f.schedules.path)
        let desk = OfficeDesk(store: store, schedules: { set }, templates: try TemplateSet(directory: f.base.appendingPathComponent("Templates").path))
        let now = Self.at("2026-12-02T10:00")
        let leader = try #require(try desk.item("2", viewer: Viewer(user: "王五", csrf: "t", role: .leader), now: now))
        #expect(!leader.contains("/items/2/act") && !leader.contains("id=\"act\""))
        let typed = ItemAction(kind: .deadline, item: "2", date: "2026-01-01", reason: "<b>领导批示</b>")
        let clerk = try #require(try desk.item("2", viewer: Viewer(user: "张三", csrf: "t", role: .clerk), now: now, problem: (typed, "新的完成时限不能早于今天。")))
        #expect(clerk.contains("action=\"/items/2/act\"") && clerk.contains("新的完成时限不能早于今天。"))
        #expect(clerk.contains("&lt;b&gt;领导批示&lt;/b&gt;") && !clerk.contains("<b>领导批示"), "what was typed comes back escaped")
        #expect(clerk.contains("id=\"act-deadline\" open"), "the form with the error is open")
    }

    /// The files a confirmation carries back are only ones the attachments hold, checked
    /// again: a forged SHA-256, a name that does not match the bytes, a file of another
    /// type are left out.
    @Test func aConfirmationNamesOnlyKeptFiles() throws {
        let files = AttachmentStore(stateDirectory: f.state)
        let pdf = Data("%PDF-1.4\n".utf8) + Data((0..<512).map { UInt8($0 % 251) }) + Data("\n%%EOF\n".utf8)
        let kept = try files.save(filename: "扫描件.pdf", data: pdf)
        let field = ItemActionDesk.filesField([kept])
        #expect(ItemActionDesk.files(field, in: files) == [kept])
        let forged = #"[["\#(String(repeating: "a", count: 64))","x.pdf"],["\#(kept.sha256)","扫描件.png"],["../../etc/passwd","p"]]"#
        #expect(ItemActionDesk.files(forged, in: files).isEmpty)
        #expect(ItemActionDesk.files(String(repeating: "[", count: 100_000), in: files).isEmpty)
        // Files go with 代录 only.
        let store = try store("sqlite")
        let (desk, _) = try desk(store)
        #expect(throws: ItemActionError.self) {
            try desk.record(ItemAction(kind: .cancel, item: "1", reason: "x"), attachments: [kept], user: "张三", client: "-", now: Self.at("2026-12-02T10:00"))
        }
        let row = try desk.record(ItemAction(kind: .proxy, item: "1", date: "2026-12-01", state: "reported", source: "纸质来函", reason: "见扫描件"),
                                  attachments: [kept], user: "张三", client: "-", now: Self.at("2026-12-02T10:00"))
        #expect(try store.attachments(item: "1")[row] == [kept])
    }

    /// A 销号 of one lead's part is not undone by reopening the whole item's: the office is
    /// told to reopen that lead's part.
    @Test func aPartClosedOnItsOwnIsNamed() throws {
        let store = try store("sqlite")
        let (desk, _) = try desk(store)
        let now = Self.at("2026-12-02T10:00")
        _ = try store.record(ProgressReport(key: ProgressKey(item: "2", agency: "市卫健委"), status: .done, by: "督查室·李四", at: now))
        #expect(throws: ItemActionError.self) {
            try desk.record(ItemAction(kind: .deadline, item: "2", date: "2027-03-31", reason: "x"), user: "张三", client: "-", now: now)
        }
        let id = try desk.record(ItemAction(kind: .reopen, item: "2", agency: "市卫健委", reason: "核查未完成"), user: "张三", client: "-", now: now)
        #expect(try store.report(id: id)?.status == .open)
    }

    /// The agency hears of a deadline moved by order and of a cancellation the next morning,
    /// in the words of what happened — not as a review of a report it never made.
    @Test func theAgencyIsToldInTheWordsOfWhatHappened() throws {
        #expect(try f.dudao(["run", "--once", "--now", "2026-11-30T10:00:00+08:00", "--public-url", f.url]).status == 0)
        let store = try StateStore(directory: f.state)
        let (desk, _) = try desk(store)
        let decided = Self.at("2026-12-02T15:00")
        _ = try desk.record(ItemAction(kind: .deadline, item: "2", date: "2027-03-31", reason: "市政府领导批示"), user: "张三", client: "-", now: decided)
        _ = try desk.record(ItemAction(kind: .cancel, item: "3", reason: "市政府常务会议决定不再实施"), user: "张三", client: "-", now: decided)
        #expect(try f.dudao(["run", "--once", "--now", "2026-12-03T09:30:00+08:00", "--public-url", f.url]).status == 0)
        func mail(_ agency: String) throws -> [String: Any] {
            let folder = f.base.appendingPathComponent("outbox/2026-12-03")
            let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix(agency) && $0.hasSuffix(".eml") }.sorted()
            #expect(names.count == 1, "\(names)")
            return try TestSupport.python(["Tests/Python/email_check.py", folder.appendingPathComponent(try #require(names.first)).path])
        }
        let health = try mail("市卫健委"), finance = try mail("市财政局")
        let text = health["text"] as? String ?? "", subject = health["subject"] as? String ?? ""
        #expect(subject.hasPrefix("【事项调整】"), "\(subject)")
        #expect(text.contains("调整决定：完成时限调整为2027年3月31日（2026年12月2日）") && text.contains("事由：市政府领导批示"), "\(text)")
        #expect(!text.contains("已审核贵单位报送"), "the agency reported nothing")
        #expect(text.contains("完成时限已调整为2027年3月31日"), "the state in force: \(text)")
        let ftext = finance["text"] as? String ?? ""
        #expect(ftext.contains("调整决定：撤销") && ftext.contains("事由：市政府常务会议决定不再实施"), "\(ftext)")
        // Told once, and the cancelled item is not chased on Monday.
        #expect(try f.dudao(["run", "--once", "--now", "2026-12-07T09:30:00+08:00", "--public-url", f.url]).status == 0)
        let monday = (try? FileManager.default.contentsOfDirectory(atPath: f.base.appendingPathComponent("outbox/2026-12-07").path)) ?? []
        #expect(!monday.contains { $0.hasPrefix("市财政局") }, "\(monday)")
    }
}
