import ArgumentParser
import Foundation
import Logging
import DudaoCore
import DudaoDelivery
import DudaoMessages
import DudaoSchedules
import DudaoStore

/// `dudao run --once`: sends what the plan says is due today up to now (stateless; the
/// service keeps state and runs forever).
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "发送提醒 Send the reminders due today up to --now, then exit (--once)."
    )

    @OptionGroup var schedulesOption: SchedulesOption
    @OptionGroup var state: StateOption

    @Flag(help: "Send what is due and exit (the long-running service comes later).")
    var once = false

    @Option(help: "Act as if it were this time (ISO 8601); default: now.")
    var now: String?

    @Option(help: "Template folder; default: templates_dir in policy.yaml.")
    var templates: String?

    func run() throws {
        guard once else {
            Output.error("目前只支持 --once: only `dudao run --once` is available in this version")
            throw ExitCode(1)
        }
        let logger = Logger(label: "dudao.run")
        let set = try schedulesOption.loadOrExit()
        let clock = LocalClock(timeZone: set.policy.timeZone)
        let at = try InstantArgument.parse(now, option: "--now", clock: clock, default: Date())
        let startOfDay = clock.instant(clock.day(of: at), at: 0)
        let store = try state.open()
        let plan = Plan(items: set.items.applying(try store.currentStatuses()), policy: set.policy, calendar: set.calendar,
                        from: startOfDay, until: at, alreadySent: try store.sentKeys())
        let delivering = try Delivering(set, templates: templates)
        if set.channels.isEmpty {
            logger.notice("no channels configured (Schedules/channels.yaml): writing messages to \(set.channels.outboxDirectory)/")
        }
        let records = delivering.deliver(plan, logger: logger)
        try SentLog.record(records, of: plan, in: store)
        let delivered = records.filter { $0.outcome.isDelivered }.count
        print("\(plan.messages.count) 条消息 messages, \(records.count) 次投递 deliveries: \(delivered) delivered, \(records.count - delivered) failed")
        if delivered < records.count { throw ExitCode(1) }
    }
}

/// Writes delivered messages' notices to the sent log, so a rerun does not repeat them.
enum SentLog {
    static func record(_ records: [DeliveryRecord], of plan: Plan, in store: DudaoStore.StateStore) throws {
        let byKey = Dictionary(plan.messages.map { (plan.messageKey($0), $0) }, uniquingKeysWith: { a, _ in a })
        var done = Set<String>()
        for r in records where r.outcome.isDelivered && done.insert(r.key).inserted {
            guard let m = byKey[r.key] else { continue }
            let notices = Array(plan.notices(in: m).map { (key: plan.dedupKey($0), item: plan.items[Int($0.item)].id) })
            try store.markSent(notices: notices, agency: m.to.agency, message: r.key, channel: r.channel, at: Date())
        }
    }
}

/// `dudao send-test`: one sample message through one channel, and its outcome.
struct SendTestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send-test",
        abstract: "测试发送 Send one sample message through a channel and print the outcome."
    )

    @OptionGroup var schedulesOption: SchedulesOption

    @Option(help: "email, or the name of a chat channel in channels.yaml.")
    var channel: String

    @Option(help: "Email address for the sample (default: the supervising office's).")
    var to: String?

    @Option(help: "Template folder; default: templates_dir in policy.yaml.")
    var templates: String?

    func run() throws {
        let set = try schedulesOption.loadOrExit()
        let delivering = try Delivering(set, templates: templates)
        guard let item = set.items.first else {
            Output.error("错误 error: 没有事项可作样例 no items to make a sample from")
            throw ExitCode(1)
        }
        let clock = LocalClock(timeZone: set.policy.timeZone)
        let plan = try MessagePreview.plan(items: set.items, ids: [item.id], kind: .advance, level: 1, day: clock.day(of: Date()), policy: set.policy)
        guard let message = plan.messages.first else { throw ExitCode(1) }
        var rendered = delivering.renderer.render(message, in: plan)
        rendered.subject = "【测试】" + rendered.subject
        let outcome: DeliveryOutcome
        switch channel {
        case "email":
            guard let smtp = delivering.dispatcher.channels.email else {
                Output.error("错误 error: channels.yaml 未配置 email no email channel configured")
                throw ExitCode(1)
            }
            let address = to ?? Senders.office(set).address
            let email = EmailMessage(from: smtp.configuration.from, to: [Mailbox(name: nil, address: address)], subject: rendered.subject,
                                     text: rendered.text, html: rendered.html, date: Date(), utcOffsetSeconds: clock.offset(at: Date()),
                                     key: "send-test@\(Int(Date().timeIntervalSince1970))")
            do { outcome = smtp.send(try email.rfc5322(), to: [address]) } catch {
                Output.error("错误 error: \(error)")
                throw ExitCode(1)
            }
        default:
            guard let hook = delivering.dispatcher.channels.chats[channel] else {
                Output.error("错误 error: 没有名为 “\(channel)” 的渠道 no channel named “\(channel)” (email, \(delivering.dispatcher.channels.chats.keys.sorted().joined(separator: ", ")))")
                throw ExitCode(1)
            }
            outcome = hook.send(rendered, id: "msg_send_test_\(Int(Date().timeIntervalSince1970))")
        }
        print("\(channel): \(outcome)")
        if !outcome.isDelivered { throw ExitCode(1) }
    }
}
