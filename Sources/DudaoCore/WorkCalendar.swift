/// Official working days: Monday–Friday, minus the State Council's holidays, plus its
/// make-up workdays (调休上班).
///
/// Data comes per year (see `Schedules/calendar/`). For a year without data the statutory
/// holidays (`StatutoryHolidays`) stand in when the year is among `provisionalYears` —
/// provisional, with no 调休 swaps — else plain Monday–Friday; either way `coveredYears`
/// tells `check` to warn.
public struct WorkCalendar: Sendable {
    /// Days off that would otherwise be workdays (and days inside a holiday break).
    public let holidays: Set<CivilDate>
    /// Weekend days that are working days (调休).
    public let makeupWorkdays: Set<CivilDate>
    /// Years for which official data was loaded.
    public let coveredYears: Set<Int>
    /// Years without official data whose statutory holidays are days off (provisionally).
    public let provisionalYears: Set<Int>

    /// Days whose status differs from Monday–Friday, as a dense table from `firstOverride`
    /// (1 a workday, 0 a day off, −1 as the weekday says): the planner asks for every day
    /// of every item's ladder, and a table is an index where a dictionary hashes.
    private let overrides: [Int8]
    private let firstOverride: Int32

    /// A calendar from holiday and make-up workday lists, with the statutory holidays of
    /// `provisionalYears` (those not covered) as days off.
    public init(holidays: Set<CivilDate> = [], makeupWorkdays: Set<CivilDate> = [], coveredYears: Set<Int> = [],
                provisionalYears: Set<Int> = []) {
        self.holidays = holidays
        self.makeupWorkdays = makeupWorkdays
        self.coveredYears = coveredYears
        self.provisionalYears = provisionalYears.subtracting(coveredYears)
        var o: [Int32: Bool] = [:]
        for year in self.provisionalYears {
            for d in StatutoryHolidays.days(in: year) { o[d.dayNumber] = false }
        }
        for d in holidays { o[d.dayNumber] = false }
        for d in makeupWorkdays { o[d.dayNumber] = true }
        let first = o.keys.min() ?? 0
        var table = [Int8](repeating: -1, count: o.isEmpty ? 0 : Int((o.keys.max() ?? 0) - first) + 1)
        for (day, work) in o { table[Int(day - first)] = work ? 1 : 0 }
        self.overrides = table
        self.firstOverride = first
    }

    /// Monday–Friday only; for tests and for years with no data.
    public static let weekdaysOnly = WorkCalendar()

    /// True when government offices work on `day`.
    public func isWorkday(_ day: CivilDate) -> Bool {
        let k = Int(day.dayNumber) - Int(firstOverride)
        if k >= 0, k < overrides.count, overrides[k] >= 0 { return overrides[k] == 1 }
        return !day.isWeekend
    }

    /// True when official data covers `year`.
    public func covers(year: Int) -> Bool { coveredYears.contains(year) }

    /// `day` itself if a workday, else the closest workday before it.
    public func workday(onOrBefore day: CivilDate) -> CivilDate {
        var d = day
        while !isWorkday(d) { d = d.adding(days: -1) }
        return d
    }

    /// `day` itself if a workday, else the closest workday after it.
    public func workday(onOrAfter day: CivilDate) -> CivilDate {
        var d = day
        while !isWorkday(d) { d = d.adding(days: 1) }
        return d
    }

    /// The last workday of the month `day` falls in.
    public func lastWorkday(ofMonthOf day: CivilDate) -> CivilDate {
        workday(onOrBefore: day.endOfMonth)
    }

    /// Every workday from `start` through `end`, in order.
    public func workdays(from start: CivilDate, through end: CivilDate) -> [CivilDate] {
        guard start <= end else { return [] }
        var out: [CivilDate] = []
        var d = start
        while d <= end {
            if isWorkday(d) { out.append(d) }
            d = d.adding(days: 1)
        }
        return out
    }
}

extension WorkCalendar {
    /// The `count`-th workday after `day` (`day` itself when `count` is 0): the last day of
    /// a "reply within N workdays" window opened on `day`.
    public func workdays(after day: CivilDate, count: Int) -> CivilDate {
        var d = day
        var left = count
        while left > 0 {
            d = d.adding(days: 1)
            if isWorkday(d) { left -= 1 }
        }
        return d
    }

    /// The `count`-th workday before `day` (`day` itself when `count` is 0).
    public func workdays(before day: CivilDate, count: Int) -> CivilDate {
        var d = day
        var left = count
        while left > 0 {
            d = d.adding(days: -1)
            if isWorkday(d) { left -= 1 }
        }
        return d
    }

    /// The day in `day`'s ISO week (Monday–Sunday) that a weekly rhythm on `weekday` (1 =
    /// Monday … 7 = Sunday) lands on: that weekday, or the next workday of the same week
    /// when it is a holiday, or the last workday before it when none is left; `nil` for a
    /// week without a workday.
    public func weeklyDay(inWeekOf day: CivilDate, weekday: Int) -> CivilDate? {
        let monday = day.adding(days: 1 - day.isoWeekday)
        let nominal = monday.adding(days: weekday - 1)
        for offset in 0...(7 - weekday) where isWorkday(nominal.adding(days: offset)) { return nominal.adding(days: offset) }
        for offset in stride(from: -1, through: 1 - weekday, by: -1) where isWorkday(nominal.adding(days: offset)) {
            return nominal.adding(days: offset)
        }
        return nil
    }

    /// The first day of a weekly rhythm on `weekday` at or after `day`.
    public func weeklyDay(onOrAfter day: CivilDate, weekday: Int) -> CivilDate {
        var week = day
        for _ in 0..<60 {
            if let d = weeklyDay(inWeekOf: week, weekday: weekday), d >= day { return d }
            week = week.adding(days: 8 - week.isoWeekday)
        }
        return workday(onOrAfter: day)
    }
}
