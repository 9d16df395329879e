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
          dudao sign 市财政局 市教育局 --note "纸质签收单"
        """
    )

    @OptionGroup var schedulesOption: SchedulesOption
    @OptionGroup var state: StateOption

    @Argument(help: "The agencies (names or aliases).")
    var agencies: [String]

    @Option(help: "What the signature rests on: 纸质签收单, 电话确认….")
    var note: String

    @Option(help: "When it was signed (ISO 8601); default: now.")
    var now: String?

    func run() throws {
        let set = try schedulesOption.loadOrExit(state: state)
        var found: [Agency] = []
        for name in agencies {
            guard let a = set.agencies.agency(named: name) else {
                Output.error("错误 error: 未知单位 unknown agency “\(name)” (agencies.yaml or the console's directory); nothing recorded")
                throw ExitCode(1)
            }
            found.append(a)
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
        for a in found {
            try store.record(AgencyReceipt(agency: a.name, kind: .signed, how: .office, at: at, actor: UserCommand.operatorName, client: "local", note: text),
                             audit: UserCommand.entry(.noticeSign, a.name, detail: "代签：\(text)"))
            print("已记录代签 signed for: \(a.name)（\(LocalClock(timeZone: set.policy.timeZone).iso8601(at))）：\(text)")
        }
        ReminderService.poke(stateDirectory: state.directory)
    }
}
