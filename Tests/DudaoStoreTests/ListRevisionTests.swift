import Foundation
import Testing
@testable import DudaoCore
@testable import DudaoStore
import DudaoSchedules

/// The lists the office publishes: every revision kept (the table refuses UPDATE and
/// DELETE), the newest in force, a draft published once however many click at once and on
/// however many machines, a stale draft refused, a rollback that is a revision of its own,
/// each with its audit row in the same transaction.
struct ListRevisionTests {
    static let t0 = Date(timeIntervalSince1970: 1_780_000_000)

    static func yaml(_ titles: [String]) -> String {
        "title: 测试清单\nitems:\n" + titles.enumerated().map { "- {id: \"L1-\($0.offset + 1)\", title: \($0.element), lead: [市卫健委], due_text: 2025年12月}\n" }.joined()
    }

    static func draft(_ id: String, base: Int, titles: [String], key: String = "L1") -> ListDraft {
        ListDraft(id: id, base: base, revision: ListRevision(key: key, at: t0, actor: "张三", file: "清单.xlsx", sha256: String(repeating: "a", count: 64),
                                                            title: "测试清单", items: titles.count, yaml: yaml(titles)))
    }

    static func audit(_ action: AuditAction = .listPublish) -> AuditEntry {
        AuditEntry(at: t0, actor: "张三", client: "127.0.0.1", action: action)
    }

    @Test(arguments: Engine.allCases) func revisionsAreKeptAndTheNewestIsInForce(_ engine: Engine) throws {
        let store = try engine.store()
        try store.saveDraft(Self.draft("d1", base: 0, titles: ["甲", "乙"]))
        let first = try store.publishDraft("d1", at: Self.t0, actor: "张三", audit: Self.audit())
        #expect(first.revision == 1 && first.key == "L1")
        #expect(try store.draft("d1") == nil, "a published draft is gone")
        try store.saveDraft(Self.draft("d2", base: 1, titles: ["甲", "丙"]))
        let second = try store.publishDraft("d2", at: Self.t0.addingTimeInterval(60), actor: "李四", audit: Self.audit())
        #expect(second.revision == 2)
        let inForce = try store.listsInForce()
        #expect(inForce.map(\.revision) == [2] && inForce.first?.yaml.contains("丙") == true && inForce.first?.actor == "李四")
        #expect(try store.listRevisions("L1").map(\.revision) == [2, 1])
        #expect(try store.listRevisions("L1").allSatisfy { !$0.withdraws }, "the history leaves the text out, not the fact")
        #expect(try store.listRevision("L1", 1)?.yaml.contains("乙") == true, "the first revision is still there")
        #expect(try store.ownedRevisionCount() == 2)
        #expect(throws: (any Error).self) { try store.backend.write { t in try t.execute("UPDATE list_revision SET title = 'x'") } }
        #expect(throws: (any Error).self) { try store.backend.write { t in try t.execute("DELETE FROM list_revision WHERE revision = 1") } }
        let rows = try store.auditRows().filter { $0.action == .listPublish }
        #expect(rows.map(\.object) == ["L1@2", "L1@1"], "each publish is an audit row naming the revision")
        #expect(try store.verifyAudit().rows == 2)
    }

    @Test(arguments: Engine.allCases) func aDraftIsPublishedOnceWhoeverClicks(_ engine: Engine) throws {
        let location = try engine.freshLocation()
        let stores = [try engine.open(location, instance: "a"), try engine.open(location, instance: "b")]
        try stores[0].saveDraft(Self.draft("d1", base: 0, titles: ["甲"]))
        let results = LockedResults()
        DispatchQueue.concurrentPerform(iterations: 8) { i in
            do {
                let r = try stores[i % 2].publishDraft("d1", at: Self.t0, actor: "张三", audit: Self.audit())
                results.append((Int64(r.revision), true))
            } catch let error as ListPublishError {
                #expect(error == .draftGone)
                results.append((0, false))
            } catch { results.fail("\(error)") }
        }
        #expect(results.errors.isEmpty, "\(results.errors)")
        #expect(results.values.filter(\.isNew).count == 1, "one publish, the others told the draft is gone")
        #expect(try stores[1].listRevisions("L1").count == 1)
        #expect(try stores[1].auditRows().filter { $0.action == .listPublish }.count == 1)
    }

    @Test(arguments: Engine.allCases) func aDraftReadBeforeAnotherPublishIsRefused(_ engine: Engine) throws {
        let store = try engine.store()
        try store.saveDraft(Self.draft("d1", base: 0, titles: ["甲"]))
        _ = try store.publishDraft("d1", at: Self.t0, actor: "张三", audit: Self.audit())
        try store.saveDraft(Self.draft("a", base: 1, titles: ["甲", "乙"]))
        try store.saveDraft(Self.draft("b", base: 1, titles: ["甲", "丙"]))
        _ = try store.publishDraft("a", at: Self.t0, actor: "张三", audit: Self.audit())
        #expect(throws: ListPublishError.stale(current: 2)) { try store.publishDraft("b", at: Self.t0, actor: "李四", audit: Self.audit()) }
        // A new list under a key already used.
        try store.saveDraft(Self.draft("c", base: 0, titles: ["丁"]))
        #expect(throws: ListPublishError.keyTaken("L1")) { try store.publishDraft("c", at: Self.t0, actor: "李四", audit: Self.audit()) }
        #expect(try store.listRevisions("L1").map(\.revision) == [2, 1])
        #expect(try store.draft("b")?.base == 1, "a refused draft stays until discarded (its preview says why)")
        #expect(try store.discardDraft("b", audit: Self.audit(.listDiscard)))
        #expect(try store.discardDraft("b", audit: Self.audit(.listDiscard)) == false, "discarded once")
    }

    @Test(arguments: Engine.allCases) func aRollbackIsARevisionAndTheFirstOneWithdraws(_ engine: Engine) throws {
        let store = try engine.store()
        try store.saveDraft(Self.draft("d1", base: 0, titles: ["甲", "乙"]))
        _ = try store.publishDraft("d1", at: Self.t0, actor: "张三", audit: Self.audit())
        try store.saveDraft(Self.draft("d2", base: 1, titles: ["甲", "丙"]))
        _ = try store.publishDraft("d2", at: Self.t0, actor: "张三", audit: Self.audit())
        #expect(throws: ListPublishError.stale(current: 2)) {
            try store.rollBackList("L1", current: 1, at: Self.t0, actor: "李四", audit: Self.audit(.listRollback))
        }
        let back = try store.rollBackList("L1", current: 2, at: Self.t0, actor: "李四", audit: Self.audit(.listRollback))
        #expect(back.revision == 3 && back.note == "回退至第1版" && back.yaml == Self.yaml(["甲", "乙"]))
        #expect(try store.listsInForce().first?.revision == 3)
        #expect(try store.auditRows().first { $0.action == .listRollback }?.detail == "回退至第1版")

        // A list with one revision is withdrawn by its rollback, and then has nothing to roll back.
        try store.saveDraft(Self.draft("n", base: 0, titles: ["戊"], key: "L2"))
        _ = try store.publishDraft("n", at: Self.t0, actor: "张三", audit: Self.audit())
        let withdrawn = try store.rollBackList("L2", current: 1, at: Self.t0, actor: "李四", audit: Self.audit(.listRollback))
        #expect(withdrawn.withdraws && withdrawn.note == "撤回清单")
        #expect(try store.listsInForce().map(\.key) == ["L1"])
        #expect(try store.latestListRevisions().map(\.key) == ["L1", "L2"], "a withdrawn list stays on the page")
        #expect(try store.latestListRevisions().map(\.withdraws) == [false, true])
        #expect(try store.listRevisions("L2").map(\.withdraws) == [true, false])
        #expect(try store.listKeys() == ["L1", "L2"], "its key is never given to another list")
        #expect(throws: ListPublishError.nothingToRollBack) {
            try store.rollBackList("L2", current: 2, at: Self.t0, actor: "李四", audit: Self.audit(.listRollback))
        }
    }

    /// What the store holds comes back as Schedules read it, beside a folder's files, with
    /// the one-place rule: here on each engine.
    @Test(arguments: Engine.allCases) func theStoresListsAndAgenciesArePlannedWithTheFiles(_ engine: Engine) throws {
        let store = try engine.store()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dudao-union-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try Data("agencies:\n  - {name: 市卫健委, contacts: [{email: wjw@example.org}]}\n".utf8).write(to: URL(fileURLWithPath: dir + "/agencies.yaml"))
        try Data("title: 文件清单\nitems:\n  - {id: \"1\", title: 托育, lead: [市卫健委], due_text: 2025年12月}\n".utf8)
            .write(to: URL(fileURLWithPath: dir + "/file.yaml"))
        try store.saveDraft(ListDraft(id: "d", base: 0, revision: ListRevision(
            key: "L1", at: Self.t0, actor: "张三", file: "x.xlsx", sha256: "", title: "库清单", items: 1,
            yaml: "title: 库清单\nitems:\n- {id: \"L1-1\", title: 数据, lead: [市大数据局], due_text: 2025年12月}\n")))
        _ = try store.publishDraft("d", at: Self.t0, actor: "张三", audit: Self.audit())
        _ = try store.saveAgency("市数据局", yaml: "name: 市数据局\naliases: [市大数据局]\ncontacts:\n  - email: sjj@example.org\n", base: 0,
                                 at: Self.t0, actor: "张三", audit: Self.audit(.agencySave))
        let set = ScheduleSet.load(dir, owned: try store.officeOwned())
        #expect(!set.check(now: Self.t0).hasErrors, "\(set.check(now: Self.t0).errors)")
        #expect(set.items.map(\.id) == ["1", "L1-1"] && set.items[1].lead == ["市数据局"], "the store's list, its lead resolved by the store's alias")

        // The same agency name in the file too: an error naming both places.
        _ = try store.saveAgency("市卫健委", yaml: "name: 市卫健委\ncontacts:\n  - email: other@example.org\n", base: 0,
                                 at: Self.t0, actor: "张三", audit: Self.audit(.agencySave))
        let clash = ScheduleSet.load(dir, owned: try store.officeOwned())
        let error = try #require(clash.diagnostics.errors.first)
        #expect(error.problem.file == "store:通讯录/市卫健委@1" && error.description.contains(dir + "/agencies.yaml:2"), "\(error)")
    }
}
