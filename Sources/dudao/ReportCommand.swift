import ArgumentParser
import Foundation
import DudaoCore
import DudaoMessages
import DudaoSchedules
import DudaoStore

/// `dudao report`: previews the office's weekly or monthly report as it would be sent.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "督办周报 The office's report: the figures, the agencies doing worst and best, the longest overdue, changes, work at 通报; or as the 督查通报 (Word) or the figures (Excel).",
        discussion: "--format docx writes the 督查通报 and gives it the next 文号 of the year (the same one if this report already has one; --draft: none)."
    )

    enum Period: String, ExpressibleByArgument, CaseIterable { case week, month }
    enum Format: String, ExpressibleByArgument, CaseIterable { case html, text, markdown, csv, xlsx, docx }

    @OptionGroup var schedulesOption: SchedulesOption
    @OptionGroup var state: StateOption

    @Option(help: "The report's day (ISO 8601 or YYYY-MM-DD); default: now.")
    var now: String?

    @Option(help: "week or month: what \"changes since the last report\" covers when none was sent.")
    var period: Period = .week

    @Option(help: "html (as emailed), text, markdown (as sent to robots), csv (each agency's figures), xlsx (the figures workbook; -o) or docx (the 督查通报; -o).")
    var format: Format = .text

    @Option(name: [.short, .customLong("output")], help: "With --format xlsx or docx: the file to write.")
    var output: String?

    @Flag(help: "With --format docx: a draft, 〔待编号〕, taking no number.")
    var draft = false

    func validate() throws {
        let binary = format == .xlsx || format == .docx
        if binary, output == nil { throw ValidationError("--format \(format.rawValue) 需要 -o 文件 needs -o FILE") }
        if !binary, output != nil { throw ValidationError("-o 只用于 --format xlsx 或 docx is only for xlsx and docx") }
        if draft, format != .docx { throw ValidationError("--draft 只用于 --format docx is only for docx") }
    }

    @Option(help: "Template folder; default: templates_dir in policy.yaml, else Templates.")
    var templates: String?

    func run() throws {
        let set = try schedulesOption.loadOrExit(state: state)
        let clock = LocalClock(timeZone: set.policy.timeZone)
        let at = try InstantArgument.parse(now, option: "--now", clock: clock, default: Date())
        let day = clock.day(of: at)
        let supervision = try state.supervision(clock: clock, schedules: schedulesOption.schedules, set: set, now: at)
        guard let plan = MessagePreview.officeReport(items: set.items, policy: set.policy, calendar: set.calendar, supervision: supervision,
                                                     day: day, monthly: period == .month), let message = plan.messages.first else {
            Output.error("错误 error: policy.yaml 未设置 supervisor no supervising office is set: the report goes to it")
            throw ExitCode(1)
        }
        let office = set.policy.supervisor ?? "督查室"
        if [.csv, .xlsx, .docx].contains(format) {
            let figures = ReportFigures(plan: plan, message: message, monthly: period == .month, lists: set.itemLists)
            switch format {
            case .csv: FileHandle.standardOutput.write(Data(FiguresWorkbook.csv(figures).utf8))
            case .xlsx:
                try write { try FiguresWorkbook.spreadsheet(figures, items: set.items).write(to: $0) }
                print("已写入 wrote \(output!)：\(figures.assessment.agencies.count) 个单位 agencies")
            default:
                var number: String? = nil
                if !draft {
                    let store = try state.open(schedules: schedulesOption.schedules)
                    let given = try store.documentNumber(kind: DocumentKind.report.rawValue, year: day.year, key: plan.messageKey(message),
                                                         audit: UserCommand.entry(.documentNumber, "", detail: "督查通报 \(day.iso)"))
                    number = DocumentKind.report.number(set.policy, year: given.year, n: given.n)
                }
                let document = CirculatedReport.document(figures, plan: plan, office: office, number: number)
                try write { try document.write(to: $0) }
                print("已写入 wrote \(output!)：\(number ?? "草稿 draft")")
            }
            return
        }
        let renderer = MessageRenderer(templates: try TemplateLoading.load(templates ?? set.templatesPath),
                                       context: MessageContext(office: set.policy.supervisor, reportTo: set.messages.reportTo, contact: set.officeContact, itemLists: { set.itemLists }))
        let rendered = renderer.render(message, in: plan)
        switch format {
        case .html: print(rendered.html, terminator: "")
        case .markdown: print(rendered.markdown, terminator: "")
        default: print("Subject: \(rendered.subject)\n\n\(rendered.text)", terminator: "")
        }
    }

    /// Writes the file, or exits 1 naming it.
    private func write(_ body: (URL) throws -> Void) throws {
        do { try body(URL(fileURLWithPath: output!)) } catch {
            Output.error("错误 error: \(output!): 无法写入 cannot write: \(error)")
            throw ExitCode(1)
        }
    }
}
