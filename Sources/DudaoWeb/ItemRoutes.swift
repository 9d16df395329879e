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
        let spool = (settings.attachments.directory as NSString).appendingPathComponent(".incoming")
        group.post("/items/:id/act") { request, context in
            let viewer = try context.who()
            let id = context.parameters.get("id") ?? ""
            let now = Date()
            // 代录 posts its files (multipart, the token in the query as for a list); the
            // confirmation posts back which were kept (ItemActionDesk.files).
            var fields: [String: String] = [:]
            var kept: [Attachment] = []
            var refused: String? = nil
            if (request.headers[.contentType] ?? "").lowercased().hasPrefix("multipart/form-data") {
                let upload: ReplyUpload
                do {
                    upload = try await ReplyUpload.read(request.body, contentType: request.headers[.contentType] ?? "",
                                                        limit: AttachmentStore.maxFormBytes, spool: spool)
                } catch is ReplyUpload.TooLarge {
                    var response = WebServer.page(.contentTooLarge, "附件合计过大 the files are too large\n", type: "text/plain; charset=utf-8")
                    response.headers[.connection] = "close"
                    return response
                } catch {
                    return WebServer.page(.badRequest, "无法读取上传的表单 bad form\n", type: "text/plain; charset=utf-8")
                }
                defer { upload.discard() }
                fields = upload.fields
                fields["action"] = upload.form.action
                do {
                    guard upload.files.count <= AttachmentStore.maxFiles else { throw AttachmentStore.Refusal(text: "附件最多\(AttachmentStore.maxFiles)个。") }
                    let checked = try upload.files.map { file throws(AttachmentStore.Refusal) in try self.settings.attachments.check(filename: file.name, data: file.data) }
                    kept = try checked.map { c throws(AttachmentStore.Refusal) in try self.settings.attachments.write(c) }
                } catch let error as AttachmentStore.Refusal {
                    refused = error.text
                }
            } else {
                let form = try await Self.form(ItemActionForm.self, request, context)
                fields = ["action": form.action ?? "", "milestone": form.milestone ?? "", "agency": form.agency ?? "", "date": form.date ?? "",
                          "state": form.state ?? "", "source": form.source ?? "", "reason": form.reason ?? "", "step": form.step ?? ""]
                kept = ItemActionDesk.files(form.files ?? "", in: self.settings.attachments)
            }
            let action = ItemAction(kind: fields["action"].flatMap(ItemAction.Kind.init(rawValue:)), item: id,
                                    milestone: fields["milestone"].flatMap { Int($0) }, agency: fields["agency"], date: fields["date"] ?? "",
                                    state: fields["state"] ?? "", source: fields["source"] ?? "", reason: fields["reason"] ?? "")
            let step = fields["step"]
            let desk = self.desk.actions
            func item(_ status: HTTPResponse.Status, _ error: String?) throws -> Response {
                guard let html = try self.desk.item(id, viewer: viewer, now: now, problem: (action, error)) else {
                    return WebServer.page(.notFound, "没有此事项 no such item\n", type: "text/plain; charset=utf-8")
                }
                return WebServer.page(status, html)
            }
            if let refused { return try item(.unprocessableContent, refused) }
            switch step {
            case "back":
                return try item(.ok, nil)
            case "confirm":
                let audit = action.kind?.audit ?? .record
                do {
                    let row = try desk.record(action, attachments: kept, user: viewer.user,
                                              client: WebServer.client(request, context, trusting: self.trustedProxies), now: now)
                    // A lead change is a change of the schedules: read again, then shown.
                    if action.kind?.changesLeads == true {
                        await self.reload()
                        return Self.redirect("/items/\(ItemActionDesk.path(id))?leads=\(row)")
                    }
                    self.replan()
                    return Self.redirect("/items/\(ItemActionDesk.path(id))?done=\(row)")
                } catch let error as ItemActionError {
                    context.audit.record(audit, "事项\(id)", .refused, detail: error.description)
                    return try item(.unprocessableContent, error.description)
                }
            default:
                do {
                    return WebServer.page(.ok, try desk.confirmation(action, attachments: kept, viewer: viewer, now: now))
                } catch let error as ItemActionError {
                    return try item(.unprocessableContent, error.description)
                }
            }
        }
    }
}
