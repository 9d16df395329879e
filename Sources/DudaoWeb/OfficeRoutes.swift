import Foundation
import Hummingbird
import HTTPTypes
import NIOCore
import DudaoCore
import DudaoMessages
import DudaoSchedules
import DudaoStore

/// The office's pages: `/login`, `/logout` and the one-time `/setup/TOKEN` in the open;
/// behind the login, by role, as the route groups say:
///
/// - leader (read-only): `/` (台账), `/items/ID`, `/plan`, `/files/SHA256`, `/api/items[/ID]`, `/password`;
/// - leader also: `/lists`, `/lists/KEY` (the lists in force and a list's revisions),
///   `/agencies`, `/agencies/NAME` (the directory);
/// - clerk: `/review`, `/review/withdraw`, `/outbox`, `/outbox/ID/retry`, `/lists/upload`,
///   `/lists/drafts/ID[/publish|/discard]`, `/lists/KEY/rollback`, `/agencies/new`,
///   `/agencies/save`, `/agencies/alias`, `/agencies/NAME/remove`, `/agencies/NAME/sign` (代签);
/// - admin: `/accounts…`, `/audit`, `/audit.csv`.
///
/// Every route behind the login passes the same guards in the same order — `SessionGate`
/// (who), `AuditRecorder` (the audit row of what follows), `FormGuard` (the form token on
/// every POST), `RoleGuard` — so no handler can forget a check. Sessions live in HttpOnly,
/// SameSite=Strict cookies. With `trustedUserHeader`, a reverse proxy among
/// `trustedProxies` that authenticated the user (SSO) names them in that header.
struct OfficeRoutes: Sendable {
    let desk: OfficeDesk
    let accounts: OfficeAccounts
    var sessions: OfficeSessions { OfficeSessions(store: desk.store) }
    var throttle: LoginThrottle { LoginThrottle(store: desk.store) }
    let settings: WebServer.OfficeSettings
    let replan: @Sendable () -> Void
    /// Reads the schedules with the store's lists and agencies again (after a publish, a
    /// rollback, a directory change); returns once they are in force.
    let reload: @Sendable () async -> Void
    /// Reads uploaded lists one at a time, off the event loops.
    let parser = ListParser()
    /// Peers whose SSO header and `X-Forwarded-For` are believed.
    let trustedProxies: Set<String>

    static let sessionCookie = "dudao_session"
    static let loginCookie = "dudao_login"

    func register(on router: Router<WebContext>) {
        registerOpen(on: router)
        let gate = router.group()
            .add(middleware: SessionGate(sessions: sessions, accounts: accounts, trustedUserHeader: settings.trustedUserHeader,
                                         trustedProxies: trustedProxies, passwordDays: settings.passwordDays,
                                         cookie: { self.cookie(Self.sessionCookie, $0) }))
            .add(middleware: AuditRecorder(store: desk.store, trustedProxies: trustedProxies))
            .add(middleware: FormGuard())
        registerReading(on: gate.group().add(middleware: RoleGuard(role: .leader)))
        registerClerk(on: gate.group().add(middleware: RoleGuard(role: .clerk)))
        registerAdmin(on: gate.group().add(middleware: RoleGuard(role: .admin)))
    }

    // MARK: In the open

    private func registerOpen(on router: Router<WebContext>) {
        router.get("/login") { request, context in
            if sessions.session(request.cookies[Self.sessionCookie]?.value, now: Date()) != nil { return Self.redirect("/") }
            return self.loginPage(error: nil, status: .ok)
        }
        router.post("/login") { request, context in
            let form = try await Self.form(LoginForm.self, request, context)
            guard OfficeSessions.same(form.csrf, request.cookies[Self.loginCookie]?.value ?? "\u{0}") else {
                return self.loginPage(error: "页面已过期，请重新登录。", status: .forbidden)
            }
            let name = String((form.name ?? "").trimmingCharacters(in: .whitespaces).prefix(64))
            let client = WebServer.client(request, context, trusting: self.trustedProxies)
            let now = Date()
            func audit(_ outcome: AuditOutcome, _ detail: String = "") {
                try? desk.store.audit(AuditEntry(at: now, actor: name.isEmpty ? "（空）" : name, client: client, action: .login, object: name,
                                                 outcome: outcome, detail: detail))
            }
            // Counted before the password is checked: a burst gets no more guesses than the limit.
            if let wait = self.throttle.attempt(client: client, name: name, now: now) {
                let seconds = Int(wait.rounded(.up))
                audit(.throttled, "尝试过多，需等待\(seconds)秒")
                var refused = self.loginPage(error: "尝试次数过多，请\(max(1, (seconds + 59) / 60))分钟后再试。", status: .tooManyRequests)
                refused.headers[.retryAfter] = String(seconds)
                return refused
            }
            guard await self.accounts.verify(name: name, password: form.password ?? "") else {
                audit(.refused, "用户名或密码错误")
                return self.loginPage(error: "用户名或密码错误。", status: .unauthorized)
            }
            self.throttle.succeeded(client: client, name: name, now: now)
            audit(.ok)
            var response = Self.redirect("/")
            response.setCookie(self.cookie(Self.sessionCookie, self.sessions.open(user: name, now: now)))
            response.setCookie(self.cookie(Self.loginCookie, "", expired: true))
            return response
        }
        router.post("/logout") { request, context in
            // Whatever the form says: a logout ends the session on the server too.
            let token = request.cookies[Self.sessionCookie]?.value
            if let s = sessions.session(token, now: Date()) {
                try? desk.store.audit(AuditEntry(at: Date(), actor: s.user, client: WebServer.client(request, context, trusting: self.trustedProxies),
                                                 action: .logout, object: s.user))
            }
            self.sessions.close(token)
            var response = Self.redirect("/login")
            response.setCookie(self.cookie(Self.sessionCookie, "", expired: true))
            return response
        }
        router.get("/setup/:token") { request, context in
            let token = context.parameters.get("token") ?? ""
            guard let link = settings.setup, link.valid(token, now: Date()), (try? desk.store.hasAccounts()) == false else { return self.setupGone() }
            return self.setupPage(token: token, name: "", error: nil, status: .ok)
        }
        router.post("/setup/:token") { request, context in
            let token = context.parameters.get("token") ?? ""
            let now = Date()
            guard let link = settings.setup, link.valid(token, now: now), (try? desk.store.hasAccounts()) == false else { return self.setupGone() }
            let form = try await Self.form(SetupForm.self, request, context)
            guard OfficeSessions.same(form.csrf, request.cookies[Self.loginCookie]?.value ?? "\u{0}") else {
                return self.setupPage(token: token, name: form.name ?? "", error: "页面已过期，请重试。", status: .forbidden)
            }
            let name = (form.name ?? "").trimmingCharacters(in: .whitespaces), password = form.password ?? ""
            var problem: String?
            if !OfficeAccounts.validName(name) { problem = "用户名只能含字母、数字、汉字和 ._-，最多64个字符。" }
            else if let p = PasswordRule.problem(password, name: name) { problem = p }
            else if password != form.repeat { problem = "两次输入的密码不一致。" }
            if let problem { return self.setupPage(token: token, name: name, error: problem, status: .unprocessableContent) }
            guard link.consume(token, now: now), (try? desk.store.addFirstAdmin(name: name, passwordHash: OfficeAccounts.hash(password), at: now)) == true else {
                return self.setupGone()
            }
            try? desk.store.audit(AuditEntry(at: now, actor: name, client: WebServer.client(request, context, trusting: self.trustedProxies),
                                             action: .setup, object: name, detail: "首个管理员"))
            var response = Self.redirect("/accounts")
            response.setCookie(self.cookie(Self.sessionCookie, self.sessions.open(user: name, now: now)))
            response.setCookie(self.cookie(Self.loginCookie, "", expired: true))
            return response
        }
    }

    // MARK: Leader and up (reading)

    private func registerReading(on group: RouterGroup<WebContext>) {
        group.get("/") { request, context in
            let q = request.uri.queryParameters
            let filter = OfficeDesk.Filter(agency: q.get("agency"), light: q.get("light"), state: q.get("state"), list: q.get("list"),
                                           mine: q.get("mine") == "1", page: q.get("page").flatMap { Int($0) } ?? 1)
            return WebServer.page(.ok, try self.desk.dashboard(filter, viewer: try context.who(), now: Date()))
        }
        group.get("/items/:id") { request, context in
            let q = request.uri.queryParameters
            let notice = q.get("done").flatMap { Int64($0) }.flatMap { self.desk.actions.recorded(id: $0) }
                ?? q.get("leads").flatMap { Int64($0) }.map { _ in "已记录：牵头单位已调整，计划已更新。" }
            guard let html = try self.desk.item(context.parameters.get("id") ?? "", viewer: try context.who(), now: Date(), notice: notice) else {
                return WebServer.page(.notFound, "没有此事项 no such item\n", type: "text/plain; charset=utf-8")
            }
            return WebServer.page(.ok, html)
        }
        group.get("/report") { request, context in
            let q = Self.query(request)
            guard let html = try self.desk.report.page(monthly: q["period"] == "month", day: q["day"], sent: q["sent"].flatMap { Int64($0) },
                                                       viewer: try context.who(), now: Date()) else {
                return WebServer.page(.notFound, "没有此报告 no such report\n", type: "text/plain; charset=utf-8")
            }
            return WebServer.page(.ok, html)
        }
        group.get("/report/download") { request, context in
            let q = Self.query(request)
            // The 督查通报 takes a 文号: issued by a clerk's POST (/report/circular), never by a link.
            guard let format = q["format"].flatMap(ReportDesk.Format.init(rawValue:)), format != .docx else {
                return WebServer.page(.badRequest, "format 应为 xlsx、csv、html、text 或 markdown must be xlsx, csv, html, text or markdown\n", type: "text/plain; charset=utf-8")
            }
            let client = WebServer.client(request, context, trusting: self.trustedProxies)
            guard let file = try self.desk.report.download(monthly: q["period"] == "month", day: q["day"], format: format,
                                                           viewer: try context.who(), client: client, now: Date()) else {
                return WebServer.page(.notFound, "policy.yaml 未设置 supervisor，没有报告 no supervising office, no report\n", type: "text/plain; charset=utf-8")
            }
            context.audit.record(.export, "/report/download", detail: "\(file.name)\(file.number.map { "（\($0)）" } ?? "")")
            return WebServer.download(file.data, type: file.type, name: file.name, fallback: "report.\(format.rawValue)")
        }
        group.get("/figures") { request, context in
            let q = Self.query(request)
            return WebServer.page(.ok, try self.desk.report.figuresPage(monthly: q["period"] == "month", day: q["day"], viewer: try context.who(), now: Date()))
        }
        group.get("/screen") { _, context in
            WebServer.page(.ok, try self.desk.report.screen(viewer: try context.who(), now: Date()))
        }
        group.get("/sent") { request, context in
            let q = Self.query(request)
            let query = SentDesk.Query(agency: q["agency"], item: q["item"], from: q["from"], to: q["to"], before: q["before"].flatMap { Int64($0) })
            return WebServer.page(.ok, try self.desk.sent.page(query, viewer: try context.who()))
        }
        group.get("/sent/:id") { request, context in
            guard let id = context.parameters.get("id").flatMap({ Int64($0) }), let html = try self.desk.sent.message(id, viewer: try context.who()) else {
                return WebServer.page(.notFound, "没有此消息 no such message\n", type: "text/plain; charset=utf-8")
            }
            return WebServer.page(.ok, html)
        }
        group.get("/sent/:id/files/:index") { request, context in
            guard let id = context.parameters.get("id").flatMap({ Int64($0) }), let index = context.parameters.get("index").flatMap({ Int($0) }),
                  let file = try self.desk.sent.attachment(id, index: index) else {
                return WebServer.page(.notFound, "没有此附件 no such attachment\n", type: "text/plain; charset=utf-8")
            }
            context.audit.record(.download, "/sent/\(id)/files/\(index)", detail: file.filename)
            // Only the types Dudao attaches are served as themselves; nothing is shown inline.
            let known = [OfficialDocument.mediaType, "text/calendar"]
            return WebServer.download(file.data, type: known.contains(file.mediaType) ? file.mediaType : "application/octet-stream",
                                      name: file.filename, fallback: "attachment")
        }
        group.get("/documents") { request, context in
            WebServer.page(.ok, try self.desk.report.documentsPage(viewer: try context.who()))
        }
        group.get("/plan") { request, context in
            let q = Self.query(request)
            return WebServer.page(.ok, try self.desk.plan(viewer: try context.who(), now: Date(), day: q["day"], agency: q["agency"]))
        }
        group.get("/files/:sha") { request, context in
            let sha = context.parameters.get("sha") ?? ""
            guard sha.count == 64, sha.allSatisfy(\.isHexDigit), let file = try self.desk.store.attachment(sha256: sha),
                  let data = self.settings.attachments.contents(sha) else {
                return WebServer.page(.notFound, "没有此文件 no such file\n", type: "text/plain; charset=utf-8")
            }
            context.audit.record(.download, file.filename, detail: "SHA-256 \(sha)")
            let ascii = file.filename.unicodeScalars.allSatisfy { $0.isASCII && $0 != "\"" && $0 != "\\" && $0.value >= 32 } ? file.filename : "attachment." + file.type
            return WebServer.download(data, type: AttachmentStore.mediaType(file.type), name: file.filename, fallback: ascii)
        }
        group.get("/ledger.xlsx") { request, context in
            let now = Date()
            let (data, name) = try self.desk.ledgerWorkbook(now: now)
            context.audit.record(.export, "/ledger.xlsx", detail: "台账 Excel")
            return WebServer.download(data, type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", name: name, fallback: "ledger.xlsx")
        }
        group.get("/api/items") { request, context in
            let q = Self.query(request)
            let (json, next) = try self.desk.itemsJSON(now: Date(), limit: q["limit"].flatMap { Int($0) }, after: q["after"])
            if q["after"] == nil { context.audit.record(.export, "/api/items", detail: "台账 JSON") }
            var response = WebServer.page(.ok, json, type: "application/json; charset=utf-8")
            // The next page, as RFC 8288 links it.
            if let next {
                let cursor = next.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
                response.headers[HTTPField.Name("Link")!] = "</api/items?after=\(cursor)\(q["limit"].flatMap { Int($0) }.map { "&limit=\($0)" } ?? "")>; rel=\"next\""
            }
            return response
        }
        group.get("/api/items/:id") { request, context in
            guard let json = try self.desk.itemJSON(context.parameters.get("id") ?? "", now: Date()) else {
                return WebServer.page(.notFound, "{\"error\":\"no such item\"}\n", type: "application/json; charset=utf-8")
            }
            return WebServer.page(.ok, json, type: "application/json; charset=utf-8")
        }
        group.get("/lists") { request, context in
            let q = Self.query(request)
            return WebServer.page(.ok, try self.lists.page(viewer: try context.who(), now: Date(), message: q["published"].map { "已发布 \($0)。" }
                ?? q["rolled"].map { "已回退，现行 \($0)。" } ?? q["discarded"].map { _ in "已放弃草稿。" }))
        }
        group.get("/lists/:key") { request, context in
            guard let html = try self.lists.history(context.parameters.get("key") ?? "", viewer: try context.who()) else {
                return WebServer.page(.notFound, "没有此清单 no such list\n", type: "text/plain; charset=utf-8")
            }
            return WebServer.page(.ok, html)
        }
        group.get("/agencies") { request, context in
            let q = Self.query(request)
            return WebServer.page(.ok, try self.agencies.page(viewer: try context.who(), name: q["name"], page: q["page"].flatMap { Int($0) } ?? 1))
        }
        group.get("/agencies/:name") { request, context in
            let name = Self.pathName(context)
            let q = Self.query(request)
            guard let html = try self.agencies.agency(name, viewer: try context.who(), message: q["saved"].map { "已保存，第\($0)版；下次唤醒时生效。" }) else {
                return WebServer.page(.notFound, "通讯录中没有此单位 no such agency\n", type: "text/plain; charset=utf-8")
            }
            // Its contacts' mobiles are shown whole here: who looked is recorded.
            context.audit.record(.agencyView, name)
            return WebServer.page(.ok, html)
        }
        group.get("/password") { request, context in
            WebServer.page(.ok, self.passwordPage(try context.who(), expired: request.uri.queryParameters.get("expired") != nil, error: nil))
        }
        group.post("/password") { request, context in
            let viewer = try context.who()
            let form = try await Self.form(PasswordForm.self, request, context)
            let now = Date(), password = form.password ?? ""
            guard await self.accounts.verify(name: viewer.user, password: form.current ?? "") else {
                context.audit.record(.accountPassword, viewer.user, .refused, detail: "当前密码错误")
                return WebServer.page(.unprocessableContent, self.passwordPage(viewer, expired: false, error: "当前密码不正确。"))
            }
            if let problem = PasswordRule.problem(password, name: viewer.user) ?? (password == form.repeat ? nil : "两次输入的新密码不一致。") {
                return WebServer.page(.unprocessableContent, self.passwordPage(viewer, expired: false, error: problem))
            }
            try self.desk.store.setAccount(name: viewer.user, passwordHash: OfficeAccounts.hash(password), at: now)
            // A new password ends every session, this one too; a new one carries on here.
            try self.desk.store.closeSessions(account: viewer.user)
            context.audit.record(.accountPassword, viewer.user, detail: "本人修改")
            var response = Self.redirect("/")
            response.setCookie(self.cookie(Self.sessionCookie, self.sessions.open(user: viewer.user, now: now)))
            return response
        }
    }

    // MARK: Clerk and up (the office's daily work)

    private func registerClerk(on group: RouterGroup<WebContext>) {
        // 编发督查通报: the report as a Word document with the next 文号 of the year (the
        // same one for the same report asked again).
        group.post("/report/circular") { request, context in
            let form = try await Self.form(CircularForm.self, request, context)
            let client = WebServer.client(request, context, trusting: self.trustedProxies)
            guard let file = try self.desk.report.download(monthly: form.period == "month", day: form.day, format: .docx,
                                                           viewer: try context.who(), client: client, now: Date()) else {
                return WebServer.page(.notFound, "policy.yaml 未设置 supervisor，没有报告 no supervising office, no report\n", type: "text/plain; charset=utf-8")
            }
            context.audit.record(.export, "/report/circular", detail: "\(file.name)")
            return WebServer.download(file.data, type: file.type, name: file.name, fallback: "circular.docx")
        }
        group.get("/review") { request, context in
            let q = request.uri.queryParameters
            let review = self.desk.review
            let notice = (q.get("decided") ?? q.get("withdrawn")).flatMap { Int64($0) }.flatMap { review.recorded(id: $0) }
            return WebServer.page(.ok, try review.page(viewer: try context.who(), now: Date(), notice: notice))
        }
        // A card posts here four ways: its decision (answered with a confirmation page), the
        // confirmation's 确认 (recorded, then back to the queue), 返回修改 or Enter in one of
        // its fields (the card's hidden default button: the card again, with what was typed).
        group.post("/review") { request, context in
            let viewer = try context.who()
            let form = try await Self.form(DecisionForm.self, request, context)
            let review = self.desk.review
            let proposal = ReviewDesk.Proposal(item: form.item ?? "", agency: form.agency ?? "", report: form.report.flatMap { Int64($0) } ?? 0,
                                               decision: form.decision.flatMap(ReviewDesk.Decision.init(rawValue:)),
                                               date: form.date ?? "", comment: form.comment ?? "")
            let now = Date()
            switch form.step {
            case "back", "stay":
                return WebServer.page(.ok, try review.page(viewer: viewer, now: now, problem: (proposal, nil)))
            case "confirm":
                do {
                    // The trail's row commits with the decision.
                    let client = WebServer.client(request, context, trusting: self.trustedProxies)
                    let object = "事项\(proposal.item)·\(proposal.agency)"
                    let words = "报送\(proposal.report)：\(proposal.decision?.rawValue ?? "")\(proposal.date.isEmpty ? "" : " " + proposal.date)"
                    let comment = proposal.comment, user = viewer.user
                    let id = try review.decide(proposal, user: viewer.user, now: now, audit: { id in
                        AuditEntry(at: now, actor: user, client: client, action: .decision, object: object, detail: "\(words)；记录\(id)；\(comment)")
                    })
                    self.replan()
                    return Self.redirect("/review?decided=\(id)")
                } catch let error as DecisionError {
                    context.audit.record(.decision, "事项\(proposal.item)·\(proposal.agency)", .refused, detail: error.description)
                    return WebServer.page(.unprocessableContent, try review.page(viewer: viewer, now: now, problem: (proposal, error.description)))
                }
            default:
                do {
                    return WebServer.page(.ok, try review.confirmation(proposal, viewer: viewer, now: now))
                } catch let error as DecisionError {
                    return WebServer.page(.unprocessableContent, try review.page(viewer: viewer, now: now, problem: (proposal, error.description)))
                }
            }
        }
        group.post("/review/withdraw") { request, context in
            let viewer = try context.who()
            let form = try await Self.form(WithdrawForm.self, request, context)
            let review = self.desk.review
            let id = form.id.flatMap { Int64($0) } ?? 0
            let now = Date()
            do {
                switch form.step {
                case "back": return Self.redirect("/review")
                case "confirm":
                    _ = try review.withdraw(id: id, user: viewer.user, now: now, audit: AuditEntry(
                        at: now, actor: viewer.user, client: WebServer.client(request, context, trusting: self.trustedProxies), action: .withdrawal, object: "记录\(id)"))
                    self.replan()
                    return Self.redirect("/review?withdrawn=\(id)")
                default:
                    return WebServer.page(.ok, try review.withdrawal(id: id, viewer: viewer, now: now))
                }
            } catch let error as DecisionError {
                if form.step == "confirm" { context.audit.record(.withdrawal, "记录\(id)", .refused, detail: error.description) }
                return WebServer.page(.unprocessableContent, try review.page(viewer: viewer, now: now, alert: error.description))
            }
        }
        registerItemActions(on: group)
        registerLists(on: group)
        registerAgencies(on: group)
        group.get("/outbox") { request, context in
            WebServer.page(.ok, try self.desk.outbox(viewer: try context.who(), now: Date()))
        }
        group.post("/outbox/:id/retry") { request, context in
            let viewer = try context.who()
            let id = context.parameters.get("id").flatMap { Int64($0) }
            let object = "发件箱第\(id.map(String.init) ?? "?")条"
            let entry = AuditEntry(at: Date(), actor: viewer.user, client: WebServer.client(request, context, trusting: self.trustedProxies),
                                   action: .retry, object: object)
            let result = id.map { self.desk.retry($0, now: Date(), audit: entry) } ?? (message: "编号无效。", done: false)
            // Done, its row committed with it; not done, the refusal is recorded here.
            if !result.done { context.audit.record(.retry, object, .refused, detail: result.message) }
            self.replan()
            return WebServer.page(.ok, try self.desk.outbox(viewer: viewer, now: Date(), message: result.message))
        }
    }

    // MARK: Admin

    private func registerAdmin(on group: RouterGroup<WebContext>) {
        let accountDesk = AccountDesk(store: desk.store, templates: desk.templates, schedules: desk.schedules)
        let auditDesk = AuditDesk(store: desk.store, templates: desk.templates, schedules: desk.schedules)
        group.get("/accounts") { request, context in
            WebServer.page(.ok, try accountDesk.page(viewer: try context.who(), now: Date()))
        }
        // Each account action: the form, what it does, the audit row's action and object.
        let actions: [(path: String, action: AuditAction, run: @Sendable (AccountForm, Date) throws(DecisionError) -> (message: String, detail: String))] = [
            ("add", .accountAdd, { f, now throws(DecisionError) in try accountDesk.add(name: f.name ?? "", role: f.role ?? "", password: f.password ?? "", now: now) }),
            ("role", .accountRole, { f, _ throws(DecisionError) in try accountDesk.setRole(name: f.name ?? "", role: f.role ?? "") }),
            ("password", .accountPassword, { f, now throws(DecisionError) in try accountDesk.resetPassword(name: f.name ?? "", password: f.password ?? "", now: now) }),
            ("unlock", .accountUnlock, { f, _ throws(DecisionError) in try accountDesk.unlock(name: f.name ?? "") }),
            ("remove", .accountRemove, { f, _ throws(DecisionError) in try accountDesk.remove(name: f.name ?? "", confirmed: f.confirm == "yes") }),
        ]
        for a in actions {
            group.post("/accounts/\(a.path)") { request, context in
                let viewer = try context.who()
                let form = try await Self.form(AccountForm.self, request, context)
                let now = Date()
                let done: (message: String, detail: String)
                do { done = try a.run(form, now) } catch {
                    let why = (error as? DecisionError)?.description ?? "\(error)"
                    context.audit.record(a.action, form.name ?? "", .refused, detail: why)
                    return WebServer.page(.unprocessableContent, try accountDesk.page(viewer: viewer, now: now, error: why))
                }
                context.audit.record(a.action, form.name ?? "", detail: done.detail)
                return WebServer.page(.ok, try accountDesk.page(viewer: viewer, now: now, message: done.message))
            }
        }
        group.get("/audit") { request, context in
            let q = Self.query(request)
            return WebServer.page(.ok, try auditDesk.page(viewer: try context.who(), query: q, verify: q["verify"] != nil))
        }
        group.get("/audit.csv") { request, context in
            let (text, count) = try auditDesk.csv(query: Self.query(request))
            context.audit.record(.export, "审计日志", detail: "CSV \(count)条")
            var response = WebServer.page(.ok, text, type: "text/csv; charset=utf-8")
            response.headers[.contentDisposition] = "attachment; filename=\"audit.csv\""
            return response
        }
    }

    // MARK: Pages and parts

    func loginPage(error: String?, status: HTTPResponse.Status) -> Response {
        let token = OfficeSessions.random()
        var response = WebServer.page(status, desk.login(error: error, csrf: token))
        response.setCookie(cookie(Self.loginCookie, token))
        return response
    }

    func setupPage(token: String, name: String, error: String?, status: HTTPResponse.Status) -> Response {
        let csrf = OfficeSessions.random()
        var response = WebServer.page(status, desk.templates.renderPage("setup", [
            "page_title": "创建首个管理员", "office": desk.schedules().policy.supervisor ?? "督查室", "token": token, "csrf": csrf,
            "name": name, "error": error ?? "", "has_error": error != nil,
        ]) ?? "")
        response.setCookie(cookie(Self.loginCookie, csrf))
        return response
    }

    func setupGone() -> Response {
        WebServer.page(.notFound, "此链接无效、已使用或已过期；账号已存在时请登录。 this setup link is invalid, used or expired\n", type: "text/plain; charset=utf-8")
    }

    func passwordPage(_ viewer: Viewer, expired: Bool, error: String?) -> String {
        desk.templates.renderPage("password", viewer, [
            "page_title": "修改密码", "expired": expired, "days": settings.passwordDays ?? 0, "error": error ?? "", "has_error": error != nil,
        ]) ?? ""
    }

    func cookie(_ name: String, _ value: String, expired: Bool = false) -> Cookie {
        Cookie(name: name, value: value, maxAge: expired ? 0 : nil, path: "/", secure: settings.secureCookies, httpOnly: true, sameSite: .strict)
    }

    static func redirect(_ to: String) -> Response {
        var response = WebServer.page(.seeOther, "")
        response.headers[.location] = to
        return response
    }

    static func query(_ request: Request) -> [String: String] {
        var q: [String: String] = [:]
        for (k, v) in request.uri.queryParameters where q.count < 20 { q[String(k)] = String(v.prefix(200)) }
        return q
    }

    /// Reads an urlencoded form of at most 64 KB.
    static func form<T: Decodable>(_ type: T.Type, _ request: Request, _ context: WebContext) async throws -> T {
        try await URLEncodedFormDecoder().decode(T.self, from: request, context: context)
    }

    struct LoginForm: Decodable { var csrf: String?; var name: String?; var password: String? }
    struct SetupForm: Decodable { var csrf, name, password, `repeat`: String? }
    struct PasswordForm: Decodable { var csrf, current, password, `repeat`: String? }
    struct AccountForm: Decodable { var csrf, name, role, password, confirm: String? }
    struct TokenForm: Decodable { var csrf: String? }
    struct CircularForm: Decodable { var csrf, period, day: String? }
    struct DecisionForm: Decodable { var csrf, item, agency, report, decision, date, comment, step: String? }
    struct ItemActionForm: Decodable { var csrf, action, milestone, agency, date, state, source, reason, files, step: String? }
    struct WithdrawForm: Decodable { var csrf, id, step: String? }
    struct RollbackForm: Decodable { var csrf, current, confirm: String? }
}
