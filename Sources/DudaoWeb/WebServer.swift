import Foundation
import Hummingbird
import HTTPTypes
import Logging
import NIOCore

/// The console's HTTP server, inside `dudao run` beside the timer loop: `/healthz`,
/// `/metrics` (Prometheus), and the agencies' reply pages `/r/TOKEN`. It never sends anything itself: a report is recorded
/// and the service is woken to replan. Handlers are thin over `ReplyDesk`.
public struct WebServer: Sendable {
    /// Host to bind (`127.0.0.1` behind a reverse proxy).
    public let host: String
    /// Port to bind.
    public let port: Int
    let desk: ReplyDesk
    let metrics: @Sendable () -> String
    let logger: Logger

    /// A server for `desk` on `host:port`; `metrics` gives `/metrics`' text.
    public init(host: String, port: Int, desk: ReplyDesk, metrics: @escaping @Sendable () -> String = { "" }, logger: Logger) {
        self.host = host
        self.port = port
        self.desk = desk
        self.metrics = metrics
        self.logger = logger
    }

    /// Serves until the process ends; `onRunning` is called once the socket listens.
    public func run(onRunning: @escaping @Sendable () -> Void = {}) async throws {
        let router = Router(context: WebContext.self)
        let desk = self.desk
        let metrics = self.metrics
        router.get("/healthz") { _, _ in Self.page(.ok, "ok\n", type: "text/plain; charset=utf-8") }
        router.get("/metrics") { _, _ in Self.page(.ok, metrics(), type: "text/plain; version=0.0.4; charset=utf-8") }
        router.get("/r/:token") { _, context in
            let token = context.parameters.get("token") ?? ""
            return Self.response(desk.page(token: token, now: Date()))
        }
        router.post("/r/:token") { request, context in
            let token = context.parameters.get("token") ?? ""
            let form: ReplyForm
            do { form = try await URLEncodedFormDecoder().decode(ReplyForm.self, from: request, context: context) } catch let error as any HTTPResponseError
                where error.status == .contentTooLarge {
                return Self.page(.contentTooLarge, "表单过大 form too large\n", type: "text/plain; charset=utf-8")
            } catch {
                return Self.page(.badRequest, "无法读取表单 bad form\n", type: "text/plain; charset=utf-8")
            }
            return Self.response(desk.submit(token: token, form: form, client: Self.client(request, context), now: Date()))
        }
        let app = Application(router: router, configuration: .init(address: .hostname(host, port: port), serverName: nil),
                              onServerRunning: { _ in onRunning() }, logger: logger)
        try await app.run()
    }

    /// The client's address: the peer's, or — when the peer is a reverse proxy on this
    /// machine — the last address it put in `X-Forwarded-For`.
    static func client(_ request: Request, _ context: WebContext) -> String {
        let peer = context.client
        guard peer == "127.0.0.1" || peer == "::1", let forwarded = request.headers[HTTPField.Name("X-Forwarded-For")!],
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
}
