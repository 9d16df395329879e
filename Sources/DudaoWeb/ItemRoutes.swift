import Foundation
import Hummingbird
import DudaoCore
import DudaoSchedules
import DudaoStore

extension OfficeRoutes {
    /// The item page's 办理: the form posts here, is answered with a confirmation, and the
    /// confirmation's 确认 records (then back to the item, replanned); 返回修改 shows the
    /// form again with what was typed.
    func registerItemActions(on group: RouterGroup<WebContext>) {
        group.post("/items/:id/act") { request, context in
            let viewer = try context.who()
            let form = try await Self.form(ItemActionForm.self, request, context)
            let id = context.parameters.get("id") ?? ""
            let action = ItemAction(kind: form.action.flatMap(ItemAction.Kind.init(rawValue:)), item: id,
                                    milestone: form.milestone.flatMap { Int($0) }, agency: form.agency, date: form.date ?? "",
                                    state: form.state ?? "", source: form.source ?? "", reason: form.reason ?? "")
            let desk = self.desk.actions
            let now = Date()
            func item(_ status: HTTPResponse.Status, _ error: String?) throws -> Response {
                guard let html = try self.desk.item(id, viewer: viewer, now: now, problem: (action, error)) else {
                    return WebServer.page(.notFound, "没有此事项 no such item\n", type: "text/plain; charset=utf-8")
                }
                return WebServer.page(status, html)
            }
            switch form.step {
            case "back":
                return try item(.ok, nil)
            case "confirm":
                let audit = action.kind?.audit ?? .record
                do {
                    let row = try desk.record(action, user: viewer.user, client: WebServer.client(request, context, trusting: self.trustedProxies), now: now)
                    self.replan()
                    return Self.redirect("/items/\(ItemActionDesk.path(id))?done=\(row)")
                } catch let error as ItemActionError {
                    context.audit.record(audit, "事项\(id)", .refused, detail: error.description)
                    return try item(.unprocessableContent, error.description)
                }
            default:
                do {
                    return WebServer.page(.ok, try desk.confirmation(action, viewer: viewer, now: now))
                } catch let error as ItemActionError {
                    return try item(.unprocessableContent, error.description)
                }
            }
        }
    }
}
