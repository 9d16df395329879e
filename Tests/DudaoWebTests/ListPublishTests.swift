import Foundation
import Testing
import DudaoTestSupport

/// A clerk publishes a list in the console with no shell: an upload with errors is shown
/// at its cells and nothing is kept; the fixed file is previewed (items, dates) and
/// published; the service plans it; a new revision shows its diff; a rollback puts the
/// earlier revision back. A leader reads but cannot publish; a draft is published once;
/// unknown agencies and a list defined twice cannot be published; each step is audited.
@Suite(.serialized) struct ListPublishTests {
    typealias F = WebFixture
    static let v1: [[String]] = [
        ["1", "托育服务扩容", "", "", "市卫健委", "", "2025年12月"],
        ["2", "互联网医院", "", "", "市卫健委", "市财政局", "2025年6月"],
        ["3", "财政直达", "", "", "市财政局", "", "2025年9月底前"],
    ]

    static func workbook(_ f: WebFixture, _ name: String, title: String = "2025年新清单", _ rows: [[String]]) throws -> String {
        let path = f.base.appendingPathComponent(name).path
        let json = String(data: try JSONSerialization.data(withJSONObject: rows), encoding: .utf8)!
        let r = try TestSupport.run("/usr/bin/env", ["python3", TestSupport.root.appendingPathComponent("Tests/Python/make_list.py").path, path, title, json])
        #expect(r.status == 0, "\(r.err)")
        return path
    }

    static func upload(_ path: String, key: String = "L1", target: String = "", as filename: String = "清单.xlsx") -> [String: Any] {
        ["method": "POST", "path": "/lists/upload?csrf=@csrf", "fields": ["key": key, "target": target], "files": [["file", filename, path]]]
    }

    /// The item ids `dudao status` plans (files and the store's lists alike).
    static func planned(_ f: WebFixture) throws -> [String] {
        Array(Set(try f.status().compactMap { $0["id"] as? String })).sorted()
    }

    /// The dashboard once the service has read the store's lists again (it reloads on its own queue).
    static func dashboard(_ f: WebFixture, showing id: String, present: Bool = true) throws -> String {
        var body = ""
        for _ in 0..<50 {
            body = try f.browse(F.login("张三") + [F.get("/?page=1")]).last!.body
            if body.contains(">\(id)<") == present { return body }
            Thread.sleep(forTimeInterval: 0.2)
        }
        return body
    }

    @Test func aClerkPublishesRevisesAndRollsBackAList() throws {
        let f = try WebFixture()
        _ = try f.addUser("张三", role: "clerk")
        let server = try f.startServer()
        defer { f.stop(server) }

        // An upload with two errors: each at its cell, nothing kept.
        var bad = Self.v1
        bad[1][6] = "找时间办"
        bad[2][4] = ""
        let failed = try f.browse(F.login("张三") + [F.get("/lists"), Self.upload(try Self.workbook(f, "bad.xlsx", bad))]).last!
        #expect(failed.status == 422)
        #expect(failed.body.contains("清单.xlsx:事项清单!G4") && failed.body.contains("找时间办"), "\(failed.body)")
        #expect(failed.body.contains("清单.xlsx:事项清单!E5"))
        #expect(failed.body.contains("2 处错误"))

        // The fixed file: preview, then publish.
        let good = try Self.workbook(f, "good.xlsx", Self.v1)
        let first = try f.browse(F.login("张三") + [F.get("/lists"), Self.upload(good), F.get("@location"),
                                                   F.post("@location/publish", ["csrf": "@csrf"]), F.get("@location")])
        #expect(first[3].status == 303 && first[3].location.hasPrefix("/lists/drafts/"))
        let preview = first[4].body
        #expect(first[4].status == 200)
        for text in ["L1-1", "托育服务扩容", "2025年12月31日", "2025年6月30日", "2025年9月30日", "新清单", "共 3 项", "id=\"publish\""] {
            #expect(preview.contains(text), "preview lacks \(text)")
        }
        #expect(first[5].status == 303 && first[5].location == "/lists?published=L1@1", "\(first[5].status) \(first[5].body)")
        #expect(first[6].body.contains("已发布 L1@1") && first[6].body.contains("第1版"))
        #expect(first[6].body.contains("文件：\(f.schedules.path)/list.yaml"), "the file's list is shown read-only with its file")
        #expect(try Self.dashboard(f, showing: "L1-1").contains("托育服务扩容"), "the service plans the published list")
        #expect(try Self.planned(f) == ["1", "2", "3", "L1-1", "L1-2", "L1-3"])

        // The same draft published again (a second click, a second tab): refused.
        let again = try f.browse(F.login("张三") + [F.get("/lists"), F.post(first[3].location + "/publish", ["csrf": "@csrf"])]).last!
        #expect(again.status == 409 && again.body.contains("草稿已发布或已放弃"))

        // Revision 2: item 2's deadline changes, item 3 goes, item 4 comes.
        var v2 = Self.v1
        v2[1][6] = "2025年10月"
        v2.remove(at: 2)
        v2.append(["4", "托育补贴", "", "", "市财政局", "", "2026年3月"])
        let second = try f.browse(F.login("张三") + [F.get("/lists"), Self.upload(try Self.workbook(f, "v2.xlsx", v2), key: "", target: "L1"),
                                                    F.get("@location"), F.post("@location/publish", ["csrf": "@csrf"])])
        let diff = second[4].body
        #expect(diff.contains("与现行第1版相比") && diff.contains("新增 1 项，删除 1 项，改动 1 项，未变 1 项"), "\(diff)")
        #expect(diff.contains("2025年10月（2025年10月31日）") && diff.contains("L1-4") && diff.contains("财政直达"))
        #expect(second[5].location == "/lists?published=L1@2")
        #expect(try Self.dashboard(f, showing: "L1-4").contains("托育补贴"))
        #expect(try Self.planned(f) == ["1", "2", "3", "L1-1", "L1-2", "L1-4"])

        // Roll back: revision 3 carries revision 1 again.
        let back = try f.browse(F.login("张三") + [F.get("/lists/L1"), F.post("/lists/L1/rollback", ["csrf": "@csrf", "current": "2", "confirm": "yes"]),
                                                  F.get("/lists/L1")])
        #expect(back[2].body.contains("第2版") && back[2].body.contains("第1版") && back[2].body.contains("确认回退"))
        #expect(back[3].status == 303 && back[3].location == "/lists?rolled=L1@3", "\(back[3].status) \(back[3].body)")
        #expect(back[4].body.contains("回退至第1版"))
        _ = try Self.dashboard(f, showing: "L1-4", present: false)
        #expect(try Self.planned(f) == ["1", "2", "3", "L1-1", "L1-2", "L1-3"])

        // Every step is in the audit trail; the CLI exports what the store owns.
        let audit = try f.stateCommand(["audit", "list", "--format", "csv"]).out
        for row in ["list.upload", "list.publish", "L1@1", "L1@2", "list.rollback", "L1@3"] { #expect(audit.contains(row), "audit lacks \(row)") }
        #expect(audit.contains("refused") && audit.contains("2处错误"), "the refused upload is recorded")
        let out = f.base.appendingPathComponent("export").path
        #expect(try f.dudao(["export", "-o", out]).status == 0)
        let exported = try String(contentsOfFile: out + "/L1.yaml", encoding: .utf8)
        #expect(exported.contains("id: \"L1-3\"") && !exported.contains("L1-4"))
    }

    /// `dudao import --publish` does from the shell what the upload does, with the same check.
    @Test func theCommandLinePublishesAsTheConsoleDoes() throws {
        let f = try WebFixture()
        let good = try Self.workbook(f, "good.xlsx", Self.v1)
        let first = try f.dudao(["import", good, "--publish"])
        #expect(first.status == 0 && first.out.contains("已发布 published L1 第1版"), "\(first.out)\(first.err)")
        var v2 = Self.v1
        v2[0][1] = "托育服务扩容提质"
        let second = try f.dudao(["import", try Self.workbook(f, "v2.xlsx", v2), "--publish", "--list", "L1"])
        #expect(second.status == 0 && second.out.contains("L1 第2版"), "\(second.out)\(second.err)")
        #expect(try Self.planned(f) == ["1", "2", "3", "L1-1", "L1-2", "L1-3"])
        var unknown = Self.v1
        unknown[0][4] = "市不存在局"
        let refused = try f.dudao(["import", try Self.workbook(f, "u.xlsx", title: "另一清单", unknown), "--publish", "--list", "L2"])
        #expect(refused.status == 1 && refused.err.contains("store:L2@1") && refused.err.contains("市不存在局") && refused.err.contains("未发布"), "\(refused.err)")
        let bad = try f.dudao(["import", good, "--publish", "--list", "2x"])
        #expect(bad.status == 1 && bad.err.contains("--list"))
        #expect(try f.dudao(["import", good, "--publish", "-o", f.base.appendingPathComponent("x.yaml").path]).status == 1)
        let audit = try f.stateCommand(["audit", "list", "--action", "list.publish", "--format", "csv"]).out
        #expect(audit.contains("命令行:") && audit.contains("L1@2"), "\(audit)")
    }

    @Test func whatCannotBePublishedIsNot() throws {
        let f = try WebFixture()
        _ = try f.addUser("张三", role: "clerk")
        _ = try f.addUser("王五", role: "leader")
        let server = try f.startServer()
        defer { f.stop(server) }

        // An agency not in the directory: flagged, no publish button, a forged publish refused.
        var rows = Self.v1
        rows[0][4] = "市不存在局"
        let unknown = try f.browse(F.login("张三") + [F.get("/lists"), Self.upload(try Self.workbook(f, "unknown.xlsx", rows)), F.get("@location"),
                                                     F.post("@location/publish", ["csrf": "@csrf"])])
        #expect(unknown[4].body.contains("市不存在局") && unknown[4].body.contains("不在通讯录"))
        #expect(!unknown[4].body.contains("id=\"publish\""))
        #expect(unknown[5].status == 422 && unknown[5].body.contains("清单仍有错误"))

        // The file's list title again: one object, one place.
        let twice = try f.browse(F.login("张三") + [F.get("/lists"), Self.upload(try Self.workbook(f, "twice.xlsx", title: "测试清单", Self.v1), key: "L2"),
                                                   F.get("@location")]).last!
        #expect(twice.body.contains("清单重复") && twice.body.contains("list.yaml"), "\(twice.body)")

        // A key already used, and a bad key.
        for (key, why) in [("9x", "清单编号应为"), ("L1", "已被使用")] {
            if key == "L1" {
                _ = try f.browse(F.login("张三") + [F.get("/lists"), Self.upload(try Self.workbook(f, "ok.xlsx", Self.v1)), F.post("@location/publish", ["csrf": "@csrf"])])
            }
            let page = try f.browse(F.login("张三") + [F.get("/lists"), Self.upload(try Self.workbook(f, "k.xlsx", title: "另一清单", Self.v1), key: key)]).last!
            #expect(page.status == 422 && page.body.contains(why), "\(key): \(page.body)")
        }

        // Not an office file, and one past the size limit.
        let junk = f.base.appendingPathComponent("junk.xlsx")
        try Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 7) }).write(to: junk)
        let big = f.base.appendingPathComponent("big.xlsx")
        try Data(count: 11 << 20).write(to: big)
        let refused = try f.browse(F.login("张三") + [F.get("/lists"), Self.upload(junk.path, key: "L5", as: "junk.xlsx"), F.get("/lists"),
                                                    Self.upload(big.path, key: "L5")])
        #expect(refused[3].status == 422 && refused[3].body.contains("清单有误：junk.xlsx"), "\(refused[3].body)")
        #expect(refused[5].status == 413 && refused[5].body.contains("不超过10 MB"), "\(refused[5].status)")

        // A leader reads the lists but has no upload form and cannot post one.
        let leader = try f.browse(F.login("王五") + [F.get("/lists"), Self.upload(try Self.workbook(f, "l.xlsx", Self.v1), key: "L9"),
                                                    F.post("/lists/L1/rollback", ["csrf": "@csrf", "current": "1", "confirm": "yes"])])
        #expect(leader[2].status == 200 && leader[2].body.contains("L1") && !leader[2].body.contains("上传并预览"))
        #expect(leader[3].status == 403 && leader[4].status == 403)
        // Without the form token in the upload's query.
        let forged = try f.browse(F.login("张三") + [["method": "POST", "path": "/lists/upload", "fields": ["key": "L7"],
                                                     "files": [["file", "x.xlsx", try Self.workbook(f, "x.xlsx", Self.v1)]]]]).last!
        #expect(forged.status == 403)
        #expect(try f.stateCommand(["user", "list"]).status == 0)
        #expect(try Self.planned(f).filter { $0.hasPrefix("L") } == ["L1-1", "L1-2", "L1-3"], "only the one good list was published")
    }
}

/// The same in headless Chromium (`lists_browser.py`), as a clerk who is not a Linux person
/// works: screenshots of each page in `docs/console/` come from here.
@Suite(.serialized) struct ListsBrowserTests {
    @Test func aClerkRunsListsAndDirectoryInTheBrowser() throws {
        let f = try WebFixture()
        _ = try f.addUser("张三", role: "clerk")
        var bad = ListPublishTests.v1
        bad[1][6] = "找时间办"
        bad[2][4] = ""
        var v2 = ListPublishTests.v1
        v2[1][6] = "2025年10月"
        v2.append(["4", "托育补贴", "", "", "市财政局", "", "2026年3月"])
        let files = [try ListPublishTests.workbook(f, "事项清单（有误）.xlsx", bad), try ListPublishTests.workbook(f, "事项清单.xlsx", ListPublishTests.v1),
                     try ListPublishTests.workbook(f, "事项清单（修订）.xlsx", v2)]
        let server = try f.startServer()
        defer { f.stop(server) }
        let out = TestSupport.root.appendingPathComponent(".build/screenshots").path
        let seen = try TestSupport.python(["Tests/Python/lists_browser.py", f.url, "张三", WebFixture.password] + files + [out])

        let errors = seen["errors"] as? [String] ?? []
        #expect(errors.count == 2 && errors[0].contains("事项清单!G4") && errors[1].contains("事项清单!E5"), "\(errors)")
        let preview = seen["preview"] as? String ?? ""
        #expect(preview.contains("2025年12月31日") && preview.contains("L1-3") && preview.contains("新清单"), "\(preview)")
        #expect((seen["published"] as? String)?.contains("已发布 L1@1") == true)
        #expect(seen["diff"] as? String == "新增 1 项，删除 0 项，改动 1 项，未变 2 项。", "\(seen["diff"] ?? "")")
        #expect((seen["dashboard"] as? String)?.contains("托育补贴") == true)
        #expect((seen["agency"] as? String)?.contains("13812341234") == true)
        let agencies = seen["agencies"] as? String ?? ""
        #expect(agencies.contains("138****1234") && !agencies.contains("13812341234"))
        #expect((seen["file_agency_source"] as? String)?.hasPrefix("文件：\(f.schedules.path)/agencies.yaml:") == true && seen["file_agency_forms"] as? Int == 0)
        #expect((seen["rolled"] as? String)?.contains("L1@3") == true && (seen["history"] as? String)?.contains("回退至第1版") == true)
        #expect((seen["low_contrast"] as? [[Any]])?.isEmpty == true, "\(seen["low_contrast"] ?? "")")
        let overflow = seen["overflow"] as? [String: Int] ?? [:]
        #expect(overflow.count == 4 && overflow.values.allSatisfy { $0 == 0 }, "no sideways scrolling at 390 px: \(overflow)")
        #expect((seen["console_errors"] as? [String])?.isEmpty == true, "\(seen["console_errors"] ?? "")")
        for shot in ["lists-1-errors", "lists-2-preview", "lists-3-published", "lists-4-diff", "lists-5-dashboard", "agencies-1-list",
                     "agencies-2-added", "agencies-3-file", "lists-6-rolled-back", "agencies-new-390"] {
            #expect(FileManager.default.fileExists(atPath: out + "/\(shot).png"), "\(shot)")
        }
    }
}
