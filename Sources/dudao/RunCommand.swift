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

    @Option(help: "Serve the console (agencies' reply links) on HOST:PORT, e.g. 127.0.0.1:8080 behind a reverse proxy. The options below override `web:` in Schedules/dudao.yaml.")
    var listen: String?

    @Option(help: "The address agencies open reply links at (default: http://HOST:PORT of --listen); messages carry links when set.")
    var publicURL: String?

    @Option(help: "File with the key reply links are signed with (default: link_key in dudao.yaml, else link.key in the state folder, created when absent).")
    var linkKeyFile: String?

    @Option(help: "The previous key after a rotation: links it signed keep working until they expire.")
    var previousLinkKeyFile: String?

    @Option(help: "Days a reply link works after its message is sent (default: 60).")
    var linkDays: Int?

    @Option(help: "Header a reverse proxy on this machine sets to the user it authenticated (SSO), e.g. X-Remote-User; that account is logged in without a password.")
    var trustUserHeader: String?

    @Option(help: "Comma-separated addresses of reverse proxies whose X-Forwarded-For and user header are believed, e.g. 127.0.0.1,::1 (default: trusted_proxies in dudao.yaml, else none).")
    var trustedProxies: String?

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
                                                             stopTimeout: stopTimeout, replyLinks: web?.links, openStore: try state.opener(schedules: schedulesOption.schedules),
                                                             leadership: try state.leadership(schedules: schedulesOption.schedules)),
                                              logger: logger)
            } catch {
                Output.error("错误 error: 无法启动 cannot start:\n\(error)")
                throw ExitCode(1)
            }
            guard let web, let listen = web.listen else { service.run() }
            let state = state.directory, header = web.trustUserHeader, proxies = web.trustedProxies, limits = web.limits, days = web.passwordDays
            service.run(beside: { Console.start($0, listen: listen, links: web.links, stateDirectory: state, trustedUserHeader: header,
                                                trustedProxies: proxies, limits: limits, passwordDays: days, logger: logger) })
        }
        let store = try state.open(schedules: schedulesOption.schedules)
        let cycle = try CycleLoading.load(schedulesOption.schedules, stateDirectory: state.directory, templates: templates, store: store, logger: logger,
                                          replyLinks: web?.links)
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
        /// A reverse proxy's authenticated-user header, when trusted.
        var trustUserHeader: String?
        /// Proxies whose forwarded address and user header are believed.
        var trustedProxies: [String]
        /// Connections open at most, and their idle timeout.
        var limits: WebServer.Limits
        /// Days a console password lasts.
        var passwordDays: Int?
    }

    /// The console's settings: `web:` in dudao.yaml, each overridden by its option; nil when
    /// neither gives a listen address or a public URL.
    private func webOptions() throws -> WebOptions? {
        func fail(_ message: String) -> ExitCode {
            Output.error("错误 error: \(message)")
            return ExitCode(1)
        }
        var (web, findings) = WebSettings.read(schedules: schedulesOption.schedules)
        if findings.hasErrors { throw fail(findings.errors.map(\.problem.description).joined(separator: "\n")) }
        if let listen {
            guard WebSettings.bind(listen) != nil else { throw fail(WebSettings.listenProblem("--listen", listen)) }
            web.listen = listen
        }
        if let publicURL {
            guard WebSettings.isPublicURL(publicURL) else { throw fail(WebSettings.publicURLProblem("--public-url", publicURL)) }
            web.publicURL = publicURL
        }
        if let h = trustUserHeader {
            guard WebSettings.isHeaderName(h) else { throw fail(WebSettings.headerProblem("--trust-user-header")) }
            web.trustUserHeader = h
        }
        if let trustedProxies {
            let list = trustedProxies.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            if let bad = list.first(where: { !WebSettings.isAddress($0) }) { throw fail("--trusted-proxies: " + WebSettings.proxyProblem(bad)) }
            web.trustedProxies = list
        }
        if let linkDays {
            guard WebSettings.linkDayRange.contains(linkDays) else { throw fail(WebSettings.linkDaysProblem("--link-days")) }
            web.linkDays = linkDays
        }
        if let linkKeyFile { web.linkKey = .file(linkKeyFile) }
        if let previousLinkKeyFile { web.previousLinkKey = .file(previousLinkKeyFile) }
        // One cycle serves no pages; a listen address from dudao.yaml is for the service.
        if once, listen != nil { throw fail("--listen 不用于 --once: one cycle serves no pages (give --public-url for the links)") }
        let address = web.listen.flatMap(WebSettings.bind)
        let bind = once ? nil : address
        guard let url = web.publicURL ?? address.map({ "http://\($0.host):\($0.port)" }) else { return nil }
        do {
            try FileManager.default.createDirectory(atPath: state.directory, withIntermediateDirectories: true)
            let current = try web.linkKey.map { try ReplyKeys.key($0) }
                ?? ReplyKeys.key(file: (state.directory as NSString).appendingPathComponent("link.key"), create: true)
            let keys = ReplyKeys(current: current, previous: try web.previousLinkKey.map { try ReplyKeys.key($0) })
            return WebOptions(listen: bind, links: ReplyLinks(publicURL: url, keys: keys, days: web.linkDays), trustUserHeader: web.trustUserHeader,
                              trustedProxies: web.trustedProxies,
                              limits: WebServer.Limits(connections: web.maxConnections, perClient: web.maxConnectionsPerClient, idleSeconds: Double(web.idleTimeout),
                                                       headSeconds: Double(web.headerTimeout), bodySeconds: Double(web.bodyTimeout)),
                              passwordDays: web.passwordDays)
        } catch {
            throw fail("\(error)")
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
        // A sample goes through the real channels; for the outbox folder, the default one.
        let cycle = try CycleLoading.load(schedulesOption.schedules, stateDirectory: StateOption.defaultDirectory, templates: templates, store: try StateStore(),
                                          logger: Logger(label: "dudao"))
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
