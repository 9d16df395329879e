import Foundation
import DudaoCore

/// `Schedules/calendar/YYYY.yaml`: one year of the State Council's holiday notice.
///
/// ```yaml
/// year: 2026
/// notice: 国办发明电〔2025〕7号
/// holidays:
///   - {name: 春节, days: 2026-02-15..2026-02-23}
/// workdays: [2026-02-14, 2026-02-28]   # 调休上班
/// ```
///
/// A user adds next year's file each November when the notice is published; no rebuild.
public enum CalendarFile {
    /// Reads every `*.yaml` in `directory` into one calendar.
    public static func read(directory: String, into diag: inout Diagnostics) -> WorkCalendar {
        var holidays = Set<CivilDate>()
        var workdays = Set<CivilDate>()
        var years: [Int: String] = [:]
        for path in ScheduleSet.yamlFiles(in: directory) {
            guard let doc = YAMLDocument.read(path, into: &diag), let top = doc.rootMap(into: &diag) else { continue }
            top.checkKeys(["year", "notice", "holidays", "workdays"], into: &diag)
            guard let year = top.int("year", into: &diag) else {
                diag.error(path, line: top.line, "缺少 missing “year”")
                continue
            }
            let supported = CivilDate.supportedYears
            guard supported.contains(year) else {
                diag.error(path, line: top.line("year"), "year 应为 \(supported.lowerBound)–\(supported.upperBound) 的年份 must be a year \(supported.lowerBound)–\(supported.upperBound), not \(year)")
                continue
            }
            if let other = years[year] {
                diag.error(path, line: top.line("year"), "\(year) 年已在 \(other) 中定义 already defined in \(other)")
                continue
            }
            years[year] = path
            for node in top.sequence("holidays", into: &diag) ?? [] {
                guard let h = YAMLMap(node, file: path, what: "每个假日 each holiday", into: &diag) else { continue }
                h.checkKeys(["name", "days"], into: &diag)
                let name = h.string("name", into: &diag) ?? "?"
                let texts: [String]
                if let single = h.node("days")?.text { texts = [single] } else { texts = h.strings("days", into: &diag) ?? [] }
                for text in texts {
                    guard let days = dates(text) else {
                        diag.error(path, line: h.line("days"), "\(name): 日期应为 YYYY-MM-DD 或 YYYY-MM-DD..YYYY-MM-DD, not “\(text)”")
                        continue
                    }
                    // A break may cross New Year (元旦 2023 began on 2022-12-31), not more.
                    let first = CivilDate(year: year, month: 1, day: 1)!.adding(days: -7)
                    let last = CivilDate(year: year, month: 12, day: 31)!.adding(days: 7)
                    for d in days {
                        if d < first || d > last { diag.warning(path, line: h.line("days"), "\(name): \(d.iso) 不在 \(year) 年 is outside \(year)") }
                        holidays.insert(d)
                    }
                }
            }
            for text in top.strings("workdays", into: &diag) ?? [] {
                guard let d = CivilDate(iso: text) else {
                    diag.error(path, line: top.line("workdays"), "调休日期应为 YYYY-MM-DD make-up workday must be YYYY-MM-DD, not “\(text)”")
                    continue
                }
                if !d.isWeekend { diag.warning(path, line: top.line("workdays"), "\(d.iso) 本是工作日 is a weekday already") }
                workdays.insert(d)
            }
        }
        for d in holidays.intersection(workdays).sorted() {
            diag.error(years[d.year] ?? directory, "\(d.iso) 既是假日又是调休上班日 is both a holiday and a make-up workday")
        }
        return WorkCalendar(holidays: holidays, makeupWorkdays: workdays, coveredYears: Set(years.keys),
                            provisionalYears: provisionalYears(around: Set(years.keys)))
    }

    /// Years the statutory holidays stand in for: from five years before the first notice
    /// to ten after the last (2020–2040 with none), so plans and `workdays` across the
    /// years an office works in never take a 春节 for a workday.
    static func provisionalYears(around covered: Set<Int>) -> Set<Int> {
        let first = covered.min() ?? 2025, last = covered.max() ?? 2030
        return Set((first - 5)...(last + 10)).subtracting(covered)
    }

    /// `2024-02-10` or `2024-02-10..2024-02-17`.
    static func dates(_ text: String) -> [CivilDate]? {
        let parts = text.components(separatedBy: "..")
        if parts.count == 1 { return CivilDate(iso: parts[0].trimmingCharacters(in: .whitespaces)).map { [$0] } }
        guard parts.count == 2, let a = CivilDate(iso: parts[0].trimmingCharacters(in: .whitespaces)),
              let b = CivilDate(iso: parts[1].trimmingCharacters(in: .whitespaces)), a <= b, a.days(until: b) < 60 else { return nil }
        return (0...a.days(until: b)).map { a.adding(days: $0) }
    }
}
