import ArgumentParser
import Foundation
import DudaoCore
import DudaoSchedules
import DudaoService
import DudaoStore

/// `dudao sign`: the office records that an agency signed for its notices (代签: a paper
/// receipt, a phone call). The signature covers every notice that reached the agency
/// before it; kept with who, when and why, and in the audit trail.
struct SignCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sign",
        abstract: "代签 Record that an agency signed for the notices it received (paper receipt, phone call).",
        discussion: """
          dudao sign 市财政局 --note "电话确认已收到督办通知"
        """
    )

    @OptionGroup var schedulesOption: SchedulesOption
    @OptionGroup var state: StateOption

    @Argument(help: "The agency (its name or an alias).")
    var agency: String

    @Option(help: "What the signature rests on: 纸质签收单, 电话确认….")
    var note: String

    @Option(help: "When it was signed (ISO 8601); default: now.")
    var now: String?

    func run() throws {
        let set = try schedulesOption.loadOrExit(state: state)
        guard let found = set.agencies.agency(named: agency) else {
            Output.error("错误 error: 未知单位 unknown agency “\(agency)” (agencies.yaml or the console's directory)")
            throw ExitCode(1)
        }
        let text = note.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty, text.count <= 200 else {
            Output.error("错误 error: --note 应写明代签依据（1–200 字） must say what the signature rests on, 1–200 characters")
            throw ExitCode(1)
        }
        let at: Date
        do { at = try InstantArgument.parse(now, option: "--now", clock: LocalClock(timeZone: set.policy.timeZone), default: Date()) } catch {
            Output.error("错误 error: \(error)")
            throw ExitCode(1)
        }
        let store = try state.open(schedules: schedulesOption.schedules)
        try store.record(AgencyReceipt(agency: found.name, kind: .signed, how: .office, at: at, actor: UserCommand.operatorName, client: "local", note: text),
                         audit: UserCommand.entry(.noticeSign, found.name, detail: "代签：\(text)"))
        ReminderService.poke(stateDirectory: state.directory)
        print("已记录代签 signed for: \(found.name)（\(LocalClock(timeZone: set.policy.timeZone).iso8601(at))）：\(text)")
    }
}
