import ArgumentParser
import Foundation
import DudaoCore
import DudaoSchedules
import DudaoService
import DudaoStore

/// `dudao ack`: records a report or decision on an item, a milestone, or one lead agency's
/// part. Every one is kept (who, when, note); planning follows the state that counts.
struct AckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ack",
        abstract: "报送与审核 Record a report (in_progress, reported, done_reported, extension_requested) or a decision (done, extended, refused, cancelled, open).",
        discussion: """
        Without --agency the state applies to every lead agency of the item.
          dudao ack 20 --agency 市法院 --status done
          dudao ack 17 --agency 市卫健委 --status in_progress --next-report 2027-01-15
          dudao ack 8 --status extension_requested --due 2027-06-30 --note "需省级审批"
        """
    )

    @OptionGroup var schedulesOption: SchedulesOption
    @OptionGroup var state: StateOption

    @Argument(help: "Item id (序号), e.g. 8.")
    var item: String

    @Option(help: "Milestone number (1-based) when the item has several.")
    var milestone: Int?

    @Option(help: "The lead agency whose part this is (default: every lead).")
    var agency: String?

    @Option(help: "open, in_progress, reported, done_reported, done, extension_requested, extended, refused or cancelled.")
    var status: String

    @Option(help: "New due date for extended or extension_requested, YYYY-MM-DD.")
    var due: String?

    @Option(help: "For in_progress: the promised date of the next report, YYYY-MM-DD; chasing waits until then.")
    var nextReport: String?

    @Option(help: "Note for the record: what was done, the reason, the office's comment.")
    var note: String = ""

    @Option(help: "Who reports it; default: $USER.")
    var by: String?

    @Option(help: "When it was reported (ISO 8601, or YYYY-MM-DD for local midnight); default: now.")
    var now: String?

    func run() throws {
        let set = try schedulesOption.loadOrExit(state: state)
        let who = by ?? ProcessInfo.processInfo.environment["USER"] ?? "unknown"
        let request = ReportRequest(item: item, milestone: milestone, agency: agency, status: status,
                                    due: try date(due, "--due"), nextReport: try date(nextReport, "--next-report"), note: note, by: who)
        let (report, target): (ProgressReport, Item)
        do {
            let at = try InstantArgument.parse(now, option: "--now", clock: LocalClock(timeZone: set.policy.timeZone), default: Date())
            (report, target) = try request.report(in: set, at: at)
        } catch {
            Output.error("错误 error: \(error)")
            throw ExitCode(1)
        }
        let store = try state.open(schedules: schedulesOption.schedules)
        let object = "事项\(item)" + (milestone.map { "·第\($0)项" } ?? "") + (agency.map { "·\($0)" } ?? "")
        let detail = "\(Labels.event(report.status))，署名\(who)\(note.isEmpty ? "" : "：" + note)"
        _ = try store.record(report, audit: { row in
            AuditEntry(at: Date(), actor: UserCommand.operatorName, client: "local", action: .record, object: object, detail: "记录\(row)，" + detail)
        })
        ReminderService.poke(stateDirectory: state.directory)
        var what = milestone.map { "事项\(item) 第\($0)个里程碑" } ?? "事项\(item)"
        what += "（\(target.title)）"
        what += report.key.agency.map { " \($0)" } ?? (target.lead.count > 1 ? " 全部牵头单位" : "")
        var line = "已记录 recorded: \(what) → \(report.status.name)（\(Labels.state(report.status))）"
        if let next = report.nextReport { line += "，下次报送 next report \(Labels.date(next))" }
        print(line + "（\(who)）")
    }

    private func date(_ text: String?, _ option: String) throws -> CivilDate? {
        guard let text else { return nil }
        guard let d = CivilDate(iso: text), CivilDate.supportedYears.contains(d.year) else {
            Output.error("错误 error: \(option) 应为 \(CivilDate.supportedYears.lowerBound)–\(CivilDate.supportedYears.upperBound) 年的 YYYY-MM-DD must be a date like 2027-01-15 in \(CivilDate.supportedYears.lowerBound)–\(CivilDate.supportedYears.upperBound), not “\(text)”")
            throw ExitCode(1)
        }
        return d
    }
}
