import ArgumentParser
import Foundation
import DudaoCore
import DudaoMessages
import DudaoSchedules

/// `dudao report`: previews the office's weekly or monthly report as it would be sent.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "督办周报 Preview the office's report: counts by light, agencies ranked by overdue work, changes, work at the top of the ladder."
    )

    enum Period: String, ExpressibleByArgument, CaseIterable { case week, month }
    enum Format: String, ExpressibleByArgument, CaseIterable { case html, text, markdown, csv }

    @OptionGroup var schedulesOption: SchedulesOption
    @OptionGroup var state: StateOption

    @Option(help: "The report's day (ISO 8601 or YYYY-MM-DD); default: now.")
    var now: String?

    @Option(help: "week or month: what \"changes since the last report\" covers when none was sent.")
    var period: Period = .week

    @Option(help: "html (as emailed), text, markdown (as sent to robots) or csv (the agencies' table).")
    var format: Format = .text

    @Option(help: "Template folder; default: templates_dir in policy.yaml, else Templates.")
    var templates: String?

    func run() throws {
        let set = try schedulesOption.loadOrExit(state: state)
        let clock = LocalClock(timeZone: set.policy.timeZone)
        let day = clock.day(of: try InstantArgument.parse(now, option: "--now", clock: clock, default: Date()))
        let supervision = try state.supervision(clock: clock, schedules: schedulesOption.schedules)
        guard let plan = MessagePreview.officeReport(items: set.items, policy: set.policy, calendar: set.calendar, supervision: supervision,
                                                     day: day, monthly: period == .month), let message = plan.messages.first else {
            Output.error("错误 error: policy.yaml 未设置 supervisor no supervising office is set: the report goes to it")
            throw ExitCode(1)
        }
        if format == .csv {
            let ledger = Ledger(items: set.items, supervision: supervision, policy: set.policy, today: day)
            let since = day.adding(days: period == .month ? -31 : -7)
            let report = OfficeReport(ledger: ledger, items: set.items, standings: supervision.standings, policy: set.policy,
                                      day: day, since: since, period: (clock.instant(since, at: set.policy.sendTime.seconds), message.sendAt))
            var out = "\u{FEFF}rank,agency,overdue,overdue_days,max_overdue_days,items,at_top_level\r\n"
            for (i, a) in report.agencies.enumerated() {
                out += CSVLine.of(["\(i + 1)", a.agency, "\(a.overdue)", "\(a.overdueDays)", "\(a.maxOverdueDays)", "\(a.items)", "\(a.atTop)"])
            }
            FileHandle.standardOutput.write(Data(out.utf8))
            return
        }
        let renderer = MessageRenderer(templates: try TemplateLoading.load(templates ?? set.templatesPath),
                                       context: MessageContext(office: set.policy.supervisor, reportTo: set.messages.reportTo, contact: set.officeContact))
        let rendered = renderer.render(message, in: plan)
        switch format {
        case .html: print(rendered.html, terminator: "")
        case .markdown: print(rendered.markdown, terminator: "")
        default: print("Subject: \(rendered.subject)\n\n\(rendered.text)", terminator: "")
        }
    }
}
