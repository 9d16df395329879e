import ArgumentParser
import Foundation
import Logging
import DudaoCore
import DudaoDelivery
import DudaoMessages
import DudaoSchedules
import DudaoService
import DudaoStore
import DudaoWeb

/// `dudao run`: the service (until SIGTERM), or `--once`: one cycle for today up to now.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "运行服务 Run the reminder service; with --once, send what is due today up to --now and exit."
    )

    @OptionGroup var schedulesOption: SchedulesOption
    @OptionGroup var state: StateOption

    @Flag(help: "One cycle: plan today up to --now, send, record, exit (1 if anything failed).")
    var once = false

    @Option(help: "With --once: act as if it were this time (ISO 8601); default: now.")
    var now: String?

    @Option(help: "Template folder; default: templates_dir in policy.yaml.")
    var templates: String?

    @Option(help: "Seconds SIGTERM waits for messages in flight before aborting them (keep below systemd's TimeoutStopSec).")
    var stopTimeout: Double = 20

    @Option(help: "Serve the console (agencies' reply links) on HOST:PORT, e.g. 127.0.0.1:8080 behind a reverse proxy.")
    var listen: String?

    @Option(help: "The address agencies open reply links at (default: http://HOST:PORT of --listen); messages carry links when set.")
    var publicURL: String?

    @Option(help: "File with the key reply links are signed with (default: link.key in the state folder, created when absent).")
    var linkKeyFile: String?

    @Option(help: "The previous key after a rotation: links it signed keep working until they expire.")
    var previousLinkKeyFile: String?

    @Option(help: "Days a reply link works after its message is sent.")
    var linkDays: Int = 60

    @Option(help: "Header a reverse proxy on this machine sets to the user it authenticated (SSO), e.g. X-Remote-User; that account is logged in without a password.")
    var trustUserHeader: String?

    func run() throws {
        let logger = Logger(label: "dudao")
        let web = try webOptions()
        guard once else {
            if now != nil {
                Output.error("--now 只用于 --once: the service always runs on the real clock")
                throw ExitCode(1)
            }
            if web?.listen != nil { ServiceMetrics.bootstrap() }
            let service: ReminderService
            do {
                service = try ReminderService(options: .init(schedules: schedulesOption.schedules, stateDirectory: state.directory, templates: templates,
                                                             stopTimeout: stopTimeout, replyLinks: web?.links),
                                              logger: logger)
            } catch {
                Output.error("错误 error: 无法启动 cannot start:\n\(error)")
                throw ExitCode(1)
            }
            guard let web, let listen = web.listen else { service.run() }
            let state = state.directory, header = trustUserHeader
            service.run(beside: { Console.start($0, listen: listen, links: web.links, stateDirectory: state, trustedUserHeader: header, logger: logger) })
        }
        let store = try state.open()
        let cycle = try CycleLoading.load(schedulesOption.schedules, templates: templates, store: store, logger: logger, replyLinks: web?.links)
        let clock = LocalClock(timeZone: cycle.set.policy.timeZone)
        let at = try InstantArgument.parse(now, option: "--now", clock: clock, default: Date())
        if cycle.dispatcher.channels.isEmpty {
            logger.notice("no channels configured (Schedules/channels.yaml): writing messages to \(cycle.dispatcher.channels.outbox.folder.directory)/")
        }
        let s = try cycle.wake(now: at, from: clock.instant(clock.day(of: at), at: 0))
        let failed = s.retrying + s.dead
        print("\(s.planned) 条消息 messages, \(s.delivered + failed) 次投递 deliveries: \(s.delivered) delivered, \(failed) failed")
        if failed > 0 { throw ExitCode(1) }
    }

    /// Where the console listens, and the links it gives agencies.
    struct WebOptions {
        /// Host and port to bind; nil for links without a server (`run --once`).
        var listen: (host: String, port: Int)?
        /// The links messages carry.
        var links: ReplyLinks
    }

    /// The console's options, or nil when neither --listen nor --public-url is given.
    private func webOptions() throws -> WebOptions? {
        var bind: (host: String, port: Int)? = nil
        if let listen {
            guard let colon = listen.lastIndex(of: ":"), let port = Int(listen[listen.index(after: colon)...]), (1...65535).contains(port),
                  colon > listen.startIndex else {
                Output.error("错误 error: --listen 应为 HOST:PORT must be HOST:PORT, e.g. 127.0.0.1:8080, not “\(listen)”")
                throw ExitCode(1)
            }
            bind = (String(listen[..<colon]).trimmingCharacters(in: CharacterSet(charactersIn: "[]")), port)
        }
        if let h = trustUserHeader, h.isEmpty || !h.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) {
            Output.error("错误 error: --trust-user-header 应为请求头名称 must be a header name such as X-Remote-User")
            throw ExitCode(1)
        }
        if once, listen != nil {
            Output.error("错误 error: --listen 不用于 --once: one cycle serves no pages (give --public-url for the links)")
            throw ExitCode(1)
        }
        guard let url = publicURL ?? bind.map({ "http://\($0.host):\($0.port)" }) else { return nil }
        guard let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme ?? ""), parsed.host != nil else {
            Output.error("错误 error: --public-url 应为 http(s)://… must be an http or https address, not “\(url)”")
            throw ExitCode(1)
        }
        guard (1...365).contains(linkDays) else {
            Output.error("错误 error: --link-days 应为 1–365 must be 1–365")
            throw ExitCode(1)
        }
        do {
            try FileManager.default.createDirectory(atPath: state.directory, withIntermediateDirectories: true)
            let keyFile = linkKeyFile ?? (state.directory as NSString).appendingPathComponent("link.key")
            let keys = ReplyKeys(current: try ReplyKeys.key(file: keyFile, create: linkKeyFile == nil),
                                 previous: try previousLinkKeyFile.map { try ReplyKeys.key(file: $0, create: false) })
            return WebOptions(listen: bind, links: ReplyLinks(publicURL: url, keys: keys, days: linkDays))
        } catch {
            Output.error("错误 error: \(error)")
            throw ExitCode(1)
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
        let cycle = try CycleLoading.load(schedulesOption.schedules, templates: templates, store: try StateStore(), logger: Logger(label: "dudao"))
        let set = cycle.set
        guard let item = set.items.first else {
            Output.error("错误 error: 没有事项可作样例 no items to make a sample from")
            throw ExitCode(1)
        }
        let clock = LocalClock(timeZone: set.policy.timeZone)
        let plan = try MessagePreview.plan(items: set.items, ids: [item.id], kind: .advance, level: 1, day: clock.day(of: Date()), policy: set.policy)
        guard let message = plan.messages.first else { throw ExitCode(1) }
        var rendered = cycle.renderer.render(message, in: plan)
        rendered.subject = "【测试】" + rendered.subject
        let channels = cycle.dispatcher.channels
        let outcome: DeliveryOutcome
        switch channel {
        case "email":
            guard let smtp = channels.email else {
                Output.error("错误 error: channels.yaml 未配置 email no email channel configured")
                throw ExitCode(1)
            }
            let address = to ?? ReminderService.office(set).address
            let email = EmailMessage(from: smtp.transport.configuration.from, to: [Mailbox(name: nil, address: address)], subject: rendered.subject,
                                     text: rendered.text, html: rendered.html, date: Date(), utcOffsetSeconds: clock.offset(at: Date()),
                                     key: "send-test@\(Int(Date().timeIntervalSince1970))")
            do { outcome = smtp.send(.init(eml: try email.rfc5322(), rcpt: [address]), key: email.key, over: Connection(), stop: nil) } catch {
                Output.error("错误 error: \(error)")
                throw ExitCode(1)
            }
        default:
            guard let hook = channels.chats[channel] else {
                Output.error("错误 error: 没有名为 “\(channel)” 的渠道 no channel named “\(channel)” (email, \(channels.chats.keys.sorted().joined(separator: ", ")))")
                throw ExitCode(1)
            }
            outcome = hook.send(RobotPayload(rendered, generic: nil), key: "send-test@\(Int(Date().timeIntervalSince1970))", over: Connection(), stop: nil)
        }
        print("\(channel): \(outcome)")
        if !outcome.isDelivered { throw ExitCode(1) }
    }
}
