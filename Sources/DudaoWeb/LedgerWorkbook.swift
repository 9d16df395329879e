import Foundation
import DudaoCore
import DudaoMessages
import DudaoSchedules

/// The 台账 as the office keeps it in Excel: one sheet per list, one row per item in the
/// importer's own layout (序号 … 完成时间, so the file imports back as the same items)
/// followed by where the item stands. An item with several leads shows each lead's state
/// on its own line; its dates are the latest report and the earliest next reminder.
public enum LedgerWorkbook {
    public static let header = ["序号", "事项", "主要内容", "具体举措", "牵头单位", "配合单位", "完成时间",
                                "状态", "灯", "督办等级", "已提醒", "最近报送", "下次提醒"]
    static let widths: [Double] = [7, 30, 36, 44, 18, 20, 18, 20, 6, 12, 8, 12, 17]

    /// The workbook of `board`'s rows over `set`'s items and lists.
    public static func spreadsheet(set: ScheduleSet, board: StatusBoard, clock: LocalClock) -> Spreadsheet {
        var byItem: [Int: [StatusRow]] = [:]
        var order: [Int] = []
        for r in board.rows {
            if byItem[r.row.item] == nil { order.append(r.row.item) }
            byItem[r.row.item, default: []].append(r)
        }
        let fileIndex = Dictionary(set.listTitles.enumerated().map { ($0.element.file, $0.offset) }, uniquingKeysWith: { a, _ in a })
        var sheets: [[[Spreadsheet.Cell]]] = Array(repeating: [], count: max(1, set.listTitles.count))
        for index in order {
            let list = set.place(ofItemAt: index).flatMap { fileIndex[$0.file] } ?? 0
            sheets[list].append(row(set.items[index], byItem[index] ?? [], clock: clock))
        }
        let names = set.listTitles.isEmpty ? ["台账"] : set.listTitles.map(\.title)
        return Spreadsheet(sheets: zip(names, sheets).map { Spreadsheet.Sheet(name: $0.0, header: header, widths: widths, rows: $0.1) })
    }

    static func row(_ item: Item, _ rows: [StatusRow], clock: LocalClock) -> [Spreadsheet.Cell] {
        var partners = item.partners.joined(separator: "、")
        if item.partnersAndOthers { partners += "等" }
        // One measure per line: lines are what the importer splits a cell at, so the file
        // reads back as the same measures (numbers would stay on all but the first).
        let measures = item.measures.joined(separator: "\n")
        // One value per lead: alone, or each on its own line after the lead's name.
        func each(_ value: (StatusRow) -> String) -> Spreadsheet.Cell {
            guard rows.count > 1 else { return .text(rows.first.map(value) ?? "") }
            return .text(rows.map { "\($0.agency)：\(value($0))" }.joined(separator: "\n"))
        }
        let reminders: Spreadsheet.Cell = rows.count == 1 ? .number(Double(rows[0].row.remindersSent))
            : each { "\($0.row.remindersSent)次" }
        let lastReport = rows.compactMap { $0.row.lastReport?.at }.max().map { Spreadsheet.Cell.date(clock.day(of: $0)) } ?? .empty
        let next = rows.compactMap { $0.next.flatMap(clock.parse) }.min().map {
            Spreadsheet.Cell.dateTime(clock.day(of: $0), secondsIntoDay: clock.secondsIntoDay(of: $0))
        } ?? .empty
        return [.text(item.id), .text(item.title), .text(item.content), .text(measures), .text(item.lead.joined(separator: "、")),
                .text(partners), .text(item.dueText),
                each { $0.stateText }, each { $0.light.chinese }, each { $0.levelName ?? "—" },
                reminders, lastReport, next]
    }
}
