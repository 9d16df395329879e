import Foundation
import Logging
import Testing
@testable import DudaoCore
@testable import DudaoService
@testable import DudaoStore
import DudaoTestSupport

/// A year of the service on an injected clock over 10,000 items and 20 agencies, with
/// random acknowledgements, outages, restarts, clock jumps and extra wakes, compared with an
/// oracle: the same year and the same acknowledgements, woken every morning and never down.
/// Nothing reaches an agency twice, nothing is sent that the oracle did not send, what the
/// oracle sent and the faulty run did not is recorded as skipped (never silently lost), every
/// message goes out on an official workday, and retention keeps the files bounded.
struct SimulatedYearTests {
    let clock = LocalClock(timeZone: TimeZone(identifier: "Asia/Shanghai")!)

    /// A deterministic generator, so a failure can be replayed.
    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state >> 33
        }
        mutating func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(next() % UInt64(range.count)) }
        mutating func chance(_ p: Double) -> Bool { Double(next() % 10_000) < p * 10_000 }
    }

    /// What happens at an instant: a wake (at `now`, which a clock jump may set in the past),
    /// an acknowledgement, a restart (everything reloaded from disk).
    enum Event {
        case wake(now: Date)
        case ack(ProgressReport)
        case restart
    }

    /// Writes a Schedules folder: the bundled calendar and templates, 20 agencies, `count`
    /// items due across 2025, no channels (messages go to the outbox folder).
    func schedules(count: Int, random: inout Random) throws -> URL {
        let base = TestSupport.scratch("dudao-year")
        let dir = base.appendingPathComponent("Schedules")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: TestSupport.root.appendingPathComponent("Schedules/calendar"), to: dir.appendingPathComponent("calendar"))
        try FileManager.default.copyItem(at: TestSupport.root.appendingPathComponent("Templates"), to: base.appendingPathComponent("Templates"))
        var agencies = "agencies:\n  - name: 督查室\n    contacts: [{name: 联络员, email: office@zhengzhou.example}]\n"
        for a in 1...20 { agencies += "  - name: 测试局\(a)\n    contacts: [{name: 联络员, email: a\(a)@zhengzhou.example}]\n" }
        try Data(agencies.utf8).write(to: dir.appendingPathComponent("agencies.yaml"))
        try Data("supervisor: 督查室\nretention: {audit: 90d, bodies: 30d}\n".utf8).write(to: dir.appendingPathComponent("policy.yaml"))
        var list = "title: 模拟清单\nitems:\n"
        for i in 1...count {
            let due = CivilDate(iso: "2025-02-01")!.adding(days: random.int(0...320))
            let lead = "测试局\(random.int(1...20))"
            list += "  - {id: \"\(i)\", title: 模拟事项\(i), lead: [\(lead)], due_text: \"\(due.year)年\(due.month)月\(due.day)日\"}\n"
        }
        try Data(list.utf8).write(to: dir.appendingPathComponent("list.yaml"))
        return dir
    }

    /// Thousands of deliveries a year: log only what goes wrong.
    static let logger: Logger = {
        var l = Logger(label: "sim")
        l.logLevel = .warning
        return l
    }()

    final class Run {
        let schedules: String
        let state: String
        var store: StateStore
        var cycle: ServiceCycle

        init(schedules: URL, name: String) throws {
            self.schedules = schedules.path
            state = schedules.deletingLastPathComponent().appendingPathComponent(name).path
            try Data("outbox_dir: \(state)/outbox\n".utf8).write(to: schedules.appendingPathComponent("channels.yaml"))
            store = try StateStore(directory: state)
            cycle = try ServiceCycle.load(schedules: self.schedules, stateDirectory: state, templates: nil, store: store, logger: SimulatedYearTests.logger)
        }

        func restart() throws {
            store = try StateStore(directory: state)
            cycle = try ServiceCycle.load(schedules: schedules, stateDirectory: state, templates: nil, store: store, logger: SimulatedYearTests.logger)
        }

        func play(_ events: [Event], clock: LocalClock, prune: Bool) throws {
            var lastPrune: CivilDate? = nil
            for e in events {
                switch e {
                case .wake(let now):
                    try cycle.wake(now: now)
                    let day = clock.day(of: now)
                    if prune, lastPrune != day {
                        try store.prune(cycle.set.policy.retention, now: now, clock: clock)
                        lastPrune = day
                    }
                case .ack(let report):
                    try store.record(report)
                case .restart:
                    try restart()
                }
            }
        }

        /// `agency|notice` of every delivered notice, counted (a count above 1 is a repeat).
        func delivered() throws -> [String: Int] {
            var out: [String: Int] = [:]
            for e in try store.entries(state: .sent) {
                for n in e.notices { out[Claim.key(agency: e.agency, notice: n.key), default: 0] += 1 }
            }
            return out
        }
    }

    /// A year of wakes takes minutes in a debug build: `make test` runs this suite again from
    /// the release build, where it takes about a minute.
    static var optimized: Bool {
        #if DEBUG
        ProcessInfo.processInfo.environment["DUDAO_SIM_ITEMS"] != nil
        #else
        true
        #endif
    }

    @Test(.enabled(if: SimulatedYearTests.optimized, "run from the release build by `make test`"))
    func aYearWithOutagesRestartsAndClockJumps() throws {
        var random = Random(state: 20251126)
        let items = Int(ProcessInfo.processInfo.environment["DUDAO_SIM_ITEMS"] ?? "") ?? 10_000
        let dir = try schedules(count: items, random: &random)
        // A year of outbox files is 1.8 GB: not left behind in the temporary folder.
        defer { try? FileManager.default.removeItem(at: dir.deletingLastPathComponent()) }
        let start = clock.parse("2025-01-02T09:00:30")!
        let days = 365

        // Acknowledgements: half the items done around their due date, a tenth extended.
        let set = try ServiceCycle.load(schedules: dir.path, stateDirectory: TestSupport.scratch("dudao-state").path, templates: nil, store: StateStore(), logger: SimulatedYearTests.logger).set
        var acks: [(Date, ProgressReport)] = []
        for item in set.items {
            let due = item.milestones[0].due
            if random.chance(0.5) {
                let at = clock.instant(due.adding(days: random.int(-10...40)), at: random.int(8 * 3600...18 * 3600))
                acks.append((at, ProgressReport(key: ProgressKey(item: item.id), status: .done, by: "sim", at: at)))
            } else if random.chance(0.2) {
                let at = clock.instant(due.adding(days: random.int(-5...5)), at: 14 * 3600)
                acks.append((at, ProgressReport(key: ProgressKey(item: item.id), status: .extended(to: due.adding(days: 30)), by: "sim", at: at)))
            }
        }

        // Outages: three, 1 to 9 days; acknowledgements never fall inside one (they would be
        // recorded by `dudao ack` all the same, but then the oracle would differ on purpose).
        var outages: [ClosedRange<Date>] = []
        for _ in 0..<3 {
            let from = start.addingTimeInterval(Double(random.int(20...340)) * 86400 + Double(random.int(0...86399)))
            outages.append(from...from.addingTimeInterval(Double(random.int(1...9)) * 86400))
        }
        acks.removeAll { a in outages.contains { $0.contains(a.0) } }

        // The oracle: every morning at 09:00:30, never down.
        var oracleEvents: [(Date, Event)] = acks.map { ($0.0, .ack($0.1)) }
        for d in 0..<days { let t = start.addingTimeInterval(Double(d) * 86400); oracleEvents.append((t, .wake(now: t))) }
        // The faulty run: the same mornings but not while down, a wake at a random hour after
        // each outage, extra wakes, four restarts and two clock jumps back.
        var faultyEvents: [(Date, Event)] = acks.map { ($0.0, .ack($0.1)) }
        for d in 0..<days {
            let t = start.addingTimeInterval(Double(d) * 86400)
            if !outages.contains(where: { $0.contains(t) }) { faultyEvents.append((t, .wake(now: t))) }
            if random.chance(0.1) {
                let extra = t.addingTimeInterval(Double(random.int(60...40_000)))
                if !outages.contains(where: { $0.contains(extra) }) { faultyEvents.append((extra, .wake(now: extra))) }
            }
        }
        for o in outages {
            faultyEvents.append((o.upperBound.addingTimeInterval(1), .restart))
            faultyEvents.append((o.upperBound.addingTimeInterval(2), .wake(now: o.upperBound.addingTimeInterval(2))))
        }
        faultyEvents.append((start.addingTimeInterval(150 * 86400 + 3600), .restart))
        for d in [100, 250] {
            let t = start.addingTimeInterval(Double(d) * 86400 + 7200)
            faultyEvents.append((t, .wake(now: t.addingTimeInterval(-3 * 86400))))
        }
        let order: ((Date, Event), (Date, Event)) -> Bool = { $0.0 < $1.0 }

        let oracle = try Run(schedules: dir, name: "oracle")
        try oracle.play(oracleEvents.sorted(by: order).map(\.1), clock: clock, prune: false)
        let faulty = try Run(schedules: dir, name: "faulty")
        try faulty.play(faultyEvents.sorted(by: order).map(\.1), clock: clock, prune: false)

        // Reminders before and on the due day do not depend on what was sent: the faulty
        // run sends exactly the oracle's, less what it recorded as skipped.
        func fixed(_ counts: [String: Int]) -> [String: Int] {
            counts.filter { key, _ in NoticeKey(String(key.split(separator: "|", maxSplits: 1)[1]))?.rule.ladderStep == nil }
        }
        let expected = fixed(try oracle.delivered())
        let got = fixed(try faulty.delivered())
        #expect(expected.count > 10_000, "a year's worth of reminders: \(expected.count)")
        #expect(try oracle.delivered().values.allSatisfy { $0 == 1 } && faulty.delivered().values.allSatisfy { $0 == 1 },
                "no notice twice to one agency")
        let extra = Set(got.keys).subtracting(expected.keys)
        #expect(extra.isEmpty, "sent what the oracle did not: \(extra.sorted().prefix(5))")
        let skipped = try Set(faulty.store.backend.read { t in
            try t.rows("SELECT agency || '|' || notice AS key FROM sent WHERE channel = 'skipped'", []).map { $0["key"] as String }
        })
        let lost = Set(expected.keys).subtracting(got.keys).subtracting(skipped)
        #expect(lost.isEmpty, "missed and not recorded as skipped: \(lost.sorted().prefix(5))")
        #expect(!skipped.isEmpty, "the outages did miss something")

        // The ladder follows what was sent, so after outages it runs its own course; in both
        // runs it holds its rules: at most one overdue message per agency and ISO week, one
        // 核实 per agency and item at most and only first, levels that never go down (nobody
        // answers here), and at most 20 a year per agency and item.
        for run in [oracle, faulty] {
            var weeks: [String: Int] = [:]
            var tracks: [String: [(day: CivilDate, step: LadderStep)]] = [:]
            for e in try run.store.entries(state: .sent) {
                let steps = e.notices.compactMap { n in NoticeKey(n.key).flatMap { k in k.rule.ladderStep.map { (k, $0) } } }
                guard !steps.isEmpty, let sentAt = e.sentAt else { continue }
                let day = clock.day(of: sentAt)
                let monday = day.adding(days: 1 - day.isoWeekday)
                weeks[e.agency + "|" + monday.iso, default: 0] += 1
                for (key, step) in steps { tracks[e.agency + "|" + key.item + "|\(key.milestone)", default: []].append((key.occurrence, step)) }
            }
            #expect(weeks.values.allSatisfy { $0 == 1 }, "one overdue message per agency and week: \(weeks.filter { $0.value > 1 }.keys.sorted().prefix(3))")
            #expect(!tracks.isEmpty)
            for (track, sent) in tracks {
                let steps = sent.sorted { $0.day < $1.day }.map(\.step.number)
                #expect(steps.count <= 20, "\(track): \(steps.count) overdue messages")
                #expect(steps == steps.sorted() && steps.filter { $0 == 0 }.count <= 1, "\(track): \(steps)")
            }
        }

        // Every message went out on an official workday, at or after the send time.
        let calendar = set.calendar
        for e in try faulty.store.entries(state: .sent) {
            let sentAt = try #require(e.sentAt)
            #expect(calendar.isWorkday(clock.day(of: sentAt)) && clock.secondsIntoDay(of: sentAt) >= 9 * 3600,
                    "sent \(clock.iso8601(sentAt)): \(e.message)")
        }

        // Retention (90 days here) keeps the sent log and the outbox to the last months.
        let end = start.addingTimeInterval(Double(days) * 86400)
        let before = try faulty.store.entries().count
        try faulty.store.prune(faulty.cycle.set.policy.retention, now: end, clock: LocalClock(timeZone: faulty.cycle.set.policy.timeZone))
        let oldest = try faulty.store.backend.read { t in try t.value("SELECT MIN(at) FROM sent") as String? }
        #expect(oldest.flatMap(StateStore.date).map { end.timeIntervalSince($0) <= 90 * 86400 } ?? false)
        #expect(try faulty.store.entries().count < before)
        #expect(try faulty.store.entries(state: .sent).filter { end.timeIntervalSince($0.sentAt!) > 30 * 86400 }.allSatisfy { $0.payload.isEmpty })
    }
}
