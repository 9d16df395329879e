import ArgumentParser
import Foundation
import DudaoCore
import DudaoDelivery
import DudaoSchedules
import DudaoService
import DudaoStore

/// `dudao sms-report`: records delivery reports and replies an SMS platform pushed, from
/// files (one pushed body each) — what the console's `/hooks/sms/TYPE` does, for a body
/// saved from the platform's console or a test. Each event once: a repeat changes nothing.
struct SMSReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sms-report",
        abstract: "短信回执 Record SMS delivery reports and replies (reply 1 = 签收) from files, as the console's hook does.",
        discussion: """
          dudao sms-report report.json
        """
    )

    @OptionGroup var schedulesOption: SchedulesOption
    @OptionGroup var state: StateOption

    @Argument(help: "Files, each one body as the platform pushes it (JSON).")
    var files: [String]

    @Option(help: "When they arrived (ISO 8601); default: now.")
    var now: String?

    func run() throws {
        let set = try schedulesOption.loadOrExit(state: state)
        let (config, diag) = ChannelsFile.read(set)
        guard !diag.hasErrors, let sms = config.sms else {
            Output.printDiagnostics(diag.errors)
            Output.error("错误 error: channels.yaml 未配置短信平台 configures no SMS platform (sms:)")
            throw ExitCode(1)
        }
        let platform = type(of: sms.platform)
        let at: Date
        do { at = try InstantArgument.parse(now, option: "--now", clock: LocalClock(timeZone: set.policy.timeZone), default: Date()) } catch {
            Output.error("错误 error: \(error)")
            throw ExitCode(1)
        }
        let store = try state.open(schedules: schedulesOption.schedules)
        for file in files {
            let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? nil
            guard let size, size <= 256 * 1024, let data = FileBytes.read(file) else {
                Output.error("错误 error: \(file): 无法读取或超过 256 KB cannot read, or larger than 256 KB")
                throw ExitCode(1)
            }
            guard let events = platform.events(data) else {
                Output.error("错误 error: \(file): 不是 \(platform.type) 的回执格式 not a \(platform.type) report or reply")
                throw ExitCode(1)
            }
            let tally = try store.recordSMSEvents(events, platform: platform.type, at: at)
            let signed = try store.signForReplies(tally.newReplies, agencies: set.agencies.agencies, platform: platform.type, at: at)
            print("\(file): \(tally.new) new, \(tally.repeated) repeated, \(tally.settled) settled, \(tally.unmatched) unmatched"
                  + (signed.isEmpty ? "" : "; 签收 signed: \(signed.joined(separator: "、"))"))
        }
        ReminderService.poke(stateDirectory: state.directory)
    }
}
