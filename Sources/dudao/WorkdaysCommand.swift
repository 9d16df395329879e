import ArgumentParser
import Foundation
import DudaoCore
import DudaoSchedules

/// `dudao workdays`: official workdays in a range, one ISO date a line.
struct WorkdaysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "workdays",
        abstract: "工作日 Print each official workday from --from to --to (inclusive), one ISO date a line."
    )

    @OptionGroup var schedulesOption: SchedulesOption

    @Option(help: "First day, YYYY-MM-DD.")
    var from: String

    @Option(help: "Last day, YYYY-MM-DD.")
    var to: String

    func run() throws {
        guard let start = CivilDate(iso: from), let end = CivilDate(iso: to) else {
            Output.error("--from/--to 应为 YYYY-MM-DD must be dates YYYY-MM-DD")
            throw ExitCode(1)
        }
        var diag = Diagnostics()
        let path = (schedulesOption.schedules as NSString).appendingPathComponent("calendar")
        let calendar = CalendarFile.read(directory: path, into: &diag)
        if diag.hasErrors {
            Output.printDiagnostics(diag.errors)
            throw ExitCode(1)
        }
        for year in start.year...max(start.year, end.year) where !calendar.covers(year: year) {
            let assumed = calendar.provisionalYears.contains(year) ? "statutory holidays assumed (provisional, without 调休)" : "Monday–Friday assumed"
            Output.error("警告 warning: 缺少 \(year) 年节假日安排 no holiday data for \(year) in \(path); \(assumed)")
        }
        var out = ""
        for day in calendar.workdays(from: start, through: end) { out += day.iso + "\n" }
        FileHandle.standardOutput.write(Data(out.utf8))
    }
}
