import Foundation
import Testing
import DudaoTestSupport

/// The directory in the browser: agencies.yaml's entries read-only with their file and line;
/// the office adds its own agency with a mobile (masked on the list, whole on its page, the
/// opening audited), is refused what `check` refuses (a bad mobile, a name or alias in the
/// file, a stale form, removing an agency that leads items), and a list it publishes may
/// name the new agency. A leader reads and changes nothing.
@Suite(.serialized) struct AgencyDirectoryTests {
    typealias F = WebFixture
    static let bureau = "/agencies/" + "市数据局".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!

    static func save(_ fields: [String: String]) -> [String: Any] {
        F.post("/agencies/save", fields.merging(["csrf": "@csrf"]) { a, _ in a })
    }

    @Test func theOfficeKeepsItsOwnAgenciesAndReadsTheFilesOnes() throws {
        let f = try WebFixture()
        _ = try f.addUser("张三", role: "clerk")
        _ = try f.addUser("王五", role: "leader")
        let server = try f.startServer()
        defer { f.stop(server) }
        let file = f.schedules.path + "/agencies.yaml"

        let pages = try f.browse(F.login("张三") + [
            F.get("/agencies"),
            F.get("/agencies/" + "市卫健委".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!),
            F.get("/agencies/new"),
            Self.save(["base": "0", "name": "市数据局", "aliases": "市大数据局", "c0_name": "李联络", "c0_role": "联络员",
                       "c0_email": "sjj@zhengzhou.example", "c0_mobile": "13812341234", "l0_name": "赵局长", "l0_role": "副局长", "l0_email": "zhao@zhengzhou.example"]),
            F.get("@location"),
            F.get("/agencies"),
        ])
        #expect(pages[2].body.contains("文件：\(file):4"), "a file's agency names its file and line")
        #expect(pages[3].body.contains("由运维人员维护") && !pages[3].body.contains("id=\"save\""), "read-only in the console")
        #expect(pages[5].status == 303 && pages[5].location == Self.bureau + "?saved=1", "\(pages[5].status) \(pages[5].body)")
        let opened = pages[6].body
        #expect(opened.contains("13812341234") && opened.contains("库 第1版") && opened.contains("赵局长") && opened.contains("id=\"save\""))
        #expect(opened.contains("已保存，第1版"))
        #expect(pages[7].body.contains("138****1234") && !pages[7].body.contains("13812341234"), "masked on the list")
        #expect(pages[7].body.contains("市数据局") && pages[7].body.contains("市大数据局"))

        // What check refuses, the form refuses, with what was typed.
        let refused = try f.browse(F.login("张三") + [
            F.get("/agencies/new"),
            Self.save(["base": "0", "name": "市人社局", "c0_name": "钱", "c0_mobile": "12345", "c0_email": "rsj@zhengzhou.example"]),
            Self.save(["base": "0", "name": "市卫健委", "c0_email": "x@zhengzhou.example"]),
            Self.save(["base": "0", "name": "市医保局", "aliases": "市财政局", "c0_email": "ybj@zhengzhou.example"]),
            Self.save(["base": "0", "name": "市数据局", "c0_email": "sjj@zhengzhou.example"]),
            Self.save(["base": "0", "name": "", "c0_email": "a@zhengzhou.example"]),
        ])
        #expect(refused[3].status == 422 && refused[3].body.contains("手机号码无效") && refused[3].body.contains("value=\"12345\""), "\(refused[3].body)")
        #expect(refused[4].status == 422 && refused[4].body.contains("通讯录中已有“市卫健委”") && refused[4].body.contains("文件："))
        #expect(refused[5].status == 422 && refused[5].body.contains("单位名称重复") && refused[5].body.contains("agencies.yaml"), "\(refused[5].body)")
        #expect(refused[6].status == 422 && refused[6].body.contains("已有“市数据局”"))
        #expect(refused[7].status == 422 && refused[7].body.contains("请填写单位名称"))

        // A list naming the new agency is published; then the agency cannot go while it leads.
        let list = try ListPublishTests.workbook(f, "sjj.xlsx", [["1", "数据共享", "", "", "市大数据局", "", "2026年6月"]])
        let published = try f.browse(F.login("张三") + [F.get("/lists"), ListPublishTests.upload(list), F.post("@location/publish", ["csrf": "@csrf"])])
        #expect(published[4].location == "/lists?published=L1@1", "\(published[4].status) \(published[4].body)")
        let blocked = try f.browse(F.login("张三") + [F.get(Self.bureau), F.post(Self.bureau + "/remove", ["csrf": "@csrf", "base": "1", "confirm": "yes"])])
        #expect(blocked[2].body.contains("L1-1") && blocked[2].body.contains("牵头"), "the agency's items")
        #expect(blocked[3].status == 422 && blocked[3].body.contains("不能删除") && blocked[3].body.contains("市数据局"), "\(blocked[3].body)")

        // Two clerks editing at once: the second, from the older form, is refused.
        let edits = try f.browse(F.login("张三") + [
            F.get(Self.bureau),
            Self.save(["base": "1", "name": "市数据局", "aliases": "市大数据局", "c0_name": "李联络", "c0_email": "sjj@zhengzhou.example", "c0_mobile": "13900001111"]),
            Self.save(["base": "1", "name": "市数据局", "aliases": "市大数据局", "c0_name": "孙", "c0_email": "sun@zhengzhou.example"]),
            // Dropping the alias the published list uses would leave its item without a lead.
            Self.save(["base": "2", "name": "市数据局", "c0_name": "孙", "c0_email": "sun@zhengzhou.example"]),
        ])
        #expect(edits[3].location == Self.bureau + "?saved=2")
        #expect(edits[4].status == 422 && edits[4].body.contains("已被他人修改"), "\(edits[4].status)")
        #expect(edits[5].status == 422 && edits[5].body.contains("市大数据局") && edits[5].body.contains("L1-1"), "\(edits[5].body)")

        // A leader reads the directory and changes nothing.
        let leader = try f.browse(F.login("王五") + [F.get("/agencies"), F.get("/agencies/new"), Self.save(["base": "0", "name": "市审计局"])])
        #expect(leader[2].status == 200 && !leader[2].body.contains("新增单位"))
        #expect(leader[3].status == 403 && leader[4].status == 403)

        let audit = try f.stateCommand(["audit", "list", "--format", "csv"]).out
        for row in ["agency.save", "市数据局@1", "市数据局@2", "agency.view", "agency.remove"] { #expect(audit.contains(row), "audit lacks \(row)") }
        #expect(!audit.contains("13812341234") && !audit.contains("13900001111"), "no mobile in the trail")
        let check = try f.dudao(["check", "--now", "2026-01-05T09:00:00+08:00"])
        #expect(check.status == 0 && check.out.contains("库 L1 第1版"), "\(check.out)\(check.err)")
        #expect(check.out.contains("1 个 kept by the office in the store"), "\(check.out)")

        // Exported, the office's agencies are an agencies.yaml that check reads as the operator's.
        let out = f.base.appendingPathComponent("export")
        #expect(try f.dudao(["export", "--agencies", "-o", out.path]).status == 0)
        let exported = try String(contentsOf: out.appendingPathComponent("agencies.yaml"), encoding: .utf8)
        #expect(exported.contains("  - name: 市数据局") && exported.contains("13900001111") && !FileManager.default.fileExists(atPath: out.appendingPathComponent("L1.yaml").path))
        let folder = f.base.appendingPathComponent("moved")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: out.appendingPathComponent("agencies.yaml"), to: folder.appendingPathComponent("agencies.yaml"))
        let moved = try TestSupport.run(TestSupport.dudao, ["check", "--schedules", folder.path, "--state-dir", f.base.appendingPathComponent("none").path])
        #expect(moved.status == 0 && moved.out.contains("通讯录 directory: 1 个单位"), "\(moved.out)\(moved.err)")
    }

    /// An agency a list names but the directory lacks is added, or made an alias, from the
    /// list's preview, which then may be published.
    @Test func anUnknownAgencyIsAddedOrAliasedFromThePreview() throws {
        let f = try WebFixture()
        _ = try f.addUser("张三", role: "clerk")
        let server = try f.startServer()
        defer { f.stop(server) }
        let list = try ListPublishTests.workbook(f, "new.xlsx", [["1", "数据共享", "", "", "市数据中心", "", "2026年6月"]])
        let uploaded = try f.browse(F.login("张三") + [F.get("/lists"), ListPublishTests.upload(list), F.get("@location")])
        let draft = uploaded[3].location
        #expect(draft.hasPrefix("/lists/drafts/") && uploaded[4].body.contains("新增为单位") && !uploaded[4].body.contains("id=\"publish\""))
        let id = String(draft.dropFirst("/lists/drafts/".count))
        let encoded = "市数据中心".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        let added = try f.browse(F.login("张三") + [F.get("/agencies/new?name=\(encoded)&draft=\(id)"),
                                                   Self.save(["base": "0", "name": "市数据中心", "draft": "@hidden:draft", "c0_email": "sjzx@zhengzhou.example"]),
                                                   F.get(draft)])
        #expect(added[2].body.contains("value=\"市数据中心\""), "the name comes filled in")
        #expect(added[3].status == 303 && added[3].location == draft, "back to the preview: \(added[3].status) \(added[3].body.prefix(300))")
        #expect(added[4].body.contains("id=\"publish\"") && !added[4].body.contains("不在通讯录"))

        let other = try ListPublishTests.workbook(f, "alias.xlsx", title: "另一清单", [["1", "数据治理", "", "", "市大数据中心", "", "2026年6月"]])
        let aliased = try f.browse(F.login("张三") + [F.get("/lists"), ListPublishTests.upload(other, key: "L2"), F.get("@location"),
                                                     F.post("/agencies/alias", ["csrf": "@csrf", "alias": "市大数据中心", "agency": "市数据中心", "draft": "@hidden:draft"]),
                                                     F.get("@location")])
        #expect(aliased[4].body.contains("作为别名"), "\(aliased[4].body)")
        #expect(aliased[5].status == 303 && aliased[5].location == aliased[3].location, "\(aliased[5].status) \(aliased[5].body.prefix(300))")
        #expect(aliased[6].body.contains("id=\"publish\""), "the alias resolves the name")
        let opened = try f.browse(F.login("张三") + [F.get("/agencies/" + encoded)]).last!
        #expect(opened.body.contains("市大数据中心"))
    }

    /// A rollback is checked as a publish is: the older list may name an agency removed since.
    @Test func aRollbackThatWouldLeaveAnItemWithoutItsLeadIsRefused() throws {
        let f = try WebFixture()
        _ = try f.addUser("张三", role: "clerk")
        let server = try f.startServer()
        defer { f.stop(server) }
        let v1 = try ListPublishTests.workbook(f, "v1.xlsx", [["1", "数据共享", "", "", "市数据局", "", "2026年6月"]])
        let v2 = try ListPublishTests.workbook(f, "v2.xlsx", [["1", "数据共享", "", "", "市卫健委", "", "2026年6月"]])
        let pages = try f.browse(F.login("张三") + [
            F.get("/agencies/new"), Self.save(["base": "0", "name": "市数据局", "c0_email": "sjj@zhengzhou.example"]),
            F.get("/lists"), ListPublishTests.upload(v1), F.post("@location/publish", ["csrf": "@csrf"]),
            F.get("/lists"), ListPublishTests.upload(v2, key: "", target: "L1"), F.post("@location/publish", ["csrf": "@csrf"]),
            F.get(Self.bureau), F.post(Self.bureau + "/remove", ["csrf": "@csrf", "base": "1", "confirm": "yes"]),
            F.get("/lists/L1"), F.post("/lists/L1/rollback", ["csrf": "@csrf", "current": "2", "confirm": "yes"]),
        ])
        #expect(pages[6].location == "/lists?published=L1@1" && pages[9].location == "/lists?published=L1@2", "\(pages[6].status) \(pages[9].status)")
        #expect(pages[11].status == 200 && pages[11].body.contains("已删除"), "\(pages[11].status)")
        #expect(pages[13].status == 422 && pages[13].body.contains("不能回退") && pages[13].body.contains("市数据局"), "\(pages[13].status) \(pages[13].body)")
        #expect(try f.stateCommand(["audit", "list", "--action", "list.rollback", "--format", "csv"]).out.contains("refused"))
    }
}
