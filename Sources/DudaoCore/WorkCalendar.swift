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

    private let overrides: [Int32: Bool]

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
        self.overrides = o
    }

    /// Monday–Friday only; for tests and for years with no data.
    public static let weekdaysOnly = WorkCalendar()

    /// True when government offices work on `day`.
    public func isWorkday(_ day: CivilDate) -> Bool {
        if let o = overrides[day.dayNumber] { return o }
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
