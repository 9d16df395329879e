import Foundation
import DudaoCore
import Yams

/// `Schedules/policy.yaml`: when to remind and escalate. Every key is optional and
/// defaults to DESIGN.md's policy; unknown keys and bad values are errors with their line.
public enum PolicyFile {
    static let keys = ["timezone", "send_time", "supervisor", "advance_days", "due_day", "overdue", "ongoing", "catch_up",
                       "templates_dir", "attach_calendar", "report_to", "retention"]

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
        if let levels = top.sequence("overdue", into: &diag) {
            policy.overdue = readLevels(levels, file: path, into: &diag)
        }
        if let ongoing = top.map("ongoing", into: &diag) {
            ongoing.checkKeys(["monthly"], into: &diag)
            if let m = ongoing.string("monthly", into: &diag) {
                switch m {
                case "last_workday": policy.ongoingMonthly = true
                case "off": policy.ongoingMonthly = false
                default: diag.error(path, line: ongoing.line("monthly"), "ongoing.monthly 应为 last_workday 或 off must be last_workday or off, not “\(m)”")
                }
            }
        }
        if let c = top.string("catch_up", into: &diag) {
            if let s = duration(c) { policy.catchUpSeconds = s }
            else { diag.error(path, line: top.line("catch_up"), "catch_up 应为时长 must be a duration like 3d, 12h or 30m, not “\(c)”") }
        }
        if let r = top.map("retention", into: &diag) {
            r.checkKeys(["audit", "bodies"], into: &diag)
            for key in ["audit", "bodies"] {
                guard let text = r.string(key, into: &diag) else { continue }
                guard let s = duration(text), s >= 86400 else {
                    diag.error(path, line: r.line(key), "retention.\(key) 应为至少一天的时长 must be a duration of at least a day, like 730d or 90d, not “\(text)”")
                    continue
                }
                if key == "audit" { policy.retention.auditSeconds = s } else { policy.retention.bodySeconds = s }
            }
            if policy.retention.bodySeconds > policy.retention.auditSeconds {
                diag.error(path, line: r.line, "retention.bodies 不能长于 audit cannot be longer than retention.audit")
            }
        }
        return (policy, messages)
    }

    private static func readLevels(_ nodes: [Node], file: String, into diag: inout Diagnostics) -> [EscalationLevel] {
        var levels: [EscalationLevel] = []
        for node in nodes {
            guard let m = YAMLMap(node, file: file, what: "overdue 的每一级 each overdue level", into: &diag) else { continue }
            m.checkKeys(["level", "after_days", "every_days", "cc"], into: &diag)
            let level = m.int("level", into: &diag) ?? levels.count + 1
            let after = m.int("after_days", into: &diag) ?? 1
            let every = m.int("every_days", into: &diag) ?? 7
            let cc = m.strings("cc", into: &diag) ?? []
            if level < 1 { diag.error(file, line: m.line("level"), "level 应 ≥ 1 must be at least 1") }
            if after < 1 { diag.error(file, line: m.line("after_days"), "after_days 应 ≥ 1 must be at least 1 (escalation starts after the due day)") }
            if every < 1 { diag.error(file, line: m.line("every_days"), "every_days 应 ≥ 1 must be at least 1") }
            for c in cc where !["supervisor", "leadership"].contains(c) {
                diag.error(file, line: m.line("cc"), "cc 只能是 supervisor 或 leadership, not “\(c)”")
            }
            if let previous = levels.last, previous.afterDays >= after || previous.level >= level {
                diag.error(file, line: m.line, "各级须按 level 与 after_days 递增 levels must increase in level and after_days")
            }
            levels.append(EscalationLevel(level: level, afterDays: after, everyDays: max(every, 1),
                                          ccSupervisor: cc.contains("supervisor"), ccLeadership: cc.contains("leadership")))
        }
        return levels
    }

    /// `3d`, `12h`, `30m`, `90s` or plain seconds.
    public static func duration(_ text: String) -> Int? {
        let units: [Character: Int] = ["d": 86400, "h": 3600, "m": 60, "s": 1]
        if let unit = text.last, let factor = units[unit], let n = Int(text.dropLast()), n >= 0 { return n * factor }
        if let n = Int(text), n >= 0 { return n }
        return nil
    }
}
