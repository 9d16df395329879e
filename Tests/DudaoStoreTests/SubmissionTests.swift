import Foundation
import Testing
@testable import DudaoCore
@testable import DudaoStore

/// A reply form's one-time id records its report once, however often and however
/// concurrently it is posted — on one machine or two sharing PostgreSQL; a withdrawn
/// decision stays in the history and stops counting; retention folds the sent log into
/// summaries that a fresh read takes in.
struct SubmissionTests {
    static let clock = LocalClock(timeZone: TimeZone(identifier: "Asia/Shanghai")!)

    @Test(arguments: Engine.allCases) func concurrentDuplicatesRecordOnce(_ engine: Engine) throws {
        let location = try engine.freshLocation()
        // Two instances (two connections, two pools), as two machines would post.
        let stores = [try engine.open(location, instance: "a"), try engine.open(location, instance: "b")]
        let report = ProgressReport(key: ProgressKey(item: "17", agency: "市卫健委"), status: .reported, note: "双击", by: "市卫健委",
                                    at: Date(timeIntervalSince1970: 1_780_000_000))
        let results = LockedResults()
        DispatchQueue.concurrentPerform(iterations: 24) { i in
            do { results.append(try stores[i % 2].record(report, attachments: [Attachment(filename: "a.pdf", type: "pdf", size: 3, sha256: String(repeating: "a", count: 64))],
                                                        submission: "0123456789abcdef0123456789abcdef")) }
            catch { results.fail("\(error)") }
        }
        #expect(results.errors.isEmpty, "\(results.errors)")
        #expect(results.values.filter(\.isNew).count == 1, "one post recorded")
        #expect(Set(results.values.map(\.id)).count == 1, "every post answered with the first one's row")
        #expect(try stores[0].history().count == 1)
        #expect(try stores[0].attachments(item: "17").values.joined().count == 1)
        let other = try stores[1].record(report, submission: "fedcba9876543210fedcba9876543210")
        #expect(other.isNew && other.id != results.values[0].id, "another form is another report")
    }

    @Test(arguments: Engine.allCases) func aWithdrawnDecisionStaysInTheHistory(_ engine: Engine) throws {
        let store = try engine.store()
        let t = Date(timeIntervalSince1970: 1_780_000_000)
        let asked = try store.record(ProgressReport(key: ProgressKey(item: "9", agency: "市财政局"), status: .doneReported, by: "市财政局", at: t))
        let decided = try store.record(ProgressReport(key: ProgressKey(item: "9", agency: "市财政局"), status: .done, by: "督查室·张三", at: t + 60))
        #expect(try store.withdraw(decision: decided, by: "督查室·张三", at: t + 120))
        #expect(!(try store.withdraw(decision: decided, by: "督查室·张三", at: t + 180)), "once")
        #expect(!(try store.withdraw(decision: asked, by: "督查室·张三", at: t + 180)), "an agency's report is no decision")
        let history = try store.history(item: "9")
        #expect(history.count == 2 && history[1].withdrawn == Withdrawal(by: "督查室·张三", at: t + 120))
        let item = Item(id: "9", title: "九", lead: ["市财政局"], dueText: "2025年", milestones: [Milestone(due: CivilDate(iso: "2025-12-31")!, text: "2025年")])
        #expect(try store.supervision(clock: Self.clock).standings.standing(item, milestone: 0, agency: "市财政局").status == .doneReported)
    }

    /// Pruning folds the sent log's old rows into summaries in the same transaction; a
    /// store opened afterwards (a restart) reads them before the rows left.
    @Test(arguments: Engine.allCases) func prunedRowsLiveOnInTheirSummary(_ engine: Engine) throws {
        let location = try engine.freshLocation()
        let store = try engine.open(location)
        for (key, day) in [("8/m1/verify/2023-01-02", "2023-01-02"), ("8/m1/overdue-1/2023-01-16", "2023-01-16"),
                           ("8/m1/overdue-1/2023-01-23", "2023-01-23"), ("8/m1/overdue-2/2026-11-30", "2026-11-30")] {
            try store.markSent(notices: [(key: key, item: "8")], agency: "市财政局", message: key, channel: "email",
                               at: Self.clock.parse("\(day)T09:00:00+08:00")!)
        }
        let before = try store.supervision(clock: Self.clock).history.track(agency: "市财政局", item: "8", milestone: 0)!
        let pruned = try store.prune(Retention(), now: Self.clock.parse("2026-12-07T09:00:00+08:00")!, clock: Self.clock)
        #expect(pruned.sentRows == 3 && pruned.summarised == 1)
        let restarted = try engine.open(location)
        let after = try restarted.supervision(clock: Self.clock).history.track(agency: "市财政局", item: "8", milestone: 0)!
        #expect(after.reminders().count == 4 && after.reminders().first == CivilDate(iso: "2023-01-02"))
        #expect(after.escalations.map(\.step) == before.escalations.map(\.step) && after.escalations.map(\.day) == before.escalations.map(\.day))
        #expect(try restarted.trackSummaries().map(\.escalationText) == ["v@2023-01-02 1@2023-01-16 1@2023-01-23"])
        // A second pruning later folds more into the same summary.
        try restarted.markSent(notices: [(key: "8/m1/overdue-2/2026-12-07", item: "8")], agency: "市财政局", message: "m", channel: "email",
                               at: Self.clock.parse("2026-12-07T09:00:00+08:00")!)
        _ = try restarted.prune(Retention(), now: Self.clock.parse("2029-01-01T09:00:00+08:00")!, clock: Self.clock)
        #expect(try restarted.trackSummaries().first?.delivered == 5)
        #expect(try engine.open(location).supervision(clock: Self.clock).history.track(agency: "市财政局", item: "8", milestone: 0)?.reminders().count == 5)
    }
}

/// Results gathered from concurrent threads.
final class LockedResults: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var values: [(id: Int64, isNew: Bool)] = []
    private(set) var errors: [String] = []
    func append(_ v: (id: Int64, isNew: Bool)) { lock.withLock { values.append(v) } }
    func fail(_ e: String) { lock.withLock { errors.append(e) } }
}
