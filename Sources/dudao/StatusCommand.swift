import ArgumentParser
import Foundation
import DudaoCore
import DudaoSchedules
import DudaoWeb

/// `dudao status`: where every item stands, per lead agency.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "事项状态 Where every item stands per lead agency: light, state, ladder level, reminders sent, last report, next planned."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, json, csv, xlsx }

    @OptionGroup var schedulesOption: SchedulesOption
    @OptionGroup var state: StateOption

    @Option(help: "As of this time (ISO 8601); default: now.")
    var now: String?

    @Flag(help: "With --format csv: the machine's headers and values (id, title, red, open) instead of the office's Chinese ones.")
    var english = false

    @Option(help: "table, json, csv (UTF-8 with BOM, opens in Excel; Chinese headers and values unless --english), or xlsx (the 台账 workbook; needs -o).")
    var format: Format = .table

    @Option(name: [.short, .customLong("output")], help: "With --format xlsx: the workbook to write, e.g. 台账.xlsx.")
    var output: String?

    func validate() throws {
        if format == .xlsx, output == nil { throw ValidationError("--format xlsx 需要 -o 文件 needs -o FILE.xlsx") }
        if format != .xlsx, output != nil { throw ValidationError("-o 只用于 --format xlsx is only for --format xlsx") }
    }

    func run() throws {
        let set = try schedulesOption.loadOrExit(state: state)
        let clock = LocalClock(timeZone: set.policy.timeZone)
        let at = try InstantArgument.parse(now, option: "--now", clock: clock, default: Date())
        let store = try state.existing(schedules: schedulesOption.schedules)
        let board = try StatusBoard(set: set, store: store, now: at)
        let rows = board.rows
        switch format {
        case .xlsx:
            let url = URL(fileURLWithPath: output!)
            do {
                try LedgerWorkbook.spreadsheet(set: set, board: board, clock: clock).write(to: url)
            } catch {
                Output.error("错误 error: \(output!): 无法写入 cannot write the workbook: \(error)")
                throw ExitCode(1)
            }
            print("已写入 wrote \(output!)：\(Set(rows.map(\.id)).count) 项事项 items, \(set.listTitles.count) 张工作表 sheets")
        case .table:
            var t = TextTable(header: ["序号", "事项", "牵头单位", "完成时限", "剩余/逾期", "灯", "状态", "等级", "已提醒", "最近报送", "下次提醒", "失败"])
            for r in rows {
                t.rows.append([r.id, r.shortTitle, r.agency, r.deadline, r.daysText, r.light.chinese, r.stateText,
                               r.levelName ?? "-", r.row.remindersSent > 0 ? "\(r.row.remindersSent)" : "-",
                               r.lastReportText ?? "-", r.next.map { String($0.prefix(16)).replacingOccurrences(of: "T", with: " ") } ?? "-",
                               r.failures > 0 ? "\(r.failures)" : "-"])
            }
            print(t.text)
            var counts: [Light: Int] = [:]
            for r in rows { counts[r.light, default: 0] += 1 }
            print("红 \(counts[.red] ?? 0) · 黄 \(counts[.yellow] ?? 0) · 绿 \(counts[.green] ?? 0) · 蓝 \(counts[.blue] ?? 0)"
                  + ((counts[.grey] ?? 0) > 0 ? " · 灰 \(counts[.grey]!)" : "") + "（按事项与牵头单位 per item and lead agency）")
            if let store {
                for line in try CircuitLines.text(store, clock: clock) { print(line) }
                for line in try SMSLines.text(store, set: set, clock: clock, now: at) { print(line) }
            }
            for line in SourceLines.text(set) { print(line) }
        case .json:
            print(JSONValue.array(rows.map(\.json)).text)
        case .csv:
            var out = "\u{FEFF}" + CSVLine.of(english ? StatusRow.csvHeader : StatusRow.chineseHeader)
            for r in rows { out += CSVLine.of(english ? r.csvFields : r.chineseFields) }
            FileHandle.standardOutput.write(Data(out.utf8))
        }
    }
}
