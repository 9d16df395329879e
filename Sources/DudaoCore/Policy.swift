import Foundation

/// When to remind and whom to escalate to. Defaults are DESIGN.md's; every value can be
/// changed in `Schedules/policy.yaml`.
public struct Policy: Hashable, Sendable {
    /// Zone that deadlines (23:59:59) and send times are in.
    public var timeZone: TimeZone
    /// Local time of day messages go out, on a workday.
    public var sendTime: TimeOfDay
    /// Days before a due date to remind (moved to the previous workday when needed).
    public var advanceDays: [Int]
    /// Remind on the due day itself.
    public var dueDay: Bool
    /// Escalation steps after the due date, in increasing `afterDays`.
    public var overdue: [EscalationLevel]
    /// Monthly progress requests for ongoing (持续推进) work.
    public var ongoingMonthly: Bool
    /// Name of the supervising office (督查室) cc'd on escalations; an agency in agencies.yaml.
    public var supervisor: String?
    /// How old a missed notice may be and still be sent after downtime, in seconds.
    public var catchUpSeconds: Int
    /// How long the sent log and delivered messages are kept.
    public var retention: Retention

    /// A policy from its parts.
    public init(timeZone: TimeZone = TimeZone(identifier: "Asia/Shanghai")!,
                sendTime: TimeOfDay = TimeOfDay(hour: 9, minute: 0),
                advanceDays: [Int] = [30, 14, 7, 3, 1],
                dueDay: Bool = true,
                overdue: [EscalationLevel] = EscalationLevel.defaults,
                ongoingMonthly: Bool = true,
                supervisor: String? = nil,
                catchUpSeconds: Int = 3 * 86400,
                retention: Retention = Retention()) {
        self.timeZone = timeZone
        self.sendTime = sendTime
        self.advanceDays = advanceDays
        self.dueDay = dueDay
        self.overdue = overdue
        self.ongoingMonthly = ongoingMonthly
        self.supervisor = supervisor
        self.catchUpSeconds = catchUpSeconds
        self.retention = retention
    }

    /// DESIGN.md's defaults.
    public static let `default` = Policy()
}

/// One step of overdue escalation: from `afterDays` past due, every `everyDays`, until the
/// next level starts.
public struct EscalationLevel: Hashable, Sendable {
    /// 1, 2, …: shown in messages and used in dedup keys.
    public var level: Int
    /// First reminder this many days after the due date.
    public var afterDays: Int
    /// Repeat interval in days.
    public var everyDays: Int
    /// Cc the supervising office.
    public var ccSupervisor: Bool
    /// Cc the agency's leadership contacts.
    public var ccLeadership: Bool

    /// A level from its parts.
    public init(level: Int, afterDays: Int, everyDays: Int, ccSupervisor: Bool, ccLeadership: Bool) {
        self.level = level
        self.afterDays = afterDays
        self.everyDays = everyDays
        self.ccSupervisor = ccSupervisor
        self.ccLeadership = ccLeadership
    }

    /// Level 1 the day after due with the supervising office in cc; level 2 after 30 days
    /// adding the agency's leadership; both weekly.
    public static let defaults = [
        EscalationLevel(level: 1, afterDays: 1, everyDays: 7, ccSupervisor: true, ccLeadership: false),
        EscalationLevel(level: 2, afterDays: 30, everyDays: 7, ccSupervisor: true, ccLeadership: true),
    ]
}

/// A local wall-clock time, `HH:MM` (or `HH:MM:SS`).
public struct TimeOfDay: Hashable, Sendable, CustomStringConvertible {
    /// 0–23.
    public var hour: Int
    /// 0–59.
    public var minute: Int
    /// 0–59.
    public var second: Int

    /// A time; callers validate ranges (see `init?(text:)`).
    public init(hour: Int, minute: Int, second: Int = 0) {
        self.hour = hour
        self.minute = minute
        self.second = second
    }

    /// Parses `9:00`, `09:00` or `09:00:30`; `nil` when malformed or out of range.
    public init?(text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard (2...3).contains(parts.count), (1...2).contains(parts[0].count), parts.dropFirst().allSatisfy({ $0.count == 2 }),
              let h = Int(parts[0]), let m = Int(parts[1]), (0...23).contains(h), (0...59).contains(m) else { return nil }
        let s = parts.count == 3 ? Int(parts[2]) : 0
        guard let s, (0...59).contains(s) else { return nil }
        self.init(hour: h, minute: m, second: s)
    }

    /// Seconds since local midnight.
    public var seconds: Int { hour * 3600 + minute * 60 + second }

    public var description: String {
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(two(hour)):\(two(minute))" + (second > 0 ? ":\(two(second))" : "")
    }
}

/// How long state is kept (policy.yaml `retention:`): the audit trail — the sent log and
/// finished outbox entries — for `audit`, the bodies of delivered messages for `bodies`.
public struct Retention: Hashable, Sendable {
    /// Seconds the sent log and finished outbox entries are kept (default 2 years).
    public var auditSeconds: Int
    /// Seconds the body of a delivered message is kept (default 90 days).
    public var bodySeconds: Int

    /// Retention; defaults: two years, 90 days.
    public init(auditSeconds: Int = 730 * 86400, bodySeconds: Int = 90 * 86400) {
        self.auditSeconds = auditSeconds
        self.bodySeconds = bodySeconds
    }
}
