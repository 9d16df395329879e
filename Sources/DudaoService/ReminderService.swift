import Foundation
import Logging
import DudaoCore
import DudaoDelivery
import DudaoMessages
import DudaoSchedules
import DudaoStore
#if canImport(Glibc)
import Glibc
import CMalloc
#endif

/// `dudao run`: the long-running service. One `DispatchSourceTimer` on wall-clock deadlines
/// is its clock, armed for the earliest of the next planned send, the next retry and the
/// next watchdog ping; between them the process sleeps: no polling.
///
/// The clock's queue only plans, enqueues and re-arms: delivery runs beside it in
/// `OutboxDelivery`'s lanes and reports back, so the timer, the signals and the watchdog
/// ping are served on time whatever a mail server or robot is doing. Every wake plans from
/// where the last one stopped, so a clock jump (NTP, suspend) leads to a re-plan, not a
/// misfire. SIGTERM/SIGINT stop handing out messages, wait up to `stopTimeout` for those in
/// flight, then exit 0; SIGHUP reloads in the background, keeping the old schedules if the
/// new ones fail. Whatever runs beside the clock (the console, started by `dudao run
/// --listen`) gets a `ServiceHandle`: it reads the state and the schedules in force, records
/// reports, and asks the clock to replan — it never sends.
public final class ReminderService: @unchecked Sendable {
    /// Where things are.
    public struct Options: Sendable {
        /// Schedules folder.
        public var schedules: String
        /// State folder.
        public var stateDirectory: String
        /// Template folder override.
        public var templates: String?
        /// Seconds a stop waits for messages in flight before aborting them; below the
        /// unit's TimeoutStopSec (30 s).
        public var stopTimeout: Double
        /// The reply links messages carry; none when nil.
        public var replyLinks: (any ReplyLinking)?
        /// Opens the state (`--store`); nil: SQLite in the state folder.
        public var openStore: (@Sendable () throws -> StateStore)?
        /// Who of several instances on a shared store plans and sends; nil: this one alone.
        public var leadership: (any StoreLeadership)?

        /// Options.
        public init(schedules: String, stateDirectory: String, templates: String? = nil, stopTimeout: Double = 20,
                    replyLinks: (any ReplyLinking)? = nil, openStore: (@Sendable () throws -> StateStore)? = nil,
                    leadership: (any StoreLeadership)? = nil) {
            self.schedules = schedules
            self.stateDirectory = stateDirectory
            self.templates = templates
            self.stopTimeout = stopTimeout
            self.replyLinks = replyLinks
            self.openStore = openStore
            self.leadership = leadership
        }
    }

    private let options: Options
    private let logger: Logger
    private let notifier = SystemdNotifier()
    /// The clock's queue: timer, signals, planning. Never waits on a peer.
    private let queue = DispatchQueue(label: "dudao.service")
    /// Reloads read and check files here, off the clock's queue.
    private let loadQueue = DispatchQueue(label: "dudao.reload")
    private let timer: DispatchSourceTimer
    private var signals: [DispatchSourceSignal] = []
    private let store: StateStore
    private var cycle: ServiceCycle
    private var delivery: OutboxDelivery!
    private var nextPlanned: Date? = nil
    private var nextRetry: Date? = nil
    private var nextPing: Date? = nil
    private var lastPrune: Date? = nil
    private var failedWakes = 0
    /// What runs after each wake that planned (`ServiceHandle.onWake`); touched on `queue` only.
    private var wakeObservers: [@Sendable () -> Void] = []
    /// The schedules in force, for the console's threads (swapped on reload).
    private let currentSchedules: LockedValue<ScheduleSet>
    private let currentChannels: LockedValue<DeliveryChannels>
    /// The next wake, for `/metrics`.
    private let nextWakeShown = LockedValue<Date?>(nil)
    private var reloading = false
    /// `StateStore.ownedRevisionCount` when the schedules in force were read: a list the office
    /// published or an agency it changed since (here or on the other machine) makes the next
    /// wake reload first.
    private var listsStamp = 0
    /// Console requests waiting for the reload after a publish (see `reloadOwned`).
    private var reloadWaiters: [@Sendable () -> Void] = []
    private var stopping = false
    /// True when this instance plans and sends: always without `options.leadership`; else
    /// once it holds the lead. A standby serves the console and tries again at `nextLeadTry`.
    private var leading: Bool
    private var nextLeadTry: Date? = nil
    private var tryingLead = false
    /// How often a standby tries to take the lead.
    static let standbyRetry: TimeInterval = 5

    /// Loads schedules, templates and channels; throws a readable reason when any fails.
    public init(options: Options, logger: Logger) throws {
        self.options = options
        self.logger = logger
        Self.trimFreedMemoryPromptly()
        leading = options.leadership == nil
        do { store = try options.openStore?() ?? StateStore(directory: options.stateDirectory) } catch {
            throw ServiceError(problems: [options.openStore == nil
                ? "无法打开状态目录 cannot open the state folder \(options.stateDirectory) (read-only, full, or not ours?): \(error)"
                : "无法打开状态库 cannot open the state store: \(error)"])
        }
        listsStamp = (try? store.ownedRevisionCount()) ?? 0
        cycle = try Self.makeCycle(options, store: store, logger: logger)
        Self.releaseClaimsOfEndedProcesses(store, logger: logger)
        Self.returnFreedMemory()
        currentSchedules = LockedValue(cycle.set)
        currentChannels = LockedValue(cycle.dispatcher.channels)
        timer = DispatchSource.makeTimerSource(queue: queue)
        delivery = OutboxDelivery(cycle: cycle, onEvent: { [weak self] event in
            guard let self else { return }
            self.queue.async { self.handle(event) }
        })
    }

    /// Builds a cycle from the files on disk, or throws what is wrong with them.
    static func makeCycle(_ options: Options, store: StateStore, logger: Logger) throws -> ServiceCycle {
        let owned: OfficeOwned
        do { owned = try store.officeOwned() } catch {
            throw ServiceError(problems: ["无法读取督查室在库中的清单和通讯录 cannot read the lists and agencies kept in the store: \(error)"])
        }
        let set = ScheduleSet.load(options.schedules, cache: ListCache(stateDirectory: options.stateDirectory), owned: owned)
        let templatesPath = options.templates ?? set.templatesPath
        let (config, channelFindings) = ChannelsFile.read(set)
        var problems = (set.check(now: Date()).errors + channelFindings.errors).map(\.description)
        var templates: TemplateSet? = nil
        do { templates = try TemplateSet(directory: templatesPath) } catch { problems += error.problems.map(\.description) }
        let channels: DeliveryChannels
        do { channels = try DeliveryChannels(config, stateDirectory: options.stateDirectory) } catch {
            problems.append("\(error)")
            throw ServiceError(problems: problems)
        }
        guard problems.isEmpty, let templates else { throw ServiceError(problems: problems) }
        let sender = channels.sender(fallback: Self.office(set))
        let composer = EmailComposer(from: sender, agencies: set.agencies.agencies, attachCalendar: set.messages.attachCalendar)
        let context = MessageContext(office: set.policy.supervisor, reportTo: set.messages.reportTo, replyLinks: options.replyLinks, contact: set.officeContact, itemLists: { set.itemLists })
        return ServiceCycle(set: set, store: store,
                            renderer: MessageRenderer(templates: templates, context: context),
                            dispatcher: Dispatcher(channels: channels, composer: composer, agencies: set.agencies.agencies), logger: logger)
    }

    /// Entries a killed process of this machine was sending go out now, not after their
    /// lease; a failure here only delays them.
    static func releaseClaimsOfEndedProcesses(_ store: StateStore, logger: Logger) {
        do {
            let n = try store.releaseClaimsOfEndedProcesses()
            if n > 0 { logger.notice("\(n) 条消息发送中断，将重发 entries a stopped process was sending are pending again") }
        } catch {
            logger.warning("cannot release the claims of stopped processes (they go out when their lease ends): \(error)")
        }
    }

    /// The supervising office's first email contact (the sender when channels.yaml names
    /// none), or a placeholder on the reserved `.invalid` domain.
    public static func office(_ set: ScheduleSet) -> Mailbox {
        if let name = set.policy.supervisor, let agency = set.agencies.agency(named: name),
           let email = agency.contacts.first(where: { $0.email != nil })?.email {
            return Mailbox(name: agency.name, address: email)
        }
        return Mailbox(name: "督办系统", address: "dudao@localhost.invalid")
    }

    // MARK: Running

    /// Runs until SIGTERM or SIGINT; never returns. `beside` is started once the clock runs
    /// (the console); it must not block.
    public func run(beside: (@Sendable (ServiceHandle) -> Void)? = nil) -> Never {
        writePID()
        for sig in [SIGTERM, SIGINT, SIGHUP, SIGUSR1] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: queue)
            source.setEventHandler { [unowned self] in
                switch sig {
                case SIGHUP: self.reload()
                case SIGUSR1: if !self.stopping { self.wake(); self.arm() }   // `dudao ack` / `dudao retry` changed the state
                default: self.stop(signal: sig)
                }
            }
            source.resume()
            signals.append(source)
        }
        timer.setEventHandler { [unowned self] in self.fire() }
        timer.resume()
        beside?(handle)
        queue.async { [unowned self] in
            guard self.leading else { return self.tryToLead() }
            // READY once the first plan is on disk; its deliveries are already on their way.
            self.wake()
            self.notifier.notify("READY=1\nSTATUS=\(self.status())")
            self.logger.info("dudao started; \(self.status())")
            self.arm()
        }
        dispatchMain()
    }

    private var nextWake: Date? { leading ? [nextPlanned, nextRetry].compactMap { $0 }.min() : nextLeadTry }

    // MARK: Leadership

    /// Tries for the lead off the clock's queue (it talks to the database); a standby is
    /// READY after its first try, and tries again every `standbyRetry` seconds on the timer.
    private func tryToLead() {
        guard let leadership = options.leadership, !tryingLead, !stopping else { return }
        tryingLead = true
        loadQueue.async { [unowned self] in
            let result = Result { try leadership.tryLead() }
            // A standby reads lists published on the other machine too: its console shows them.
            let stamp = try? self.store.ownedRevisionCount()
            self.queue.async {
                let first = self.nextLeadTry == nil
                self.tryingLead = false
                guard !self.stopping else { return }
                if case .success(false) = result { _ = self.reloadWhenListsChanged(stamp: stamp) }
                switch result {
                case .success(true):
                    leadership.onLoss { [weak self] in
                        guard let self else { return }
                        self.queue.async { self.lostLead() }
                    }
                    // A list published or an agency changed on the other machine: replan now.
                    leadership.onOwnedChange { [weak self] in
                        guard let self else { return }
                        self.queue.async { self.reloadOwned(then: {}) }
                    }
                    self.leading = true
                    self.nextLeadTry = nil
                    self.logger.notice("leading: this instance plans and sends")
                    self.wake()
                    if first { self.notifier.notify("READY=1") }
                    self.notifier.notify("STATUS=\(self.status())")
                case .success(false), .failure:
                    if case .failure(let error) = result { self.logger.error("cannot try for the lead: \(error)") }
                    if first {
                        self.logger.notice("standby: another instance leads; serving the console, trying again every \(Int(Self.standbyRetry)) s")
                        self.notifier.notify("READY=1\nSTATUS=standby")
                    }
                    self.nextLeadTry = Date().addingTimeInterval(Self.standbyRetry)
                }
                self.arm()
            }
        }
    }

    /// The lead's connection is gone, so another instance may lead now: stop sending at
    /// once. Exiting aborts every transfer in flight (their claims keep the new leader off
    /// them until the lease ends); systemd restarts this instance, as a standby.
    private func lostLead() {
        guard leading, !stopping else { return }
        logger.critical("lost the lead (its database connection ended): stopping at once; another instance takes over")
        notifier.notify("STATUS=lost the lead; stopping")
        delivery.recordPending()
        exit(75)
    }

    /// What runs beside the clock may use: reads are on its own threads, and a recorded
    /// report wakes the clock to replan.
    private var handle: ServiceHandle {
        let current = currentSchedules, channels = currentChannels
        let wakeAt = nextWakeShown
        return ServiceHandle(store: store, templates: cycle.renderer.templates, schedules: { current.value }, channels: { channels.value },
                             nextWake: { wakeAt.value },
                             replan: { [weak self] in
                                 guard let self else { return }
                                 self.queue.async { self.replanSoon() }
                             },
                             reload: { [weak self] done in
                                 guard let self else { return done() }
                                 self.queue.async { self.reloadOwned(then: done) }
                             },
                             onWake: { [weak self] work in
                                 guard let self else { return }
                                 self.queue.async { self.wakeObservers.append(work) }
                             })
    }

    /// Starts a reload when the office published or rolled back a list since the schedules in
    /// force were read (the reload wakes when done); true when it did.
    /// Reads the store's lists and agencies again when they changed; `done` runs once the
    /// schedules in force are the store's as of this call (or their reload was refused), so
    /// the console's next page shows what was just published.
    private func reloadOwned(then done: @escaping @Sendable () -> Void) {
        reloadWaiters.append(done)
        if !reloadWhenListsChanged(stamp: try? store.ownedRevisionCount()) { answerReloadWaiters() }
    }

    private func answerReloadWaiters() {
        let waiters = reloadWaiters
        reloadWaiters = []
        for w in waiters { w() }
    }

    private func reloadWhenListsChanged(stamp: Int?) -> Bool {
        guard let stamp, stamp != listsStamp, !reloading else { return reloading }
        reload(because: "lists or agencies changed in the store")
        return true
    }

    /// How long a report waits for others before the clock replans: a burst of reports
    /// (a thousand agencies answering one morning) is one replan, not a thousand.
    static let replanDelay: TimeInterval = 0.5

    /// Moves the next wake to `replanDelay` from now, unless one is due sooner: reports
    /// arriving together share the wake, on the one timer.
    private func replanSoon() {
        guard !stopping else { return }
        let soon = Date().addingTimeInterval(Self.replanDelay)
        if (nextPlanned ?? .distantFuture) > soon {
            nextPlanned = soon
            arm()
        }
    }

    private func fire() {
        let now = Date()
        if let ping = nextPing, now >= ping.addingTimeInterval(-0.001) {
            notifier.notify("WATCHDOG=1")
            nextPing = nil
        }
        if !stopping, let due = nextWake, now >= due.addingTimeInterval(-0.001) { leading ? wake() : tryToLead() }
        arm()
    }

    /// Plans and enqueues up to now, hands what is due to delivery, works out the next wake.
    /// A standby does none of it.
    private func wake() {
        guard leading else { return }
        if reloadWhenListsChanged(stamp: try? store.ownedRevisionCount()) { return }
        ServiceMetrics.woke()
        let now = Date()
        delivery.recordPending()
        var failure: Error? = nil
        let handOver = OutboxDelivery.BatchHandOver(delivery, at: now)
        do {
            let s = try cycle.enqueue(now: now, committed: handOver.batchCommitted)
            if s.enqueued + s.skipped + s.dead > 0 {
                logger.info("cycle: \(s.enqueued) enqueued, \(s.skipped) skipped, \(s.dead) dead")
            }
        } catch {
            failure = error
        }
        // What is already pending goes out even when planning could not be written.
        do {
            if !handOver.handedOverAll { try delivery.submit(reading: { try store.due(at: now) }) }
            let planned = try cycle.nextPlanned(after: now)
            if planned != nextPlanned, let planned {
                logger.info("next planned send \(LocalClock(timeZone: cycle.set.policy.timeZone).iso8601(planned))")
            }
            // With nothing planned for 400 days, still re-plan daily (schedules may be edited without SIGHUP).
            nextPlanned = planned ?? now.addingTimeInterval(86400)
            nextRetry = try store.nextAttempt(after: now)
            if delivery.unrecordedCount > 0 { nextRetry = min(nextRetry ?? .distantFuture, now.addingTimeInterval(30)) }
        } catch {
            failure = failure ?? error
        }
        if let failure {
            // State folder full or read-only, say: nothing was planned, so nothing is lost;
            // try again soon, then less often.
            failedWakes += 1
            let delay = min(60, 5 * pow(2, Double(failedWakes - 1)))
            logger.error("cycle failed: \(failure); trying again in \(Int(delay)) s")
            nextPlanned = now.addingTimeInterval(delay)
        } else {
            failedWakes = 0
            prune(now: now)
            for work in wakeObservers { DispatchQueue.global(qos: .utility).async(execute: work) }
        }
        notifier.notify("STATUS=\(status())")
        // Off the clock's queue: trimming a large heap takes a while.
        loadQueue.async { Self.returnFreedMemory() }
    }

    /// Hands the memory a wake or a load freed back to the system. glibc keeps freed heap
    /// for reuse, so a service that once planned 100,000 items would otherwise stay at its
    /// peak while it sleeps for days.
    static func returnFreedMemory() {
        #if canImport(Glibc)
        malloc_trim(0)
        #endif
    }

    /// Keeps glibc's trim threshold at its default instead of letting it grow. After a large
    /// block is freed glibc raises the threshold (up to 64 MB) for speed, and `malloc_trim`
    /// never shortens the top of a worker thread's arena: measured on 100,000 items, the
    /// first wake's workers then kept 2.5 MB they had freed for as long as the service slept.
    static func trimFreedMemoryPromptly() {
        #if canImport(Glibc)
        _ = mallopt(M_TRIM_THRESHOLD, 128 * 1024)
        #endif
    }

    /// Once a day: drop what is past the retention.
    private func prune(now: Date) {
        if let last = lastPrune, now.timeIntervalSince(last) < 86400, now >= last { return }
        lastPrune = now
        do {
            let p = try store.prune(cycle.set.policy.retention, now: now, clock: LocalClock(timeZone: cycle.set.policy.timeZone))
            if p.sentRows + p.outboxRows + p.bodies > 0 {
                logger.notice("retention: pruned \(p.sentRows) sent-log rows, \(p.outboxRows) outbox entries, \(p.bodies) delivered bodies")
            }
        } catch {
            logger.error("retention: pruning failed, trying again tomorrow: \(error)")
        }
    }

    /// What delivery reported, on the clock's queue.
    private func handle(_ event: OutboxDelivery.Event) {
        switch event {
        case .recorded(let entry, let outcome, let retryAt):
            ServiceMetrics.recorded(entry, outcome, now: Date())
            guard let retryAt else { return }
            nextRetry = min(nextRetry ?? retryAt, retryAt)
        case .circuit(let channel, let c):
            switch c.state {
            case .open:
                let until = c.openUntil ?? Date()
                logger.warning("circuit open for \(channel) after \(c.failures) failures in a row (\(c.lastError ?? "")): its messages wait until \(LocalClock(timeZone: cycle.set.policy.timeZone).iso8601(until))")
                nextRetry = min(nextRetry ?? until, until)
            case .halfOpen:
                logger.notice("circuit half open for \(channel): probing with one message")
            case .closed:
                logger.notice("circuit closed for \(channel): delivering again")
            }
            notifier.notify("STATUS=\(status())")
        case .recordFailed(let entry, let error):
            logger.error("cannot record the outcome for \(entry.agency) via \(entry.channel) (kept in memory, not sent again): \(error)")
            nextRetry = min(nextRetry ?? .distantFuture, Date().addingTimeInterval(30))
        }
        if !stopping { arm() }
    }

    /// Arms the timer for the earliest of next wake and next watchdog ping.
    private func arm() {
        if let interval = notifier.watchdogInterval, nextPing == nil { nextPing = Date().addingTimeInterval(interval) }
        let wakeAt = stopping ? nil : nextWake
        nextWakeShown.value = wakeAt
        guard let at = [wakeAt, nextPing].compactMap({ $0 }).min() else { return }
        var ts = timespec()
        let t = max(at.timeIntervalSince1970, Date().timeIntervalSince1970)
        ts.tv_sec = Int(t)
        ts.tv_nsec = Int((t - Double(Int(t))) * 1e9)
        timer.schedule(wallDeadline: DispatchWallTime(timespec: ts), repeating: .never, leeway: .milliseconds(5))
    }

    /// Reads and checks the files off the clock's queue; swaps them in only when all is well.
    private func reload(because reason: String = "SIGHUP") {
        guard !stopping, !reloading else { return }
        reloading = true
        logger.notice("\(reason): reloading \(options.schedules)")
        loadQueue.async { [unowned self] in
            let stamp = (try? self.store.ownedRevisionCount()) ?? 0
            let result = Result { try Self.makeCycle(self.options, store: self.store, logger: self.logger) }
            self.queue.async {
                self.reloading = false
                switch result {
                case .success(let cycle):
                    self.listsStamp = stamp
                    self.cycle = cycle
                    self.currentSchedules.value = cycle.set
                    self.currentChannels.value = cycle.dispatcher.channels
                    self.delivery.replace(cycle: cycle)
                    self.logger.notice("reloaded")
                    Self.returnFreedMemory()
                    // Changed again while reading: read again before the waiting pages are answered.
                    if self.stopping || !self.reloadWhenListsChanged(stamp: try? self.store.ownedRevisionCount()) { self.answerReloadWaiters() }
                    if !self.stopping { self.wake(); self.arm() }
                case .failure(let error):
                    // Not tried again at every wake: the next publish or SIGHUP tries again.
                    self.listsStamp = stamp
                    self.logger.error("reload refused, still running on the previous schedules: \(error)")
                    self.answerReloadWaiters()
                    if !self.stopping { self.wake(); self.arm() }
                    self.notifier.notify("STATUS=reload failed; \(self.status())")
                }
            }
        }
    }

    /// Stops handing out messages at once; exits 0 when those in flight are recorded, or
    /// when `stopTimeout` has passed and they were aborted. The watchdog keeps being fed meanwhile.
    private func stop(signal: Int32) {
        guard !stopping else { return }
        stopping = true
        logger.notice("signal \(signal): stopping; waiting up to \(Int(options.stopTimeout)) s for messages in flight")
        notifier.notify("STOPPING=1")
        delivery.drain(within: options.stopTimeout) { [unowned self] clean in
            self.queue.async {
                self.delivery.recordPending()
                if !clean { self.logger.warning("stopped with transfers still running: they stay pending and are sent after the restart") }
                self.logger.notice("stopped")
                try? FileManager.default.removeItem(atPath: Self.pidPath(self.options.stateDirectory))
                // A standby may take over now rather than when this session times out.
                self.options.leadership?.resign()
                exit(0)
            }
        }
        arm()
    }

    /// `state_dir/dudao.pid`: lets `ack` and `retry` wake a running service.
    public static func pidPath(_ stateDirectory: String) -> String {
        (stateDirectory as NSString).appendingPathComponent("dudao.pid")
    }

    private func writePID() {
        try? Data("\(getpid())\n".utf8).write(to: URL(fileURLWithPath: Self.pidPath(options.stateDirectory)))
    }

    /// Asks a running service (if any) to wake now. Returns true when one was signalled.
    @discardableResult
    public static func poke(stateDirectory: String) -> Bool {
        guard let text = try? String(contentsOfFile: pidPath(stateDirectory), encoding: .utf8),
              let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)), pid > 0 else { return false }
        return kill(pid, SIGUSR1) == 0
    }

    private func status() -> String {
        let pending = (try? store.count(state: .pending)).map(String.init) ?? "?"
        let clock = LocalClock(timeZone: cycle.set.policy.timeZone)
        guard leading else { return "standby" }
        var text = "next wake \(nextWake.map { clock.iso8601($0) } ?? "none"); outbox \(pending) pending"
        for (channel, c) in delivery.openCircuits.sorted(by: { $0.key < $1.key }) {
            text += "; \(channel) circuit \(c.state.rawValue)" + (c.openUntil.map { " until \(clock.iso8601($0))" } ?? "")
        }
        return text
    }
}

/// Why the service cannot start or reload.
public struct ServiceError: Error, CustomStringConvertible {
    /// Each problem, located.
    public var problems: [String]
    public var description: String { problems.joined(separator: "\n") }
}
