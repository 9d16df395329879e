import Foundation
import Synchronization
import DudaoCore
import DudaoSchedules
import DudaoStore

/// What the console builds from the whole of the schedules and the records — the 台账's
/// board, a day's plan — kept while nothing it depends on changed: at 100,000 items a board
/// takes most of a second to build, and a page asks for it again and again. A value is
/// kept while the schedules (their `generation`), the records (`StateStore.changeStamp`),
/// the day and the question (`detail`, e.g. which day's plan) are the same, and for at most
/// `maxAge` (the next planned message moves with the clock). One request builds it; the
/// others asking meanwhile wait for that one instead of building their own.
final class RecordsCache<Value: Sendable>: Sendable {
    struct Key: Equatable {
        let generation: UInt64
        let stamp: String
        let day: CivilDate
        let detail: String
    }

    private struct Entry {
        var value: Value?
        var key: Key?
        var at = Date.distantPast
        /// When it was stored (by the real clock): which entry an expiry is for.
        var stored = Date.distantPast
    }

    private let entry = Mutex(Entry())
    /// When a page last asked (by the real clock), and how many values were built: whether
    /// building ahead is worth it, and what the tests count.
    private let asked = Mutex(Date.distantPast)
    private let built = Atomic<Int>(0)
    private let building = NSLock()
    let maxAge: TimeInterval

    init(maxAge: TimeInterval = 300) { self.maxAge = maxAge }

    /// The value for `set` under `store` at `now` asking `detail`: the kept one, or `build()`'s.
    func value(set: ScheduleSet, store: StateStore, now: Date, detail: String = "", build: () throws -> Value) throws -> Value {
        asked.withLock { $0 = Date() }
        return try value(key(set: set, store: store, now: now, detail: detail), now: now, build: build)
    }

    /// Builds the value ahead, as `value` would, when a page asked within `recently` seconds:
    /// after a wake the office's next page finds it ready.
    func prepare(set: ScheduleSet, store: StateStore, now: Date, detail: String = "", recently: TimeInterval, build: () throws -> Value) {
        guard Date().timeIntervalSince(asked.withLock { $0 }) < recently else { return }
        _ = try? value(key(set: set, store: store, now: now, detail: detail), now: now, build: build)
    }

    /// Values built so far.
    var builds: Int { built.load(ordering: .relaxed) }

    private func key(set: ScheduleSet, store: StateStore, now: Date, detail: String) throws -> Key {
        Key(generation: set.generation, stamp: try store.changeStamp(), day: LocalClock(timeZone: set.policy.timeZone).day(of: now), detail: detail)
    }

    private func value(_ key: Key, now: Date, build: () throws -> Value) throws -> Value {
        if let value = kept(key, now: now) { return value }
        building.lock()
        defer { building.unlock() }
        if let value = kept(key, now: now) { return value }
        let value = try build()
        built.add(1, ordering: .relaxed)
        let stored = Date()
        entry.withLock { $0 = Entry(value: value, key: key, at: now, stored: stored) }
        // Not kept past its age: at 100,000 items a board is tens of megabytes the idle
        // service should not hold. One check when it would be stale, not a poll.
        DispatchQueue.global(qos: .utility).asyncAfter(deadline: .now() + maxAge) { [weak self] in
            self?.entry.withLock { if $0.stored == stored { $0 = Entry() } }
        }
        return value
    }

    private func kept(_ key: Key, now: Date) -> Value? {
        entry.withLock { e in
            guard e.key == key, abs(now.timeIntervalSince(e.at)) < maxAge else { return nil }
            return e.value
        }
    }
}
