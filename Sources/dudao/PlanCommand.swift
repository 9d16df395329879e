import ArgumentParser
import Foundation
import DudaoCore
import DudaoSchedules

/// `dudao plan`: the timeline of what will be sent, to whom, when.
struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "提醒计划 Show every message that will be sent between --now and --until."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, json }

    @OptionGroup var schedulesOption: SchedulesOption
    @OptionGroup var state: StateOption

    @Option(help: "Plan from this time (ISO 8601, or YYYY-MM-DD for local midnight); default: now.")
    var now: String?

    @Option(help: "Plan up to this time; default: 30 days after --now.")
    var until: String?

    @Option(help: "table (for people) or json (one message per line).")
    var format: Format = .table

    func run() throws {
        let set = try schedulesOption.loadOrExit(state: state)
        let clock = LocalClock(timeZone: set.policy.timeZone)
        let from = try InstantArgument.parse(now, option: "--now", clock: clock, default: Date())
        let to = try InstantArgument.parse(until, option: "--until", clock: clock, default: from.addingTimeInterval(30 * 86400))
        guard to >= from else {
            Output.error("--until 早于 --now: --until is before --now")
            throw ExitCode(1)
        }
        // The plan assumes every planned message is sent and nothing is answered: a year's
        // plan shows the ladder's climb.
        let plan = Plan(items: set.items, policy: set.policy, calendar: set.calendar, from: from, until: to,
                        supervision: try state.supervision(clock: clock, schedules: schedulesOption.schedules, set: set, now: from))
        switch format {
        case .json:
            plan.writeJSONLines(chunks: Output.write)
        case .table:
            print("计划 plan \(clock.iso8601(from)) → \(clock.iso8601(to)): \(plan.messages.count) 条消息 messages")
            if !plan.messages.isEmpty { print(plan.table()) }
        }
    }
}
