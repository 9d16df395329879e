import Foundation
import Hummingbird

/// Every office POST carries the session's form token (CSRF) in its form; one without it is
/// refused here, before its handler runs. The form (at most 64 KB) is read once and handed on.
struct FormGuard: RouterMiddleware {
    typealias Context = WebContext

    func handle(_ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response) async throws -> Response {
        guard request.method != .get, request.method != .head else { return try await next(request, context) }
        // A file upload (a list) is streamed by its handler, never collected here: its token
        // rides in the query (`?csrf=`). The page that holds the form is no-store and sent with
        // `Referrer-Policy: no-referrer`, so the token is not passed on.
        if (request.headers[.contentType] ?? "").lowercased().hasPrefix("multipart/form-data") {
            guard let viewer = context.viewer, OfficeSessions.same(request.uri.queryParameters.get("csrf"), viewer.csrf) else {
                context.audit.record(.denied, request.uri.path, .refused, detail: "表单令牌缺失或错误 form token missing or wrong")
                return WebServer.page(.forbidden, "表单已过期或来源不明，请返回刷新后重试。 form token missing or wrong\n", type: "text/plain; charset=utf-8")
            }
            return try await next(request, context)
        }
        var request = request
        let body = try await request.collectBody(upTo: context.maxUploadSize)
        let form = try? URLEncodedFormDecoder().decode(OfficeRoutes.TokenForm.self, from: String(buffer: body))
        guard let viewer = context.viewer, OfficeSessions.same(form?.csrf, viewer.csrf) else {
            context.audit.record(.denied, request.uri.path, .refused, detail: "表单令牌缺失或错误 form token missing or wrong")
            return WebServer.page(.forbidden, "表单已过期或来源不明，请返回刷新后重试。 form token missing or wrong\n", type: "text/plain; charset=utf-8")
        }
        return try await next(request, context)
    }
}
