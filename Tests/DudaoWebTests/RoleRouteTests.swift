import Foundation
import Testing
import DudaoTestSupport

/// Every office route, walked without a login and as each role: the role guard lets
/// through exactly the roles the route is for, refusals are audited, and the table below
/// covers every route `OfficeRoutes` and its extensions register (a new route without a row fails here).
/// The first admin comes from the one-time setup link; an expired password leads to
/// `/password`; the audit chain verifies after the walk and fails after tampering.
@Suite(.serialized)
struct RoleRouteTests {
    let f: WebFixture
    init() throws { f = try WebFixture() }

    /// A route, how to call it harmlessly, and the least role it is for (nil: open).
    struct Route {
        let method: String, path: String, fields: [String: String], role: String
        var step: [String: Any] {
            method == "GET" ? WebFixture.get(path) : WebFixture.post(path, fields.merging(["csrf": "@csrf"]) { a, _ in a })
        }
    }

    static let zeros = String(repeating: "0", count: 64)
    static let routes: [Route] = [
        Route(method: "GET", path: "/", fields: [:], role: "leader"),
        Route(method: "GET", path: "/items/2", fields: [:], role: "leader"),
        Route(method: "GET", path: "/plan", fields: [:], role: "leader"),
        Route(method: "GET", path: "/report", fields: [:], role: "leader"),
        Route(method: "GET", path: "/report/download?format=csv", fields: [:], role: "leader"),
        Route(method: "GET", path: "/figures", fields: [:], role: "leader"),
        Route(method: "GET", path: "/documents", fields: [:], role: "leader"),
        Route(method: "GET", path: "/sent/1/files/0", fields: [:], role: "leader"),
        Route(method: "GET", path: "/screen", fields: [:], role: "leader"),
        Route(method: "POST", path: "/report/circular", fields: ["period": "week"], role: "clerk"),
        Route(method: "GET", path: "/sent", fields: [:], role: "leader"),
        Route(method: "GET", path: "/sent/1", fields: [:], role: "leader"),
        Route(method: "GET", path: "/files/\(zeros)", fields: [:], role: "leader"),
        Route(method: "GET", path: "/api/items", fields: [:], role: "leader"),
        Route(method: "GET", path: "/ledger.xlsx", fields: [:], role: "leader"),
        Route(method: "GET", path: "/api/items/2", fields: [:], role: "leader"),
        Route(method: "GET", path: "/password", fields: [:], role: "leader"),
        Route(method: "POST", path: "/password", fields: ["current": "wrong", "password": "x", "repeat": "x"], role: "leader"),
        Route(method: "POST", path: "/items/2/act", fields: ["step": "back", "action": "cancel"], role: "clerk"),
        Route(method: "GET", path: "/review", fields: [:], role: "clerk"),
        Route(method: "POST", path: "/review", fields: ["step": "stay", "item": "2", "agency": "市卫健委"], role: "clerk"),
        Route(method: "POST", path: "/review/withdraw", fields: ["step": "back", "id": "1"], role: "clerk"),
        Route(method: "GET", path: "/outbox", fields: [:], role: "clerk"),
        Route(method: "POST", path: "/outbox/999/retry", fields: [:], role: "clerk"),
        Route(method: "GET", path: "/lists", fields: [:], role: "leader"),
        Route(method: "GET", path: "/lists/L9", fields: [:], role: "leader"),
        Route(method: "POST", path: "/lists/upload", fields: [:], role: "clerk"),
        Route(method: "GET", path: "/lists/drafts/none", fields: [:], role: "clerk"),
        Route(method: "POST", path: "/lists/drafts/none/publish", fields: [:], role: "clerk"),
        Route(method: "POST", path: "/lists/drafts/none/discard", fields: [:], role: "clerk"),
        Route(method: "POST", path: "/lists/L9/rollback", fields: [:], role: "clerk"),
        Route(method: "GET", path: "/agencies", fields: [:], role: "leader"),
        Route(method: "GET", path: "/agencies/none", fields: [:], role: "leader"),
        Route(method: "GET", path: "/agencies/new", fields: [:], role: "clerk"),
        Route(method: "POST", path: "/agencies/save", fields: [:], role: "clerk"),
        Route(method: "POST", path: "/agencies/alias", fields: [:], role: "clerk"),
        Route(method: "POST", path: "/agencies/none/remove", fields: [:], role: "clerk"),
        Route(method: "POST", path: "/agencies/none/sign", fields: ["note": "电话确认"], role: "clerk"),
        Route(method: "GET", path: "/accounts", fields: [:], role: "admin"),
        Route(method: "POST", path: "/accounts/add", fields: ["name": "bad name!", "role": "clerk", "password": "x"], role: "admin"),
        Route(method: "POST", path: "/accounts/role", fields: ["name": "nobody", "role": "leader"], role: "admin"),
        Route(method: "POST", path: "/accounts/password", fields: ["name": "nobody", "password": "x"], role: "admin"),
        Route(method: "POST", path: "/accounts/unlock", fields: ["name": "nobody"], role: "admin"),
        Route(method: "POST", path: "/accounts/remove", fields: ["name": "nobody"], role: "admin"),
        Route(method: "GET", path: "/audit", fields: [:], role: "admin"),
        Route(method: "GET", path: "/audit.csv", fields: [:], role: "admin"),
    ]
    static let open: Set<String> = ["GET /login", "POST /login", "POST /logout", "GET /setup/:token", "POST /setup/:token"]
    static let rank = ["leader": 0, "clerk": 1, "admin": 2]

    @Test func theTableCoversEveryRoute() throws {
        // OfficeRoutes.swift and its extensions (ListRoutes.swift, AgencyRoutes.swift, …).
        let folder = TestSupport.root.appendingPathComponent("Sources/DudaoWeb")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix("Routes.swift") }
        #expect(files.contains("OfficeRoutes.swift") && files.count >= 3, "\(files)")
        let source = try files.map { try String(contentsOf: folder.appendingPathComponent($0), encoding: .utf8) }.joined(separator: "\n")
        let pattern = try NSRegularExpression(pattern: #"\.(get|post)\("(/[^"]*)""#)
        var registered = Set<String>()
        for m in pattern.matches(in: source, range: NSRange(source.startIndex..., in: source)) {
            let method = String(source[Range(m.range(at: 1), in: source)!]).uppercased()
            let path = String(source[Range(m.range(at: 2), in: source)!])
            if path.contains("\\(a.path)") {
                for action in ["add", "role", "password", "unlock", "remove"] { registered.insert("POST /accounts/\(action)") }
            } else {
                registered.insert(method + " " + path)
            }
        }
        let tabled = Set(Self.routes.map { r in
            r.method + " " + r.path.replacingOccurrences(of: "/items/2", with: "/items/:id").replacingOccurrences(of: "/files/\(Self.zeros)", with: "/files/:sha")
                .replacingOccurrences(of: "/outbox/999/retry", with: "/outbox/:id/retry")
                .replacingOccurrences(of: "/lists/drafts/none", with: "/lists/drafts/:id").replacingOccurrences(of: "/lists/L9", with: "/lists/:key")
                .replacingOccurrences(of: "/agencies/none", with: "/agencies/:name").replacingOccurrences(of: "/sent/1/files/0", with: "/sent/:id/files/:index").replacingOccurrences(of: "/sent/1", with: "/sent/:id")
                .replacingOccurrences(of: "?format=csv", with: "")
        }).union(Self.open)
        #expect(registered == tabled, "registered but not walked: \(registered.subtracting(tabled)); walked but gone: \(tabled.subtracting(registered))")
    }

    @Test func everyRouteWithEveryRole() throws {
        for (name, role) in [("管理员", "admin"), ("经办", "clerk"), ("领导", "leader")] {
            #expect(try f.addUser(name, role: role).status == 0)
        }
        #expect(try f.dudao(["run", "--once", "--now", "2026-11-30T10:00:00+08:00", "--public-url", f.url]).status == 0)
        let server = try f.startServer()
        defer { f.stop(server) }

        // Without a login: pages lead to the login, the API answers 401, nothing runs.
        let anonymous = try f.browse(Self.routes.map { r in
            r.method == "GET" ? WebFixture.get(r.path) : WebFixture.post(r.path, r.fields.merging(["csrf": "x"]) { a, _ in a })
        })
        for (r, page) in zip(Self.routes, anonymous) {
            if r.path.hasPrefix("/api/") { #expect(page.status == 401, "\(r.method) \(r.path)") }
            else { #expect(page.status == 303 && page.location == "/login", "\(r.method) \(r.path) without login: \(page.status) \(page.location)") }
        }

        for (name, role) in [("管理员", "admin"), ("经办", "clerk"), ("领导", "leader")] {
            // Each route after a page carrying the session's form token (the dashboard).
            var steps = WebFixture.login(name)
            for r in Self.routes { steps += [WebFixture.get("/"), r.step] }
            let pages = try f.browse(steps)
            #expect(pages[1].status == 303 && pages[1].location == "/", "\(name) logs in: \(pages[1].status) \(pages[1].body.prefix(300))")
            for (i, r) in Self.routes.enumerated() {
                let page = pages[3 + 2 * i]
                let allowed = Self.rank[role]! >= Self.rank[r.role]!
                if allowed {
                    #expect(page.status != 403 && page.status != 401 && page.location != "/login",
                            "\(role) may \(r.method) \(r.path): \(page.status) \(page.body.prefix(120))")
                } else {
                    #expect(page.status == 403, "\(role) may not \(r.method) \(r.path): \(page.status)")
                }
            }
            // What a role may not reach is not offered either.
            let header = pages[2].body
            #expect(header.contains("href=\"/review\"") == (role != "leader"), "\(role)'s header")
            #expect(header.contains("href=\"/accounts\"") == (role == "admin"), "\(role)'s header")
        }

        // A post without the form token is refused before its handler, and audited.
        let forged = try f.browse(WebFixture.login("管理员") + [WebFixture.post("/accounts/add", ["csrf": "wrong", "name": "mallory", "role": "admin",
                                                                                                 "password": "Mallory-Secret 2026"])])
        #expect(forged[2].status == 403)
        #expect(try f.stateCommand(["user", "list"]).out.contains("mallory") == false)

        let denied = try f.stateCommand(["audit", "list", "--action", "access.denied", "--format", "csv"]).out
        let leaderRefusals = Self.routes.filter { $0.role != "leader" }.count
        #expect(denied.components(separatedBy: ",领导,").count - 1 == leaderRefusals, "every refusal of the leader is in the trail:\n\(denied)")
        #expect(denied.contains("表单令牌"), "the forged post is in the trail")
        let logins = try f.stateCommand(["audit", "list", "--action", "login"]).out
        #expect(logins.split(separator: "\n").count >= 4)

        // The trail verifies; any edit by SQL is named.
        let verified = try f.stateCommand(["audit", "verify"])
        #expect(verified.status == 0 && verified.out.contains("audit chain holds"), "\(verified.out)\(verified.err)")
        try f.sql("DROP TRIGGER audit_no_update; UPDATE audit SET actor = '无名' WHERE seq = 4;")
        let broken = try f.stateCommand(["audit", "verify"])
        #expect(broken.status == 1 && broken.err.contains("row 4"), "\(broken.err)")
    }

    @Test func theFirstAdminComesFromTheOneTimeLink() throws {
        let server = try f.startServer()
        defer { f.stop(server) }
        let file = f.state + "/setup-link.txt"
        let link = try #require(try? String(contentsOfFile: file, encoding: .utf8)).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(link.hasPrefix(f.url + "/setup/"))
        let attrs = try FileManager.default.attributesOfItem(atPath: file)
        #expect((attrs[.posixPermissions] as? Int) == 0o600, "the link is a credential")
        let path = String(link.dropFirst(f.url.count))

        #expect(try f.browse([WebFixture.get("/setup/" + String(repeating: "A", count: 43))])[0].status == 404, "a guessed link")
        let pages = try f.browse([
            WebFixture.get(path),
            WebFixture.post(path, ["csrf": "@csrf", "name": "王五", "password": "wangwu", "repeat": "wangwu"]),
            WebFixture.post(path, ["csrf": "@csrf", "name": "王五", "password": "Wang Wu 的口令 2026", "repeat": "Wang Wu 的口令 2026"]),
            WebFixture.get("/accounts"),
            WebFixture.post(path, ["csrf": "@csrf", "name": "赵六", "password": "Zhao Liu 的口令 2026", "repeat": "Zhao Liu 的口令 2026"]),
        ])
        #expect(pages[0].status == 200 && pages[0].body.contains("创建首个管理员"))
        #expect(pages[1].status == 422 && pages[1].body.contains("至少10个字符"), "the password rule holds here too")
        #expect(pages[2].status == 303 && pages[2].location == "/accounts", "\(pages[2].status) \(pages[2].body)")
        #expect(pages[3].status == 200 && pages[3].body.contains("王五") && pages[3].body.contains("管理员"), "logged in as the admin")
        #expect(pages[4].status == 404, "only once")
        #expect(!FileManager.default.fileExists(atPath: file), "the used link's file is gone")
        let users = try f.stateCommand(["user", "list"]).out
        #expect(users.hasPrefix("王五\tadmin") && !users.contains("赵六"))
        #expect(try f.stateCommand(["audit", "list", "--action", "setup"]).out.contains("王五"))

        // The admin adds a clerk in the browser; the clerk logs in and cannot reach accounts.
        let added = try f.browse(WebFixture.login("王五", password: "Wang Wu 的口令 2026") + [
            WebFixture.get("/accounts"),
            WebFixture.post("/accounts/add", ["csrf": "@csrf", "name": "张三", "role": "clerk", "password": WebFixture.password]),
        ])
        #expect(added[3].status == 200 && added[3].body.contains("已添加账号“张三”"), "\(added[3].body.prefix(300))")
        let clerk = try f.browse(WebFixture.login("张三") + [WebFixture.get("/accounts"), WebFixture.get("/review")])
        #expect(clerk[2].status == 403 && clerk[3].status == 200)
    }

    @Test func anExpiredPasswordMustBeChangedFirst() throws {
        try Data("web:\n  password_days: 90\n".utf8).write(to: f.schedules.appendingPathComponent("dudao.yaml"))
        #expect(try f.addUser("张三").status == 0)
        try f.sql("UPDATE account SET created_at = '2020-01-01T00:00:00Z' WHERE name = '张三';")
        let server = try f.startServer()
        defer { f.stop(server) }
        let fresh = "Zhang San 新口令 2027"
        let pages = try f.browse(WebFixture.login("张三") + [
            WebFixture.get("/"),
            WebFixture.post("/review", ["csrf": "@csrf", "step": "stay"]),
            WebFixture.get("/password?expired=1"),
            WebFixture.post("/password", ["csrf": "@csrf", "current": WebFixture.password, "password": fresh, "repeat": fresh]),
            WebFixture.get("/"),
        ])
        #expect(pages[2].status == 303 && pages[2].location == "/password?expired=1")
        #expect(pages[3].status == 403, "no work is posted with an expired password")
        #expect(pages[4].body.contains("超过90天未更换"))
        #expect(pages[5].status == 303 && pages[5].location == "/", "\(pages[5].status) \(pages[5].body.prefix(200))")
        #expect(pages[6].status == 200 && pages[6].body.contains("督办台账"))
        let old = try f.browse(WebFixture.login("张三"))
        #expect(old[1].status == 401, "the old password no longer works")
        #expect(try f.stateCommand(["audit", "list", "--action", "account.password"]).out.contains("本人修改"))
    }
}
