import Foundation
import Logging
import DudaoCore
import DudaoDelivery
import DudaoStore

/// Delivers due outbox entries beside the service's clock, never on it: `submit` returns at
/// once, and each channel is a lane with its own worker threads (as many as the channel
/// allows connections), its own circuit breaker and its own pace — so a hung mail server
/// or a robot paced at 20 a minute never delays the timer, a signal, or another channel.
///
/// Every outcome is recorded as soon as its transfer returns, by the worker that made it
/// (workers finishing together share a commit).
/// An entry stays *assigned* (queued or in flight) until its outcome is on disk, so a wake
/// that finds it still pending does not hand it out twice.
final class OutboxDelivery: @unchecked Sendable {
    /// What the deliveries did, told from worker threads.
    enum Event: Sendable {
        /// An outcome was recorded; `retryAt` when the entry will be tried again.
        case recorded(OutboxEntry, DeliveryOutcome, retryAt: Date?)
        /// A channel's circuit changed; its waiting entries were deferred to `openUntil`.
        case circuit(ChannelID, CircuitBreaker)
        /// An outcome could not be recorded (state folder full or read-only): kept in memory
        /// and written at the next wake; the entry is not sent again meanwhile.
        case recordFailed(OutboxEntry, Error)
    }

    /// Told to stop handing out messages, then to abort transfers.
    let stop = StopSignal()
    private let lock = NSLock()
    private var cycle: ServiceCycle
    private var lanes: [ChannelID: Lane] = [:]
    private var assigned = Set<Int64>()
    /// Outcomes recorded so far, and which entries were recorded (at which count) while a
    /// read of due entries ran: on a store of its own this process is the only sender, so
    /// this in-memory check, not a claim in the database, keeps a read from handing out an
    /// entry sent meanwhile.
    private var recordings: UInt64 = 0
    private var readsRunning = 0
    private var recordedDuringReads: [Int64: UInt64] = [:]
    private var unrecorded: [(entry: OutboxEntry, outcome: DeliveryOutcome, at: Date)] = []
    private let running = DispatchGroup()
    /// Every cycle this delivery serves shares one store: a reload keeps it.
    private let outcomes = GroupCommit<(StateStore, OutboxResult)> { items in
        try items[0].0.record(items.map(\.1))
    }
    private let onEvent: @Sendable (Event) -> Void
    private let now: @Sendable () -> Date

    /// One channel's queue, workers and circuit.
    private struct Lane {
        var queue: [OutboxEntry] = []
        var head = 0
        var workers = 0
        var circuit: CircuitBreaker

        var waiting: Int { queue.count - head }

        mutating func pop() -> OutboxEntry {
            defer {
                head += 1
                if head == queue.count { queue.removeAll(keepingCapacity: true); head = 0 }
            }
            return queue[head]
        }

        mutating func takeAll() -> [OutboxEntry] {
            defer { queue.removeAll(keepingCapacity: true); head = 0 }
            return Array(queue[head...])
        }
    }

    init(cycle: ServiceCycle, now: @escaping @Sendable () -> Date = { Date() }, onEvent: @escaping @Sendable (Event) -> Void = { _ in }) {
        self.cycle = cycle
        self.now = now
        self.onEvent = onEvent
    }

    /// The schedules and channels in force after a reload; workers pick them up with their next message.
    func replace(cycle: ServiceCycle) {
        lock.withLock { self.cycle = cycle }
    }

    /// Reads the due entries with `read` and queues them on their channels' lanes (each once,
    /// however often submitted), leaving out those recorded while the read ran: the read may
    /// have seen them still pending. Starts workers as the lanes allow; entries for an open
    /// circuit are deferred at once.
    func submit(reading read: () throws -> [OutboxEntry]) rethrows {
        let mark = lock.withLock {
            readsRunning += 1
            return recordings
        }
        defer {
            lock.withLock {
                readsRunning -= 1
                if readsRunning == 0 { recordedDuringReads.removeAll() }
            }
        }
        let entries = try read()
        var deferred: [(ChannelID, [OutboxEntry], Date)] = []
        lock.withLock {
            guard !stop.isDraining else { return }
            var touched = Set<ChannelID>()
            for e in entries where (recordedDuringReads[e.id] ?? 0) <= mark && assigned.insert(e.id).inserted {
                lanes[e.channel.lane, default: Lane(circuit: CircuitBreaker(settings: cycle.dispatcher.channels.circuit))].queue.append(e)
                touched.insert(e.channel.lane)
            }
            for channel in touched.sorted() {
                if let until = lanes[channel]!.circuit.openUntil, lanes[channel]!.circuit.state == .open, now() < until {
                    deferred.append((channel, takeQueue(channel), until))
                } else {
                    startWorkers(channel)
                }
            }
        }
        for (channel, entries, until) in deferred { postpone(entries, of: channel, until: until) }
    }

    /// Hands each batch `ServiceCycle.enqueue` commits to the workers while the next one
    /// renders: the first read hands over everything due, the next ones what was enqueued
    /// since. Used on the wake's thread only.
    final class BatchHandOver {
        private let delivery: OutboxDelivery
        private let now: Date
        private var highest: Int64 = 0
        /// True once a read of the due entries succeeded: everything due at `now` was handed
        /// over, and the wake need not read it all again. Otherwise (no batch, or the store
        /// could not be read) the wake submits `store.due(at:)` itself.
        private(set) var handedOverAll = false

        init(_ delivery: OutboxDelivery, at now: Date) {
            self.delivery = delivery
            self.now = now
        }

        /// The `committed` callback.
        func batchCommitted() {
            let store = delivery.lock.withLock { delivery.cycle }.store
            try? delivery.submit(reading: {
                let fresh = try store.due(at: now, after: highest)
                handedOverAll = true
                highest = fresh.last?.id ?? highest
                return fresh
            })
        }
    }

    /// Writes outcomes that could not be recorded before (call at each wake).
    func recordPending() {
        let pending: [(entry: OutboxEntry, outcome: DeliveryOutcome, at: Date)] = lock.withLock {
            defer { unrecorded = [] }
            return unrecorded
        }
        for p in pending { record(p.entry, p.outcome, at: p.at) }
    }

    /// Outcomes waiting to be written.
    var unrecordedCount: Int { lock.withLock { unrecorded.count } }

    /// Channels whose circuit is not closed.
    var openCircuits: [ChannelID: CircuitBreaker] {
        lock.withLock { lanes.filter { $0.value.circuit.state != .closed }.mapValues(\.circuit) }
    }

    /// Blocks until every worker has finished (`run --once`, tests).
    func waitUntilIdle() { running.wait() }

    /// Stops handing out messages, lets transfers in flight finish for up to `bound`
    /// seconds, aborts the rest (their outcome is recorded as transient: they stay pending),
    /// then calls `done` — from a background thread, never blocking the caller.
    func drain(within bound: Double, then done: @escaping @Sendable (_ clean: Bool) -> Void) {
        stop.drain()
        DispatchQueue.global().async { [running, stop] in
            if running.wait(timeout: .now() + bound) == .success { return done(true) }
            stop.abort()
            // libcurl's progress callback ends most aborted transfers within a second; one
            // blocked inside a protocol step (an SMTP server silent after DATA) is left to
            // its timeout: the entry stays pending and is sent again after the restart.
            done(running.wait(timeout: .now() + 1.5) == .success)
        }
    }

    // MARK: Workers

    /// Starts workers for `channel` up to its connections (one, the probe, unless closed). Under the lock.
    private func startWorkers(_ channel: ChannelID) {
        let limit = lanes[channel]!.circuit.state == .closed ? max(1, cycle.dispatcher.connections(for: channel)) : 1
        while lanes[channel]!.workers < limit, lanes[channel]!.workers < lanes[channel]!.waiting {
            lanes[channel]!.workers += 1
            running.enter()
            let thread = Thread { [self] in
                work(channel)
                running.leave()
            }
            // Transfers wait on the network; a small stack is plenty.
            thread.stackSize = 1 << 20
            thread.start()
        }
    }

    private func work(_ channel: ChannelID) {
        let connection = Connection()
        while let (entry, cycle) = next(channel) {
            // On a shared store another instance may have read the same entry as due: only
            // what this worker claims goes out; the rest is let go (an unreadable store:
            // next wake). On a store of its own, `submit` already left out what was sent.
            if cycle.store.isShared, (try? cycle.store.claim(entry.id, at: now(), lease: Self.lease(channel, cycle))) != true {
                lock.withLock { _ = assigned.remove(entry.id) }
                continue
            }
            let outcome: DeliveryOutcome
            if entry.unknownUntil != nil, entry.channel.lane == .sms, cycle.dispatcher.channels.sms?.settings.unknownResend == false {
                // No report came within the bound, and the office would rather miss one than send twice.
                outcome = .permanent(reason: "结果不明且未收到状态报告，按配置不重发 outcome unknown and no report came: not sent again (sms.unknown.then: fail)")
            } else {
                outcome = cycle.dispatcher.deliver(channel: entry.channel, message: entry.message, payload: entry.payload, over: connection, stop: stop)
            }
            finish(entry, outcome, cycle: cycle)
        }
    }

    /// How long a claim lasts: longer than a send on the channel can take, with room for
    /// recording its outcome.
    static func lease(_ channel: ChannelID, _ cycle: ServiceCycle) -> TimeInterval {
        cycle.dispatcher.longestSend(for: channel) + 15
    }

    /// The next entry for a worker of `channel`, or nil when it should exit: stopping, queue
    /// empty, or the circuit refuses (then the waiting entries are deferred).
    private func next(_ channel: ChannelID) -> (OutboxEntry, ServiceCycle)? {
        var deferred: ([OutboxEntry], Date)? = nil
        let picked: (OutboxEntry, ServiceCycle)? = lock.withLock {
            let exit = { self.lanes[channel]!.workers -= 1 }
            guard !stop.isDraining, lanes[channel]!.waiting > 0 else { exit(); return nil }
            guard lanes[channel]!.circuit.admit(now: now()) else {
                if lanes[channel]!.circuit.state == .open, let until = lanes[channel]!.circuit.openUntil {
                    deferred = (takeQueue(channel), until)
                }
                exit()
                return nil
            }
            return (lanes[channel]!.pop(), cycle)
        }
        if let (entries, until) = deferred { postpone(entries, of: channel, until: until) }
        return picked
    }

    private func finish(_ entry: OutboxEntry, _ outcome: DeliveryOutcome, cycle: ServiceCycle) {
        let at = now()
        record(entry, outcome, at: at, cycle: cycle)
        var opened: ([OutboxEntry], Date)? = nil
        var changed: CircuitBreaker? = nil
        lock.withLock {
            let channel = entry.channel.lane
            guard var lane = lanes[channel] else { return }
            if lane.circuit.record(outcome, now: at) {
                changed = lane.circuit
                if lane.circuit.state == .open, let until = lane.circuit.openUntil {
                    opened = (lane.takeAll(), until)
                    for e in opened!.0 { assigned.remove(e.id) }
                }
            }
            lanes[channel] = lane
            // A probe went through: open up to the channel's connections again.
            if changed?.state == .closed { startWorkers(channel) }
        }
        if let changed {
            // Only `status` reads this record; the breaker itself lives in memory.
            try? cycle.store.save(CircuitRecord(channel: entry.channel.lane, state: changed.state.rawValue, failures: changed.failures,
                                                openUntil: changed.openUntil, lastError: changed.lastError, at: at))
            onEvent(.circuit(entry.channel.lane, changed))
        }
        if let (entries, until) = opened { postpone(entries, of: entry.channel.lane, until: until, announce: false) }
    }

    /// Records one outcome, in a transaction shared with the workers finishing at the same
    /// time; on failure keeps it for `recordPending` and the entry assigned.
    private func record(_ entry: OutboxEntry, _ outcome: DeliveryOutcome, at: Date, cycle: ServiceCycle? = nil) {
        let cycle = cycle ?? lock.withLock { self.cycle }
        let verdict = cycle.verdict(entry, outcome, now: at)
        do {
            if let result = verdict.result { try outcomes.commit((cycle.store, result)) }
            cycle.log(verdict)
            lock.withLock {
                recordings += 1
                if readsRunning > 0 { recordedDuringReads[entry.id] = recordings }
                _ = assigned.remove(entry.id)
            }
            onEvent(.recorded(entry, outcome, retryAt: verdict.retryAt))
        } catch {
            lock.withLock { unrecorded.append((entry, outcome, at)) }
            onEvent(.recordFailed(entry, error))
        }
    }

    /// Empties a lane's queue and releases its entries. Under the lock.
    private func takeQueue(_ channel: ChannelID) -> [OutboxEntry] {
        let entries = lanes[channel]!.takeAll()
        for e in entries { assigned.remove(e.id) }
        return entries
    }

    /// Moves entries of an open circuit to its reopening time, on disk (no attempt counted).
    private func postpone(_ entries: [OutboxEntry], of channel: ChannelID, until: Date, announce: Bool = true) {
        let cycle = lock.withLock { self.cycle }
        do { try cycle.store.deferPending(ids: entries.map(\.id), until: until) } catch {
            // They stay due; the next wake hands them out again and the circuit defers them then.
            for e in entries { onEvent(.recordFailed(e, error)) }
        }
        if announce, let circuit = lock.withLock({ lanes[channel]?.circuit }) { onEvent(.circuit(channel, circuit)) }
    }
}
