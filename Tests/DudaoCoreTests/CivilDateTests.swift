import Foundation
import Testing
@testable import DudaoCore

struct CivilDateTests {
    @Test(arguments: [
        ("1970-01-01", 4), ("2024-12-31", 2), ("2024-02-29", 4), ("2026-02-28", 6), ("2000-01-01", 6), ("2099-12-31", 4),
    ])
    func weekdays(_ iso: String, _ weekday: Int) throws {
        let day = try #require(CivilDate(iso: iso))
        #expect(day.isoWeekday == weekday)
        #expect(day.iso == iso)
    }

    @Test func roundTripsEveryDayOfFourCenturies() {
        var day = CivilDate(year: 1900, month: 1, day: 1)!
        let end = CivilDate(year: 2300, month: 1, day: 1)!
        while day < end {
            let c = day.components
            #expect(CivilDate(year: c.year, month: c.month, day: c.day) == day)
            day = day.adding(days: 1)
        }
    }

    @Test func rejectsImpossibleDays() {
        #expect(CivilDate(year: 2023, month: 2, day: 29) == nil)
        #expect(CivilDate(year: 1900, month: 2, day: 29) == nil)
        #expect(CivilDate(year: 2024, month: 2, day: 29) != nil)
        #expect(CivilDate(iso: "2024-1-01") == nil)
        #expect(CivilDate(iso: "2024-13-01") == nil)
    }

    @Test func chineseForm() {
        #expect(CivilDate(iso: "2024-12-31")!.chinese == "2024年12月31日")
    }

    @Test func clockPrintsAndParsesShanghaiTime() throws {
        let clock = LocalClock(timeZone: TimeZone(identifier: "Asia/Shanghai")!)
        let instant = try #require(clock.parse("2024-12-24T09:00:00+08:00"))
        #expect(clock.iso8601(instant) == "2024-12-24T09:00:00+08:00")
        #expect(clock.parse("2024-12-24T01:00:00Z") == instant)
        #expect(clock.parse("2024-12-24T09:00") == instant)
        #expect(clock.day(of: instant) == CivilDate(iso: "2024-12-24"))
        #expect(clock.iso8601(clock.parse("2024-12-24")!) == "2024-12-24T00:00:00+08:00")
        #expect(clock.parse("24 December") == nil)
        #expect(clock.parse("2024-12-24T25:00") == nil)
    }
}
