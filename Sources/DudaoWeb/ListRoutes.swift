import Foundation
import Hummingbird
import HTTPTypes
import NIOCore
import DudaoCore
import DudaoSchedules
import DudaoStore

/// 清单's routes: the lists' pages for every role (registered with the reading group), and
/// for clerks the upload → preview → publish or discard path and the rollback.
extension OfficeRoutes {
    var lists: ListDesk { ListDesk(store: desk.store, templates: desk.templates, schedules: desk.schedules) }

    /// Upload → preview → publish or discard; roll back. Each step is an audit row.
    func registerLists(on group: RouterGroup<WebContext>) {
        let spool = (settings.attachments.directory as NSString).appendingPathComponent(".incoming")
        group.post("/lists/upload") { request, context in
            let viewer = try context.who()
            let lists = self.lists
            let type = request.headers[.contentType] ?? ""
            guard type.lowercased().hasPrefix("multipart/form-data") else {
                return WebServer.page(.unsupportedMediaType, "请用页面上的表单上传文件。 use the form\n", type: "text/plain; charset=utf-8")
            }
            let limit = ListDesk.maxFileBytes + (64 << 10)
            // A little too large is read up to the limit and answered with the page; far too
            // large (by its length) is answered at once and the connection closed, unread.
            if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > 4 * limit {
                context.audit.record(.listUpload, "", .refused, detail: "文件过大（\(length >> 20) MB）")
                var response = WebServer.page(.contentTooLarge, try lists.page(viewer: viewer, now: Date(), error: "文件过大：清单文件不超过\(ListDesk.maxFileBytes >> 20) MB。"))
                response.headers[.connection] = "close"
                return response
            }
            var upload: ReplyUpload
            do {
                upload = try await ReplyUpload.read(request.body, contentType: type, limit: limit, spool: spool)
            } catch is ReplyUpload.TooLarge {
                context.audit.record(.listUpload, "", .refused, detail: "文件过大")
                return WebServer.page(.contentTooLarge, try lists.page(viewer: viewer, now: Date(), error: "文件过大：清单文件不超过\(ListDesk.maxFileBytes >> 20) MB。"))
            } catch {
                return WebServer.page(.badRequest, "无法读取上传的表单 bad form\n", type: "text/plain; charset=utf-8")
            }
            defer { upload.discard() }
            guard let file = upload.files.first else {
                return WebServer.page(.unprocessableContent, try lists.page(viewer: viewer, now: Date(), error: "请选择要上传的清单文件。"))
            }
            guard file.data.count <= ListDesk.maxFileBytes else {
                context.audit.record(.listUpload, ListDesk.displayName(file.name), .refused, detail: "文件过大")
                return WebServer.page(.contentTooLarge, try lists.page(viewer: viewer, now: Date(), error: "文件过大：清单文件不超过\(ListDesk.maxFileBytes >> 20) MB。"))
            }
            let target = upload.fields["target"] ?? "", key = upload.fields["key"] ?? ""
            let data = file.data, now = Date()
            let outcome = await self.parser.run { lists.read(data, file: file.name, target: target, key: key, actor: viewer.user, now: now) }
            let name = ListDesk.displayName(file.name)
            switch outcome {
            case .busy:
                var busy = WebServer.page(.serviceUnavailable, try lists.page(viewer: viewer, now: now, error: "正在读取另一份清单，请稍后再试。"))
                busy.headers[.retryAfter] = "5"
                return busy
            case .timedOut:
                context.audit.record(.listUpload, name, .refused, detail: "读取超时")
                return WebServer.page(.unprocessableContent, try lists.page(viewer: viewer, now: now, error: "读取“\(name)”超过\(Int(self.parser.timeout))秒，已放弃。请检查文件是否过大或损坏。"))
            case .done(.refused(let why)):
                context.audit.record(.listUpload, name, .refused, detail: why)
                return WebServer.page(.unprocessableContent, try lists.page(viewer: viewer, now: now, error: why))
            case .done(.failed(let file, let errors)):
                context.audit.record(.listUpload, name, .refused, detail: "\(errors.count)处错误")
                return WebServer.page(.unprocessableContent, lists.failure(file: file, errors: errors, viewer: viewer))
            case .done(.draft(let id)):
                context.audit.record(.listUpload, name, detail: "草稿 \(String(id.prefix(8)))")
                return Self.redirect("/lists/drafts/\(id)")
            }
        }
        group.get("/lists/drafts/:id") { request, context in
            guard let preview = try self.lists.preview(context.parameters.get("id") ?? "", now: Date()) else {
                return WebServer.page(.notFound, "草稿不存在（已发布、已放弃或已过期） no such draft\n", type: "text/plain; charset=utf-8")
            }
            return WebServer.page(.ok, self.lists.previewPage(preview, viewer: try context.who()))
        }
        group.post("/lists/drafts/:id/publish") { request, context in
            let viewer = try context.who()
            let id = context.parameters.get("id") ?? ""
            let now = Date()
            // Checked again: the files or the other lists may have changed since the preview.
            guard let preview = try self.lists.preview(id, now: now) else {
                context.audit.record(.listPublish, "", .refused, detail: ListPublishError.draftGone.description)
                return WebServer.page(.conflict, try self.lists.page(viewer: viewer, now: now, error: "草稿已发布或已放弃。"))
            }
            let r = preview.draft.revision
            guard preview.errors.isEmpty else {
                context.audit.record(.listPublish, r.key, .refused, detail: "\(preview.errors.count)处错误")
                return WebServer.page(.unprocessableContent, self.lists.previewPage(preview, viewer: viewer, error: "清单仍有错误，不能发布。"))
            }
            let entry = AuditEntry(at: now, actor: viewer.user, client: WebServer.client(request, context, trusting: self.trustedProxies), action: .listPublish,
                                   detail: "\(r.title)；\(r.items)项；\(r.file)；SHA-256 \(r.sha256)")
            do {
                let published = try self.desk.store.publishDraft(id, at: now, actor: viewer.user, audit: entry)
                await self.reload()
                return Self.redirect("/lists?published=\(published.key)@\(published.revision)")
            } catch let error as ListPublishError {
                context.audit.record(.listPublish, r.key, .refused, detail: error.description)
                return WebServer.page(.conflict, try self.lists.page(viewer: viewer, now: now, error: error.description))
            }
        }
        group.post("/lists/drafts/:id/discard") { request, context in
            let viewer = try context.who()
            let id = context.parameters.get("id") ?? ""
            let now = Date()
            let draft = try self.desk.store.draft(id)
            let entry = AuditEntry(at: now, actor: viewer.user, client: WebServer.client(request, context, trusting: self.trustedProxies), action: .listDiscard,
                                   object: draft?.revision.key ?? "", detail: draft.map { "\($0.revision.file)" } ?? "")
            _ = try self.desk.store.discardDraft(id, audit: entry)
            return Self.redirect("/lists?discarded=1")
        }
        group.post("/lists/:key/rollback") { request, context in
            let viewer = try context.who()
            let key = context.parameters.get("key") ?? ""
            let form = try await Self.form(RollbackForm.self, request, context)
            let now = Date()
            guard form.confirm == "yes" else {
                return WebServer.page(.unprocessableContent, try self.lists.page(viewer: viewer, now: now, error: "请勾选“确认回退”。"))
            }
            let entry = AuditEntry(at: now, actor: viewer.user, client: WebServer.client(request, context, trusting: self.trustedProxies), action: .listRollback, object: key)
            let current = form.current.flatMap { Int($0) } ?? 0
            do {
                // Checked as a publish is: the older list must still fit the files and the other lists.
                let problems = try self.lists.problems(rollingBack: key, current: current, actor: viewer.user, now: now)
                guard problems.isEmpty else {
                    context.audit.record(.listRollback, key, .refused, detail: problems.prefix(3).joined(separator: "；"))
                    return WebServer.page(.unprocessableContent, try self.lists.page(viewer: viewer, now: now, error: "不能回退：" + problems.joined(separator: "；")))
                }
                let r = try self.desk.store.rollBackList(key, current: current, at: now, actor: viewer.user, audit: entry)
                await self.reload()
                return Self.redirect("/lists?rolled=\(r.key)@\(r.revision)")
            } catch let error as ListPublishError {
                context.audit.record(.listRollback, key, .refused, detail: error.description)
                return WebServer.page(.conflict, try self.lists.page(viewer: viewer, now: now, error: error.description))
            }
        }
    }
}
