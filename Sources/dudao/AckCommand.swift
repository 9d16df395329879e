import ArgumentParser
import Foundation
import DudaoCore
import DudaoSchedules
import DudaoService

/// `dudao ack`: records progress on an item or milestone; done and cancelled work gets no
/// more reminders, extended work is replanned.
struct AckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ack",
        abstract: "报送进展 Record progress on an item: in_progress, done, cancelled, or extended --due DATE."
    )

    enum Status: String, ExpressibleByArgument, CaseIterable { case open, in_progress, done, cancelled, extended }

    @OptionGroup var schedulesOption: SchedulesOption
    @OptionGroup var state: StateOption

    @Argument(help: "Item id (序号), e.g. 8.")
    var item: String

    @Option(help: "Milestone number (1-based) when the item has several.")
    var milestone: Int?

    @Option(help: "in_progress, done, cancelled, extended (with --due) or open.")
    var status: Status

    @Option(help: "New due date for --status extended, YYYY-MM-DD.")
    var due: String?

    @Option(help: "Note for the record (e.g. the document number).")
    var note: String = ""

    @Option(help: "Who reports it; default: $USER.")
    var by: String?

    func run() throws {
        let set = try schedulesOption.loadOrExit()
        guard let target = set.items.first(where: { $0.id == item }) else {
            Output.error("错误 error: 没有序号为 \(item) 的事项 no item with id “\(item)” in \(schedulesOption.schedules)")
            throw ExitCode(1)
        }
        if let m = milestone, !(1...max(1, target.milestones.count)).contains(m) || target.milestones.isEmpty {
            Output.error("错误 error: 事项 \(item) 有 \(target.milestones.count) 个里程碑 item \(item) has \(target.milestones.count) milestone(s); --milestone \(m) does not exist")
            throw ExitCode(1)
        }
        let date = due.flatMap(CivilDate.init(iso:))
        guard let newStatus = ItemStatus(name: status.rawValue, extendedTo: date) else {
            Output.error("错误 error: --status extended 需要 --due YYYY-MM-DD needs the new due date")
            throw ExitCode(1)
        }
        if status != .extended, due != nil {
            Output.error("错误 error: --due 只用于 --status extended is only for extended")
            throw ExitCode(1)
        }
        let who = by ?? ProcessInfo.processInfo.environment["USER"] ?? "unknown"
        let report = ProgressReport(key: ProgressKey(item: item, milestone: milestone), status: newStatus, note: note, by: who, at: Date())
        try state.open().record(report)
        ReminderService.poke(stateDirectory: state.directory)
        let what = milestone.map { "事项\(item) 第\($0)个里程碑" } ?? "事项\(item)"
        var line = "已记录 recorded: \(what)（\(target.title)）→ \(newStatus.name)"
        if case .extended(let to) = newStatus { line += "，新完成时限 new due \(to.chinese)" }
        print(line + "（\(who)）")
    }
}
