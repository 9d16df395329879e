import Foundation
import DudaoCore
#if canImport(Glibc)
import Glibc
#endif

// `make bench`: plans a generated list of 100,000 items over one year and reports time and
// peak memory. A benchmark, not a test: it prints figures and never fails on them.

/// Deterministic pseudo-random numbers (SplitMix64), so every run plans the same list.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

func peakRSSMegabytes() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024 // kilobytes on Linux
}

func seconds(_ body: () -> Void) -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

/// Plans `count` generated items over 2025 and prints time and memory.
func plannerBench(count: Int) {
    var rng = SplitMix(state: 2024)
    let agencies = (0..<60).map { "市第\($0)局" }
    let firstDue = CivilDate(iso: "2024-06-01")!
    var items: [Item] = []
    items.reserveCapacity(count)
    for i in 0..<count {
        let leads = (0..<Int.random(in: 1...3, using: &rng)).map { _ in agencies.randomElement(using: &rng)! }
        let due = firstDue.adding(days: Int.random(in: 0..<(365 * 2), using: &rng))
        var milestones = [Milestone(due: due, text: due.chinese)]
        if Int.random(in: 0..<10, using: &rng) == 0 { milestones.append(Milestone(due: due.adding(days: 180), text: "二期")) }
        let ongoing = Int.random(in: 0..<20, using: &rng) == 0
        let status: ItemStatus = Int.random(in: 0..<10, using: &rng) == 0 ? .done : .open
        items.append(Item(id: "\(i + 1)", title: "事项\(i + 1)", lead: Array(Set(leads)).sorted(), dueText: due.chinese,
                          ongoing: ongoing, milestones: ongoing ? [] : milestones, status: status))
    }

    // Official days of 2025 (the plan's year), as in Schedules/calendar/2025.yaml.
    func range(_ a: String, _ b: String) -> [CivilDate] {
        let s = CivilDate(iso: a)!, e = CivilDate(iso: b)!
        return (0...s.days(until: e)).map { s.adding(days: $0) }
    }
    let calendar = WorkCalendar(
        holidays: Set(range("2025-01-01", "2025-01-01") + range("2025-01-28", "2025-02-04") + range("2025-04-04", "2025-04-06")
            + range("2025-05-01", "2025-05-05") + range("2025-05-31", "2025-06-02") + range("2025-10-01", "2025-10-08")),
        makeupWorkdays: Set(["2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11"].map { CivilDate(iso: $0)! }),
        coveredYears: [2025])
    let policy = Policy(supervisor: "市政府督查室")
    let clock = LocalClock(timeZone: policy.timeZone)
    let from = clock.parse("2025-01-01T00:00:00+08:00")!
    let until = clock.parse("2025-12-31T23:59:59+08:00")!

    print("Dudao planner benchmark: \(count) items, plan 2025-01-01 → 2025-12-31 (release build)")
    print(String(format: "items:  generated; resident %.0f MB", peakRSSMegabytes()))
    do {
        // The two stages alone, once, for where the time goes.
        let planner = Planner(policy: policy, calendar: calendar)
        var n: [Notice] = []
        let t1 = seconds { n = planner.notices(for: items, from: from, until: until) }
        var m: [PlannedMessage] = []
        let t2 = seconds { m = DigestGrouping(policy: policy).group(n, items: items).messages }
        print(String(format: "stages: notices %.3f s (%d), grouping %.3f s (%d messages); peak resident %.0f MB",
                     t1, n.count, t2, m.count, peakRSSMegabytes()))
    }
    var plan: Plan! = nil
    var runs: [Double] = []
    for _ in 0..<5 {
        runs.append(seconds { plan = Plan(items: items, policy: policy, calendar: calendar, from: from, until: until) })
    }
    let notices = plan.messages.reduce(0) { $0 + $1.noticeRange.count }
    var lineCount = 0
    var bytes = 0
    let jsonSeconds = seconds { plan.writeJSONLines { lineCount += 1; bytes += $0.utf8.count + 1 } }
    runs.sort()
    print(String(format: "plan:   best %.3f s, median %.3f s over %d runs  (%d notices in %d messages)",
                 runs[0], runs[runs.count / 2], runs.count, notices, plan.messages.count))
    print(String(format: "json:   %.3f s for %d lines (%.1f MB)", jsonSeconds, lineCount, Double(bytes) / 1e6))
    print(String(format: "memory: peak resident %.0f MB", peakRSSMegabytes()))
    print("target: plan < 1 s and < 300 MB")

}
