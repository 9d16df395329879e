import Foundation
import Testing
import DudaoTestSupport

/// 督办通知单 and 督查通报 as the service sends them: six Monday mornings of the bundled list,
/// each a new process (`run --once`), a few agencies answering (progress, done and closed,
/// an extension granted, a done report returned, a cancellation) and the rest silent, so
/// agencies climb to 督办 (level 2) and 通报预告 (level 3). Every such email carries its
/// numbered Word document; the numbers run 1, 2, 3… without a gap or a repeat across the
/// restarts, the subject and text name the same number as the document, and the document
/// lists the items with their deadlines and days overdue, the reply link written out and
/// whom to call. The weekly 通报 and a 督办通知单 are read back with python-docx and
/// rendered by LibreOffice (docs/documents/*.png); the month's figures match a Python
/// recomputation from the store's rows.
@Suite(.serialized)
struct NoticeSheetTests {
    @Test func levelTwoAndThreeMessagesCarryNumberedNoticesAndTheReportItsCircular() throws {
        let dir = Fixtures.scratch()
        let state = dir.appendingPathComponent("state").path
        let dudao = ScriptedDudao(schedules: Fixtures.schedules, state: state)
        // A month of the bundled list: the service's Monday mornings, a few agencies answering.
        for day in ["2026-11-02", "2026-11-09", "2026-11-16", "2026-11-23", "2026-11-30", "2026-12-07"] {
            try dudao(["run", "--once", "--now", "\(day)T09:30:00+08:00", "--public-url", "http://127.0.0.1:9"])
            switch day {
            case "2026-11-09": try dudao.ack("1", "市市场监管局", "in_progress", "2026-11-10")
            case "2026-11-16":
                try dudao.ack("2", "市资源规划局", "done_reported", "2026-11-17")
                try dudao.ack("2", "市资源规划局", "done", "2026-11-18")
            case "2026-11-23":
                try dudao.ack("8", "市财政局", "extension_requested", "2026-11-24", due: "2027-06-30")
                try dudao.ack("8", "市财政局", "extended", "2026-11-26", due: "2027-06-30")
            case "2026-11-30":
                try dudao.ack("17", "市卫健委", "done_reported", "2026-12-01")
                try dudao.ack("17", "市卫健委", "open", "2026-12-02")
                try dudao.ack("22", "市卫健委", "reported", "2026-12-01")
                try dudao.ack("9", nil, "cancelled", "2026-12-02")
            default: break
            }
        }
        let found = try TestSupport.python(["Tests/Python/outbox_documents.py", state + "/outbox", dir.appendingPathComponent("docs").path])
        let documents = found["documents"] as? [[String: Any]] ?? []
        let notices = documents.filter { ($0["attachment"] as? String)?.hasPrefix("督办通知单-") == true }
        let circulars = documents.filter { ($0["attachment"] as? String)?.hasPrefix("督查通报-") == true }
        #expect(notices.count > 20 && circulars.count == 6, "\(documents.count) documents: \(notices.count) notices, \(circulars.count) circulars")

        func n(_ number: String?, _ prefix: String, _ suffix: String) -> Int? {
            guard let number, number.hasPrefix(prefix), number.hasSuffix(suffix) else { return nil }
            return Int(number.dropFirst(prefix.count).dropLast(suffix.count))
        }
        let noticeNumbers = notices.compactMap { n($0["number"] as? String, "督办〔2026〕第", "号") }
        try #require(!notices.isEmpty)
        #expect(noticeNumbers.count == notices.count && noticeNumbers.sorted() == Array(1...notices.count),
                "consecutive from 1, none repeated or skipped: \(noticeNumbers.sorted())")
        let circularNumbers = circulars.compactMap { n($0["number"] as? String, "督通〔2026〕", "号") }
        #expect(circularNumbers.sorted() == Array(1...6), "\(circularNumbers)")
        for d in documents {
            let number = d["number"] as? String ?? "?"
            let subject = d["subject"] as? String ?? ""
            #expect(subject.contains(number) && (d["body"] as? String ?? "").contains(number) && (d["attachment"] as? String ?? "").contains(number),
                    "the subject, the text and the file name carry the document's number: \(subject)")
        }
        for d in notices {
            let text = d["text"] as? String ?? ""
            let subject = d["subject"] as? String ?? ""
            #expect(subject.hasPrefix("【督办单】") || subject.hasPrefix("【通报预告】"), "only level-2 and level-3 messages: \(subject)")
            #expect(text.contains("督办通知单") && text.contains("http://127.0.0.1:9/") && text.contains("督查室值班") && text.contains("天"),
                    "the items, the reply link written out, the office's contact: \(text.prefix(600))")
            #expect(text.contains("前向市政府督查室书面说明"), "what is required and by when: \(text.prefix(600))")
        }
        // The layout, read back and rendered; the pictures for docs/.
        let folder = TestSupport.root.appendingPathComponent("docs/documents")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        if let many = notices.max(by: { ($0["text"] as? String ?? "").count < ($1["text"] as? String ?? "").count }) {
            let read = try TestSupport.python(["Tests/Python/read_document.py", many["saved"] as? String ?? "", many["number"] as? String ?? "",
                                               folder.appendingPathComponent("notice.png").path])
            #expect((read["body_lines"] as? [Int])?.allSatisfy { $0 <= 22 } == true && read["pdf_size"] as? String == "595.304 x 841.89 pts (A4)", "\(read)")
        }
        if let last = circulars.last {
            let read = try TestSupport.python(["Tests/Python/read_document.py", last["saved"] as? String ?? "", last["number"] as? String ?? "",
                                               folder.appendingPathComponent("circular.png").path])
            #expect((read["body_lines"] as? [Int])?.allSatisfy { $0 <= 22 } == true && read["pdf_size"] as? String == "595.304 x 841.89 pts (A4)", "\(read)")
            let text = last["text"] as? String ?? ""
            #expect(text.contains("按期完成率") && text.contains("逾期事项较多的单位") && text.contains("有关要求"), "\(text.prefix(800))")
        }

        // The month's figures, recomputed from the store's rows in Python, match Dudao's.
        let workbook = dir.appendingPathComponent("figures.xlsx").path
        try dudao(["report", "--now", "2026-12-07T08:00:00+08:00", "--period", "month", "--format", "xlsx", "-o", workbook])
        let figures = try TestSupport.python(["Tests/Python/recompute_figures.py", state + "/dudao.sqlite",
                                              Fixtures.schedules + "/zhengzhou-2024.yaml", Fixtures.schedules + "/calendar/2026.yaml", workbook,
                                              Fixtures.schedules + "/agencies.yaml"])
        let ours = figures["ours"] as? [String: [String: Int]] ?? [:]
        let theirs = (figures["dudao"] as? [String: [String: Any]] ?? [:]).mapValues { $0.mapValues { ($0 as? NSNumber)?.intValue ?? -1 } }
        #expect(ours.count > 20 && ours == theirs, "\(ours.filter { theirs[$0.key] != $0.value }) vs \(theirs.filter { ours[$0.key] != $0.value })")
        #expect(ours["市卫健委"]?["returned"] == 1 && (ours["市卫健委"]?["responses"] ?? 0) >= 1, "\(ours["市卫健委"] ?? [:])")
        #expect(ours["市资源规划局"]?["done"] == 1 && ours["市资源规划局"]?["overdue"] == 1, "item 2 closed, item 20 still overdue: \(ours["市资源规划局"] ?? [:])")

        // Not a document: earlier rungs (核实, 催办) carry none.
        let r = try Fixtures.run("/usr/bin/env", ["grep", "-rlE", "notice.docx", state + "/outbox/2026-11-02"])
        #expect(r.out.isEmpty, "the first week's messages are 核实 and reminders: \(r.out)")
    }
}
