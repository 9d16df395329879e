import Foundation
import Hummingbird
import DudaoCore

/// Lets through only viewers whose role includes `role`; the route group it guards cannot
/// forget the check. A refusal is a 403 page and a row in the audit trail.
struct RoleGuard: RouterMiddleware {
    typealias Context = WebContext
    let role: Role

    func handle(_ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response) async throws -> Response {
        let viewer = try context.who()
        guard viewer.role >= role else {
            context.audit.record(.denied, request.method.rawValue + " " + request.uri.path, .refused,
                                 detail: "需要\(Labels.role(role))权限，当前为\(Labels.role(viewer.role))")
            if request.uri.path.hasPrefix("/api/") {
                return WebServer.page(.forbidden, "{\"error\":\"not allowed for this role\"}\n", type: "application/json; charset=utf-8")
            }
            return WebServer.page(.forbidden, "您的账号（\(Labels.role(viewer.role))）无权进行此操作。 not allowed for this role\n", type: "text/plain; charset=utf-8")
        }
        return try await next(request, context)
    }
}
