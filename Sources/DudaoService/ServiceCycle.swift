import Foundation
import Logging
import DudaoCore
import DudaoDelivery
import DudaoMessages
import DudaoSchedules
import DudaoStore

/// What one wake did.
public struct CycleSummary: Hashable, Sendable {
    /// Messages planned in the window.
    public var planned = 0
    /// Outbox entries added.
    public var enqueued = 0
    /// Notices left out by catch-up.
    public var skipped = 0
    /// Entries delivered.
    public var delivered = 0
    /// Entries to be retried.
    public var retrying = 0
    /// Entries given up on.
    public var dead = 0
}

/// One wake of the service, also `dudao run --once`: plan the window → catch up → render
/// and enqueue in committed batches → deliver what is due, each batch as soon as it is on
/// disk → record each outcome.
///
/// Each batch commits before anything of it is handed to a transport, and a delivery is recorded
/// right after it returns, so a crash loses nothing and repeats at most the message that was
/// in flight.
public struct ServiceCycle: Sendable {
    /// The schedules in force.
    public let set: ScheduleSet
    /// Durable state.
    public let store: StateStore
    /// Templates.
    public let renderer: MessageRenderer
    /// Transports.
    public let dispatcher: Dispatcher
    private let logger: Logger
    private let random: @Sendable () -> Double

    /// A cycle over loaded schedules, state, templates and channels.
    public init(set: ScheduleSet, store: StateStore, renderer: MessageRenderer, dispatcher: Dispatcher, logger: Logger,
                random: @escaping @Sendable () -> Double = { Double.random(in: 0...1) }) {
        self.set = set
        self.store = store
        self.renderer = renderer
        self.dispatcher = dispatcher
        self.logger = logger
        self.random = random
    }

    /// Loads schedules, templates and channels from disk into a cycle; throws every problem
    /// (the same ones `dudao check` reports) when any is wrong.
    public static func load(schedules: String, stateDirectory: String, templates: String?, store: StateStore, logger: Logger,
                            replyLinks: (any ReplyLinking)? = nil) throws -> ServiceCycle {
        let cycle = try ReminderService.makeCycle(ReminderService.Options(schedules: schedules, stateDirectory: stateDirectory, templates: templates,
                                                                          replyLinks: replyLinks),
                                                  store: store, logger: logger)
        ReminderService.releaseClaimsOfEndedProcesses(store, logger: logger)
        return cycle
    }

    /// Runs one wake at `now` and delivers what is due, returning when every delivery has
    /// been recorded (`dudao run --once`, tests). The service does the same in two steps,
    /// `enqueue` on its clock and delivery beside it.
    @discardableResult
    public func wake(now: Date, from: Date? = nil) throws -> CycleSummary {
        let tally = Tally()
        // Outcomes are recorded at the wake's `now`, so a simulated clock stays consistent.
        let delivery = OutboxDelivery(cycle: self, now: { now }, onEvent: { event in
            switch event {
            case .recorded(_, let outcome, let retryAt):
                tally.count(outcome, retryAt: retryAt)
            case .recordFailed(_, let error):
                tally.fail(error)
            case .circuit:
                break
            }
        })
        let handOver = OutboxDelivery.BatchHandOver(delivery, at: now)
        var summary = try enqueue(now: now, from: from, committed: handOver.batchCommitted)
        if !handOver.handedOverAll { try delivery.submit(reading: { try store.due(at: now) }) }
        delivery.waitUntilIdle()
        let counts = tally.summary
        summary.delivered = counts.delivered
        summary.retrying = counts.retrying
        summary.dead += counts.dead
        if let error = tally.error { throw error }
        return summary
    }

    /// Plans the window up to `now` (from `from`, default: where planning stopped last
    /// time, or `now − catch_up` on the first run), catches up, renders, and enqueues in
    /// batches of `batchSize` messages, each committed — on disk before anything of it is
    /// handed to a transport — and then passed to `committed`, so delivery starts while the
    /// rest renders. The planning mark moves with the last batch: after a crash in between,
    /// the next wake plans the window again and the enqueued notices, being claimed, are not
    /// planned twice.
    public func enqueue(now: Date, from: Date? = nil, committed: (() -> Void)? = nil) throws -> CycleSummary {
        var summary = CycleSummary()
        let catchUp = Double(set.policy.catchUpSeconds)
        let start = try from ?? store.plannedUntil() ?? now.addingTimeInterval(-catchUp)
        guard start <= now else {
            logger.warning("the clock went back to \(now); planning resumes when it reaches the last planned time")
            return summary
        }
        let (supervision, signing) = try supervisionAndSigning(now: now)
        // After downtime the ladder sends at most this week's message, from what was recorded.
        let plan = Plan(items: set.items, policy: set.policy, calendar: set.calendar, from: start, until: now, supervision: supervision,
                        ladderFrom: now.addingTimeInterval(-min(catchUp, Self.ladderCatchUp)))
        summary.planned = plan.messages.count
        let (kept, skipped) = CatchUp.select(plan, now: now, catchUp: catchUp)
        let notBefore = Planner(policy: set.policy, calendar: set.calendar).sendableInstant(atOrAfter: now)
        var prepared: [PreparedDelivery] = []
        var batchStart = 0, batchSize = Self.firstBatch
        repeat {
            let batch = kept.messages[batchStart..<min(batchStart + batchSize, kept.messages.count)]
            batchStart = batch.endIndex
            batchSize = min(batchSize * 2, Self.largestBatch)
            let last = batchStart == kept.messages.count
            let messages = Array(batch), renderer = renderer, dispatcher = dispatcher, logger = logger
            let numbers = try documentNumbers(messages, in: kept, now: now)
            // Messages render independently: on all cores, while delivery waits for them.
            let ready = OrderedRuns.map(messages.count, cores: messages.count < 50 ? 1 : ProcessInfo.processInfo.activeProcessorCount) { range in
                dispatcher.prepare(messages[range].map { m in
                    let number = numbers[kept.messageKey(m)]
                    // A report's figures, once for its text and its 督查通报.
                    let figures = renderer.context.figures(for: m, in: kept)
                    let rendered = renderer.render(m, in: kept, markdown: dispatcher.needsMarkdown(m), number: number, figures: figures)
                    return (m, rendered, number.map { Self.attachment(m, number: $0, figures: figures, in: kept, renderer: renderer, logger: logger) } ?? [])
                }, in: kept)
            }
            let smsTimes = try smsTimes(ready, notBefore: max(now, notBefore))
            summary.enqueued += try store.enqueue(
                ready.enumerated().map { i, p in
                    NewOutboxEntry(message: p.message, agency: p.agency, channel: p.channel, notices: p.notices,
                                   payload: p.payload, failure: p.failure, notBefore: smsTimes[i], reference: p.reference,
                                   shortLink: p.shortLink.map { ($0.code, $0.token) })
                },
                skipped: last ? skipped : [], plannedUntil: last ? now : nil, at: now, notBefore: notBefore)
            prepared += ready
            committed?()
        } while batchStart < kept.messages.count
        // A follow-up goes when the time to sign ends (in the SMS window), not at the send time.
        if let signing { summary.enqueued += try enqueueFollowUps(signing, now: now, committed: committed) }
        summary.skipped = skipped.reduce(0) { $0 + $1.notices.count }
        for p in prepared {
            if let failure = p.failure {
                summary.dead += 1
                logger.error("\(p.agency) via \(p.channel): \(failure) → dead letter", metadata: ["message": "\(p.message)"])
            }
        }
        for s in skipped {
            logger.notice("skipped (missed while down, older than catch_up or superseded): \(s.notices.map(\.key).joined(separator: ", "))",
                          metadata: ["agency": "\(s.agency)"])
        }
        return summary
    }

    /// The records planning follows, and — under a `sign:` policy — what was signed for:
    /// overdue messages not yet confirmed do not count as unanswered.
    func supervisionAndSigning(now: Date) throws -> (Supervision, Signing?) {
        let dispatcher = dispatcher
        return try store.supervision(clock: LocalClock(timeZone: set.policy.timeZone), policy: set.policy, calendar: set.calendar, now: now,
                                     canFollowUp: { dispatcher.canText($0) })
    }

    /// Enqueues the follow-up SMS of each notice whose time to sign ended unsigned, in the
    /// SMS window; the service wakes for the next one (`nextPlanned`).
    func enqueueFollowUps(_ signing: Signing, now: Date, committed: (() -> Void)?) throws -> Int {
        guard !signing.followUpsDue.isEmpty else { return 0 }
        let clock = LocalClock(timeZone: set.policy.timeZone)
        var prepared: [PreparedDelivery] = []
        for w in signing.followUpsDue {
            let sent = clock.day(of: w.sent)
            let level = w.level == 0 ? "核实" : (set.policy.ladder.level(w.level)?.name ?? "督办")
            let link = renderer.context.replyLinks?.link(agency: w.agency, items: w.items, sent: clock.day(of: now))
            let rendered = renderer.signFollowUp(agency: w.agency, sent: sent, level: level, count: w.items.count, link: link)
            prepared += dispatcher.prepareFollowUp(rendered, key: Signing.followUpKey(w.message), agency: w.agency)
        }
        let times = try smsTimes(prepared, notBefore: now)
        let n = try store.enqueue(prepared.enumerated().map { i, p in
            NewOutboxEntry(message: p.message, agency: p.agency, channel: p.channel, notices: [], payload: p.payload, failure: p.failure,
                           notBefore: times[i], reference: p.reference, shortLink: p.shortLink.map { ($0.code, $0.token) })
        }, plannedUntil: nil, at: now)
        committed?()
        for w in signing.followUpsDue {
            logger.notice("\(w.agency) 未在时限内签收 did not sign in time: SMS follow-up enqueued", metadata: ["message": "\(w.message)"])
        }
        return n
    }

    /// When each SMS among `prepared` may go (nil for the other channels): in the window
    /// `sms.quiet` and the calendar leave, and within each number's daily budget
    /// (`sms.per_day`), counting what is already in the outbox for that day.
    func smsTimes(_ prepared: [PreparedDelivery], notBefore: Date) throws -> [Date?] {
        guard let sms = dispatcher.channels.sms else { return prepared.map { _ in nil } }
        let window = smsWindow(sms)
        var planned: [String: Int] = [:]
        return try prepared.map { p in
            guard p.channel.lane == .sms, p.failure == nil else { return nil }
            var t = window.next(atOrAfter: notBefore)
            for _ in 0..<31 {
                let day = window.clock.day(of: t)
                let key = "\(p.channel.rawValue)|\(day.iso)"
                let used = try store.smsCount(channel: p.channel, from: window.clock.instant(day, at: 0),
                                              until: window.clock.instant(day.adding(days: 1), at: 0)) + planned[key, default: 0]
                if used < sms.settings.perDay {
                    planned[key, default: 0] += 1
                    return t
                }
                t = window.next(atOrAfter: window.clock.instant(day.adding(days: 1), at: 0))
            }
            return t
        }
    }

    func smsWindow(_ sms: SMSChannel) -> SMSWindow {
        SMSWindow(quiet: sms.settings.quiet, calendar: set.calendar, clock: LocalClock(timeZone: set.policy.timeZone),
                  workdaysOnly: sms.settings.workdaysOnly)
    }

    /// The 文号 of the documents `messages` carry (督办通知单, 督查通报), by message key: given
    /// in one transaction before they render; planned again after a crash, a message gets
    /// the number it was given, so numbers are neither repeated nor skipped.
    func documentNumbers(_ messages: [PlannedMessage], in plan: Plan, now: Date) throws -> [String: String] {
        let wanted = messages.compactMap { m -> (DocumentKind, DocumentRequest)? in
            guard let kind = DocumentKind.of(m) else { return nil }
            return (kind, DocumentRequest(kind: kind.rawValue, year: m.sendDay.year, key: plan.messageKey(m), detail: "\(kind.name) 致\(m.to.agency)"))
        }
        guard !wanted.isEmpty else { return [:] }
        let given = try store.documentNumbers(wanted.map(\.1), audit: AuditEntry(at: now, actor: "督办系统", client: "local", action: .documentNumber))
        var out: [String: String] = [:]
        for ((kind, request), number) in zip(wanted, given) { out[request.key] = kind.number(set.policy, year: number.year, n: number.n) }
        return out
    }

    /// The Word file of the document numbered `number` that `message` carries; none (and a
    /// warning) when it cannot be written — the message still goes, its text naming the number.
    static func attachment(_ message: PlannedMessage, number: String, figures: ReportFigures?, in plan: Plan, renderer: MessageRenderer,
                           logger: Logger) -> [EmailMessage.Attachment] {
        guard let (document, name) = renderer.document(for: message, in: plan, number: number, figures: figures) else { return [] }
        do {
            return [EmailMessage.Attachment(filename: name, asciiName: DocumentKind.of(message) == .report ? "circular.docx" : "notice.docx",
                                            mediaType: OfficialDocument.mediaType, data: try document.data())]
        } catch {
            logger.warning("\(number) 无法生成 cannot write the document; the message goes without it: \(error)")
            return []
        }
    }

    /// Messages rendered and committed together: the first batch small, so delivery starts
    /// at once; each next one twice as large, up to a size whose commit (an fsync) is shared
    /// by enough messages not to count.
    static let firstBatch = 25
    static let largestBatch = 800

    /// How far back the ladder catches up: less than a week, so one weekly message at most.
    static let ladderCatchUp: Double = 6 * 86400

    /// What an outcome makes of its entry under the retry policy: what to write, and when it
    /// is tried again (nil when delivered, dead, or not attempted — a not-attempted entry
    /// keeps its due time). Nothing is written here; delivery writes verdicts in groups.
    func verdict(_ entry: OutboxEntry, _ outcome: DeliveryOutcome, now: Date) -> OutcomeVerdict {
        let retry = dispatcher.channels.retry
        let said = "\(entry.agency) via \(entry.channel): \(outcome)"
        switch outcome {
        case .delivered(_, let receipt):
            return OutcomeVerdict(entry: entry, result: OutboxResult(entry, .delivered(at: now, receipt: receipt)), retryAt: nil, level: .info,
                                  message: said)
        case .transient(let after, let reason):
            let attempt = entry.attempts + 1
            let tooOld = now.timeIntervalSince(entry.enqueuedAt) >= retry.maxAgeSeconds
            if attempt >= retry.maxAttempts || tooOld {
                return OutcomeVerdict(entry: entry, result: OutboxResult(entry, .dead(error: reason)), retryAt: nil, level: .error,
                                      message: "\(said) → dead letter after \(attempt) attempts")
            }
            let delay = retry.delay(afterAttempt: attempt, retryAfter: after, random: random())
            var at = now.addingTimeInterval(delay)
            // An SMS retried waits out quiet hours and days off, as its first attempt did.
            if entry.channel.lane == .sms, let sms = dispatcher.channels.sms { at = smsWindow(sms).next(atOrAfter: at) }
            return OutcomeVerdict(entry: entry, result: OutboxResult(entry, .retry(at: at, error: reason)), retryAt: at, level: .warning,
                                  message: "\(said) → retry in \(Int(delay.rounded(.up))) s")
        case .permanent(let reason):
            return OutcomeVerdict(entry: entry, result: OutboxResult(entry, .dead(error: reason)), retryAt: nil, level: .error,
                                  message: "\(said) → dead letter")
        case .unknown(let reason):
            // Waits for the platform's report; at the bound it is sent again or given up,
            // as channels.yaml says (`sms.unknown`).
            let wait = dispatcher.channels.sms?.settings.unknownWait ?? retry.baseSeconds
            var at = now.addingTimeInterval(wait)
            if entry.channel.lane == .sms, let sms = dispatcher.channels.sms { at = smsWindow(sms).next(atOrAfter: at) }
            return OutcomeVerdict(entry: entry, result: OutboxResult(entry, .unknown(until: at, error: reason)), retryAt: at, level: .warning,
                                  message: "\(said) → 结果不明 waiting up to \(Int(wait)) s for a delivery report")
        case .notAttempted:
            return OutcomeVerdict(entry: entry, result: nil, retryAt: nil, level: nil, message: said)
        }
    }

    /// Logs a verdict once it is written.
    func log(_ verdict: OutcomeVerdict) {
        guard let level = verdict.level else { return }
        let entry = verdict.entry
        logger.log(level: level, "\(verdict.message)",
                   metadata: ["id": "\(entry.id)", "channel": "\(entry.channel)", "agency": "\(entry.agency)"])
    }

    /// The next planned send after `now`. Looks a day ahead first, then a week, a month,
    /// 400 days — most wakes stop early.
    public func nextPlanned(after now: Date) throws -> Date? {
        let (supervision, signing) = try supervisionAndSigning(now: now)
        // A notice's time to sign ends: its follow-up is due then.
        if let next = signing?.next, let planned = try nextPlanned(after: now, supervision: supervision) { return min(next, planned) }
        return try signing?.next ?? nextPlanned(after: now, supervision: supervision)
    }

    private func nextPlanned(after now: Date, supervision: Supervision) throws -> Date? {
        for days in [1.0, 7, 31, 400] {
            let plan = Plan(items: set.items, policy: set.policy, calendar: set.calendar, from: now.addingTimeInterval(0.001),
                            until: now.addingTimeInterval(days * 86400), supervision: supervision)
            if let first = plan.messages.first?.sendAt { return first }
        }
        return nil
    }
}

/// What one delivery outcome makes of its entry: what to write, when it is tried again,
/// and the log line.
struct OutcomeVerdict: Sendable {
    var entry: OutboxEntry
    /// Nil when nothing is written (not attempted: the entry keeps its due time).
    var result: OutboxResult?
    var retryAt: Date?
    var level: Logger.Level?
    var message: String
}

/// Outcome counts gathered from worker threads.
final class Tally: @unchecked Sendable {
    private let lock = NSLock()
    private var counts = CycleSummary()
    private var firstError: Error?

    func count(_ outcome: DeliveryOutcome, retryAt: Date?) {
        lock.withLock {
            switch outcome {
            case .delivered: counts.delivered += 1
            case .transient: if retryAt != nil { counts.retrying += 1 } else { counts.dead += 1 }
            case .permanent: counts.dead += 1
            case .notAttempted, .unknown: counts.retrying += 1
            }
        }
    }

    func fail(_ error: Error) { lock.withLock { if firstError == nil { firstError = error } } }

    var summary: CycleSummary { lock.withLock { counts } }
    var error: Error? { lock.withLock { firstError } }
}

/// After downtime: a missed notice younger than `catch_up` is sent once — for each agency,
/// item, milestone and rule only the newest, and of the overdue ladder's messages only the
/// newest whatever its level — and everything else missed is recorded as skipped, visible
/// in the sent log.
enum CatchUp {
    static func select(_ plan: Plan, now: Date, catchUp: Double) -> (kept: Plan, skipped: [SkippedNotices]) {
        var keptPairs = Set<String>()
        var keptNotices: [Notice] = []
        var keptKeys = Set<String>()
        var newest = Set<String>()
        var skipped: [SkippedNotices] = []
        // Newest first, so the first notice seen for an agency, item and rule is the one kept.
        for m in plan.messages.reversed() {
            let tooOld = now.timeIntervalSince(m.sendAt) > catchUp
            var dropped: [NoticeRef] = []
            for n in plan.notices(in: m) {
                let key = plan.dedupKey(n)
                let item = plan.item(n)?.id ?? ""
                let rule = n.rule.ladderStep == nil ? n.rule.name : "chase"
                if tooOld || !newest.insert("\(m.to.agency)|\(item)|\(n.milestone)|\(rule)").inserted {
                    dropped.append(NoticeRef(key: key, item: item))
                } else {
                    keptPairs.insert(Claim.key(agency: m.to.agency, notice: key))
                    // A notice for one lead shares its key with the other leads' copies.
                    if keptKeys.insert("\(key)#\(n.lead)").inserted { keptNotices.append(n) }
                }
            }
            if !dropped.isEmpty { skipped.append(SkippedNotices(agency: m.to.agency, message: plan.messageKey(m), notices: dropped)) }
        }
        keptNotices.sort { ($0.item, $0.lead, $0.milestone, $0.sendDay.dayNumber) < ($1.item, $1.lead, $1.milestone, $1.sendDay.dayNumber) }
        let kept = Plan(items: plan.items, notices: keptNotices, policy: plan.policy, calendar: plan.calendar, supervision: plan.supervision,
                        skip: { n, agency in !keptPairs.contains(Claim.key(agency: agency, notice: plan.dedupKey(n))) })
        return (kept, skipped)
    }
}
