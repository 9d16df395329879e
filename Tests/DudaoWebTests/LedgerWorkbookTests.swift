import Foundation
import Testing
import DudaoCore
import DudaoSchedules
import DudaoTestSupport

/// The 台账 in Excel: `status --format xlsx` (and the console's download) writes one sheet
/// per list in the importer's layout with where each item stands — Chinese headers, a
/// frozen bold header, widths, real dates — and importing a sheet back gives the same items.
struct LedgerWorkbookTests {
    let base = TestSupport.scratch("dudao-ledger")
    var schedules: URL { base.appendingPathComponent("Schedules") }

    init() throws {
        let fm = FileManager.default
        try fm.createDirectory(at: schedules, withIntermediateDirectories: true)
        for name in ["calendar", "agencies.yaml", "policy.yaml", "zhengzhou-2024.yaml"] {
            try fm.copyItem(at: TestSupport.root.appendingPathComponent("Schedules/\(name)"), to: schedules.appendingPathComponent(name))
        }
        try Data("""
            title: 第二批事项
            items:
              - {id: "B1", title: "医保<结算>一件事", content: "跨省直接结算", measures: [梳理流程, 上线系统], lead: [市医保局, 市卫健委], partners: [市财政局], due_text: "2027年3月底前完成系统上线；2027年6月底前全面推开"}
              - {id: "B2", title: 社区食堂, lead: [市民政局], due_text: 持续推进}

            """.utf8).write(to: schedules.appendingPathComponent("second.yaml"))
        try fm.copyItem(at: TestSupport.root.appendingPathComponent("Templates"), to: base.appendingPathComponent("Templates"))
        try Data("outbox_dir: \(base.appendingPathComponent("outbox").path)\n".utf8).write(to: schedules.appendingPathComponent("channels.yaml"))
    }

    func dudao(_ args: [String], schedules folder: URL? = nil) throws -> TestSupport.Result {
        try TestSupport.run(TestSupport.dudao, args + ["--schedules", (folder ?? schedules).path, "--state-dir", base.appendingPathComponent("state").path])
    }

    @Test func theLedgerOpensInExcelAndImportsBackAsTheSameItems() throws {
        #expect(try dudao(["run", "--once", "--now", "2026-11-30T10:00:00+08:00"]).status == 0)
        #expect(try dudao(["ack", "20", "--agency", "市法院", "--status", "reported", "--now", "2026-12-01T10:00"]).status == 0)
        #expect(try dudao(["ack", "20", "--agency", "市税务局", "--status", "done", "--now", "2026-12-01T11:00"]).status == 0)
        #expect(try dudao(["ack", "B1", "--agency", "市医保局", "--status", "in_progress", "--now", "2026-12-01T11:00"]).status == 0)
        let file = base.appendingPathComponent("台账.xlsx").path
        let r = try dudao(["status", "--format", "xlsx", "-o", file, "--now", "2026-12-02T10:00:00+08:00"])
        #expect(r.status == 0, "\(r.err)")

        let book = try TestSupport.python(["Tests/Python/read_ledger.py", file])
        let sheets = try #require(book["sheets"] as? [[String: Any]])
        let set = ScheduleSet.load(schedules.path)
        #expect(sheets.map { $0["title"] as? String ?? "" } == set.listTitles.map(\.title), "one sheet per list")
        for sheet in sheets {
            #expect(sheet["header"] as? [String] == ["序号", "事项", "主要内容", "具体举措", "牵头单位", "配合单位", "完成时间",
                                                     "状态", "灯", "督办等级", "已提醒", "最近报送", "下次提醒"])
            #expect(sheet["bold"] as? Bool == true && sheet["freeze"] as? String == "A2")
            #expect((sheet["widths"] as? [Double])?[1] == 30, "the title column is wide")
        }
        let main = try #require(sheets.first { ($0["title"] as? String)?.contains("营商环境") == true })
        let rows = try #require(main["rows"] as? [[Any]])
        #expect(rows.count == 23 && main["filter"] as? String == "A1:M24")
        let court = try #require(rows.first { $0[0] as? String == "20" })
        let states = (court[7] as? String ?? "").split(separator: "\n")
        #expect(states.contains("市法院：已报送进展") && states.contains("市税务局：已销号"), "each lead's state on its line: \(court[7])")
        #expect((court[11] as? [String: Any])?["date"] as? String == "2026-12-01T00:00:00", "the last report is a real date: \(court[11])")
        let first = try #require(rows.first { $0[0] as? String == "1" })
        #expect(first[10] as? Int == 1, "reminders sent, as a number: \(first[10])")
        let next = try #require(first[12] as? [String: Any], "the next reminder is a real date and time")
        #expect((next["format"] as? String ?? "").contains("hh:mm") && (next["date"] as? String ?? "") > "2026-12-02")

        // Each sheet imports back as the same items.
        let back = base.appendingPathComponent("Back")
        try FileManager.default.createDirectory(at: back, withIntermediateDirectories: true)
        for name in ["calendar", "agencies.yaml", "policy.yaml"] {
            try FileManager.default.copyItem(at: schedules.appendingPathComponent(name), to: back.appendingPathComponent(name))
        }
        for (k, title) in set.listTitles.map(\.title).enumerated() {
            let imported = try TestSupport.run(TestSupport.dudao, ["import", file, "--sheet", title, "-o", back.appendingPathComponent("list\(k).yaml").path])
            #expect(imported.status == 0, "\(imported.err)")
        }
        let again = ScheduleSet.load(back.path)
        #expect(!again.diagnostics.hasErrors, "\(again.diagnostics.errors)")
        func shape(_ i: Item) -> String {
            [i.id, i.title, i.content, i.measures.joined(separator: "|"), i.lead.joined(separator: "、"), i.partners.joined(separator: "、"),
             String(i.partnersAndOthers), i.dueText, String(i.ongoing), i.milestones.map { "\($0.due.iso) \($0.text)" }.joined(separator: "|")].joined(separator: "\n")
        }
        #expect(again.items.count == set.items.count)
        for (a, b) in zip(set.items, again.items) { #expect(shape(a) == shape(b)) }
    }

    @Test func aWorkbookThatCannotBeWrittenIsAnErrorAndNothingIsLeft() throws {
        let r = try dudao(["status", "--format", "xlsx", "-o", base.appendingPathComponent("no/such/folder/台账.xlsx").path, "--now", "2026-12-02T10:00:00+08:00"])
        #expect(r.status == 1 && r.err.contains("台账.xlsx") && r.err.contains("无法写入"), "\(r.err)")
        #expect(try dudao(["status", "--format", "xlsx"]).status != 0, "-o is required")
        #expect(try FileManager.default.contentsOfDirectory(atPath: base.path).allSatisfy { !$0.hasSuffix(".tmp") })
    }
}
