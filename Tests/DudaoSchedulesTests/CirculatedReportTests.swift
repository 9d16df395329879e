import Foundation
import Testing
import DudaoTestSupport

/// The figures and the 督查通报 from outside: a scripted quarter of replies and decisions
/// (on time, late, returned, extended, cancelled, one lead of two closing alone, one agency
/// silent), reminders really sent by the service, then the figures Dudao reports compared
/// with the ones a Python script recomputes from the store's records, the list and the
/// calendar; and the 通报 read back with python-docx and rendered by LibreOffice.
@Suite(.serialized)
struct CirculatedReportTests {
    static let list = """
        title: 第四季度重点任务
        items:
        - {id: "1", title: 按期办结的事项, lead: [市市场监管局], partners: [], due_text: 2026年9月30日, milestones: [{due: 2026-09-30, text: 2026年9月30日}]}
        - {id: "2", title: 逾期办结的事项, lead: [市卫健委], partners: [], due_text: 2026年10月15日, milestones: [{due: 2026-10-15, text: 2026年10月15日}]}
        - {id: "3", title: 退回后办结的事项, lead: [市财政局], partners: [], due_text: 2026年11月25日, milestones: [{due: 2026-11-25, text: 2026年11月25日}]}
        - {id: "4", title: 同意延期的事项, lead: [市市场监管局], partners: [], due_text: 2026年11月13日, milestones: [{due: 2026-11-13, text: 2026年11月13日}]}
        - {id: "5", title: 撤销的事项, lead: [市卫健委], partners: [], due_text: 2026年11月20日, milestones: [{due: 2026-11-20, text: 2026年11月20日}]}
        - {id: "6", title: 两家牵头一家办结的事项, lead: [市市场监管局, 市财政局], partners: [], due_text: 2026年11月24日, milestones: [{due: 2026-11-24, text: 2026年11月24日}]}
        - {id: "7", title: 一直未报的事项, lead: [市卫健委], partners: [], due_text: 2026年9月15日, milestones: [{due: 2026-09-15, text: 2026年9月15日}]}
        - {id: "8", title: 尚未到期的事项, lead: [市财政局], partners: [], due_text: 2026年12月31日, milestones: [{due: 2026-12-31, text: 2026年12月31日}]}
        """

    @Test func theFiguresMatchAnIndependentComputationAndTheCircularHasTheOfficialLayout() throws {
        let dir = Fixtures.scratch()
        let schedules = Fixtures.copyOfSchedules()
        try FileManager.default.removeItem(at: schedules.appendingPathComponent("zhengzhou-2024.yaml"))
        let listPath = Fixtures.write(Self.list, "quarter.yaml", in: schedules)
        let state = dir.appendingPathComponent("state").path
        let dudao = ScriptedDudao(schedules: schedules.path, state: state)
        // The service's mornings: reminders before the deadlines and chasing after them.
        for day in ["2026-09-01", "2026-09-14", "2026-09-29", "2026-10-12", "2026-10-19", "2026-11-02", "2026-11-09", "2026-11-16",
                    "2026-11-23"] {
            try dudao(["run", "--once", "--now", "\(day)T09:30:00+08:00"])
            switch day {
            case "2026-09-29":
                try dudao.ack("1", "市市场监管局", "done_reported", "2026-09-29")
                try dudao.ack("1", "市市场监管局", "done", "2026-09-30")
            case "2026-10-19":
                try dudao.ack("2", "市卫健委", "done_reported", "2026-10-20")
                try dudao.ack("2", "市卫健委", "done", "2026-10-21")
            case "2026-11-02":
                try dudao.ack("5", nil, "cancelled", "2026-11-02")
                try dudao.ack("4", "市市场监管局", "extension_requested", "2026-11-05", due: "2026-12-31")
                try dudao.ack("4", "市市场监管局", "extended", "2026-11-06", due: "2026-12-31")
            case "2026-11-16":
                try dudao.ack("8", "市财政局", "in_progress", "2026-11-16")
            case "2026-11-23":
                try dudao.ack("3", "市财政局", "done_reported", "2026-11-24")
                try dudao.ack("3", "市财政局", "open", "2026-11-25")
                try dudao.ack("3", "市财政局", "done_reported", "2026-11-26")
                try dudao.ack("3", "市财政局", "done", "2026-11-27")
                try dudao.ack("6", "市财政局", "done_reported", "2026-11-23")
                try dudao.ack("6", "市财政局", "done", "2026-11-24")
            default: break
            }
        }
        let now = "2026-12-07T08:00:00+08:00"
        let workbook = dir.appendingPathComponent("figures.xlsx").path
        try dudao(["report", "--now", now, "--period", "month", "--format", "xlsx", "-o", workbook])
        let figures = try TestSupport.python(["Tests/Python/recompute_figures.py", state + "/dudao.sqlite", listPath,
                                              schedules.appendingPathComponent("calendar/2026.yaml").path, workbook])
        let ours = figures["ours"] as? [String: [String: Int]] ?? [:]
        let theirs = (figures["dudao"] as? [String: [String: Any]] ?? [:]).mapValues { $0.mapValues { ($0 as? NSNumber)?.intValue ?? -1 } }
        #expect(Set(ours.keys) == ["市市场监管局", "市卫健委", "市财政局"], "\(figures)")
        #expect(ours == theirs, "Dudao's figures and the recomputation: \(figures)")
        // The script meant these: the period runs from the last report (11-23), so item 3
        // (closed after its deadline of 11-25, once returned) and item 6 for 市财政局 (on
        // time) fall due in it; item 7 has been overdue since 2026-09-15.
        #expect(ours["市财政局"]?["returned"] == 1 && ours["市财政局"]?["due"] == 2 && ours["市财政局"]?["on_time"] == 1, "\(figures)")
        #expect(ours["市卫健委"]?["overdue"] == 1 && ours["市卫健委"]?["longest"] == 83 && ours["市卫健委"]?["units"] == 2, "\(figures)")
        #expect(ours["市市场监管局"]?["overdue"] == 1, "item 6 is still open for 市市场监管局: \(figures)")
        #expect((ours.values.map { $0["responses"] ?? 0 }.reduce(0, +)) > 0, "some agency answered a reminder in the period: \(figures)")

        // The same in the text report.
        let text = try dudao(["report", "--now", now, "--period", "month"])
        #expect(text.contains("二、主要指标") && text.contains("退回1件"), "\(text)")
        #expect(text.contains("1. 事项7“一直未报的事项”（市卫健委）：完成时限2026年9月15日，已逾期83天"), "\(text)")

        // The 督查通报: numbered from the store's sequence — the service numbered the seven
        // Monday reports it sent (1 to 7), so this one is 8 — and the same number asked again.
        let sent = try Fixtures.run("/usr/bin/env", ["python3", "-c", "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(\"SELECT group_concat(n) FROM document_number WHERE kind='report'\").fetchone()[0])", state + "/dudao.sqlite"])
        #expect(sent.out.trimmingCharacters(in: .whitespacesAndNewlines) == "1,2,3,4,5,6,7", "\(sent.out)")
        let docx = dir.appendingPathComponent("通报.docx").path
        #expect(try dudao(["report", "--now", now, "--format", "docx", "-o", docx]).contains("督通〔2026〕8号"))
        #expect(try dudao(["report", "--now", now, "--format", "docx", "-o", docx]).contains("督通〔2026〕8号"), "the same report keeps its number")
        #expect(try dudao(["report", "--now", now, "--format", "docx", "-o", dir.appendingPathComponent("draft.docx").path, "--draft"]).contains("草稿"))
        let png = dir.appendingPathComponent("circular.png").path
        let read = try TestSupport.python(["Tests/Python/read_document.py", docx, "督通〔2026〕8号", png])
        #expect(read["pdf_size"] as? String == "595.304 x 841.89 pts (A4)", "\(read)")
        #expect((read["body_lines"] as? [Int])?.allSatisfy { $0 <= 22 } == true, "\(read)")
        let next = dir.appendingPathComponent("next.docx").path
        #expect(try dudao(["report", "--now", "2026-12-14T08:00:00+08:00", "--format", "docx", "-o", next]).contains("督通〔2026〕9号"),
                "the next report takes the next number, after a restart of the process")
        // Bad use: a binary format without a file, a draft of something not a document.
        let bad = try Fixtures.run(Fixtures.dudao, ["report", "--format", "docx", "--schedules", schedules.path, "--state-dir", state])
        #expect(bad.status != 0 && bad.err.contains("-o"), "\(bad.err)")
    }
}
