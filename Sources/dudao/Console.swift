import Foundation
import Logging
import DudaoService
import DudaoWeb
#if canImport(Glibc)
import Glibc
#endif

/// `dudao run --listen`: the console beside the service's clock. Requests are served on
/// NIO's threads and never wait on the clock's queue. A port that cannot be bound ends the
/// process: the unit's restart shows the problem.
enum Console {
    static func start(_ service: ServiceHandle, listen: (host: String, port: Int), links: ReplyLinks, stateDirectory: String,
                      trustedUserHeader: String?, trustedProxies: [String], limits: WebServer.Limits, logger: Logger) {
        let attachments = AttachmentStore(stateDirectory: stateDirectory, store: service.store)
        let desk = ReplyDesk(store: service.store, keys: links.keys, schedules: service.schedules, templates: service.templates,
                             attachments: attachments, onReport: service.replan)
        let office = WebServer.OfficeSettings(desk: OfficeDesk(store: service.store, schedules: service.schedules, templates: service.templates),
                                              attachments: attachments, trustedUserHeader: trustedUserHeader,
                                              secureCookies: links.publicURL.lowercased().hasPrefix("https:"))
        let server = WebServer(host: listen.host, port: listen.port, desk: desk, office: office,
                               metrics: { ServiceMetrics.text(store: service.store, set: service.schedules(), nextWake: service.nextWake()) },
                               replan: service.replan, trustedProxies: trustedProxies, limits: limits, logger: logger)
        Task.detached {
            do {
                try await server.run(onRunning: { logger.info("console listening on \(listen.host):\(listen.port)") })
            } catch {
                logger.critical("无法监听 cannot listen on \(listen.host):\(listen.port): \(error)")
                exit(1)
            }
        }
    }
}
