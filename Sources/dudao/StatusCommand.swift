import ArgumentParser
import Foundation
import DudaoCore
import DudaoSchedules

/// `dudao status`: where every item stands.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "事项状态 Where every item stands: lead, deadline, days left or overdue, status, last sent, next planned."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, json, csv }

    @OptionGroup var schedulesOption: SchedulesOption
    @OptionGroup var state: StateOption

    @Option(help: "As of this time (ISO 8601); default: now.")
    var now: String?

    @Option(help: "table, json, or csv (UTF-8 with BOM, opens in Excel).")
    var format: Format = .table

    func run() throws {
        let set = try schedulesOption.loadOrExit()
        let clock = LocalClock(timeZone: set.policy.timeZone)
        let at = try InstantArgument.parse(now, option: "--now", clock: clock, default: Date())
        let store = try state.existing()
        let items = set.items.applying(try store?.currentStatuses() ?? [:])
        let lastSent = try store?.lastSent() ?? [:]
        let dead = try store?.deadLetters() ?? [:]
        let skipped = try store?.skippedCounts() ?? [:]
        let plan = Plan(items: items, policy: set.policy, calendar: set.calendar, from: at, until: at.addingTimeInterval(400 * 86400),
                        alreadySent: try store?.sentKeys() ?? [])
        var next: [String: Date] = [:]
        for m in plan.messages {
            for n in plan.notices(in: m) where next[items[Int(n.item)].id] == nil { next[items[Int(n.item)].id] = m.sendAt }
        }
        let today = clock.day(of: at)
        let rows = items.map { item in
            ItemStanding(item: item, today: today, lastSent: lastSent[item.id], next: next[item.id], failures: dead[item.id] ?? 0,
                         skipped: skipped[item.id] ?? 0, clock: clock)
        }
        switch format {
        case .table:
            var t = TextTable(header: ["序号", "事项", "牵头单位", "完成时限", "剩余/逾期", "状态", "最近提醒", "下次提醒", "失败", "跳过"])
            for r in rows {
                t.rows.append([r.id, r.shortTitle, r.shortLead, r.deadline, r.daysText, r.statusName,
                               r.lastSent.map { String($0.prefix(16)).replacingOccurrences(of: "T", with: " ") } ?? "-",
                               r.next.map { String($0.prefix(16)).replacingOccurrences(of: "T", with: " ") } ?? "-",
                               r.failures > 0 ? "\(r.failures)" : "-", r.skipped > 0 ? "\(r.skipped)" : "-"])
            }
            print(t.text)
            if let store { for line in try CircuitLines.text(store, clock: clock) { print(line) } }
        case .json:
            print(JSONValue.array(rows.map(\.json)).text)
        case .csv:
            var out = "\u{FEFF}id,title,lead,due_text,due,days,status,last_sent,next_planned,failures,skipped\r\n"
            for r in rows {
                out += [r.id, r.title, r.lead, r.dueText, r.dueISO ?? "", r.days.map(String.init) ?? "", r.statusName, r.lastSent ?? "", r.next ?? "",
                        String(r.failures), String(r.skipped)]
                    .map(Self.csvField).joined(separator: ",") + "\r\n"
            }
            FileHandle.standardOutput.write(Data(out.utf8))
        }
    }

    static func csvField(_ s: String) -> String {
        s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }
}

/// One item's standing, as `status` shows it.
struct ItemStanding {
    let id, title, lead, dueText, statusName: String
    let dueISO: String?
    /// Days until the next open deadline (negative when overdue).
    let days: Int?
    let lastSent, next: String?
    /// Dead letters about the item.
    let failures: Int
    /// Notices skipped after downtime.
    let skipped: Int

    init(item: Item, today: CivilDate, lastSent: Date?, next: Date?, failures: Int, skipped: Int, clock: LocalClock) {
        self.failures = failures
        self.skipped = skipped
        id = item.id
        title = item.title
        lead = item.lead.joined(separator: "、")
        dueText = item.dueText
        let open = item.milestones.indices.first { item.status(ofMilestone: $0).wantsReminders }
        let due = open.map(item.effectiveDue(ofMilestone:))
        dueISO = due?.iso
        days = item.status.wantsReminders ? due.map { today.days(until: $0) } : nil
        statusName = item.status == .open && open == nil && !item.ongoing ? "done" : item.status.name
        self.lastSent = lastSent.map(clock.iso8601)
        self.next = next.map(clock.iso8601)
    }

    var shortTitle: String { title.count > 16 ? String(title.prefix(15)) + "…" : title }
    /// At most two agencies, then `等9家`.
    var shortLead: String {
        let names = lead.split(separator: "、")
        return names.count > 2 ? names.prefix(2).joined(separator: "、") + "等\(names.count)家" : lead
    }
    var deadline: String { dueISO.map { "\(dueText)（\($0)）" } ?? dueText }
    var daysText: String {
        guard let d = days else { return "-" }
        return d >= 0 ? "余\(d)天" : "逾期\(-d)天"
    }

    var json: JSONValue {
        .object([("id", .string(id)), ("title", .string(title)), ("lead", .string(lead)), ("due_text", .string(dueText)),
                 ("due", dueISO.map(JSONValue.string) ?? .null), ("days", days.map(JSONValue.int) ?? .null),
                 ("status", .string(statusName)), ("last_sent", lastSent.map(JSONValue.string) ?? .null),
                 ("next_planned", next.map(JSONValue.string) ?? .null), ("failures", .int(failures)), ("skipped", .int(skipped))])
    }
}
