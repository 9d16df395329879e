import Foundation
import Testing
@testable import DudaoCore
@testable import DudaoSchedules
@testable import DudaoImport
import DudaoTestSupport

/// The bundled calendar against the State Council's notices for 2023–2026.
struct WorkdayCalendarTests {
    let calendar: WorkCalendar

    init() {
        var diag = Diagnostics()
        calendar = CalendarFile.read(directory: Fixtures.schedules + "/calendar", into: &diag)
        #expect(diag.list.isEmpty, "\(diag.list)")
    }

    /// 调休: weekend days that are workdays, every one of the four notices.
    static let makeupWorkdays = [
        "2023-01-28", "2023-01-29", "2023-04-23", "2023-05-06", "2023-06-25", "2023-10-07", "2023-10-08",
        "2024-02-04", "2024-02-18", "2024-04-07", "2024-04-28", "2024-05-11", "2024-09-14", "2024-09-29", "2024-10-12",
        "2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11",
        "2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10",
    ]

    /// Weekdays that are holidays (a sample from each festival of each year).
    static let weekdayHolidays = [
        "2023-01-02", "2023-01-26", "2023-04-05", "2023-05-03", "2023-06-22", "2023-09-29", "2023-10-06",
        "2024-01-01", "2024-02-12", "2024-02-16", "2024-04-04", "2024-05-02", "2024-06-10", "2024-09-16", "2024-10-07",
        "2025-01-01", "2025-01-28", "2025-02-04", "2025-04-04", "2025-05-05", "2025-06-02", "2025-10-01", "2025-10-08",
        "2026-01-02", "2026-02-16", "2026-02-23", "2026-04-06", "2026-05-05", "2026-06-19", "2026-09-25", "2026-10-07",
    ]

    @Test(arguments: makeupWorkdays)
    func makeupWorkdayIsAWorkday(_ iso: String) {
        let day = CivilDate(iso: iso)!
        #expect(day.isWeekend, "\(iso) is a weekend day in the notice")
        #expect(calendar.isWorkday(day))
    }

    @Test(arguments: weekdayHolidays)
    func holidayIsNotAWorkday(_ iso: String) {
        let day = CivilDate(iso: iso)!
        #expect(!day.isWeekend)
        #expect(!calendar.isWorkday(day))
    }

    @Test func theIssuesExamples() {
        #expect(calendar.isWorkday(CivilDate(iso: "2024-02-04")!))
        #expect(calendar.isWorkday(CivilDate(iso: "2026-02-28")!))
        #expect(!calendar.isWorkday(CivilDate(iso: "2025-10-08")!))
        #expect(calendar.isWorkday(CivilDate(iso: "2024-02-09")!), "除夕 2024 was officially a workday")
    }

    @Test func workdayCountsPerYear() {
        // Counted by hand from the notices: weekdays − weekday holidays + make-up days.
        // 2023: 260 − 18 + 7; 2024: 262 − 19 + 8; 2025: 261 − 18 + 5; 2026: 261 − 19 + 6.
        let counts = (2023...2026).map { y in
            calendar.workdays(from: CivilDate(year: y, month: 1, day: 1)!, through: CivilDate(year: y, month: 12, day: 31)!).count
        }
        #expect(counts == [249, 251, 248, 248])
        #expect(calendar.coveredYears == [2023, 2024, 2025, 2026])
    }

    @Test func yearsWithoutDataTakeTheStatutoryHolidaysProvisionally() {
        #expect(!calendar.covers(year: 2027) && calendar.provisionalYears.contains(2027))
        #expect(calendar.isWorkday(CivilDate(iso: "2027-01-04")!))
        #expect(!calendar.isWorkday(CivilDate(iso: "2027-01-09")!))
        #expect(!calendar.isWorkday(CivilDate(iso: "2027-01-01")!), "元旦 is a Friday in 2027")
        #expect(!calendar.isWorkday(CivilDate(iso: "2027-02-05")!), "除夕 2027")
        #expect(!calendar.isWorkday(CivilDate(iso: "2027-02-08")!), "初三 2027")
        #expect(calendar.isWorkday(CivilDate(iso: "2027-02-09")!), "no 调休 is invented")
        #expect(WorkCalendar.weekdaysOnly.isWorkday(CivilDate(iso: "2027-01-01")!), "the test calendar stays Monday–Friday")
    }

    /// Computed in code (Foundation's Chinese calendar; 清明 from the sun's longitude) and
    /// independently in Python (`lunardate`, `ephem`): the same days, 2000–2060.
    @Test func statutoryHolidaysMatchAnIndependentComputation() throws {
        let years = Array(2000...2060)
        let python = try TestSupport.python(["Tests/Python/statutory_holidays.py"] + years.map(String.init))
        for year in years {
            let expected = try #require(python[String(year)] as? [String: [String]])
            let ours = Dictionary(uniqueKeysWithValues: StatutoryHolidays.of(year: year).map { ($0.name, $0.days.map(\.iso)) })
            #expect(ours == expected, "\(year)")
        }
    }

    /// `dudao workdays` lists none of the statutory weekday holidays of a year without a
    /// notice: 2027 with the bundled calendar, and 2025–2026 once their notices are removed.
    @Test func workdaysSkipTheStatutoryHolidaysOfYearsWithoutANotice() throws {
        let schedules = Fixtures.copyOfSchedules()
        for year in [2025, 2026] { try FileManager.default.removeItem(at: schedules.appendingPathComponent("calendar/\(year).yaml")) }
        for (dir, years) in [(Fixtures.schedules, [2027]), (schedules.path, [2025, 2026])] {
            for year in years {
                let r = try Fixtures.run(Fixtures.dudao, ["workdays", "--from", "\(year)-01-01", "--to", "\(year)-12-31", "--schedules", dir])
                #expect(r.status == 0, "\(r.err)")
                #expect(r.err.contains("statutory holidays assumed"), "\(r.err)")
                let listed = Set(r.out.split(separator: "\n").map(String.init))
                let weekdayHolidays = StatutoryHolidays.days(in: year).filter { !$0.isWeekend }
                #expect(!weekdayHolidays.isEmpty)
                for d in weekdayHolidays { #expect(!listed.contains(d.iso), "\(d.iso) listed as a workday in \(year)") }
            }
        }
    }

    @Test func workdaysCommandPrintsOneISODateALine() throws {
        let r = try Fixtures.run(Fixtures.dudao, ["workdays", "--from", "2026-02-12", "--to", "2026-03-02", "--schedules", Fixtures.schedules])
        #expect(r.status == 0, "\(r.err)")
        #expect(r.out == """
        2026-02-12
        2026-02-13
        2026-02-14
        2026-02-24
        2026-02-25
        2026-02-26
        2026-02-27
        2026-02-28
        2026-03-02

        """)
    }

    @Test func calendarErrorsNameFileAndLine() throws {
        let dir = Fixtures.scratch()
        Fixtures.write("year: 2024\nholidays:\n  - {name: 春节, days: 2024-02-10..2024-02-17}\nworkdays: [2024-02-10, 2024-13-01]\n", "2024.yaml", in: dir)
        var diag = Diagnostics()
        _ = CalendarFile.read(directory: dir.path, into: &diag)
        let messages = diag.errors.map(\.description)
        #expect(messages.contains { $0.contains("2024.yaml:4") && $0.contains("2024-13-01") })
        #expect(messages.contains { $0.contains("2024-02-10") && $0.contains("both a holiday and a make-up workday") })
    }

    /// A year no date can hold stopped the process at its first date; it is now an error
    /// on its line, and the file counts for no year.
    @Test func aYearOutOfRangeNamesItsLine() throws {
        let dir = Fixtures.scratch()
        Fixtures.write("# typo\nyear: 9223372036854775807\nholidays:\n  - {name: 春节, days: 2024-02-10..2024-02-17}\n", "2024.yaml", in: dir)
        var diag = Diagnostics()
        let calendar = CalendarFile.read(directory: dir.path, into: &diag)
        let messages = diag.errors.map(\.description)
        #expect(messages.count == 1 && messages[0].contains("2024.yaml:2") && messages[0].contains("1900–2999"), "\(messages)")
        #expect(calendar.coveredYears.isEmpty)
    }
}
