import Foundation
import Hummingbird
import DudaoStore

/// Writes the audit row of an office request once it is answered: what its handler or a
/// guard noted (`AuditNote`), by the viewer, from the client's address. Sits outside the
/// form and role guards, so their refusals are recorded too.
struct AuditRecorder: RouterMiddleware {
    typealias Context = WebContext
    let store: StateStore
    let trustedProxies: Set<String>

    func handle(_ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response) async throws -> Response {
        let response = try await next(request, context)
        if let e = context.audit.entry {
            let actor = context.viewer?.user ?? "（未登录）"
            let client = WebServer.client(request, context, trusting: trustedProxies)
            // A row that cannot be written is logged by the store's error, never silently
            // dropped: the request has been answered, so it fails loudly in the log instead.
            do {
                try store.audit(AuditEntry(at: Date(), actor: actor, client: client, action: e.action, object: e.object, outcome: e.outcome, detail: e.detail))
            } catch {
                context.logger.error("审计记录写入失败 audit row not written: \(e.action.rawValue) \(e.object) by \(actor): \(error)")
            }
        }
        return response
    }
}
