import Foundation
import DudaoCore
import DudaoSchedules
import DudaoStore

/// What `status` says about SMS and 签收: the platform's reports and replies recorded, the
/// sends whose outcome is unknown, and who has not signed in time. Numbers never appear.
enum SMSLines {
    static func text(_ store: StateStore, set: ScheduleSet, clock: LocalClock, now: Date) throws -> [String] {
        var lines: [String] = []
        let counts = try store.smsEventCounts()
        if !counts.isEmpty {
            let names = ["delivered": "送达", "failed": "未送达", "reply": "回复"]
            lines.append("短信回执 SMS reports: " + counts.map { "\($0.platform) \(names[$0.kind] ?? $0.kind) \($0.count)" }.joined(separator: " · "))
        }
        let unknown = try store.unknownSMSCount()
        if unknown > 0 { lines.append("短信结果不明 SMS with unknown outcome: \(unknown) 条 waiting for the platform's report") }
        if let policy = set.policy.sign {
            let unsigned = try store.signing(policy, calendar: set.calendar, clock: clock, now: now, canFollowUp: { _ in false }).unsigned
            if !unsigned.isEmpty {
                lines.append("未签收 not signed for in time: " + unsigned.sorted { ($1.value, $0.key) < ($0.value, $1.key) }
                    .map { "\($0.key)（\($0.value)）" }.joined(separator: "、"))
            }
        }
        return lines
    }
}
