import Foundation
import Logging
import DudaoCore
import DudaoDelivery
import DudaoMessages
import DudaoSchedules
import DudaoStore
#if canImport(Glibc)
import Glibc
#endif

/// `dudao run`: the long-running service. One `DispatchSourceTimer` is armed for the
/// earliest of the next planned send, the next retry and the next watchdog ping; on firing
/// it runs a `ServiceCycle` and re-arms. Between due instants the process sleeps: no polling.
///
/// The timer uses wall-clock deadlines and every wake plans from where the last one stopped,
/// so a clock jump (NTP, suspend) leads to a re-plan, not a misfire. SIGTERM/SIGINT stop
/// after the current cycle; SIGHUP reloads, keeping the old schedules if the new ones fail.
public final class ReminderService: @unchecked Sendable {
    /// Where things are.
    public struct Options: Sendable {
        /// Schedules folder.
        public var schedules: String
        /// State folder.
        public var stateDirectory: String
        /// Template folder override.
        public var templates: String?

        /// Options.
        public init(schedules: String, stateDirectory: String, templates: String? = nil) {
            self.schedules = schedules
            self.stateDirectory = stateDirectory
            self.templates = templates
        }
    }

    private let options: Options
    private let logger: Logger
    private let notifier = SystemdNotifier()
    private let queue = DispatchQueue(label: "dudao.service")
    private let timer: DispatchSourceTimer
    private var signals: [DispatchSourceSignal] = []
    private let store: StateStore
    private var cycle: ServiceCycle
    private var nextWake: Date? = nil
    private var nextPing: Date? = nil

    /// Loads schedules, templates and channels; throws a readable reason when any fails.
    public init(options: Options, logger: Logger) throws {
        self.options = options
        self.logger = logger
        store = try StateStore(directory: options.stateDirectory)
        cycle = try Self.makeCycle(options, store: store, logger: logger)
        timer = DispatchSource.makeTimerSource(queue: queue)
    }

    /// Builds a cycle from the files on disk, or throws what is wrong with them.
    static func makeCycle(_ options: Options, store: StateStore, logger: Logger) throws -> ServiceCycle {
        let set = ScheduleSet.load(options.schedules)
        let templatesPath = options.templates ?? set.templatesPath
        var problems = set.check(now: Date()).errors.map(\.description)
        var templates: TemplateSet? = nil
        do { templates = try TemplateSet(directory: templatesPath) } catch { problems += error.problems.map(\.description) }
        let channels: DeliveryChannels
        do { channels = try DeliveryChannels(set.channels) } catch {
            problems.append("\(error)")
            throw ServiceError(problems: problems)
        }
        guard problems.isEmpty, let templates else { throw ServiceError(problems: problems) }
        let sender = channels.sender(fallback: Self.office(set))
        let composer = EmailComposer(from: sender, agencies: set.agencies.agencies, attachCalendar: set.messages.attachCalendar)
        return ServiceCycle(set: set, store: store,
                            renderer: MessageRenderer(templates: templates, context: MessageContext(office: set.policy.supervisor, reportTo: set.messages.reportTo)),
                            dispatcher: Dispatcher(channels: channels, composer: composer, agencies: set.agencies.agencies), logger: logger)
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

    /// Runs until SIGTERM or SIGINT; never returns.
    public func run() -> Never {
        writePID()
        for sig in [SIGTERM, SIGINT, SIGHUP, SIGUSR1] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: queue)
            source.setEventHandler { [unowned self] in
                switch sig {
                case SIGHUP: self.reload()
                case SIGUSR1: self.wake(); self.arm()   // `dudao ack` / `dudao retry` changed the state
                default: self.stop(signal: sig)
                }
            }
            source.resume()
            signals.append(source)
        }
        timer.setEventHandler { [unowned self] in self.fire() }
        timer.resume()
        queue.async { [unowned self] in
            self.wake()
            self.notifier.notify("READY=1\nSTATUS=\(self.status())")
            self.logger.info("dudao started; \(self.status())")
            self.arm()
        }
        dispatchMain()
    }

    private func fire() {
        let now = Date()
        if let ping = nextPing, now >= ping.addingTimeInterval(-0.001) {
            notifier.notify("WATCHDOG=1")
            nextPing = nil
        }
        if let due = nextWake, now >= due.addingTimeInterval(-0.001) { wake() }
        arm()
    }

    private func wake() {
        do {
            let s = try cycle.wake(now: Date())
            if s.enqueued + s.delivered + s.retrying + s.dead + s.skipped > 0 {
                logger.info("cycle: \(s.enqueued) enqueued, \(s.delivered) delivered, \(s.retrying) to retry, \(s.dead) dead, \(s.skipped) skipped")
            }
            let next = try cycle.nextDue(after: Date())
            if next != nextWake, let next {
                logger.info("next wake \(LocalClock(timeZone: cycle.set.policy.timeZone).iso8601(next))")
            }
            nextWake = next
        } catch {
            logger.error("cycle failed: \(error); trying again in 60 s")
            nextWake = Date().addingTimeInterval(60)
        }
        notifier.notify("STATUS=\(status())")
    }

    /// Arms the timer for the earliest of next wake and next watchdog ping.
    private func arm() {
        if let interval = notifier.watchdogInterval, nextPing == nil { nextPing = Date().addingTimeInterval(interval) }
        // With nothing planned for 400 days, still re-plan daily (schedules may be edited without SIGHUP).
        let wakeAt = nextWake ?? Date().addingTimeInterval(86400)
        let at = [wakeAt, nextPing].compactMap { $0 }.min()!
        var ts = timespec()
        let t = max(at.timeIntervalSince1970, Date().timeIntervalSince1970)
        ts.tv_sec = Int(t)
        ts.tv_nsec = Int((t - Double(Int(t))) * 1e9)
        timer.schedule(wallDeadline: DispatchWallTime(timespec: ts), repeating: .never, leeway: .milliseconds(5))
        if nextWake == nil { nextWake = wakeAt }
    }

    private func reload() {
        logger.notice("SIGHUP: reloading \(options.schedules)")
        do {
            cycle = try Self.makeCycle(options, store: store, logger: logger)
            logger.notice("reloaded")
            wake()
            arm()
        } catch {
            logger.error("reload refused, still running on the previous schedules: \(error)")
            notifier.notify("STATUS=reload failed; \(status())")
        }
    }

    private func stop(signal: Int32) {
        logger.notice("signal \(signal): stopping")
        notifier.notify("STOPPING=1")
        timer.cancel()
        try? FileManager.default.removeItem(atPath: Self.pidPath(options.stateDirectory))
        exit(0)
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
        let pending = (try? store.entries(state: .pending).count) ?? 0
        let clock = LocalClock(timeZone: cycle.set.policy.timeZone)
        let next = nextWake.map { clock.iso8601($0) } ?? "none"
        return "next wake \(next); outbox \(pending) pending"
    }
}

/// Why the service cannot start or reload.
public struct ServiceError: Error, CustomStringConvertible {
    /// Each problem, located.
    public var problems: [String]
    public var description: String { problems.joined(separator: "\n") }
}
