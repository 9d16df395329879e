import Foundation

/// The public holidays of 《全国年节及纪念日放假办法》 as amended in 2024, computed for any
/// year: 元旦 1 day, 春节 4 (除夕 to 初三), 清明 1 (the day of the solar term), 劳动节 2,
/// 端午 1 (五月初五), 中秋 1 (八月十五), 国庆 3. They stand in for a year whose State
/// Council notice is not in `Schedules/calendar/` yet: provisional, without the notice's
/// 调休 swaps, but no statutory holiday is taken for a workday.
public enum StatutoryHolidays {
    /// The holidays of `year` by name, in calendar order.
    public static func of(year: Int) -> [(name: String, days: [CivilDate])] {
        // One calendar per call: Foundation's Calendar is not safe to share across threads.
        let chinese = chineseCalendar()
        func lunar(_ year: Int, month: Int, day: Int, near: CivilDate) -> CivilDate {
            Self.lunar(year, month: month, day: day, near: near, in: chinese)
        }
        let newYear = lunar(year, month: 1, day: 1, near: CivilDate(year: year, month: 2, day: 5)!)
        return [
            ("元旦", [CivilDate(year: year, month: 1, day: 1)!]),
            ("春节", (-1...2).map { newYear.adding(days: $0) }),
            ("清明节", [qingming(year)]),
            ("劳动节", [CivilDate(year: year, month: 5, day: 1)!, CivilDate(year: year, month: 5, day: 2)!]),
            ("端午节", [lunar(year, month: 5, day: 5, near: CivilDate(year: year, month: 6, day: 10)!)]),
            ("中秋节", [lunar(year, month: 8, day: 15, near: CivilDate(year: year, month: 9, day: 22)!)]),
            ("国庆节", (1...3).map { CivilDate(year: year, month: 10, day: $0)! }),
        ]
    }

    /// Every statutory holiday of `year`.
    public static func days(in year: Int) -> [CivilDate] { of(year: year).flatMap(\.days) }

    // MARK: Lunar dates

    /// The Gregorian day within ±25 days of `near` that is lunar `month`/`day` (not a leap
    /// month), by Foundation's Chinese calendar in China's time zone.
    static func lunar(_ year: Int, month: Int, day: Int, near: CivilDate, in chinese: Calendar) -> CivilDate {
        for offset in -25...25 {
            let candidate = near.adding(days: offset)
            let c = chinese.dateComponents([.month, .day, .isLeapMonth], from: noon(candidate))
            if c.month == month, c.day == day, c.isLeapMonth != true { return candidate }
        }
        // Lunar dates fall within these windows in every year of the Chinese calendar.
        preconditionFailure("lunar \(month)/\(day) not found near \(near.iso)")
    }

    private static let china = TimeZone(identifier: "Asia/Shanghai")!

    private static func chineseCalendar() -> Calendar {
        var c = Calendar(identifier: .chinese)
        c.timeZone = china
        return c
    }

    private static func noon(_ day: CivilDate) -> Date {
        Date(timeIntervalSince1970: (Double(day.dayNumber) + 0.5) * 86400 - 8 * 3600)
    }

    // MARK: 清明

    /// The day (China time) the sun's apparent longitude reaches 15°, the 清明 solar term.
    static func qingming(_ year: Int) -> CivilDate {
        // Bisect between 1 and 8 April, where the longitude rises through 15° (~0.99° a day).
        var lo = Double(CivilDate(year: year, month: 4, day: 1)!.dayNumber) * 86400
        var hi = Double(CivilDate(year: year, month: 4, day: 8)!.dayNumber) * 86400
        while hi - lo > 1 {
            let mid = (lo + hi) / 2
            if solarLongitude(unixSeconds: mid) < 15 { lo = mid } else { hi = mid }
        }
        let chinaDay = (hi + 8 * 3600) / 86400
        return CivilDate(dayNumber: Int32(chinaDay.rounded(.down)))
    }

    /// The sun's apparent ecliptic longitude in degrees (0–360) at a Unix instant: Meeus,
    /// *Astronomical Algorithms*, ch. 25 (low accuracy, about 0.01°, i.e. minutes in time).
    static func solarLongitude(unixSeconds t: Double) -> Double {
        // Julian day in Terrestrial Time (ΔT ≈ 69 s this century).
        let jd = t / 86400 + 2440587.5 + 69.0 / 86400
        let T = (jd - 2451545.0) / 36525
        let rad = Double.pi / 180
        let L0 = 280.46646 + 36000.76983 * T + 0.0003032 * T * T
        let M = (357.52911 + 35999.05029 * T - 0.0001537 * T * T) * rad
        let C = (1.914602 - 0.004817 * T - 0.000014 * T * T) * sin(M) + (0.019993 - 0.000101 * T) * sin(2 * M) + 0.000289 * sin(3 * M)
        let omega = (125.04 - 1934.136 * T) * rad
        let apparent = L0 + C - 0.00569 - 0.00478 * sin(omega)
        let wrapped = apparent.truncatingRemainder(dividingBy: 360)
        return wrapped < 0 ? wrapped + 360 : wrapped
    }
}
