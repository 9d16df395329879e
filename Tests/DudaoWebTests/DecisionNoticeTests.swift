import Foundation
import Testing
import DudaoCore
import DudaoMessages
import DudaoSchedules
import DudaoStore
import DudaoTestSupport
@testable import DudaoWeb

/// The office decides in the review queue; the agency is told by the next morning's
/// message, once, and the telling is not counted as a reminder.
struct DecisionNoticeTests {
    let f: WebFixture
    init() throws { f = try WebFixture() }

    func at(_ text: String) -> Date { LocalClock(timeZone: TimeZone(identifier: "Asia/Shanghai")!).parse(text)! }

    /// The emails written for `agency` on `day`, parsed back by Python's `email`.
    func emails(_ agency: String, on day: String) throws -> [[String: Any]] {
        let folder = f.base.appendingPathComponent("outbox/\(day)")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return try names.filter { $0.hasPrefix(agency) && $0.hasSuffix(".eml") }.sorted().map {
            try TestSupport.python(["Tests/Python/email_check.py", folder.appendingPathComponent($0).path])
        }
    }

    @Test func theAgencyIsToldTheOfficesDecisionsTheNextMorning() throws {
        #expect(try f.dudao(["run", "--once", "--now", "2026-11-30T10:00:00+08:00", "--public-url", f.url]).status == 0)
        for (item, agency, extra) in [("1", "市卫健委", ["--status", "done_reported"]),
                                      ("2", "市卫健委", ["--status", "extension_requested", "--due", "2027-06-30"]),
                                      ("3", "市财政局", ["--status", "done_reported"])] {
            let r = try f.dudao(["ack", item, "--agency", agency, "--now", "2026-12-01T10:00"] + extra)
            #expect(r.status == 0, "\(r.err)")
        }
        let store = try StateStore(directory: f.state)
        let set = ScheduleSet.load(f.schedules.path)
        let desk = OfficeDesk(store: store, schedules: { set }, templates: try TemplateSet(directory: f.base.appendingPathComponent("Templates").path))
        let decided = at("2026-12-02T15:00")
        _ = try desk.review.decide(item: "1", agency: "市卫健委", .confirm, user: "张三", now: decided)
        _ = try desk.review.decide(item: "2", agency: "市卫健委", .approve, user: "张三", now: decided)
        _ = try desk.review.decide(item: "3", agency: "市财政局", .giveBack, comment: "请补充<佐证>材料", user: "张三", now: decided)

        // Decided after the 09:00 send time on Wednesday: told on Thursday morning.
        #expect(try f.dudao(["run", "--once", "--now", "2026-12-02T18:00:00+08:00", "--public-url", f.url]).status == 0)
        #expect(try emails("市卫健委", on: "2026-12-02").isEmpty, "not the same evening")
        #expect(try f.dudao(["run", "--once", "--now", "2026-12-03T09:30:00+08:00", "--public-url", f.url]).status == 0)
        let health = try emails("市卫健委", on: "2026-12-03")
        #expect(health.count == 1, "both decisions in one message")
        let mail = try #require(health.first)
        let text = mail["text"] as? String ?? ""
        #expect((mail["subject"] as? String ?? "").hasPrefix("【审核结果】"))
        #expect(text.contains("审核结果：审核通过，予以销号（2026年12月2日）") && text.contains("同意延期至2027年6月30日"), "\(text)")
        #expect(text.contains(f.url + "/r/"), "the reply link")
        #expect(!text.contains("提醒"), "a decision is not a reminder")
        let finance = try #require(try emails("市财政局", on: "2026-12-03").first)
        #expect((finance["text"] as? String ?? "").contains("退回，请继续办理") && (finance["text"] as? String ?? "").contains("审核意见：请补充<佐证>材料"))
        #expect((finance["html"] as? String ?? "").contains("请补充&lt;佐证&gt;材料") && !(finance["html"] as? String ?? "").contains("<佐证>"))

        // Told once: a later wake sends nothing more that day; the returned work is chased
        // again on Monday, and the telling did not count as a reminder.
        #expect(try f.dudao(["run", "--once", "--now", "2026-12-03T11:00:00+08:00", "--public-url", f.url]).status == 0)
        #expect(try emails("市卫健委", on: "2026-12-03").count == 1 && emails("市财政局", on: "2026-12-03").count == 1)
        #expect(try f.dudao(["run", "--once", "--now", "2026-12-07T09:30:00+08:00", "--public-url", f.url]).status == 0)
        let monday = try #require(try emails("市财政局", on: "2026-12-07").first)
        #expect((monday["text"] as? String ?? "").contains("本系统已发送1次（2026年11月30日）"), "only the 核实 counts as a reminder")
        #expect(try emails("市卫健委", on: "2026-12-07").isEmpty, "销号 and extended work is not chased")
    }
}

extension ReviewDesk {
    /// Decides the report awaiting review for `item` and `agency`, as the card and its
    /// confirmation would.
    @discardableResult
    func decide(item: String, agency: String, _ decision: Decision, date: String = "", comment: String = "", user: String, now: Date) throws -> Int64 {
        let set = schedules()
        let standings = try store.supervision(clock: LocalClock(timeZone: set.policy.timeZone)).standings
        let entry = try #require(ReviewQueue(items: set.items, standings: standings).entries.first { set.items[$0.item].id == item && $0.agency == agency })
        return try decide(Proposal(item: item, agency: agency, report: entry.report.id ?? 0, decision: decision, date: date, comment: comment),
                          user: user, now: now)
    }
}
