import Foundation
import Logging
import Testing
import DudaoCore
import DudaoStore
import DudaoTestSupport
@testable import DudaoDelivery
@testable import DudaoService

/// When SMS are enqueued to go: within the window the calendar and `sms.quiet` leave, and
/// no more than `sms.per_day` to one number on one day — what is already in the outbox
/// counting — the rest on the next day the window opens.
struct SMSBudgetTests {
    @Test func aNumbersDailyBudgetAndTheQuietHoursMoveSMSToTheNextWorkingMorning() throws {
        let base = TestSupport.scratch("dudao-sms-budget")
        let schedules = base.appendingPathComponent("Schedules")
        try FileManager.default.createDirectory(at: schedules, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: TestSupport.root.appendingPathComponent("Schedules/calendar"), to: schedules.appendingPathComponent("calendar"))
        func write(_ name: String, _ text: String) throws { try Data(text.utf8).write(to: schedules.appendingPathComponent(name)) }
        try write("policy.yaml", "supervisor: 督查室\n")
        try write("agencies.yaml", """
            agencies:
              - name: 督查室
                contacts: [{name: 联络员, email: office@zhengzhou.example}]
              - name: 市卫健委
                contacts: [{name: 联络员, email: wjw@zhengzhou.example, mobile: "13800138000"}]

            """)
        try write("list.yaml", "title: 清单\nitems:\n  - {id: \"1\", title: 托育服务, lead: [市卫健委], due_text: \"2025年3月\"}\n")
        let secret = base.appendingPathComponent("sms-secret")
        try Data("s3cret".utf8).write(to: secret)
        try write("channels.yaml", """
            outbox_dir: \(base.path)/outbox
            sms:
              type: cmcc-mas
              url: http://127.0.0.1:9/sms/norsubmit
              secret_key: {file: \(secret.path)}
              ec_name: e
              ap_id: a
              sign: s
              per_day: 2
              quiet: "20:00-08:00"

            """)
        let store = try StateStore(directory: base.appendingPathComponent("state").path)
        let cycle = try ServiceCycle.load(schedules: schedules.path, stateDirectory: base.appendingPathComponent("state").path,
                                          templates: TestSupport.root.appendingPathComponent("Templates").path,
                                          store: store, logger: Logger(label: "t"))
        let clock = LocalClock(timeZone: TimeZone(identifier: "Asia/Shanghai")!)
        let channel = ChannelID.sms(to: "13800138000"), other = ChannelID.sms(to: "13900139000")
        func sms(_ i: Int, _ c: ChannelID = channel) -> PreparedDelivery {
            PreparedDelivery(message: "m\(i)", agency: "市卫健委", channel: c, notices: [], payload: "{}", failure: nil)
        }
        // Friday 7 March 2025, 19:00: two go now, the third on Monday 08:00; another number is not held back.
        let friday = clock.parse("2025-03-07T19:00:00+08:00")!, monday = clock.parse("2025-03-10T08:00:00+08:00")!
        let email = PreparedDelivery(message: "m0", agency: "市卫健委", channel: .email, notices: [], payload: "{}", failure: nil)
        #expect(try cycle.smsTimes([email, sms(1), sms(2), sms(3), sms(4, other)], notBefore: friday) == [nil, friday, friday, monday, friday])
        // 20:30 is quiet: Monday 08:00.
        #expect(try cycle.smsTimes([sms(5)], notBefore: clock.parse("2025-03-07T20:30:00+08:00")!) == [monday])
        // What the outbox already holds for Monday counts against Monday's budget.
        _ = try store.enqueue([NewOutboxEntry(message: "x1", agency: "市卫健委", channel: channel, notices: [], payload: "{}", notBefore: monday),
                               NewOutboxEntry(message: "x2", agency: "市卫健委", channel: channel, notices: [], payload: "{}", notBefore: monday)],
                              plannedUntil: nil, at: friday)
        #expect(try cycle.smsTimes([sms(6)], notBefore: monday) == [clock.parse("2025-03-11T08:00:00+08:00")!])
    }
}
