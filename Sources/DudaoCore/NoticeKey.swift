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

    /// Parses a key; `nil` when it is not one. Read for every row of the sent log on each
    /// wake, so it splits from the end without building intermediate arrays.
    public init?(_ text: String) {
        let utf8 = text.utf8
        guard let slash3 = utf8.lastIndex(of: UInt8(ascii: "/")) else { return nil }
        guard let slash2 = utf8[..<slash3].lastIndex(of: UInt8(ascii: "/")) else { return nil }
        guard let day = CivilDate(iso: text[text.index(after: slash3)...]),
              let rule = Notice.Rule(name: text[text.index(after: slash2)..<slash3]) else { return nil }
        occurrence = day
        self.rule = rule
        let slash1 = utf8[..<slash2].lastIndex(of: UInt8(ascii: "/"))
        let place = text[(slash1.map { text.index(after: $0) } ?? text.startIndex)..<slash2]
        guard let slash1 else {
            guard place == "office" else { return nil }
            item = ""
            milestone = -1
            return
        }
        guard slash1 > text.startIndex else { return nil }
        item = String(text[..<slash1])
        if place == "ongoing" { milestone = -1 }
        else if place.first == "m", let m = Int32(place.dropFirst()), m >= 1 { milestone = m - 1 }
        else { return nil }
    }
}
