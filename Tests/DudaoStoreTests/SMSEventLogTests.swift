import Foundation
import Testing
import DudaoCore
import DudaoStore
import DudaoTestSupport

/// SMS reports, replies and 签收 as the store keeps them, on either engine: a report
/// settles the unknown send it names (by the platform's id or Dudao's reference) once; a
/// reply code signs for the agency whose contact has the number; a signature cancels the
/// follow-up still waiting; the facts `Signing` reads come back as recorded.
struct SMSEventLogTests {
    static let clock = LocalClock(timeZone: TimeZone(identifier: "Asia/Shanghai")!)
    static func at(_ text: String) -> Date { clock.parse(text)! }

    func event(_ kind: SMSEvent.Kind, _ mobile: String, receipt: String? = nil, reference: String? = nil, detail: String = "DELIVRD") -> SMSEvent {
        SMSEvent(kind: kind, mobile: mobile, receipt: receipt, reference: reference, detail: detail, time: "t")
    }

    @Test(arguments: Engine.allCases) func reportsSettleOnceAndRepliesSign(_ engine: Engine) throws {
        let store = try engine.store()
        let sent = Self.at("2025-03-10T09:00:00+08:00")
        let a = ChannelID.sms(to: "13800130003"), b = ChannelID.sms(to: "13800138000")
        _ = try store.enqueue([
            NewOutboxEntry(message: "市卫健委@m1", agency: "市卫健委", channel: a, notices: [NoticeRef(key: "1/m1/overdue-2/2025-03-10", item: "1")],
                           payload: "{}", reference: "dA"),
            NewOutboxEntry(message: "市财政局@m1", agency: "市财政局", channel: b, notices: [NoticeRef(key: "2/m1/overdue-2/2025-03-10", item: "2")],
                           payload: "{}", reference: "dB"),
            NewOutboxEntry(message: "市财政局@m0#签收", agency: "市财政局", channel: b, notices: [], payload: "{}"),
        ], plannedUntil: nil, at: sent)
        let entries = try store.entries().sorted { $0.id < $1.id }
        // 市卫健委's send timed out (unknown); 市财政局's was accepted with a receipt.
        try store.record([OutboxResult(entries[0], .unknown(until: sent.addingTimeInterval(7200), error: "timeout")),
                          OutboxResult(entries[1], .delivered(at: sent, receipt: "biz-1"))])
        #expect(try store.unknownSMSCount() == 1)
        let first = try store.recordSMSEvents([event(.delivered, "+8613800130003", reference: "dA"), event(.failed, "13800138000", receipt: "biz-1", detail: "UNDELIV"),
                                               event(.delivered, "13900000000", receipt: "nobody")], platform: "aliyun-sms", at: sent.addingTimeInterval(60))
        #expect(first.new == 3 && first.settled == 1 && first.unmatched == 1 && first.repeated == 0)
        let again = try store.recordSMSEvents([event(.delivered, "+8613800130003", reference: "dA")], platform: "aliyun-sms", at: sent.addingTimeInterval(120))
        #expect(again.new == 0 && again.repeated == 1 && again.settled == 0)
        let after = try store.entries().sorted { $0.id < $1.id }
        #expect(after[0].state == .sent && after[0].unknownUntil == nil && after[0].report?.hasPrefix("送达") == true)
        #expect(after[1].state == .sent && after[1].report == "未送达 UNDELIV", "a report after acceptance is kept beside it")
        #expect(try store.sentKeys().contains("市卫健委|1/m1/overdue-2/2025-03-10"), "the settled send reached the agency")
        #expect(try store.smsEventCounts().map { "\($0.platform) \($0.kind) \($0.count)" } == ["aliyun-sms delivered 2", "aliyun-sms failed 1"])
        #expect(try store.smsEvents(limit: 10).allSatisfy { !$0.mobile.contains("13800130003") && !$0.mobile.contains("13800138000") })
        // A reply 1 from 市财政局's contact signs for it, once; its waiting follow-up is cancelled.
        let agencies = [Agency(name: "市财政局", contacts: [Contact(name: "联络员", mobile: "+8613800138000")]),
                        Agency(name: "市卫健委", contacts: [Contact(name: "联络员", mobile: "13800130003")])]
        let reply = try store.recordSMSEvents([event(.reply, "13800138000", detail: " 1 ")], platform: "aliyun-sms", at: sent.addingTimeInterval(600))
        let signed = try store.signForReplies(reply.newReplies, agencies: agencies, platform: "aliyun-sms", at: sent.addingTimeInterval(600))
        #expect(signed == ["市财政局"])
        let repeated = try store.recordSMSEvents([event(.reply, "13800138000", detail: " 1 ")], platform: "aliyun-sms", at: sent.addingTimeInterval(700))
        #expect(try repeated.newReplies.isEmpty && store.signForReplies(repeated.newReplies, agencies: agencies, platform: "aliyun-sms", at: sent).isEmpty)
        #expect(try store.receipts(agency: "市财政局").map { "\($0.kind.rawValue) \($0.how.rawValue) \($0.actor)" } == ["signed sms 138****8000"])
        #expect(try store.entries().first { $0.message.hasSuffix("#签收") }?.state == .cancelled)
        #expect(try store.lastSigns()["市财政局"] == sent.addingTimeInterval(600))
        // What Signing reads: the deliveries with their messages, the signatures, the follow-ups.
        let facts = try store.signingFacts(since: sent.addingTimeInterval(-86400), clock: Self.clock)
        #expect(Set(facts.deliveries.map(\.message)) == ["市卫健委@m1", "市财政局@m1"] && facts.deliveries.allSatisfy { $0.ladder && $0.level == 2 })
        #expect(facts.signs["市财政局"] == [sent.addingTimeInterval(600)] && facts.followUps["市财政局@m0"] == .failed)
    }
}
