import DudaoCore

/// policy.yaml `overdue:` — the ladder. Read apart from the rest of the policy because it
/// has most of the rules:
///
/// ```yaml
/// overdue:
///   weekday: monday            # one overdue message per agency per week, on this day
///   verify: {reply_days: 5}    # 核实 first when nothing was ever sent; `verify: off` skips it
///   levels:
///     - {level: 1, name: 催办, climb_after: 2, every: 7d, reply_days: 3}
///     - {level: 2, name: 督办, climb_after: 2, every: 7d, cc: [leadership]}
///     - {level: 3, name: 通报, every: [7d for 28d, 14d for 84d, 28d], max_times: 12, cc: [leadership]}
/// ```
///
/// `overdue: off` chases nothing. Version one's list of `{level, after_days, every_days, cc}` is still read, with a
/// warning: each becomes a level that climbs after two messages.
enum LadderSection {
    static func read(_ top: YAMLMap, into diag: inout Diagnostics) -> Ladder? {
        let file = top.file
        if top.scalar("overdue") == "off" { return Ladder(verifyReplyDays: nil, levels: []) }
        if !top.isMap("overdue"), let legacy = top.sequence("overdue", into: &diag) {
            diag.warning(file, line: top.line("overdue"),
                         "overdue 改为阶梯写法 is now a ladder (weekday, verify, levels); after_days/every_days are read as levels climbing after 2 messages — see Schedules/policy.yaml")
            return Ladder(levels: readLegacy(legacy, file: file, into: &diag))
        }
        guard let m = top.map("overdue", into: &diag) else { return nil }
        m.checkKeys(["weekday", "verify", "levels"], into: &diag)
        var ladder = Ladder()
        if let w = m.string("weekday", into: &diag) {
            if let day = weekday(w) { ladder.weekday = day }
            else { diag.error(file, line: m.line("weekday"), "weekday 应为 monday…sunday 或 周一…周日 must be a weekday, not “\(w)”") }
        }
        if m.scalar("verify") == "off" || m.scalar("verify") == "false" {
            ladder.verifyReplyDays = nil
        } else if let v = m.map("verify", into: &diag) {
            v.checkKeys(["reply_days"], into: &diag)
            if let d = v.int("reply_days", in: 0...60, unit: "workdays", into: &diag) { ladder.verifyReplyDays = d }
        }
        if let levels = m.maps("levels", what: "overdue.levels 的每一级 each level", into: &diag) {
            ladder.levels = levels.compactMap { readLevel($0, into: &diag) }
            for (a, b) in zip(ladder.levels, ladder.levels.dropFirst()) where a.level >= b.level {
                diag.error(file, line: m.line("levels"), "各级 level 须递增 levels must increase (\(a.level), then \(b.level))")
            }
            if ladder.levels.isEmpty { diag.error(file, line: m.line("levels"), "至少需要一级 at least one level is needed") }
        }
        return ladder
    }

    private static func readLevel(_ m: YAMLMap, into diag: inout Diagnostics) -> LadderLevel? {
        let file = m.file
        m.checkKeys(["level", "name", "climb_after", "max_times", "every", "reply_days", "cc"], into: &diag)
        guard let level = m.int("level", into: &diag), levelRange.contains(level) else {
            diag.error(file, line: m.line("level"), "每一级须有 level 1–\(levelRange.upperBound) each level needs level: 1, 2, … up to \(levelRange.upperBound)")
            return nil
        }
        let defaults = LadderLevel.defaults.first { $0.level == level }
        var out = LadderLevel(level: level, name: defaults?.name ?? "督办", climbAfter: nil, maxTimes: nil,
                              cadence: defaults?.cadence ?? [CadenceStep(everyDays: 7)])
        if let name = m.string("name", into: &diag) { out.name = name }
        if let n = m.int("climb_after", in: 1...1000, unit: "messages", into: &diag) { out.climbAfter = n }
        if let n = m.int("max_times", in: 1...1000, into: &diag) { out.maxTimes = n }
        if let d = m.int("reply_days", in: 0...60, unit: "workdays", into: &diag) { out.replyDays = d }
        if let steps = m.scalar("every").map({ [$0] }) ?? m.strings("every", into: &diag) {
            var cadence: [CadenceStep] = []
            for text in steps {
                guard let step = cadenceStep(text) else {
                    diag.error(file, line: m.line("every"), "every 应写成 must read like 7d, 2w or “7d for 28d” (every at most 366d, for at most 3660d), not “\(text)”")
                    continue
                }
                if let previous = cadence.last, previous.untilDays == nil || (step.untilDays ?? .max) <= previous.untilDays! {
                    diag.error(file, line: m.line("every"), "every 的各段须按 for 递增，只有最后一段可以不写 for steps must grow in “for”; only the last may omit it")
                }
                cadence.append(step)
            }
            if !cadence.isEmpty { out.cadence = cadence }
        }
        if let cc = m.strings("cc", into: &diag) {
            for c in cc where !["supervisor", "leadership"].contains(c) {
                diag.error(file, line: m.line("cc"), "cc 只能是 supervisor 或 leadership, not “\(c)”")
            }
            out.ccSupervisor = cc.contains("supervisor")
            out.ccLeadership = cc.contains("leadership")
        }
        return out
    }

    private static func readLegacy(_ nodes: [YAMLNode], file: String, into diag: inout Diagnostics) -> [LadderLevel] {
        var levels: [LadderLevel] = []
        for node in nodes {
            guard let m = YAMLMap(node, file: file, what: "overdue 的每一级 each overdue level", into: &diag) else { continue }
            m.checkKeys(["level", "after_days", "every_days", "cc"], into: &diag)
            let level = m.int("level", in: levelRange, into: &diag) ?? levels.count + 1
            let every = max(7, m.int("every_days", in: 1...366, into: &diag) ?? 7)
            let cc = m.strings("cc", into: &diag) ?? []
            levels.append(LadderLevel(level: level, name: LadderLevel.defaults.first { $0.level == level }?.name ?? "督办",
                                      climbAfter: 2, cadence: [CadenceStep(everyDays: every)],
                                      ccSupervisor: cc.contains("supervisor"), ccLeadership: cc.contains("leadership")))
        }
        if !levels.isEmpty { levels[levels.count - 1].climbAfter = nil }
        return levels
    }

    /// The levels a ladder may have: more than a handful is a typo.
    static let levelRange = 1...20

    /// `7d`, `2w`, `7d for 28d`: at most a year between messages, for at most ten years.
    static func cadenceStep(_ text: String) -> CadenceStep? {
        let parts = text.split(separator: " ").map(String.init)
        guard let every = days(parts.first ?? ""), (1...366).contains(every) else { return nil }
        if parts.count == 1 { return CadenceStep(everyDays: every) }
        guard parts.count == 3, parts[1] == "for", let until = days(parts[2]), (1...3660).contains(until) else { return nil }
        return CadenceStep(everyDays: every, untilDays: until)
    }

    /// Days in `12d` or `2w`; nil past ten years, before multiplying can overflow.
    private static func days(_ text: String) -> Int? {
        guard let unit = text.last, let factor = ["d": 1, "w": 7][unit], let n = Int(text.dropLast()),
              (0...3660 / factor).contains(n) else { return nil }
        return n * factor
    }

    /// `monday`, `Mon`, `周一`, `星期一` or `1` (ISO: 1 = Monday).
    static func weekday(_ text: String) -> Int? {
        let english = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
        let lower = text.lowercased()
        if let i = english.firstIndex(where: { $0 == lower || $0.prefix(3) == lower }) { return i + 1 }
        let chinese = ["一", "二", "三", "四", "五", "六", "日"]
        for prefix in ["周", "星期"] where text.hasPrefix(prefix) {
            var rest = String(text.dropFirst(prefix.count))
            if rest == "天" { rest = "日" }
            if let i = chinese.firstIndex(of: rest) { return i + 1 }
        }
        if let n = Int(text), (1...7).contains(n) { return n }
        return nil
    }
}
