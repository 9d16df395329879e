import ArgumentParser
import Foundation
import DudaoCore
import DudaoService
import DudaoStore

/// `dudao outbox`: what is waiting to be sent, and (`--dead`) what was given up on.
struct OutboxCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outbox",
        abstract: "发件箱 List pending messages, or dead letters with --dead."
    )

    @OptionGroup var state: StateOption

    @Flag(help: "Dead letters (permanent failures, or too many attempts) instead of pending messages.")
    var dead = false

    @Flag(help: "Everything: pending, sent and dead.")
    var all = false

    func run() throws {
        guard let store = try state.existing() else {
            print("发件箱为空 the outbox is empty (no state in \(state.directory))")
            return
        }
        let entries = try store.entries(state: all ? nil : (dead ? .dead : .pending))
        let clock = LocalClock(timeZone: TimeZone(identifier: "Asia/Shanghai")!)
        var t = TextTable(header: ["ID", "状态", "渠道", "收件单位", "事项", "尝试", "下次尝试", "错误"])
        for e in entries {
            t.rows.append(["\(e.id)", e.state.rawValue, e.channel.rawValue, e.agency, Array(Set(e.notices.map(\.item))).sorted().joined(separator: ","),
                           "\(e.attempts)", e.state == .pending ? String(clock.iso8601(e.nextAttemptAt).prefix(19)) : "-",
                           e.lastError.map { $0.count > 60 ? String($0.prefix(60)) + "…" : $0 } ?? "-"])
        }
        print(entries.isEmpty ? (dead ? "没有死信 no dead letters" : "没有待发消息 nothing pending") : t.text)
        for line in try CircuitLines.text(store, clock: clock) { print(line) }
    }
}

/// `dudao retry ID`: puts a dead letter back in line.
struct RetryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retry",
        abstract: "重发 Put a dead letter (see `dudao outbox --dead`) back in line now."
    )

    @OptionGroup var state: StateOption

    @Argument(help: "Outbox ID.")
    var id: Int64

    func run() throws {
        let store = try state.open()
        guard try store.retry(id: id, at: Date()) else {
            Output.error("错误 error: 没有可重发的消息 no pending or dead outbox entry \(id)")
            throw ExitCode(1)
        }
        let woke = ReminderService.poke(stateDirectory: state.directory)
        print("已重新排队 queued again: \(id)" + (woke ? "（服务将立即发送 the running service sends it now）" : "（下次运行时发送 sent at the next run）"))
    }
}

/// Lines about channels whose circuit the service left open or half open, for `outbox` and `status`.
enum CircuitLines {
    static func text(_ store: StateStore, clock: LocalClock) throws -> [String] {
        try store.circuits().filter { $0.state != "closed" }.map { c in
            "渠道暂停 channel paused: \(c.channel) circuit \(c.state) after \(c.failures) failures"
                + (c.openUntil.map { ", next probe \(clock.iso8601($0))" } ?? "") + (c.lastError.map { " — \($0)" } ?? "")
        }
    }
}
