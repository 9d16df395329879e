/// A dedup key read back: `8/m1/overdue-2/2026-11-30` is item `8`, milestone 1, rule
/// `overdue-2`, nominal day 2026-11-30; `8/ongoing/progress/2026-12-05` is ongoing work;
/// `office/report-week/2026-11-30` is the office's report. The sent log stores keys, and
/// the ladder reads what was sent through this type.
public struct NoticeKey: Hashable, Sendable {
    /// Item id; empty for the office's report.
    public var item: String
    /// Milestone index (0-based); -1 for ongoing work and the office's report.
    public var milestone: Int32
    /// The rule.
    public var rule: Notice.Rule
    /// The nominal day.
    public var occurrence: CivilDate

    /// Parses a key; `nil` when it is not one.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count >= 3, let day = CivilDate(iso: parts[parts.count - 1]),
              let rule = Notice.Rule(name: parts[parts.count - 2]) else { return nil }
        let place = parts[parts.count - 3]
        occurrence = day
        self.rule = rule
        if parts.count == 3, place == "office" {
            item = ""
            milestone = -1
            return
        }
        guard parts.count >= 4 else { return nil }
        item = parts[0..<(parts.count - 3)].joined(separator: "/")
        if place == "ongoing" { milestone = -1 }
        else if place.first == "m", let m = Int32(place.dropFirst()), m >= 1 { milestone = m - 1 }
        else { return nil }
    }
}
