import Foundation
import Testing
import DudaoTestSupport

/// Two instances on one PostgreSQL database, as on two machines: a list published in the
/// standby's console is shown there at once, and the leader — told by PostgreSQL's NOTIFY,
/// not at its next wake hours later — reads it and plans it.
@Suite(.serialized) struct SharedListsTests {
    init() throws { try ServiceFixture.requireServers() }

    @Test func aListPublishedOnTheStandbyIsPlannedByTheLeader() throws {
        let server = try #require(PostgresServer.shared, "PostgreSQL 15 for the tests: \(PostgresServer.unavailableReason)")
        let url = try server.database()
        let f = try ServiceFixture(in: 600)
        let password = f.base.appendingPathComponent("pw")
        try Data("正确的口令 Correct horse 9\n".utf8).write(to: password)
        #expect(try f.dudao(["user", "add", "张三", "--role", "clerk", "--password-file", password.path, "--store", url]).status == 0)
        let logA = f.base.appendingPathComponent("a.log").path, logB = f.base.appendingPathComponent("b.log").path
        func log(_ path: String) -> String { (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }
        let portA = TestSupport.freePort(), portB = TestSupport.freePort()
        let a = try f.start(arguments: ["--store", url, "--listen", "127.0.0.1:\(portA)"], state: f.base.appendingPathComponent("state-a").path, log: logA)
        defer { if a.isRunning { a.terminate(); a.waitUntilExit() } }
        #expect(ServiceFixture.wait(20) { log(logA).contains("leading") && log(logA).contains("console listening") }, "\(log(logA).suffix(1500))")
        let b = try f.start(arguments: ["--store", url, "--listen", "127.0.0.1:\(portB)"], state: f.base.appendingPathComponent("state-b").path, log: logB)
        defer { if b.isRunning { b.terminate(); b.waitUntilExit() } }
        #expect(ServiceFixture.wait(20) { log(logB).contains("standby") && log(logB).contains("console listening") }, "\(log(logB).suffix(1500))")

        let list = f.base.appendingPathComponent("新清单.xlsx").path
        // Due on the day the fixture's own reminder goes out (in ten minutes): on the plan at once.
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = ServiceFixture.shanghai
        let day = cal.dateComponents([.year, .month, .day], from: f.instant)
        let rows = try JSONSerialization.data(withJSONObject: [["1", "共享事项", "", "", "测试局1", "", "\(day.year!)年\(day.month!)月\(day.day!)日"]])
        #expect(try TestSupport.run("/usr/bin/env", ["python3", TestSupport.root.appendingPathComponent("Tests/Python/make_list.py").path, list,
                                                     "共享清单", String(data: rows, encoding: .utf8)!]).status == 0)
        func browse(_ port: Int, _ steps: [[String: Any]]) throws -> [[String: Any]] {
            let json = String(data: try JSONSerialization.data(withJSONObject: steps), encoding: .utf8)!
            let r = try TestSupport.run("/usr/bin/env", ["python3", TestSupport.root.appendingPathComponent("Tests/Python/office_client.py").path,
                                                         "http://127.0.0.1:\(port)", json])
            return try #require(try JSONSerialization.jsonObject(with: r.data) as? [[String: Any]], "\(r.err)")
        }
        let login: [[String: Any]] = [["method": "GET", "path": "/login"],
                                      ["method": "POST", "path": "/login", "fields": ["csrf": "@csrf", "name": "张三", "password": "正确的口令 Correct horse 9"]]]
        let published = try browse(portB, login + [
            ["method": "GET", "path": "/lists"],
            ["method": "POST", "path": "/lists/upload?csrf=@csrf", "fields": ["key": "S1"], "files": [["file", "新清单.xlsx", list]]],
            ["method": "POST", "path": "@location/publish", "fields": ["csrf": "@csrf"]],
            ["method": "GET", "path": "/?page=1"],
        ])
        #expect((published[4]["headers"] as? [String: String])?["Location"] == "/lists?published=S1@1", "\(published[4]["status"] ?? "") \(String(describing: published[4]["body"]).prefix(500))")
        #expect((published[5]["body"] as? String)?.contains("共享事项") == true, "the standby shows it at once")

        #expect(ServiceFixture.wait(10) { log(logA).contains("lists or agencies changed in the store: reloading") && log(logA).contains("reloaded") },
                "the leader hears of it: \(log(logA).suffix(1500))")
        let plan = try browse(portA, login + [["method": "GET", "path": "/plan"]])
        #expect((plan[2]["body"] as? String)?.contains("S1-1") == true, "the leader plans it")
        #expect(a.isRunning && b.isRunning)
    }
}
