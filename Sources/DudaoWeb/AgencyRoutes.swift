import Foundation
import Hummingbird
import HTTPTypes
import NIOCore
import DudaoCore
import DudaoSchedules
import DudaoStore

/// 通讯录's routes for clerks: adding, editing and removing the office's own agencies, and
/// making an unknown name from a list's preview an alias. The directory's pages for every
/// role are registered with the reading group.
extension OfficeRoutes {
    var agencies: AgencyDesk { AgencyDesk(store: desk.store, templates: desk.templates, schedules: desk.schedules) }

    /// A `:name` path parameter as the agency's name (it arrives percent-encoded).
    static func pathName(_ context: WebContext) -> String {
        let raw = context.parameters.get("name") ?? ""
        return String((raw.removingPercentEncoding ?? raw).prefix(100))
    }

    /// Adding and editing the office's agencies, and removing them; files' agencies are not theirs.
    func registerAgencies(on group: RouterGroup<WebContext>) {
        group.get("/agencies/new") { request, context in
            // From a list's preview: the unknown name filled in, and back to the preview once saved.
            let q = Self.query(request)
            return WebServer.page(.ok, self.agencies.newAgency(viewer: try context.who(), form: ["name": q["name"] ?? "", "draft": q["draft"] ?? ""]))
        }
        group.post("/agencies/alias") { request, context in
            let viewer = try context.who()
            let form = try await URLEncodedFormDecoder().decode([String: String].self, from: request, context: context)
            let alias = String((form["alias"] ?? "").trimmingCharacters(in: .whitespaces).prefix(100)), name = form["agency"] ?? ""
            let draft = AgencyDesk.draftID(form["draft"])
            let now = Date()
            let set = self.desk.schedules()
            func back(_ error: String?) throws -> Response {
                if let error {
                    context.audit.record(.agencySave, name, .refused, detail: "别名“\(alias)”：\(error)")
                    if let draft, let preview = try self.lists.preview(draft, now: now) {
                        return WebServer.page(.unprocessableContent, self.lists.previewPage(preview, viewer: viewer, error: error))
                    }
                    return WebServer.page(.unprocessableContent, try self.agencies.page(viewer: viewer, message: error))
                }
                return Self.redirect(draft.map { "/lists/drafts/\($0)" } ?? AgencyDesk.path(name))
            }
            // Only the office's own agencies take aliases here; a file's belongs to the operator.
            guard var agency = set.agencies.agency(named: name), StoredAgency.isStored(set.agencies.origin(of: agency.name, default: "").file) else {
                return try back("只能给督查室维护的单位添加别名。")
            }
            guard !alias.isEmpty else { return try back("别名为空。") }
            agency.aliases.append(alias)
            let problems = try self.agencies.problems(saving: agency, now: now)
            guard problems.isEmpty else { return try back(problems.joined(separator: "；")) }
            let base = try self.desk.store.agencyRevisions(agency.name).first?.revision ?? 0
            let entry = AuditEntry(at: now, actor: viewer.user, client: WebServer.client(request, context, trusting: self.trustedProxies),
                                   action: .agencySave, detail: "新增别名：\(alias)")
            do {
                _ = try self.desk.store.saveAgency(agency.name, yaml: StoredAgency.yaml(agency), base: base, at: now, actor: viewer.user, audit: entry)
            } catch let error as AgencyEditError { return try back(error.description) }
            await self.reload()
            return try back(nil)
        }
        group.post("/agencies/save") { request, context in
            let viewer = try context.who()
            let form = try await URLEncodedFormDecoder().decode([String: String].self, from: request, context: context)
            let agency = AgencyDesk.agency(from: form)
            let base = Int(form["base"] ?? "") ?? 0
            let now = Date()
            func refused(_ errors: [String]) throws -> Response {
                context.audit.record(.agencySave, agency.name, .refused, detail: errors.prefix(3).joined(separator: "；"))
                if base == 0 { return WebServer.page(.unprocessableContent, self.agencies.newAgency(viewer: viewer, form: form, errors: errors)) }
                let page = try self.agencies.agency(agency.name, viewer: viewer, form: form, errors: errors)
                return WebServer.page(.unprocessableContent, page ?? self.agencies.newAgency(viewer: viewer, form: form, errors: errors))
            }
            // A file's agency is the operator's: the office edits only its own.
            if base == 0, let known = self.desk.schedules().agencies.agency(named: agency.name) {
                return try refused(["通讯录中已有“\(known.name)”（\(AgencyDesk.source(self.desk.schedules().agencies.origin(of: known.name, default: "")))）。"])
            }
            let problems = try self.agencies.problems(saving: agency, now: now)
            guard problems.isEmpty else { return try refused(problems) }
            let entry = AuditEntry(at: now, actor: viewer.user, client: WebServer.client(request, context, trusting: self.trustedProxies), action: .agencySave,
                                   detail: "\(agency.contacts.count)名联系人，\(agency.leadership.count)名领导" + (agency.aliases.isEmpty ? "" : "；别名：" + agency.aliases.joined(separator: "、")))
            do {
                let saved = try self.desk.store.saveAgency(agency.name, yaml: StoredAgency.yaml(agency), base: base, at: now, actor: viewer.user, audit: entry)
                await self.reload()
                if let draft = AgencyDesk.draftID(form["draft"]) { return Self.redirect("/lists/drafts/\(draft)") }
                return Self.redirect(AgencyDesk.path(saved.name) + "?saved=\(saved.revision)")
            } catch let error as AgencyEditError {
                return try refused([error.description])
            }
        }
        // 代签: the office records that an agency signed for its notices (on paper, by phone).
        group.post("/agencies/:name/sign") { request, context in
            let viewer = try context.who()
            let form = try await URLEncodedFormDecoder().decode([String: String].self, from: request, context: context)
            let name = Self.pathName(context)
            guard let agency = self.desk.schedules().agencies.agency(named: name) else { throw HTTPError(.notFound) }
            let note = String((form["note"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines).prefix(200))
            let now = Date(), client = WebServer.client(request, context, trusting: self.trustedProxies)
            guard !note.isEmpty else {
                context.audit.record(.noticeSign, agency.name, .refused, detail: "代签未填写依据")
                return WebServer.page(.unprocessableContent, try self.agencies.agency(agency.name, viewer: viewer, errors: ["请填写代签依据（如：电话确认、纸质签收单）。"]) ?? "")
            }
            try self.desk.store.record(AgencyReceipt(agency: agency.name, kind: .signed, how: .office, at: now, actor: viewer.user, client: client, note: note),
                                       audit: AuditEntry(at: now, actor: viewer.user, client: client, action: .noticeSign, object: agency.name,
                                                         detail: "代签：\(note)"))
            self.replan()
            return Self.redirect(AgencyDesk.path(agency.name))
        }
        group.post("/agencies/:name/remove") { request, context in
            let viewer = try context.who()
            let name = Self.pathName(context)
            let form = try await URLEncodedFormDecoder().decode([String: String].self, from: request, context: context)
            let now = Date()
            guard form["confirm"] == "yes" else {
                return WebServer.page(.unprocessableContent, try self.agencies.agency(name, viewer: viewer, errors: ["请勾选“确认删除”。"]) ?? "")
            }
            let problems = try self.agencies.problems(saving: nil, removing: name, now: now)
            guard problems.isEmpty else {
                context.audit.record(.agencyRemove, name, .refused, detail: problems.prefix(3).joined(separator: "；"))
                return WebServer.page(.unprocessableContent, try self.agencies.agency(name, viewer: viewer, errors: ["不能删除："] + problems) ?? "")
            }
            let entry = AuditEntry(at: now, actor: viewer.user, client: WebServer.client(request, context, trusting: self.trustedProxies), action: .agencyRemove)
            do {
                _ = try self.desk.store.removeAgency(name, base: Int(form["base"] ?? "") ?? 0, at: now, actor: viewer.user, audit: entry)
                await self.reload()
                return WebServer.page(.ok, try self.agencies.page(viewer: viewer, message: "已删除“\(name)”；下次唤醒时生效。"))
            } catch let error as AgencyEditError {
                context.audit.record(.agencyRemove, name, .refused, detail: error.description)
                return WebServer.page(.conflict, try self.agencies.agency(name, viewer: viewer, errors: [error.description]) ?? error.description)
            }
        }
    }
}
