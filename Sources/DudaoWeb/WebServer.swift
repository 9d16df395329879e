import Foundation
import DudaoStore
import Hummingbird
import HummingbirdCore
import HTTPTypes
import Logging
import NIOCore

/// The console's HTTP server, inside `dudao run` beside the timer loop: `/healthz`,
/// `/metrics` (Prometheus), the agencies' reply pages `/r/TOKEN`, and the office's pages
/// (`OfficeRoutes`). It never sends anything itself: a report or decision is recorded and
/// the service is woken to replan. Handlers are thin over `ReplyDesk` and `OfficeDesk`.
public struct WebServer: Sendable {
    /// The office's side.
    public struct OfficeSettings: Sendable {
        /// The pages and decisions.
        public var desk: OfficeDesk
        /// Where report attachments are kept.
        public var attachments: AttachmentStore
        /// A header a trusted reverse proxy sets to the authenticated user (SSO).
        public var trustedUserHeader: HTTPField.Name?
        /// Cookies only over HTTPS (when the public address is https).
        public var secureCookies: Bool
        /// Days a password lasts (`web.password_days`); nil: no expiry.
        public var passwordDays: Int?
        /// The first admin's one-time link, while no account exists.
        public var setup: SetupLink?

        /// Settings.
        public init(desk: OfficeDesk, attachments: AttachmentStore, trustedUserHeader: String? = nil, secureCookies: Bool,
                    passwordDays: Int? = nil, setup: SetupLink? = nil) {
            self.desk = desk
            self.attachments = attachments
            self.trustedUserHeader = trustedUserHeader.flatMap { HTTPField.Name($0) }
            self.secureCookies = secureCookies
            self.passwordDays = passwordDays
            self.setup = setup
        }
    }

    /// Host to bind (`127.0.0.1` behind a reverse proxy).
    public let host: String
    /// Port to bind.
    public let port: Int
    let desk: ReplyDesk
    let office: OfficeSettings?
    let metrics: @Sendable () -> String
    let replan: @Sendable () -> Void
    /// Where SMS platforms push reports, as channels.yaml configures it now.
    let smsHook: @Sendable () -> SMSHook?
    let reload: @Sendable () async -> Void
    let logger: Logger
    /// Peers whose `X-Forwarded-For` and SSO header are believed.
    let trustedProxies: Set<String>
    /// Open connections at most, and how long one may sit without a request.
    let limits: Limits

    /// What bounds the console's connections.
    public struct Limits: Sendable {
        /// Connections open at once; more are closed as they come.
        public var connections: Int
        /// Connections open at once from one address (a trusted proxy's excepted).
        public var perClient: Int
        /// Seconds a connection may stay without a whole request (headers included) before
        /// it is closed: silent and slow clients alike.
        public var idleSeconds: Double
        /// Seconds a request's head may take to arrive whole (slow clients are dropped).
        public var headSeconds: Double
        /// Seconds a request's body may take after its head: 50 MB of attachments at 2 Mbit/s.
        public var bodySeconds: Double

        public init(connections: Int = 512, perClient: Int = 64, idleSeconds: Double = 30, headSeconds: Double = 10, bodySeconds: Double = 300) {
            self.connections = connections
            self.perClient = perClient
            self.idleSeconds = idleSeconds
            self.headSeconds = headSeconds
            self.bodySeconds = bodySeconds
        }
    }

    /// A server for `desk` (and the office's pages with `office`) on `host:port`; `metrics`
    /// gives `/metrics`' text; `replan` wakes the service after a decision; `reload` reads the
    /// schedules again after the office published or rolled back a list.
    public init(host: String, port: Int, desk: ReplyDesk, office: OfficeSettings? = nil, metrics: @escaping @Sendable () -> String = { "" },
                replan: @escaping @Sendable () -> Void = {}, reload: @escaping @Sendable () async -> Void = {},
                trustedProxies: [String] = [], limits: Limits = Limits(), smsHook: @escaping @Sendable () -> SMSHook? = { nil }, logger: Logger) {
        self.smsHook = smsHook
        self.reload = reload
        self.trustedProxies = Set(trustedProxies)
        self.limits = limits
        self.host = host
        self.port = port
        self.desk = desk
        self.office = office
        self.metrics = metrics
        self.replan = replan
        self.logger = logger
    }

    /// Serves until the process ends; `onRunning` is called once the socket listens.
    public func run(onRunning: @escaping @Sendable () -> Void = {}) async throws {
        let router = Router(context: WebContext.self)
        let desk = self.desk
        let metrics = self.metrics
        let proxies = trustedProxies
        let rate = ReplyRate()
        // Uploads are spooled inside the attachments' folder (0700, the same disk).
        let spool = ((desk.attachments?.directory ?? NSTemporaryDirectory() + "/dudao-attachments") as NSString).appendingPathComponent(".incoming")
        router.get("/healthz") { _, _ in Self.page(.ok, "ok\n", type: "text/plain; charset=utf-8") }
        router.get("/metrics") { _, _ in Self.page(.ok, metrics(), type: "text/plain; version=0.0.4; charset=utf-8") }
        router.get("/r/:token") { request, context in
            let token = context.parameters.get("token") ?? ""
            return Self.response(desk.page(token: token, now: Date(), client: Self.client(request, context, trusting: proxies)))
        }
        // 签收 with one click: the link is the credential, as for a report.
        router.post("/r/:token/sign") { request, context in
            let token = context.parameters.get("token") ?? ""
            guard desk.accepts(token: token, now: Date()) else { return Self.response(desk.refusal) }
            let client = Self.client(request, context, trusting: proxies)
            if let wait = rate.allow(token: token, client: client, now: Date()) {
                var busy = Self.page(.tooManyRequests, "提交过于频繁，请稍后再试。 too many posts, try again later\n", type: "text/plain; charset=utf-8")
                busy.headers[.retryAfter] = String(Int(wait.rounded(.up)))
                return busy
            }
            return Self.response(desk.sign(token: token, client: client, now: Date()))
        }
        router.post("/r/:token") { request, context in
            let token = context.parameters.get("token") ?? ""
            // The link first, from the URL: a forged one is refused before any of its body is read.
            guard desk.accepts(token: token, now: Date()) else { return Self.response(desk.refusal) }
            if let wait = rate.allow(token: token, client: Self.client(request, context, trusting: proxies), now: Date()) {
                var busy = Self.page(.tooManyRequests, "提交过于频繁，请稍后再试。 too many posts, try again later\n", type: "text/plain; charset=utf-8")
                busy.headers[.retryAfter] = String(Int(wait.rounded(.up)))
                return busy
            }
            var form = ReplyForm()
            var files: [(name: String, data: Data)] = []
            var upload: ReplyUpload?
            defer { upload?.discard() }
            let type = request.headers[.contentType] ?? ""
            do {
                if type.lowercased().hasPrefix("multipart/form-data") {
                    // Streamed: files into temporary files as they arrive, never the whole body in memory.
                    upload = try await ReplyUpload.read(request.body, contentType: type, limit: AttachmentStore.maxFormBytes, spool: spool)
                    (form, files) = (upload!.form, upload!.files)
                } else {
                    form = try await URLEncodedFormDecoder().decode(ReplyForm.self, from: request, context: context)
                }
            } catch is ReplyUpload.TooLarge {
                return Self.page(.contentTooLarge, "表单或附件过大（附件每个不超过\(AttachmentStore.maxFileBytes >> 20) MB） form too large\n",
                                 type: "text/plain; charset=utf-8")
            } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
                return Self.page(.contentTooLarge, "表单过大 form too large\n", type: "text/plain; charset=utf-8")
            } catch {
                return Self.page(.badRequest, "无法读取表单 bad form\n", type: "text/plain; charset=utf-8")
            }
            return Self.response(desk.submit(token: token, form: form, files: files, client: Self.client(request, context, trusting: proxies), now: Date()))
        }
        // A short link from an SMS opens the reply page it stands for.
        router.get("/s/:code") { _, context in
            let code = String((context.parameters.get("code") ?? "").prefix(16))
            guard let token = try? desk.store.shortLinkToken(code: code) else {
                return Self.page(.notFound, "链接无效 unknown link\n", type: "text/plain; charset=utf-8")
            }
            var response = Self.page(.seeOther, "")
            response.headers[.location] = "/r/" + token
            response.headers[.cacheControl] = "no-store"
            return response
        }
        let smsHook = self.smsHook, logger = self.logger, replan = self.replan
        router.post("/hooks/sms/:platform/:token") { request, context in
            try await Self.smsReport(request, platform: context.parameters.get("platform") ?? "", token: context.parameters.get("token") ?? "",
                                     client: Self.client(request, context, trusting: proxies), hook: smsHook(), desk: desk, replan: replan, logger: logger)
        }
        router.post("/hooks/sms/:platform") { request, context in
            try await Self.smsReport(request, platform: context.parameters.get("platform") ?? "",
                                     token: request.headers[HTTPField.Name("X-Dudao-Token")!] ?? "",
                                     client: Self.client(request, context, trusting: proxies), hook: smsHook(), desk: desk, replan: replan, logger: logger)
        }
        if let office {
            OfficeRoutes(desk: office.desk, accounts: OfficeAccounts(store: office.desk.store), settings: office, replan: replan, reload: reload,
                         trustedProxies: proxies).register(on: router)
        }
        let cap = ConnectionCap(limit: limits.connections, perClient: limits.perClient, exempt: proxies)
        let limits = self.limits
        let http = HTTP1Channel.Configuration(additionalChannelHandlers: [cap.handler(),
                                                                          RequestDeadline(headSeconds: limits.headSeconds, bodySeconds: limits.bodySeconds,
                                                                                          idleSeconds: limits.idleSeconds)],
                                              idleTimeout: TimeAmount.nanoseconds(Int64(limits.idleSeconds * 1e9)))
        let app = Application(router: router, server: .http1(configuration: http),
                              configuration: .init(address: .hostname(host, port: port), serverName: nil),
                              onServerRunning: { _ in onRunning() }, logger: logger)
        try await app.run()
    }

    /// Records what an SMS platform pushed: refused unless the platform is the configured
    /// one and the token matches; bounded; each event once (a repeat changes nothing).
    static func smsReport(_ request: Request, platform: String, token: String, client: String, hook: SMSHook?, desk: ReplyDesk,
                          replan: @Sendable () -> Void, logger: Logger) async throws -> Response {
        let store = desk.store
        let text = "text/plain; charset=utf-8"
        guard let hook, hook.platform == platform else { return page(.notFound, "not found\n", type: text) }
        guard hook.from.isEmpty || hook.from.contains(client) else {
            logger.warning("短信回执来源不符 SMS report from an address not in sms.report_from refused", metadata: ["client": "\(client)"])
            return page(.forbidden, "forbidden\n", type: text)
        }
        guard hook.accepts(token: token) else {
            logger.warning("短信回执令牌不符 SMS report with a wrong token refused", metadata: ["platform": "\(platform)"])
            return page(.forbidden, "forbidden\n", type: text)
        }
        let body: ByteBuffer
        do { body = try await request.body.collect(upTo: SMSHook.maxBytes) } catch {
            return page(.contentTooLarge, "too large\n", type: text)
        }
        guard let events = hook.events(Data(buffer: body)) else { return page(.badRequest, "not a report\n", type: text) }
        let tally = try store.recordSMSEvents(events, platform: platform, at: Date())
        logger.info("SMS reports: \(tally.new) new, \(tally.repeated) repeated, \(tally.settled) settled, \(tally.unmatched) unmatched",
                    metadata: ["platform": "\(platform)"])
        // A reply code (1 or 签收) signs for the notices of the agency whose contact the number is.
        let signed = try desk.signBySMS(tally.newReplies, platform: platform, now: Date())
        if !signed.isEmpty { logger.notice("签收 by SMS reply", metadata: ["agencies": "\(signed.joined(separator: ", "))"]) }
        if tally.new > 0 { replan() }
        return page(.ok, hook.acknowledgement, type: "application/json; charset=utf-8")
    }

    /// The client's address: the peer's, or — when the peer is a trusted reverse proxy —
    /// the last address it put in `X-Forwarded-For`.
    static func client(_ request: Request, _ context: WebContext, trusting proxies: Set<String>) -> String {
        let peer = context.client
        guard proxies.contains(peer), let forwarded = request.headers[HTTPField.Name("X-Forwarded-For")!],
              let last = forwarded.split(separator: ",").last?.trimmingCharacters(in: .whitespaces), !last.isEmpty,
              last.count <= 45, last.allSatisfy({ $0.isHexDigit || $0 == "." || $0 == ":" }) else { return peer }
        return last
    }

    static func response(_ reply: ReplyDesk.Page) -> Response {
        switch reply {
        case .form(let html): page(.ok, html)
        case .receipt(let html): page(.ok, html)
        case .refused(let html): page(.forbidden, html)
        }
    }

    /// Every page: no caching, no framing, no scripts, no referrer (the URL is a credential).
    static func page(_ status: HTTPResponse.Status, _ body: String, type: String = "text/html; charset=utf-8") -> Response {
        var headers = HTTPFields()
        headers[.contentType] = type
        headers[.cacheControl] = "no-store"
        headers[HTTPField.Name("Content-Security-Policy")!] = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
        headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
        headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        headers[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    /// A file to save, never shown inline: its bytes and type, its name as RFC 6266's
    /// `filename*` (any text) beside an ASCII `fallback` for older clients.
    static func download(_ data: Data, type: String, name: String, fallback: String) -> Response {
        var response = page(.ok, "", type: type)
        response.body = .init(byteBuffer: ByteBuffer(bytes: data))
        let encoded = name.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        response.headers[.contentDisposition] = "attachment; filename=\"\(fallback)\"; filename*=UTF-8''\(encoded)"
        return response
    }
}
