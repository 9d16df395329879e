import Foundation

/// When to remind, how to chase, and what the office hears. Defaults are what a 督查室
/// would set (README "The supervision loop"); every value can be changed in
/// `Schedules/policy.yaml`.
public struct Policy: Hashable, Sendable {
    /// Zone that deadlines (23:59:59) and send times are in.
    public var timeZone: TimeZone
    /// Local time of day messages go out, on a workday.
    public var sendTime: TimeOfDay
    /// Days before a due date to remind (moved to the previous workday when needed).
    public var advanceDays: [Int]
    /// Remind on the due day itself.
    public var dueDay: Bool
    /// How overdue work is chased.
    public var ladder: Ladder
    /// Workdays a report pauses chasing while the office reviews it.
    public var reviewDays: Int
    /// Monthly progress reports on ongoing (持续推进) work.
    public var ongoing: OngoingReports
    /// Traffic-light thresholds.
    public var lights: LightRule
    /// The office's own report.
    public var officeReport: OfficeReportSchedule
    /// Name of the supervising office (督查室): receives the office report, and copies
    /// where a ladder level asks; an agency in agencies.yaml.
    public var supervisor: String?
    /// How old a missed notice may be and still be sent after downtime, in seconds.
    public var catchUpSeconds: Int
    /// How long the sent log and delivered messages are kept.
    public var retention: Retention
    /// How the office reviews reports: evidence required, how long a decision can be withdrawn.
    public var review: ReviewRules
    /// 签收: how long an agency has to sign for a notice, and what follows if it does not;
    /// nil when notices are not signed for (every delivered message counts as before).
    public var sign: SignPolicy? = nil

    /// A policy from its parts.
    public init(timeZone: TimeZone = TimeZone(identifier: "Asia/Shanghai")!,
                sendTime: TimeOfDay = TimeOfDay(hour: 9, minute: 0),
                advanceDays: [Int] = [30, 14, 7, 3, 1],
                dueDay: Bool = true,
                ladder: Ladder = Ladder(),
                reviewDays: Int = 10,
                ongoing: OngoingReports = OngoingReports(),
                lights: LightRule = LightRule(),
                officeReport: OfficeReportSchedule = OfficeReportSchedule(),
                supervisor: String? = nil,
                catchUpSeconds: Int = 3 * 86400,
                retention: Retention = Retention(),
                review: ReviewRules = ReviewRules()) {
        self.timeZone = timeZone
        self.sendTime = sendTime
        self.advanceDays = advanceDays
        self.dueDay = dueDay
        self.ladder = ladder
        self.reviewDays = reviewDays
        self.ongoing = ongoing
        self.lights = lights
        self.officeReport = officeReport
        self.supervisor = supervisor
        self.catchUpSeconds = catchUpSeconds
        self.retention = retention
        self.review = review
    }

    /// The defaults.
    public static let `default` = Policy()
}

/// Ongoing work (持续推进) reports monthly: by `reportDay` of each month for the month
/// before, with a request `remindWorkdaysBefore` workdays ahead. A missed report climbs
/// the ladder.
public struct OngoingReports: Hashable, Sendable {
    /// Monthly requests at all.
    public var enabled: Bool
    /// Day of the month the report is due by (1–28; the next workday when it is a day off).
    public var reportDay: Int
    /// Workdays before the report day that the request goes out.
    public var remindWorkdaysBefore: Int

    /// Reports by the 5th, asked for 3 workdays ahead.
    public init(enabled: Bool = true, reportDay: Int = 5, remindWorkdaysBefore: Int = 3) {
        self.enabled = enabled
        self.reportDay = reportDay
        self.remindWorkdaysBefore = remindWorkdaysBefore
    }
}

/// When the office gets its report: weekly on `weekday`, and on the first workday of each
/// month copying the office's leadership when `monthly`.
public struct OfficeReportSchedule: Hashable, Sendable {
    /// ISO weekday (1 = Monday) of the weekly report; `nil` for none.
    public var weekday: Int?
    /// A monthly report to the office's leadership as well.
    public var monthly: Bool
    /// 文号 of the 督查通报, from a yearly sequence: `{year}` and `{n}` are filled in.
    public var number = "督通〔{year}〕{n}号"
    /// 文号 of each 督办通知单, from its own yearly sequence.
    public var noticeNumber = "督办〔{year}〕第{n}号"
    /// 主送机关 of the 通报.
    public var addressee = "各有关单位"
    /// How many items the short list of the longest overdue names, and how many agencies
    /// each end of the ranking (红榜, 黑榜).
    public var lengths = Assessment.Lengths()

    /// Weekly on Monday; no monthly one.
    public init(weekday: Int? = 1, monthly: Bool = false) {
        self.weekday = weekday
        self.monthly = monthly
    }
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

/// policy.yaml `review:` — the office's review of what agencies report.
public struct ReviewRules: Hashable, Sendable {
    /// A done report must carry at least one file of evidence (佐证材料); otherwise it is
    /// accepted and marked 未附佐证材料 for the reviewer.
    public var requireEvidence: Bool
    /// Seconds after a decision during which the office may withdraw it (撤回决定), as long
    /// as the agency has not been told yet.
    public var withdrawSeconds: Int

    /// Evidence optional; 24 hours to withdraw.
    public init(requireEvidence: Bool = false, withdrawSeconds: Int = 86400) {
        self.requireEvidence = requireEvidence
        self.withdrawSeconds = withdrawSeconds
    }
}
