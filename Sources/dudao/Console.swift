import Foundation
import Logging
import DudaoDelivery
import DudaoService
import DudaoStore
import DudaoWeb
#if canImport(Glibc)
import Glibc
#endif

/// `dudao run --listen`: the console beside the service's clock. Requests are served on
/// NIO's threads and never wait on the clock's queue. A port that cannot be bound ends the
/// process: the unit's restart shows the problem.
enum Console {
    static func start(_ service: ServiceHandle, listen: (host: String, port: Int), links: ReplyLinks, stateDirectory: String,
                      trustedUserHeader: String?, trustedProxies: [String], limits: WebServer.Limits, passwordDays: Int?, logger: Logger) {
        let attachments = AttachmentStore(stateDirectory: stateDirectory, store: service.store)
        let desk = ReplyDesk(store: service.store, keys: links.keys, schedules: service.schedules, templates: service.templates,
                             attachments: attachments, onReport: service.replan)
        let officeDesk = OfficeDesk(store: service.store, schedules: service.schedules, templates: service.templates)
        service.onWake { officeDesk.prepare(now: Date()) }
        let office = WebServer.OfficeSettings(desk: officeDesk,
                                              attachments: attachments, trustedUserHeader: trustedUserHeader,
                                              secureCookies: links.publicURL.lowercased().hasPrefix("https:"),
                                              passwordDays: passwordDays, setup: setupLink(service, publicURL: links.publicURL, stateDirectory: stateDirectory, logger: logger))
        let server = WebServer(host: listen.host, port: listen.port, desk: desk, office: office,
                               metrics: { ServiceMetrics.text(store: service.store, set: service.schedules(), nextWake: service.nextWake()) },
                               replan: service.replan, reload: { await withCheckedContinuation { done in service.reload { done.resume() } } }, trustedProxies: trustedProxies, limits: limits,
                               smsHook: { smsHook(service.channels().sms) }, logger: logger)
        Task.detached {
            do {
                try await server.run(onRunning: { logger.info("console listening on \(listen.host):\(listen.port)") })
            } catch {
                logger.critical("无法监听 cannot listen on \(listen.host):\(listen.port): \(error)")
                exit(1)
            }
        }
    }

    /// The report hook of the SMS platform in force; none without one, or without a
    /// `report_token` (then nothing is accepted).
    static func smsHook(_ sms: SMSChannel?) -> SMSHook? {
        guard let sms, let token = sms.reportToken?.value else { return nil }
        let platform = type(of: sms.settings.platform)
        return SMSHook(platform: platform.type, token: token, events: { platform.events($0) }, acknowledgement: platform.acknowledgement,
                       from: sms.settings.reportFrom)
    }


    /// While no account exists: the one-time link that makes the first admin. It is a
    /// credential, so it goes to the terminal (as `make run` shows it) and to a file only the
    /// service's user reads, never to the log.
    static func setupLink(_ service: ServiceHandle, publicURL: String, stateDirectory: String, logger: Logger) -> SetupLink? {
        guard (try? service.store.hasAccounts()) == false else { return nil }
        let file = (stateDirectory as NSString).appendingPathComponent("setup-link.txt")
        let link = SetupLink(now: Date(), file: file)
        let url = publicURL.trimmingCharacters(in: CharacterSet(charactersIn: "/")) + "/setup/" + link.token
        _ = FileManager.default.createFile(atPath: file, contents: Data((url + "\n").utf8), attributes: [.posixPermissions: 0o600])
        if isatty(STDOUT_FILENO) == 1 {
            print("""

                还没有任何账号。请在一小时内打开以下链接创建首个管理员（只能使用一次）：
                No account yet. Open this link within an hour to create the first admin (it works once):
                    \(url)

                """)
            fflush(nil)
        }
        logger.notice("还没有账号 no account yet: the one-time setup link (valid 1 h) is in \(file)")
        return link
    }
}
