import Foundation
import Testing
@testable import DudaoCore
@testable import DudaoSchedules
@testable import DudaoImport

/// The supervision loop on the bundled list, as an office starting today would see it:
/// `dudao plan` over a year from 2026-11-26 with an empty state, and `dudao ack`.
struct SupervisionLoopTests {
    let dudao = Fixtures.dudao

    struct Message {
        let day: CivilDate
        let kind: String
        let level: Int
        let to: String
        let cc: [String]
        let notices: [(key: NoticeKey, agency: String?)]
    }

    func plan(state: String, from: String = "2026-11-26", until: String = "2027-11-26") throws -> [Message] {
        let r = try Fixtures.run(dudao, ["plan", "--schedules", Fixtures.schedules, "--state-dir", state, "--now", from, "--until", until,
                                         "--format", "json"])
        #expect(r.status == 0, "\(r.err)")
        return try r.out.split(separator: "\n").map { line in
            let o = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let notices = (o["notices"] as? [[String: Any]] ?? []).compactMap { n in
                NoticeKey(n["key"] as? String ?? "").map { ($0, n["agency"] as? String) }
            }
            return Message(day: CivilDate(iso: String((o["send_at"] as! String).prefix(10)))!, kind: o["kind"] as! String,
                           level: o["level"] as! Int, to: (o["to"] as! [String])[0], cc: o["cc"] as! [String], notices: notices)
        }
    }

    func isChase(_ k: NoticeKey) -> Bool { k.rule.ladderStep != nil }
    func monday(_ d: CivilDate) -> CivilDate { d.adding(days: 1 - d.isoWeekday) }

    @Test func aYearFromTodayOnTheBundledList() throws {
        let messages = try plan(state: Fixtures.scratch().path)
        let chases = messages.filter { $0.notices.contains { isChase($0.key) } }
        #expect(!chases.isEmpty)

        // The first overdue message to each agency claims nothing and copies nobody: a 核实.
        var firstSeen = Set<String>()
        for m in chases where firstSeen.insert(m.to).inserted {
            #expect(m.kind == "verify" && m.level == 0 && m.cc.isEmpty, "\(m.to) first hears \(m.kind) level \(m.level) cc \(m.cc)")
            #expect(m.day == CivilDate(iso: "2026-11-30")!, "on the first Monday")
        }
        // No agency gets two overdue messages in one ISO week.
        let weeks = Dictionary(grouping: chases, by: { "\($0.to)|\(monday($0.day).iso)" })
        #expect(weeks.values.allSatisfy { $0.count == 1 }, "\(weeks.filter { $0.value.count > 1 }.keys.sorted().prefix(3))")
        // No more than 20 overdue messages per agency and item in a year; levels climb to 通报.
        var perItem: [String: [Int]] = [:]
        for m in chases {
            for n in m.notices where isChase(n.key) { perItem["\(m.to)|\(n.key.item)|\(n.key.milestone)", default: []].append(n.key.rule.ladderStep!.number) }
        }
        #expect(perItem.values.allSatisfy { $0.count <= 20 }, "\(perItem.values.map(\.count).max() ?? 0)")
        #expect(perItem.values.allSatisfy { $0 == $0.sorted() }, "levels never go down without an answer")
        #expect(perItem.values.contains { $0.contains(3) }, "levels climb to 通报")
        #expect(chases.filter { $0.level >= 2 }.allSatisfy { $0.cc.contains { $0.hasSuffix("/领导") } }, "督办 and 通报 copy leadership")
        // The office: one report a week, at most three messages a week in all.
        let office = "市政府督查室"
        let reports = messages.filter { $0.kind == "report" }
        #expect(reports.allSatisfy { $0.to == office })
        let reportWeeks = Dictionary(grouping: reports, by: { monday($0.day) })
        #expect(reportWeeks.count == 52 && reportWeeks.values.allSatisfy { $0.count == 1 })
        let officeWeeks = Dictionary(grouping: messages.filter { $0.to == office || $0.cc.contains(office) }, by: { monday($0.day) })
        #expect(officeWeeks.values.allSatisfy { $0.count <= 3 })
        // Item 6 (持续推进) asks for its report ahead of the report day, not on it.
        let six = messages.filter { $0.notices.contains { $0.key.item == "6" && $0.key.rule == .progress } }
        #expect(!six.isEmpty && six.allSatisfy { m in m.notices.allSatisfy { $0.key.rule != .progress || m.day < $0.key.occurrence } })
    }

    @Test func answersChangeThePlanPerAgency() throws {
        let state = Fixtures.scratch().path
        func ack(_ args: [String]) throws {
            let r = try Fixtures.run(dudao, ["ack"] + args + ["--schedules", Fixtures.schedules, "--state-dir", state, "--by", "督查室",
                                                      "--now", "2026-11-26T18:00"])
            #expect(r.status == 0, "\(r.err)")
        }
        try ack(["20", "--agency", "市法院", "--status", "done"])
        try ack(["17", "--agency", "市卫健委", "--status", "in_progress", "--next-report", "2027-01-15"])
        let messages = try plan(state: state)
        func about(_ item: String, _ agency: String) -> [Message] {
            messages.filter { m in m.to == agency && m.notices.contains { $0.key.item == item } }
        }
        let court20 = about("20", "市法院")
        #expect(court20.map(\.day.iso) == ["2026-11-27"] && court20[0].notices.filter { $0.key.item == "20" }.map(\.key.rule) == [.decision],
                "市法院 is told its part of item 20 is closed the next morning, and hears no more of it")
        #expect(!about("14", "市法院").isEmpty, "its other item is still chased")
        #expect(!about("20", "市税务局").isEmpty, "the other co-leads of item 20 are still chased")
        let seventeen = about("17", "市卫健委")
        #expect(!seventeen.isEmpty && seventeen.allSatisfy { $0.day > CivilDate(iso: "2027-01-15")! }, "paused until the promised date, then resumed")
        #expect(seventeen.first?.notices.first { $0.key.item == "17" }?.key.rule == .overdue(level: 1), "an answer: level 1, no 核实")

        let status = try Fixtures.run(dudao, ["status", "--schedules", Fixtures.schedules, "--state-dir", state, "--now", "2026-11-26", "--format", "json"])
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(status.out.utf8)) as? [[String: Any]])
        let court = try #require(rows.first { $0["id"] as? String == "20" && $0["agency"] as? String == "市法院" })
        #expect(court["status"] as? String == "done" && court["light"] as? String == "blue")
        let tax = try #require(rows.first { $0["id"] as? String == "20" && $0["agency"] as? String == "市税务局" })
        #expect(tax["status"] as? String == "open" && tax["light"] as? String == "red")
        #expect(tax["next_planned"] as? String == "2026-11-30T09:00:00+08:00")
        let health = try #require(rows.first { $0["id"] as? String == "17" && $0["agency"] as? String == "市卫健委" })
        #expect(health["status"] as? String == "in_progress")
        #expect((health["last_report"] as? [String: Any])?["next_report"] as? String == "2027-01-15")
        #expect(health["next_planned"] as? String == "2027-01-18T09:00:00+08:00")

        // Bad reports exit 1 and record nothing.
        for args in [["17", "--agency", "市外星局", "--status", "done"], ["17", "--status", "in_progress", "--next-report", "2027-02-30"],
                     ["8", "--status", "extension_requested"], ["8", "--status", "done", "--next-report", "2027-01-15"]] {
            let r = try Fixtures.run(dudao, ["ack"] + args + ["--schedules", Fixtures.schedules, "--state-dir", state])
            #expect(r.status == 1 && r.err.contains("错误 error"), "\(args): \(r.err)")
        }
    }

    @Test func theOfficeReportPreview() throws {
        let state = Fixtures.scratch().path
        _ = try Fixtures.run(dudao, ["ack", "20", "--agency", "市法院", "--status", "done", "--schedules", Fixtures.schedules, "--state-dir", state])
        let text = try Fixtures.run(dudao, ["report", "--schedules", Fixtures.schedules, "--state-dir", state, "--now", "2030-01-07"])
        #expect(text.status == 0, "\(text.err)")
        #expect(text.out.hasPrefix("Subject: 【督办周报】"))
        #expect(text.out.contains("1. 市市场监管局：逾期13项"), "the agency with the most overdue items first")
        let html = try Fixtures.run(dudao, ["report", "--schedules", Fixtures.schedules, "--state-dir", state, "--now", "2030-01-07", "--format", "html"])
        #expect(html.out.contains("bgcolor=\"#c62828\""), "a bar chart without scripts")
        #expect(!html.out.contains("<script"))
        let csv = try Fixtures.run(dudao, ["report", "--schedules", Fixtures.schedules, "--state-dir", state, "--now", "2030-01-07", "--format", "csv"])
        #expect(csv.out.hasPrefix("\u{FEFF}agency,items,units,done,"))
        #expect(csv.out.contains("\r\n市市场监管局,13,13,0,0.0000,0,0,,13,"), "each agency's figures: 13 items led, none done, 13 overdue")
        #expect(csv.out.contains("\r\n市法院,2,2,1,0.5000,"), "item 20 closed for 市法院 alone: one of its two done")
        let md = try Fixtures.run(dudao, ["report", "--schedules", Fixtures.schedules, "--state-dir", state, "--now", "2030-01-07", "--format", "markdown"])
        #expect(md.out.hasPrefix("### 督办工作周报"))
    }
}
