import Foundation
import DudaoCore

/// `Schedules/policy.yaml`: when to remind, how to chase (the ladder), what the office hears. Every key is optional and
/// defaults to DESIGN.md's policy; unknown keys and bad values are errors with their line.
public enum PolicyFile {
    static let keys = ["timezone", "send_time", "supervisor", "advance_days", "due_day", "overdue", "review_days", "ongoing",
                       "lights", "report", "catch_up", "templates_dir", "attach_calendar", "report_to", "retention",
                       "review", "sign"]

    /// How messages look, beside when they are sent.
    public struct MessageSettings: Hashable, Sendable {
        /// Template folder; relative paths are taken from the folder holding Schedules/.
        public var templatesDirectory = "Templates"
        /// Attach an `.ics` with the deadline to emails.
        public var attachCalendar = false
        /// Where agencies report progress, shown in every message.
        public var reportTo: String?
    }

    /// Reads the policy; defaults for anything absent or wrong (wrong values are also in `diag`).
    public static func read(_ path: String, into diag: inout Diagnostics) -> Policy {
        readAll(path, into: &diag).policy
    }

    /// Reads the policy and the message settings.
    public static func readAll(_ path: String, into diag: inout Diagnostics) -> (policy: Policy, messages: MessageSettings) {
        var policy = Policy.default
        var messages = MessageSettings()
        guard let doc = YAMLDocument.read(path, into: &diag), let top = doc.rootMap(into: &diag) else { return (policy, messages) }
        top.checkKeys(keys, into: &diag)
        if let t = top.string("templates_dir", into: &diag) { messages.templatesDirectory = t }
        if let a = top.bool("attach_calendar", into: &diag) { messages.attachCalendar = a }
        messages.reportTo = top.string("report_to", into: &diag)

        if let tz = top.string("timezone", into: &diag) {
            if let zone = TimeZone(identifier: tz) { policy.timeZone = zone }
            else { diag.error(path, line: top.line("timezone"), "未知时区 unknown time zone “\(tz)” (e.g. Asia/Shanghai)") }
        }
        if let t = top.string("send_time", into: &diag) {
            if let time = TimeOfDay(text: t) { policy.sendTime = time }
            else { diag.error(path, line: top.line("send_time"), "send_time 应为 HH:MM must be HH:MM, not “\(t)”") }
        }
        policy.supervisor = top.string("supervisor", into: &diag)
        if let days = top.strings("advance_days", into: &diag) {
            var values: [Int] = []
            for d in days {
                guard let v = Int(d), (1...366).contains(v) else {
                    diag.error(path, line: top.line("advance_days"), "advance_days 应为 1–366 的整数 must be whole numbers 1–366, not “\(d)”")
                    continue
                }
                if values.contains(v) { diag.error(path, line: top.line("advance_days"), "advance_days 重复 repeats \(v)") }
                values.append(v)
            }
            policy.advanceDays = values.sorted(by: >)
        }
        if let d = top.bool("due_day", into: &diag) { policy.dueDay = d }
        if let ladder = LadderSection.read(top, into: &diag) { policy.ladder = ladder }
        if let d = top.int("review_days", in: 0...60, unit: "workdays", into: &diag) { policy.reviewDays = d }
        if let ongoing = top.map("ongoing", into: &diag) {
            readOngoing(ongoing, into: &policy.ongoing, diag: &diag)
        }
        if let lights = top.map("lights", into: &diag) {
            lights.checkKeys(["soon_days", "quiet_days"], into: &diag)
            if let d = lights.int("soon_days", in: 0...366, into: &diag) { policy.lights.soonDays = d }
            if let d = lights.int("quiet_days", in: 1...366, into: &diag) { policy.lights.quietDays = d }
        }
        if let report = top.map("report", into: &diag) {
            report.checkKeys(["weekly", "monthly", "number", "notice_number", "to", "worst_items", "ranking"], into: &diag)
            if let w = report.string("weekly", into: &diag) {
                if w == "off" { policy.officeReport.weekday = nil }
                else if let day = LadderSection.weekday(w) { policy.officeReport.weekday = day }
                else { diag.error(path, line: report.line("weekly"), "report.weekly 应为星期几或 off must be a weekday or off, not “\(w)”") }
            }
            if let m = report.bool("monthly", into: &diag) { policy.officeReport.monthly = m }
            for key in ["number", "notice_number"] {
                guard let text = report.string(key, into: &diag) else { continue }
                guard text.contains("{n}"), text.count <= 40, !text.contains(where: \.isNewline) else {
                    diag.error(path, line: report.line(key), "report.\(key) 应含 {n}（序号），可含 {year}，不超过 40 字 must hold {n} (and may hold {year}), up to 40 characters, like 督通〔{year}〕{n}号; not “\(text)”")
                    continue
                }
                if key == "number" { policy.officeReport.number = text } else { policy.officeReport.noticeNumber = text }
            }
            if let to = report.string("to", into: &diag) {
                if to.isEmpty || to.count > 200 { diag.error(path, line: report.line("to"), "report.to（主送机关）应为 1–200 字 must be 1 to 200 characters") }
                else { policy.officeReport.addressee = to }
            }
            if let n = report.int("worst_items", in: 1...100, into: &diag) { policy.officeReport.lengths.worstItems = n }
            if let n = report.int("ranking", in: 1...50, into: &diag) { policy.officeReport.lengths.ranking = n }
        }
        if let c = top.string("catch_up", into: &diag) {
            if let s = duration(c) { policy.catchUpSeconds = s }
            else { diag.error(path, line: top.line("catch_up"), "catch_up 应为不超过 36500d 的时长 must be a duration up to 36500d, like 3d, 12h or 30m, not “\(c)”") }
        }
        if let r = top.map("retention", into: &diag) {
            r.checkKeys(["audit", "bodies"], into: &diag)
            for key in ["audit", "bodies"] {
                guard let text = r.string(key, into: &diag) else { continue }
                guard let s = duration(text), s >= 86400 else {
                    diag.error(path, line: r.line(key), "retention.\(key) 应为一天至 36500d 的时长 must be a duration from a day to 36500d, like 730d or 90d, not “\(text)”")
                    continue
                }
                if key == "audit" { policy.retention.auditSeconds = s } else { policy.retention.bodySeconds = s }
            }
            if policy.retention.bodySeconds > policy.retention.auditSeconds {
                diag.error(path, line: r.line, "retention.bodies 不能长于 audit cannot be longer than retention.audit")
            }
        }
        if let r = top.map("review", into: &diag) {
            r.checkKeys(["require_evidence", "withdraw_within"], into: &diag)
            if let b = r.bool("require_evidence", into: &diag) { policy.review.requireEvidence = b }
            if let text = r.string("withdraw_within", into: &diag) {
                if let s = duration(text), s <= 30 * 86400 { policy.review.withdrawSeconds = s }
                else { diag.error(path, line: r.line("withdraw_within"), "review.withdraw_within 应为不超过 30d 的时长 must be a duration up to 30d, like 24h or 0 (off), not “\(text)”") }
            }
        }
        if let m = top.map("sign", into: &diag) {
            m.checkKeys(["within", "follow_up", "hours"], into: &diag)
            var sign = SignPolicy()
            if let text = m.string("within", into: &diag) {
                if let v = duration(text), v >= 60, v <= 30 * 86400 { sign.withinSeconds = v }
                else { diag.error(path, line: m.line("within"), "sign.within 应为 1m 至 30d 的工作时长 must be working time from 1m to 30d, like 4h, not “\(text)”") }
            }
            if let text = m.string("follow_up", into: &diag) {
                if let f = SignPolicy.FollowUp(rawValue: text) { sign.followUp = f }
                else { diag.error(path, line: m.line("follow_up"), "sign.follow_up 应为 sms 或 none, not “\(text)”") }
            }
            if let text = m.string("hours", into: &diag) {
                if let h = WorkingHours(text: text) { sign.hours = h }
                else { diag.error(path, line: m.line("hours"), "sign.hours 应形如 must look like “09:00-12:00,13:30-17:30” (spans in order), not “\(text)”") }
            }
            policy.sign = sign
        }
        return (policy, messages)
    }

    private static func readOngoing(_ m: YAMLMap, into ongoing: inout OngoingReports, diag: inout Diagnostics) {
        m.checkKeys(["monthly", "report_day", "remind_workdays_before"], into: &diag)
        if let text = m.string("monthly", into: &diag) {
            switch text {
            // `last_workday` is version one's word; requests now follow `report_day`.
            case "on", "true", "last_workday": ongoing.enabled = true
            case "off", "false": ongoing.enabled = false
            default: diag.error(m.file, line: m.line("monthly"), "ongoing.monthly 应为 on 或 off must be on or off, not “\(text)”")
            }
        }
        if let d = m.int("report_day", in: 1...28, unit: "(day of the month)", into: &diag) { ongoing.reportDay = d }
        if let d = m.int("remind_workdays_before", in: 0...20, unit: "workdays", into: &diag) { ongoing.remindWorkdaysBefore = d }
    }

    /// The longest duration a file may give: 100 years. Beyond it a number is a typo, and
    /// the timer, retry and retention arithmetic stays far from overflow.
    public static let longestDuration = 36_500 * 86_400

    /// `3d`, `12h`, `30m`, `90s` or plain seconds, up to `longestDuration`.
    public static func duration(_ text: String) -> Int? {
        let units: [Character: Int] = ["d": 86400, "h": 3600, "m": 60, "s": 1]
        var number = Substring(text), factor = 1
        if let unit = text.last, let f = units[unit] { number = text.dropLast(); factor = f }
        guard let n = Int(number), n >= 0, n <= longestDuration / factor else { return nil }
        return n * factor
    }
}
