import Foundation
import CoreMetrics
import Prometheus
import DudaoCore
import DudaoDelivery
import DudaoSchedules
import DudaoStore

/// What `/metrics` shows, in Prometheus' text format: delivery outcomes and latency as they
/// happen (through swift-metrics), and the state's figures — outbox, dead letters, items by
/// light, reports, circuits, the next wake — read at each scrape.
public enum ServiceMetrics {
    /// The registry `dudao run --listen` bootstraps swift-metrics with.
    public static let registry = PrometheusCollectorRegistry()

    /// Delivery latency buckets, seconds: from enqueued to delivered.
    static let latencyBuckets: [Double] = [0.1, 0.5, 1, 5, 30, 60, 300, 1800, 3600, 6 * 3600, 86400]

    /// Routes swift-metrics to `registry`; once per process.
    public static func bootstrap() {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets["dudao_notification_latency_seconds"] = latencyBuckets.map { Duration.milliseconds(Int64($0 * 1000)) }
        MetricsSystem.bootstrap(factory)
    }

    /// Counts one recorded attempt; a delivery also records its latency.
    static func recorded(_ entry: OutboxEntry, _ outcome: DeliveryOutcome, now: Date) {
        let name: String
        switch outcome {
        case .delivered: name = "delivered"
        case .transient: name = "transient"
        case .permanent: name = "permanent"
        case .unknown: name = "unknown"
        case .notAttempted: return
        }
        Counter(label: "dudao_notifications_total",
                dimensions: [("channel", entry.channel.lane.rawValue), ("kind", kind(of: entry)), ("outcome", name)]).increment()
        if case .delivered = outcome {
            CoreMetrics.Timer(label: "dudao_notification_latency_seconds")
                .recordNanoseconds(Int64(max(0, now.timeIntervalSince(entry.enqueuedAt)) * 1e9))
        }
    }

    /// Counts one wake of the clock (`dudao_wakes_total`): planned sends, retries, reloads
    /// and replans after reports, which arrive together and share a wake.
    static func woke() {
        Counter(label: "dudao_wakes_total").increment()
    }

    /// `advance`, `due`, `verify`, `overdue`, `ongoing`, `report`, `decision`, `sign` (a
    /// 签收 follow-up), or `digest` when mixed.
    static func kind(of entry: OutboxEntry) -> String {
        if entry.message.hasSuffix(Signing.followUpKey("")) { return "sign" }
        let kinds = Set(entry.notices.compactMap { NoticeKey($0.key)?.rule }.map { rule -> String in
            switch rule {
            case .advance: "advance"
            case .due: "due"
            case .verify, .overdue: "overdue"
            case .progress: "ongoing"
            case .report: "report"
            case .decision: "decision"
            }
        })
        return kinds.count == 1 ? kinds.first! : "digest"
    }

    /// The text a scrape returns, after reading the state's figures.
    public static func text(store: StateStore, set: ScheduleSet, nextWake: Date?, now: Date = Date()) -> String {
        let clock = LocalClock(timeZone: set.policy.timeZone)
        if let pending = try? store.count(state: .pending) { Gauge(label: "dudao_outbox_pending").record(pending) }
        if let dead = try? store.count(state: .dead) { Gauge(label: "dudao_dead_letters").record(dead) }
        if let supervision = try? store.supervision(clock: clock) {
            let ledger = Ledger(items: set.items, supervision: supervision, policy: set.policy, today: clock.day(of: now))
            var worst: [Int: Light] = [:]
            for row in ledger.rows { worst[row.item] = min(worst[row.item] ?? .grey, row.light) }
            for light in Light.allCases {
                Gauge(label: "dudao_items", dimensions: [("light", light.rawValue)]).record(worst.values.filter { $0 == light }.count)
            }
            // The figures (Assessment) over the last seven days, as counts: a dashboard
            // divides them into 办结率 and 按期完成率 where there is something to measure.
            let today = clock.day(of: now), since = today.adding(days: -7)
            let a = Assessment(items: set.items, lists: set.itemLists, ledger: ledger, supervision: supervision, policy: set.policy,
                               calendar: set.calendar, day: today, since: since,
                               period: (clock.instant(since, at: set.policy.sendTime.seconds), now), lengths: .init(worstItems: 0, ranking: 0))
            Gauge(label: "dudao_work_units", dimensions: [("state", "all")]).record(a.total.units)
            Gauge(label: "dudao_work_units", dimensions: [("state", "done")]).record(a.total.done)
            Gauge(label: "dudao_work_due_last_week", dimensions: [("state", "due")]).record(a.total.dueInPeriod)
            Gauge(label: "dudao_work_due_last_week", dimensions: [("state", "done_on_time")]).record(a.total.doneOnTime)
            Gauge(label: "dudao_work_overdue").record(a.total.overdue)
            Gauge(label: "dudao_work_longest_overdue_days").record(a.total.longestOverdue)
            Gauge(label: "dudao_work_returned_last_week").record(a.total.returned)
            for f in a.agencies {
                Gauge(label: "dudao_agency_overdue", dimensions: [("agency", f.name)]).record(f.overdue)
                Gauge(label: "dudao_agency_units", dimensions: [("agency", f.name), ("state", "all")]).record(f.units)
                Gauge(label: "dudao_agency_units", dimensions: [("agency", f.name), ("state", "done")]).record(f.done)
            }
            var reports: [String: Int] = [:]
            for r in supervision.standings.all { reports[r.status.name, default: 0] += 1 }
            for name in ItemStatus.names {
                let counter = Counter(label: "dudao_reports_total", dimensions: [("action", name)])
                counter.reset()
                counter.increment(by: reports[name] ?? 0)
            }
        }
        // What SMS platforms pushed: reports (`delivered`, `failed`) and replies, each once.
        if let counts = try? store.smsEventCounts() {
            for c in counts {
                let counter = Counter(label: "dudao_sms_reports_total", dimensions: [("platform", c.platform), ("result", c.kind)])
                counter.reset()
                counter.increment(by: c.count)
            }
        }
        if let circuits = try? store.circuits() {
            for c in circuits {
                for state in ["closed", "open", "half_open"] {
                    Gauge(label: "dudao_channel_circuit", dimensions: [("channel", c.channel.rawValue), ("state", state)])
                        .record(c.state == state ? 1 : 0)
                }
            }
        }
        Gauge(label: "dudao_next_wake_timestamp_seconds").record(nextWake?.timeIntervalSince1970 ?? 0)
        Gauge(label: "dudao_build_info", dimensions: [("version", Self.version)]).record(1)
        return registry.emitToString()
    }

    /// The version `dudao_build_info` reports.
    public static let version = "0.3.0"
}
