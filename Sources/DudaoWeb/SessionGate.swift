import Foundation
import Hummingbird
import HTTPTypes
import DudaoStore

/// The first guard of every office route: the request's session (its cookie's, or one
/// opened for a trusted proxy's SSO user) with the account's current role, or the way to
/// the login page. A password older than `passwordDays` leads to `/password` first.
struct SessionGate: RouterMiddleware {
    typealias Context = WebContext
    let sessions: OfficeSessions
    let accounts: OfficeAccounts
    let trustedUserHeader: HTTPField.Name?
    let trustedProxies: Set<String>
    let passwordDays: Int?
    let cookie: @Sendable (String) -> Cookie

    func handle(_ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response) async throws -> Response {
        let now = Date()
        guard let (session, account, opened) = resolve(request, context, now: now) else {
            if let user = sessions.expired(request.cookies[OfficeRoutes.sessionCookie]?.value, now: now) {
                try? sessions.store.audit(AuditEntry(at: now, actor: user, client: WebServer.client(request, context, trusting: trustedProxies),
                                                     action: .sessionExpired, object: user, detail: "空闲超过30分钟或登录超过12小时"))
            }
            return request.uri.path.hasPrefix("/api/")
                ? WebServer.page(.unauthorized, "{\"error\":\"login required\"}\n", type: "application/json; charset=utf-8")
                : OfficeRoutes.redirect("/login")
        }
        var context = context
        context.viewer = Viewer(user: session.user, csrf: session.csrf, role: account.role)
        // An expired password opens nothing but the page that changes it.
        if let days = passwordDays, now.timeIntervalSince(account.createdAt) > Double(days) * 86400, request.uri.path != "/password" {
            return request.method == .get ? OfficeRoutes.redirect("/password?expired=1")
                : WebServer.page(.forbidden, "密码已过期，请先修改密码。 password expired: change it at /password first\n", type: "text/plain; charset=utf-8")
        }
        var response = try await next(request, context)
        if let opened { response.setCookie(cookie(opened)) }
        return response
    }

    private func resolve(_ request: Request, _ context: WebContext, now: Date) -> (OfficeSessions.Session, Account, String?)? {
        let token = request.cookies[OfficeRoutes.sessionCookie]?.value
        let proxied = trustedUserHeader.flatMap { trustedProxies.contains(context.client) ? request.headers[$0]?.trimmingCharacters(in: .whitespaces) : nil }
        if let s = sessions.session(token, now: now) {
            guard let account = accounts.account(s.user) else {
                sessions.close(token)   // the account was removed
                return nil
            }
            if let proxied, proxied != s.user { return nil }   // the proxy now names somebody else
            return (s, account, nil)
        }
        if let name = proxied, OfficeAccounts.validName(name), let account = accounts.account(name) {
            let opened = sessions.open(user: name, now: now)
            if let s = sessions.session(opened, now: now) { return (s, account, opened) }
        }
        return nil
    }
}
