import Foundation
import Hummingbird
import HTTPTypes
import NIOCore

/// The office's pages behind a login: `/` (台账), `/items/ID`, `/review`, `/plan`,
/// `/outbox`, `/files/SHA256`, `/api/items[/ID]`, and `/login`, `/logout`.
///
/// Sessions live in HttpOnly, SameSite=Strict cookies; every POST carries the session's
/// form token (CSRF), and the login form a token bound to a cookie of its own. With
/// `trustedUserHeader`, a reverse proxy on this machine that authenticated the user (SSO)
/// names them in that header, and an account of that name is logged in without a password.
struct OfficeRoutes: Sendable {
    let desk: OfficeDesk
    let accounts: OfficeAccounts
    var sessions: OfficeSessions { OfficeSessions(store: desk.store) }
    let throttle = LoginThrottle()
    let settings: WebServer.OfficeSettings
    let replan: @Sendable () -> Void
    /// Peers whose SSO header and `X-Forwarded-For` are believed.
    let trustedProxies: Set<String>

    static let sessionCookie = "dudao_session"
    static let loginCookie = "dudao_login"

    func register(on router: Router<WebContext>) {
        router.get("/login") { request, context in
            if (try? self.session(request, context)) != nil { return Self.redirect("/") }
            return self.loginPage(error: nil, status: .ok)
        }
        router.post("/login") { request, context in
            let form = try await Self.form(LoginForm.self, request, context)
            guard OfficeSessions.same(form.csrf, request.cookies[Self.loginCookie]?.value ?? "\u{0}") else {
                return self.loginPage(error: "页面已过期，请重新登录。", status: .forbidden)
            }
            let name = (form.name ?? "").trimmingCharacters(in: .whitespaces)
            let client = WebServer.client(request, context, trusting: self.trustedProxies)
            let now = Date()
            // Counted before the password is checked: a burst gets no more guesses than the limit.
            if let wait = self.throttle.attempt(client: client, name: name, now: now) {
                let seconds = Int(wait.rounded(.up))
                var refused = self.loginPage(error: "尝试次数过多，请\(max(1, (seconds + 59) / 60))分钟后再试。", status: .tooManyRequests)
                refused.headers[.retryAfter] = String(seconds)
                return refused
            }
            guard await self.accounts.verify(name: name, password: form.password ?? "") else {
                return self.loginPage(error: "用户名或密码错误。", status: .unauthorized)
            }
            self.throttle.succeeded(client: client, name: name)
            var response = Self.redirect("/")
            response.setCookie(self.cookie(Self.sessionCookie, self.sessions.open(user: name, now: now)))
            response.setCookie(self.cookie(Self.loginCookie, "", expired: true))
            return response
        }
        router.post("/logout") { request, _ in
            // Whatever the form says: a logout ends the session on the server too.
            self.sessions.close(request.cookies[Self.sessionCookie]?.value)
            var response = Self.redirect("/login")
            response.setCookie(self.cookie(Self.sessionCookie, "", expired: true))
            return response
        }
        router.get("/") { request, context in
            try self.page(request, context) { s in
                let q = request.uri.queryParameters
                let filter = OfficeDesk.Filter(agency: q.get("agency"), light: q.get("light"), state: q.get("state"), list: q.get("list"),
                                               page: q.get("page").flatMap { Int($0) } ?? 1)
                return WebServer.page(.ok, try self.desk.dashboard(filter, user: s.user, csrf: s.csrf, now: Date()))
            }
        }
        router.get("/items/:id") { request, context in
            try self.page(request, context) { s in
                guard let html = try self.desk.item(context.parameters.get("id") ?? "", user: s.user, csrf: s.csrf, now: Date()) else {
                    return WebServer.page(.notFound, "没有此事项 no such item\n", type: "text/plain; charset=utf-8")
                }
                return WebServer.page(.ok, html)
            }
        }
        router.get("/review") { request, context in
            try self.page(request, context) { s in
                let q = request.uri.queryParameters
                let review = self.desk.review
                let notice = (q.get("decided") ?? q.get("withdrawn")).flatMap { Int64($0) }.flatMap { review.recorded(id: $0) }
                return WebServer.page(.ok, try review.page(user: s.user, csrf: s.csrf, now: Date(), notice: notice))
            }
        }
        // A card posts here four ways: its decision (answered with a confirmation page), the
        // confirmation's 确认 (recorded, then back to the queue), 返回修改 or Enter in one of
        // its fields (the card's hidden default button: the card again, with what was typed).
        router.post("/review") { request, context in
            let form = try await Self.form(DecisionForm.self, request, context)
            return try self.post(request, context, csrf: form.csrf) { s in
                let review = self.desk.review
                let proposal = ReviewDesk.Proposal(item: form.item ?? "", agency: form.agency ?? "", report: form.report.flatMap { Int64($0) } ?? 0,
                                                   decision: form.decision.flatMap(ReviewDesk.Decision.init(rawValue:)),
                                                   date: form.date ?? "", comment: form.comment ?? "")
                let now = Date()
                switch form.step {
                case "back", "stay":
                    return WebServer.page(.ok, try review.page(user: s.user, csrf: s.csrf, now: now, problem: (proposal, nil)))
                case "confirm":
                    do {
                        let id = try review.decide(proposal, user: s.user, now: now)
                        self.replan()
                        return Self.redirect("/review?decided=\(id)")
                    } catch let error as DecisionError {
                        return WebServer.page(.unprocessableContent, try review.page(user: s.user, csrf: s.csrf, now: now, problem: (proposal, error.description)))
                    }
                default:
                    do {
                        return WebServer.page(.ok, try review.confirmation(proposal, user: s.user, csrf: s.csrf, now: now))
                    } catch let error as DecisionError {
                        return WebServer.page(.unprocessableContent, try review.page(user: s.user, csrf: s.csrf, now: now, problem: (proposal, error.description)))
                    }
                }
            }
        }
        router.post("/review/withdraw") { request, context in
            let form = try await Self.form(WithdrawForm.self, request, context)
            return try self.post(request, context, csrf: form.csrf) { s in
                let review = self.desk.review
                let id = form.id.flatMap { Int64($0) } ?? 0
                let now = Date()
                do {
                    switch form.step {
                    case "back": return Self.redirect("/review")
                    case "confirm":
                        _ = try review.withdraw(id: id, user: s.user, now: now)
                        self.replan()
                        return Self.redirect("/review?withdrawn=\(id)")
                    default:
                        return WebServer.page(.ok, try review.withdrawal(id: id, user: s.user, csrf: s.csrf, now: now))
                    }
                } catch let error as DecisionError {
                    return WebServer.page(.unprocessableContent, try review.page(user: s.user, csrf: s.csrf, now: now, alert: error.description))
                }
            }
        }
        router.get("/plan") { request, context in
            try self.page(request, context) { s in WebServer.page(.ok, try self.desk.plan(user: s.user, csrf: s.csrf, now: Date())) }
        }
        router.get("/outbox") { request, context in
            try self.page(request, context) { s in WebServer.page(.ok, try self.desk.outbox(user: s.user, csrf: s.csrf, now: Date())) }
        }
        router.post("/outbox/:id/retry") { request, context in
            let form = try await Self.form(TokenForm.self, request, context)
            return try self.post(request, context, csrf: form.csrf) { s in
                let message = context.parameters.get("id").flatMap { Int64($0) }.map { self.desk.retry($0, now: Date()) } ?? "编号无效。"
                self.replan()
                return WebServer.page(.ok, try self.desk.outbox(user: s.user, csrf: s.csrf, now: Date(), message: message))
            }
        }
        router.get("/files/:sha") { request, context in
            try self.page(request, context) { _ in
                let sha = context.parameters.get("sha") ?? ""
                guard sha.count == 64, sha.allSatisfy(\.isHexDigit), let file = try self.desk.store.attachment(sha256: sha),
                      let data = self.settings.attachments.contents(sha) else {
                    return WebServer.page(.notFound, "没有此文件 no such file\n", type: "text/plain; charset=utf-8")
                }
                var response = WebServer.page(.ok, "", type: AttachmentStore.mediaType(file.type))
                response.body = .init(byteBuffer: ByteBuffer(bytes: data))
                let ascii = file.filename.unicodeScalars.allSatisfy { $0.isASCII && $0 != "\"" && $0 != "\\" && $0.value >= 32 } ? file.filename : "attachment." + file.type
                let encoded = file.filename.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
                response.headers[.contentDisposition] = "attachment; filename=\"\(ascii)\"; filename*=UTF-8''\(encoded)"
                return response
            }
        }
        router.get("/api/items") { request, context in
            try self.page(request, context) { _ in
                WebServer.page(.ok, try self.desk.itemsJSON(now: Date()), type: "application/json; charset=utf-8")
            }
        }
        router.get("/api/items/:id") { request, context in
            try self.page(request, context) { _ in
                guard let json = try self.desk.itemJSON(context.parameters.get("id") ?? "", now: Date()) else {
                    return WebServer.page(.notFound, "{\"error\":\"no such item\"}\n", type: "application/json; charset=utf-8")
                }
                return WebServer.page(.ok, json, type: "application/json; charset=utf-8")
            }
        }
    }

    // MARK: Sessions

    struct NotLoggedIn: Error {}

    /// The request's session: its cookie's, or one opened for the trusted proxy's user.
    func session(_ request: Request, _ context: WebContext) throws -> (session: OfficeSessions.Session, cookie: String?) {
        let now = Date()
        if let s = sessions.session(request.cookies[Self.sessionCookie]?.value, now: now) {
            guard accounts.exists(s.user) else {
                sessions.close(request.cookies[Self.sessionCookie]?.value)   // the account was removed
                throw NotLoggedIn()
            }
            if let header = settings.trustedUserHeader, trustedProxies.contains(context.client), let name = request.headers[header], name != s.user {
                throw NotLoggedIn()   // the proxy now names somebody else
            }
            return (s, nil)
        }
        if let header = settings.trustedUserHeader, trustedProxies.contains(context.client), let name = request.headers[header]?.trimmingCharacters(in: .whitespaces),
           OfficeAccounts.validName(name), accounts.exists(name) {
            let token = sessions.open(user: name, now: now)
            if let s = sessions.session(token, now: now) { return (s, token) }
        }
        throw NotLoggedIn()
    }

    /// A page for a logged-in user, or the way to the login page.
    func page(_ request: Request, _ context: WebContext, _ body: (OfficeSessions.Session) throws -> Response) throws -> Response {
        guard let (s, cookie) = try? session(request, context) else {
            return request.uri.path.hasPrefix("/api/") ? WebServer.page(.unauthorized, "{\"error\":\"login required\"}\n", type: "application/json; charset=utf-8")
                : Self.redirect("/login")
        }
        var response = try body(s)
        if let cookie { response.setCookie(self.cookie(Self.sessionCookie, cookie)) }
        return response
    }

    /// A form post: logged in and carrying the session's form token, or refused.
    func post(_ request: Request, _ context: WebContext, csrf: String?, _ body: (OfficeSessions.Session) throws -> Response) throws -> Response {
        guard let (s, _) = try? session(request, context) else { return Self.redirect("/login") }
        guard OfficeSessions.same(csrf, s.csrf) else {
            return WebServer.page(.forbidden, "表单已过期或来源不明，请返回刷新后重试。 form token missing or wrong\n", type: "text/plain; charset=utf-8")
        }
        return try body(s)
    }

    func loginPage(error: String?, status: HTTPResponse.Status) -> Response {
        let token = OfficeSessions.random()
        var response = WebServer.page(status, desk.login(error: error, csrf: token))
        response.setCookie(cookie(Self.loginCookie, token))
        return response
    }

    func cookie(_ name: String, _ value: String, expired: Bool = false) -> Cookie {
        Cookie(name: name, value: value, maxAge: expired ? 0 : nil, path: "/", secure: settings.secureCookies, httpOnly: true, sameSite: .strict)
    }

    static func redirect(_ to: String) -> Response {
        var response = WebServer.page(.seeOther, "")
        response.headers[.location] = to
        return response
    }

    /// Reads an urlencoded form of at most 64 KB.
    static func form<T: Decodable>(_ type: T.Type, _ request: Request, _ context: WebContext) async throws -> T {
        try await URLEncodedFormDecoder().decode(T.self, from: request, context: context)
    }

    struct LoginForm: Decodable { var csrf: String?; var name: String?; var password: String? }
    struct TokenForm: Decodable { var csrf: String? }
    struct DecisionForm: Decodable { var csrf, item, agency, report, decision, date, comment, step: String? }
    struct WithdrawForm: Decodable { var csrf, id, step: String? }
}
