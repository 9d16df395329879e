import ArgumentParser
import Foundation
import DudaoCore
import DudaoSchedules
import DudaoStore

/// `--schedules DIR`, shared by every command that reads schedules.
struct SchedulesOption: ParsableArguments {
    @Option(name: .long, help: "Folder with task lists, agencies.yaml, policy.yaml and calendar/.")
    var schedules: String = "Schedules"

    /// Loads the folder; prints errors and exits 1 when any, else returns the set. With
    /// `state`, unchanged task lists come from the parse cache in its folder.
    func loadOrExit(state: StateOption? = nil) throws -> ScheduleSet {
        let set = load(state: state)
        if set.diagnostics.hasErrors {
            Output.printDiagnostics(set.diagnostics.errors)
            Output.error("\(set.diagnostics.errors.count) 个错误 error(s) in \(schedules); nothing planned. Run `dudao check` for details.")
            throw ExitCode(1)
        }
        return set
    }

    /// Loads the folder, findings and all; with `state`, the lists and agencies the office
    /// keeps in the store too (as the service plans them).
    func load(state: StateOption?) -> ScheduleSet {
        var owned = OfficeOwned()
        var problem: String?
        if let state {
            do { owned = try state.existing(schedules: schedules)?.officeOwned() ?? OfficeOwned() } catch {
                problem = "无法读取督查室在库中的清单和通讯录 cannot read the lists and agencies kept in the store: \(error)"
            }
        }
        var set = ScheduleSet.load(schedules, cache: state.flatMap { ListCache(stateDirectory: $0.directory) }, owned: owned)
        if let problem { set.diagnostics.error(state?.directory ?? schedules, problem) }
        return set
    }
}

/// Parsing of `--now` / `--until` style instants in the policy's zone.
enum InstantArgument {
    static func parse(_ text: String?, option: String, clock: LocalClock, default value: Date) throws -> Date {
        guard let text else { return value }
        guard let date = clock.parse(text) else {
            Output.error("\(option): 无法识别的时间 not an ISO 8601 time: “\(text)” (e.g. 2024-12-24T09:00:00+08:00 or 2024-12-24)")
            throw ExitCode(1)
        }
        let years = CivilDate.supportedYears
        guard years.contains(clock.day(of: date).year) else {
            Output.error("\(option): 年份应在 \(years.lowerBound)–\(years.upperBound) 之间 the year must be \(years.lowerBound)–\(years.upperBound): “\(text)”")
            throw ExitCode(1)
        }
        return date
    }
}

/// Where the CLI writes: results to stdout, everything for the operator to stderr.
enum Output {
    static func error(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }

    /// Writes `bytes` to standard output as they are: no `Data` copy of each chunk of a
    /// plan hundreds of megabytes long.
    static func write(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let n = Foundation.write(1, buffer.baseAddress! + offset, buffer.count - offset)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { return }
                offset += n
            }
        }
    }

    static func printDiagnostics(_ list: [Diagnostic]) {
        for d in list { error(d.description) }
    }
}
