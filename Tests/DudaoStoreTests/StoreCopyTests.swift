import Foundation
import Testing
@testable import DudaoCore
@testable import DudaoStore

/// `dudao store copy`: an office's history moves between engines whole.
struct StoreCopyTests {
    let t = Date(timeIntervalSince1970: 1_735_000_000)

    /// A store with one of everything: reports with a file, sent and skipped notices, sent,
    /// pending and dead outbox entries, how far planning got, a circuit, an account.
    func filled(_ store: StateStore) throws {
        try store.record(ProgressReport(key: ProgressKey(item: "8"), status: .inProgress, note: "已起草", by: "市财政局", at: t))
        try store.record(ProgressReport(key: ProgressKey(item: "9", agency: "市卫健委"), status: .doneReported, by: "市卫健委", at: t + 1,
                                        nextReport: CivilDate(iso: "2027-01-15")),
                         attachments: [Attachment(filename: "方案.pdf", type: "pdf", size: 3, sha256: String(repeating: "b", count: 64))])
        let notices = (0..<3).map { NoticeRef(key: "8/m1/due/2024-12-3\($0)", item: "8") }
        try store.enqueue((0..<3).map { NewOutboxEntry(message: "m\($0)", agency: "市财政局", channel: .email, notices: [notices[$0]], payload: "{\"n\":\($0)}") },
                          skipped: [SkippedNotices(agency: "市税务局", message: "s", notices: [NoticeRef(key: "8/m1/advance/2024-12-01", item: "8")])],
                          plannedUntil: t + 3600, at: t)
        let due = try store.due(at: t)
        try store.record([OutboxResult(due[0], .delivered(at: t + 10))])
        try store.record([OutboxResult(due[1], .dead(error: "550 no such mailbox"))])
        try store.save(CircuitRecord(channel: .email, state: "open", failures: 3, openUntil: t + 30, lastError: "timeout", at: t))
        try store.setAccount(name: "张三", passwordHash: "$2b$11$x", at: t)
        try store.audit(AuditEntry(at: t, actor: "张三", client: "127.0.0.1", action: .login, object: "张三"))
        try store.audit(AuditEntry(at: t + 5, actor: "张三", client: "127.0.0.1", action: .decision, object: "事项8", detail: "同意销号"))
        try store.saveFile(sha256: String(repeating: "b", count: 64), bytes: Data([0x25, 0x50, 0x44, 0x46, 0x00, 0xFF]))
        _ = try store.record(LeadChange(item: "8", agency: "市税务局", added: true, reason: "领导批示", by: "张三", at: t + 6),
                             audit: AuditEntry(at: t + 6, actor: "张三", client: "127.0.0.1", action: .itemLeadAdd))
        _ = try store.documentNumber(kind: "notice", year: 2026, key: "m0", audit: AuditEntry(at: t + 7, actor: "督办系统", client: "local", action: .documentNumber))
    }

    /// Everything a store's readers see, to compare two stores.
    func view(_ s: StateStore) throws -> String {
        let clock = LocalClock(timeZone: TimeZone(identifier: "Asia/Shanghai")!)
        return """
            \(try s.history())
            \(try s.leadChanges().map { "\($0.item) \($0.agency) \($0.added) \($0.at)" }) \(try s.documentNumbers(kind: "notice").map { "\($0.year)-\($0.n) \($0.key)" })
            \(try s.entries())
            \(try s.sentKeys().sorted()) \(try s.skippedCounts()) \(try s.plannedUntil() as Any)
            \(try s.circuits()) \(try s.accounts()) \(try s.attachments(item: "9"))
            \(try s.file(sha256: String(repeating: "b", count: 64)).map { Array($0) } ?? [])
            \(try s.sentLog(item: "8").map { "\($0.agency) \($0.notice) \($0.channel) \($0.at)" })
            \(try s.supervision(clock: clock).history.track(agency: "市财政局", item: "8", milestone: 0).map { "\($0.delivered) \($0.contacted) \($0.claimed.sorted())" } ?? "-")
            """
    }

    @Test(arguments: [(Engine.sqlite, Engine.postgres), (Engine.postgres, Engine.sqlite)])
    func aStoreCopiesWholeIntoAnEmptyOneOnTheOtherEngine(_ from: Engine, _ to: Engine) throws {
        let source = try from.store()
        try filled(source)
        let target = try to.store()
        let summary = try source.copy(to: target)
        #expect(summary.description == "progress 2, attachment 1, attachment_file 1, sent 2, outbox 3, outbox_payload 3, meta 1, circuit 1, account 1, track_summary 0, withdrawal 0, submission 0, audit 4, login_throttle 0, list_revision 0, list_draft 0, agency_revision 0, lead_change 1, document_number 1, sms_event 0, short_link 0, agency_receipt 0")
        let (a, b) = (try view(source), try view(target))
        #expect(a == b, "\(zip(a.split(separator: "\n"), b.split(separator: "\n")).filter { $0 != $1 })")
        #expect(try target.verifyAudit().head == (try source.verifyAudit()).head, "the audit chain arrives whole and still verifies")
        // New records follow the copied ones.
        let next = try target.record(ProgressReport(key: ProgressKey(item: "8"), status: .done, by: "督查室", at: t + 99))
        #expect(next == 3)
        try target.enqueue([NewOutboxEntry(message: "m9", agency: "A", channel: .email, notices: [NoticeRef(key: "1/x", item: "1")], payload: "{}")],
                           plannedUntil: nil, at: t + 99)
        #expect(try target.entries().map(\.id).max() == 4)
        // A second copy into a store that holds state is refused, and writes nothing.
        #expect { try source.copy(to: target) } throws: { "\($0)".contains("already holds state (progress 3") }
        #expect(try target.history().count == 3)
    }
}
