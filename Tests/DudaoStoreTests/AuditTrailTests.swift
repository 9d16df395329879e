import Foundation
import Testing
@testable import DudaoCore
@testable import DudaoStore

/// The audit trail is a hash chain that holds while Dudao appends to it — from two
/// instances at once too — and breaks, naming the row, when a row is edited, deleted or
/// slipped in by SQL (after the append-only triggers were dropped, as someone with the
/// database's password could). Roles keep one admin; the login counts live in the store.
struct AuditTrailTests {
    static let t0 = Date(timeIntervalSince1970: 1_780_000_000)

    static func entry(_ i: Int, actor: String = "张三") -> AuditEntry {
        AuditEntry(at: t0.addingTimeInterval(Double(i)), actor: actor, client: "127.0.0.1", action: .decision, object: "事项\(i)",
                   detail: "同意销号，第\(i)条")
    }

    /// A store holding rows 1…`n`.
    static func filled(_ engine: Engine, _ n: Int = 5) throws -> StateStore {
        let store = try engine.store()
        for i in 1...n { try store.audit(entry(i)) }
        return store
    }

    /// Drops the triggers that refuse UPDATE and DELETE, as a tamperer would.
    static func dropGuards(_ store: StateStore, _ engine: Engine) throws {
        try store.backend.write { t in
            switch engine {
            case .sqlite:
                try t.execute("DROP TRIGGER audit_no_update")
                try t.execute("DROP TRIGGER audit_no_delete")
            case .postgres:
                try t.execute("DROP TRIGGER audit_append_only ON audit")
            }
        }
    }

    @Test(arguments: Engine.allCases) func twoInstancesAppendOneChain(_ engine: Engine) throws {
        let location = try engine.freshLocation()
        let stores = [try engine.open(location, instance: "a"), try engine.open(location, instance: "b")]
        let failures = LockedResults()
        DispatchQueue.concurrentPerform(iterations: 40) { i in
            do { try stores[i % 2].audit(Self.entry(i, actor: i % 2 == 0 ? "甲" : "乙")) } catch { failures.fail("\(error)") }
        }
        #expect(failures.errors.isEmpty, "\(failures.errors)")
        let (rows, head) = try stores[1].verifyAudit()
        #expect(rows == 40)
        let listed = try stores[0].auditRows(limit: 100)
        #expect(listed.map(\.seq) == Array((1...40).reversed()), "one chain, no gaps, no forks")
        #expect(listed.first?.hash == head)
        #expect(Set(listed.map(\.prev)).count == 40)
    }

    @Test(arguments: Engine.allCases) func rowsCannotBeChangedThroughTheStore(_ engine: Engine) throws {
        let store = try Self.filled(engine)
        #expect(throws: (any Error).self) { try store.backend.write { t in try t.execute("UPDATE audit SET detail = 'x' WHERE seq = 2") } }
        #expect(throws: (any Error).self) { try store.backend.write { t in try t.execute("DELETE FROM audit WHERE seq = 5") } }
        #expect(try store.verifyAudit().rows == 5)
    }

    @Test(arguments: Engine.allCases) func anEditedRowIsNamed(_ engine: Engine) throws {
        let store = try Self.filled(engine)
        try Self.dropGuards(store, engine)
        try store.backend.write { t in try t.execute("UPDATE audit SET detail = '退回' WHERE seq = 3") }
        let broken = try #require(throws: AuditBreak.self) { try store.verifyAudit() }
        #expect(broken.seq == 3 && broken.reason.contains("changed"), "\(broken)")
    }

    @Test(arguments: Engine.allCases) func aRewrittenRowBreaksTheNext(_ engine: Engine) throws {
        // The tamperer recomputes the edited row's own hash, but cannot fix the next row's `prev`.
        let store = try Self.filled(engine)
        try Self.dropGuards(store, engine)
        let row = try #require(try store.auditRows(limit: 10).first { $0.seq == 2 })
        let forged = StateStore.chainHash(prev: row.prev, fields: ["2", StateStore.iso(row.at), "李四", row.client, row.action.rawValue, row.object, row.outcome.rawValue, row.detail])
        try store.backend.write { t in try t.execute("UPDATE audit SET actor = '李四', hash = ? WHERE seq = 2", [forged]) }
        let broken = try #require(throws: AuditBreak.self) { try store.verifyAudit() }
        #expect(broken.seq == 3 && broken.reason.contains("does not follow"), "\(broken)")
    }

    @Test(arguments: Engine.allCases) func aDeletedRowIsNamed(_ engine: Engine) throws {
        let store = try Self.filled(engine)
        try Self.dropGuards(store, engine)
        try store.backend.write { t in try t.execute("DELETE FROM audit WHERE seq = 2") }
        let broken = try #require(throws: AuditBreak.self) { try store.verifyAudit() }
        #expect(broken.seq == 2 && broken.reason.contains("missing"), "\(broken)")
    }

    @Test(arguments: Engine.allCases) func anInsertedRowIsNamed(_ engine: Engine) throws {
        let store = try Self.filled(engine)
        try store.backend.write { t in
            try t.execute("""
                INSERT INTO audit (seq, at, actor, client, action, object, outcome, detail, prev, hash)
                VALUES (6, '2026-06-01T00:00:00Z', '张三', '127.0.0.1', 'login', '张三', 'ok', '', 'x', 'y')
                """)
        }
        let broken = try #require(throws: AuditBreak.self) { try store.verifyAudit() }
        #expect(broken.seq == 6, "\(broken)")
        // Appending goes on from the forged row; the break stays where it was.
        try store.audit(Self.entry(7))
        #expect((try #require(throws: AuditBreak.self) { try store.verifyAudit() }).seq == 6)
    }

    @Test(arguments: Engine.allCases) func filtersAndCSV(_ engine: Engine) throws {
        let store = try Self.filled(engine)
        try store.audit(AuditEntry(at: Self.t0 + 100, actor: "李四", client: "10.0.0.9", action: .login, object: "李四", outcome: .refused,
                                   detail: "=HYPERLINK(\"x\"), 逗号"))
        #expect(try store.auditRows(AuditFilter(actor: "李四")).map(\.seq) == [6])
        #expect(try store.auditRows(AuditFilter(action: .decision, before: 4)).map(\.seq) == [3, 2, 1])
        #expect(try store.auditRows(AuditFilter(since: Self.t0 + 3, until: Self.t0 + 5)).map(\.seq) == [4, 3])
        let csv = AuditEntry.csv(try store.auditRows(AuditFilter(actor: "李四")))
        let lines = csv.split(separator: "\r\n")
        #expect(lines.first == "序号,时间,操作者,地址,操作,对象,结果,详情,上一条哈希,哈希")
        #expect(lines[1].contains("\"'=HYPERLINK(\"\"x\"\"), 逗号\""), "a formula is defused and quoted: \(lines[1])")
    }

    @Test(arguments: Engine.allCases) func oneAdminAlwaysRemains(_ engine: Engine) throws {
        let store = try engine.store()
        #expect(try store.addFirstAdmin(name: "王五", passwordHash: "$2b$11$x", at: Self.t0))
        #expect(!(try store.addFirstAdmin(name: "赵六", passwordHash: "$2b$11$x", at: Self.t0)), "the setup makes one first admin only")
        #expect(try store.account(name: "王五")?.role == .admin)
        try store.setAccount(name: "张三", passwordHash: "$2b$11$y", at: Self.t0)
        #expect(try store.account(name: "张三")?.role == .clerk, "a new account is a clerk unless told")
        #expect(throws: AccountError.self) { try store.setRole(name: "王五", .leader) }
        #expect(throws: AccountError.self) { try store.removeAccount(name: "王五") }
        #expect(try store.setRole(name: "张三", .admin) == .clerk)
        #expect(try store.setRole(name: "王五", .leader) == .admin, "with another admin, the first may step down")
        let twice = LockedResults()
        DispatchQueue.concurrentPerform(iterations: 8) { i in
            do { twice.append((Int64(i), try store.addAccount(name: "李四", passwordHash: "$2b$11$\(i)", role: .leader, at: Self.t0))) }
            catch { twice.fail("\(error)") }
        }
        #expect(twice.values.filter(\.isNew).count == 1, "added once, however often at once")
        try store.setAccount(name: "张三", passwordHash: "$2b$11$z", at: Self.t0 + 60)
        #expect(try store.account(name: "张三")?.role == .admin, "a new password keeps the role")
    }

    @Test(arguments: Engine.allCases) func loginCountsOutliveTheInstance(_ engine: Engine) throws {
        let location = try engine.freshLocation()
        let key = LoginCount.nameKey("张三", client: "10.0.0.9")
        try engine.open(location, instance: "a").countLogins([key], now: Self.t0, forgetAfter: 900) { counts in
            counts[key] = LoginCount(failures: [Self.t0], until: Self.t0 + 60)
        }
        let other = try engine.open(location, instance: "b")
        #expect(try other.heldLogins(now: Self.t0 + 1)["张三"] == Self.t0 + 60, "the other machine (or a restart) sees it")
        #expect(try other.clearLogins(name: "张三") == 1)
        #expect(try other.heldLogins(now: Self.t0 + 1).isEmpty)
        // Stale counts go on the next write.
        let stale = LoginCount.clientKey("10.0.0.8")
        try other.countLogins([stale], now: Self.t0, forgetAfter: 900) { $0[stale] = LoginCount(failures: [Self.t0]) }
        let seen = try other.countLogins([stale], now: Self.t0 + 1000, forgetAfter: 900) { $0[stale] }
        #expect(seen == nil)
    }

    /// A decision and its line in the trail commit together: when the row cannot be written,
    /// the decision is not kept either (and a withdrawal, and a retry).
    @Test(arguments: Engine.allCases) func anActionIsNeverKeptWithoutItsRow(_ engine: Engine) throws {
        let store = try engine.store()
        let confirm = ProgressReport(key: ProgressKey(item: "8", agency: "市财政局"), status: .done, note: "", by: "督查室·张三", at: Self.t0)
        let kept = try store.record(confirm, audit: { id in Self.entry(Int(id)) })
        #expect(try store.auditRows().first?.object == "事项\(kept)")
        try store.backend.write { t in
            switch engine {
            case .sqlite:
                try t.execute("CREATE TRIGGER audit_no_insert BEFORE INSERT ON audit BEGIN SELECT RAISE(ABORT, 'trail unavailable'); END")
            case .postgres:
                try t.execute("CREATE FUNCTION audit_refuse() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RAISE EXCEPTION ''trail unavailable''; END'")
                try t.execute("CREATE TRIGGER audit_no_insert BEFORE INSERT ON audit FOR EACH ROW EXECUTE FUNCTION audit_refuse()")
            }
        }
        #expect(throws: (any Error).self) { try store.record(confirm, audit: { id in Self.entry(Int(id)) }) }
        #expect(throws: (any Error).self) { try store.withdraw(decision: kept, by: "督查室·张三", at: Self.t0, audit: Self.entry(2)) }
        #expect(try store.history().count == 1, "the second decision went with its row")
        #expect(try store.report(id: kept)?.withdrawn == nil, "the withdrawal went with its row")
        #expect(try store.record(confirm) > kept, "without a row to write, the store records as before")
    }
}
