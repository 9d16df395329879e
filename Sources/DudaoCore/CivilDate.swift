/// A calendar day with no time or zone — the unit deadlines, holidays and send days are counted in.
///
/// Stored as days since 1970-01-01 (proleptic Gregorian), so arithmetic and comparison are
/// integer operations; this keeps the planner fast and free of `Calendar` look-ups.
public struct CivilDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Days since 1970-01-01.
    public let dayNumber: Int32

    /// The years Dudao works in: deadlines, calendar files and `--now` stay inside, so the
    /// planner's look-ahead and look-back stay far from the ends of the calendar (1–9999).
    public static let supportedYears = 1900...2999

    /// Wraps a day number (days since 1970-01-01).
    public init(dayNumber: Int32) { self.dayNumber = dayNumber }

    /// The day for a year, month and day; `nil` when the day does not exist (e.g. 2023-02-29).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              day >= 1, day <= CivilDate.daysIn(year: year, month: month) else { return nil }
        self.dayNumber = Int32(CivilDate.daysFromCivil(year, month, day))
    }

    /// Parses `YYYY-MM-DD` exactly.
    public init?(iso text: some StringProtocol) {
        // Bytes into three numbers, no allocation: every milestone of a large list is read
        // through here.
        var fields = (0, 0, 0)
        var count = 0
        for b in text.utf8 {
            switch count {
            case 4, 7:
                guard b == UInt8(ascii: "-") else { return nil }
            case 0..<10:
                guard b >= 0x30, b <= 0x39 else { return nil }
                let digit = Int(b - 0x30)
                if count < 4 { fields.0 = fields.0 * 10 + digit } else if count < 7 { fields.1 = fields.1 * 10 + digit } else { fields.2 = fields.2 * 10 + digit }
            default:
                return nil
            }
            count += 1
        }
        guard count == 10 else { return nil }
        self.init(year: fields.0, month: fields.1, day: fields.2)
    }

    // MARK: Fields

    /// Year, month (1–12) and day (1–31).
    public var components: (year: Int, month: Int, day: Int) {
        CivilDate.civilFromDays(Int(dayNumber))
    }
    /// The year.
    public var year: Int { components.year }
    /// The month, 1–12.
    public var month: Int { components.month }
    /// The day of the month, 1–31.
    public var day: Int { components.day }

    /// ISO 8601 weekday: 1 = Monday … 7 = Sunday.
    public var isoWeekday: Int {
        // 1970-01-01 was a Thursday (4).
        let w = (Int(dayNumber) % 7 + 7 + 3) % 7
        return w + 1
    }

    /// True on Saturday and Sunday.
    public var isWeekend: Bool { isoWeekday >= 6 }

    // MARK: Arithmetic

    /// The day `n` days later (earlier when negative).
    public func adding(days n: Int) -> CivilDate { CivilDate(dayNumber: dayNumber + Int32(n)) }

    /// Whole days from `self` to `other` (positive when `other` is later).
    public func days(until other: CivilDate) -> Int { Int(other.dayNumber - dayNumber) }

    /// The last day of the month this day falls in.
    public var endOfMonth: CivilDate {
        let c = components
        return CivilDate(year: c.year, month: c.month, day: CivilDate.daysIn(year: c.year, month: c.month))!
    }

    public static func < (a: CivilDate, b: CivilDate) -> Bool { a.dayNumber < b.dayNumber }

    // MARK: Text

    /// `2024-12-31`: the form for machine output and files.
    public var iso: String {
        let c = components
        return "\(CivilDate.pad(c.year, 4))-\(CivilDate.pad(c.month, 2))-\(CivilDate.pad(c.day, 2))"
    }

    /// `2024年12月31日`: the form shown to agencies.
    public var chinese: String {
        let c = components
        return "\(c.year)年\(c.month)月\(c.day)日"
    }

    public var description: String { iso }

    // MARK: Calendar rules

    /// True for Gregorian leap years.
    public static func isLeap(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    /// Days in a month of a year.
    public static func daysIn(year: Int, month: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    // Howard Hinnant's days_from_civil / civil_from_days.
    private static func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    private static func civilFromDays(_ z0: Int) -> (year: Int, month: Int, day: Int) {
        let z = z0 + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }

    private static func pad(_ n: Int, _ width: Int) -> String {
        let s = String(n)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}
