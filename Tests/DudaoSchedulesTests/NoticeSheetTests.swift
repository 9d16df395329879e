import Foundation
import Testing
import DudaoTestSupport

/// 督办通知单 and 督查通报 as the service sends them: six Monday mornings of the bundled list,
/// each a new process (`run --once`), with nobody answering, so agencies climb to 督办
/// (level 2) and 通报预告 (level 3). Every such email carries its numbered Word document;
/// the numbers run 1, 2, 3… without a gap or a repeat across the restarts, the subject and
/// text name the same number as the document, and the document lists the items with their
/// deadlines and days overdue, the reply link written out and whom to call.
@Suite(.serialized)
struct NoticeSheetTests {
    @Test func levelTwoAndThreeMessagesCarryNumberedNoticesAndTheReportItsCircular() throws {
        let dir = Fixtures.scratch()
        let state = dir.appendingPathComponent("state").path
        for day in ["2026-11-02", "2026-11-09", "2026-11-16", "2026-11-23", "2026-11-30", "2026-12-07"] {
            let r = try Fixtures.run(Fixtures.dudao, ["run", "--once", "--now", "\(day)T09:30:00+08:00", "--schedules", Fixtures.schedules,
                                                      "--state-dir", state, "--public-url", "http://127.0.0.1:9"])
            #expect(r.status == 0, "\(day): \(r.err)")
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
        // Not a document: earlier rungs (核实, 催办) carry none.
        let r = try Fixtures.run("/usr/bin/env", ["grep", "-rlE", "notice.docx", state + "/outbox/2026-11-02"])
        #expect(r.out.isEmpty, "the first week's messages are 核实 and reminders: \(r.out)")
    }
}
