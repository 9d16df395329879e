import Foundation
import Testing
import DudaoTestSupport
@testable import DudaoCore
@testable import DudaoStore

/// Retention prunes the sent log after two years, and the seed list has work overdue for
/// longer than that: after pruning and a restart, the next message is the one the whole log
/// would give — the same level, the same count of reminders sent before.
struct LadderOutlivesRetentionTests {
    static let clock = LocalClock(timeZone: TimeZone(identifier: "Asia/Shanghai")!)

    @Test func prunedHistoryKeepsTheLadderAndItsCount() throws {
        let root = TestSupport.scratch("dudao-retention")
        let dir = root.appendingPathComponent("Schedules")
        try FileManager.default.copyItem(at: TestSupport.root.appendingPathComponent("Schedules"), to: dir)
        try FileManager.default.copyItem(at: TestSupport.root.appendingPathComponent("Templates"), to: root.appendingPathComponent("Templates"))
        func run(_ state: URL, _ outbox: URL, _ now: String) throws {
            try Data("outbox_dir: \(outbox.path)\n".utf8).write(to: dir.appendingPathComponent("channels.yaml"))
            let r = try TestSupport.run(TestSupport.dudao, ["run", "--once", "--schedules", dir.path, "--state-dir", state.path, "--now", now])
            #expect(r.status == 0, "\(r.err)")
        }
        // Eight Mondays of 2025: 核实, then 催办 and 督办, each delivered and recorded.
        let state = root.appendingPathComponent("state"), outbox = root.appendingPathComponent("outbox")
        var monday = CivilDate(iso: "2025-01-06")!
        for _ in 0..<8 {
            try run(state, outbox, "\(monday.iso)T10:00:00+08:00")
            monday = monday.adding(days: 7)
        }
        // Two years on: one copy of the state is pruned (and reopened, as after a restart),
        // the other keeps its whole log.
        let whole = root.appendingPathComponent("whole")
        try FileManager.default.copyItem(at: state, to: whole)
        let pruned = try StateStore(directory: state.path).prune(Retention(), now: Self.clock.parse("2027-04-01T10:00:00+08:00")!, clock: Self.clock)
        #expect(pruned.sentRows > 100 && pruned.summarised > 20, "\(pruned)")
        #expect(try StateStore(directory: state.path).backend.read { t in try t.value("SELECT COUNT(*) FROM sent") as Int? } == 0)
        let prunedOut = root.appendingPathComponent("pruned-outbox"), wholeOut = root.appendingPathComponent("whole-outbox")
        try run(state, prunedOut, "2027-04-12T10:00:00+08:00")
        try run(whole, wholeOut, "2027-04-12T10:00:00+08:00")
        func texts(_ folder: URL) throws -> [String: String] {
            let day = folder.appendingPathComponent("2027-04-12")
            var out: [String: String] = [:]
            for name in try FileManager.default.contentsOfDirectory(atPath: day.path) where name.hasSuffix(".eml") && !name.contains("report") {
                let parsed = try TestSupport.python(["Tests/Python/email_check.py", day.appendingPathComponent(name).path])
                out[name] = "\(parsed["subject"] as? String ?? "")\n\(parsed["text"] as? String ?? "")"
            }
            return out
        }
        let a = try texts(prunedOut), b = try texts(wholeOut)
        #expect(!a.isEmpty && a.keys.sorted() == b.keys.sorted())
        for (name, text) in b {
            #expect(a[name] == text, "\(name) differs after pruning")
        }
        let health = try #require(a.first { $0.key.hasPrefix("市卫健委") }?.value)
        #expect(!health.hasPrefix("【逾期核实】") && health.contains("本系统已发送") && !health.contains("本系统此前未就此事项"), "\(health.prefix(600))")
    }
}
