import Foundation
import DudaoCore
import DudaoMessages
import DudaoSchedules
import DudaoStore

/// The admins' audit page: the trail newest first, filtered by day, actor and action, a
/// page of 200 at a time, the chain checked on request, and the same rows as CSV.
struct AuditDesk: Sendable {
    let store: StateStore
    let templates: TemplateSet
    let schedules: @Sendable () -> ScheduleSet
    static let pageSize = 200

    /// The query's filter; days are the office's (Asia/Shanghai) days, `until` inclusive.
    func filter(_ q: [String: String]) -> AuditFilter {
        let clock = LocalClock(timeZone: schedules().policy.timeZone)
        func day(_ key: String) -> CivilDate? { q[key].flatMap { CivilDate(iso: String($0.prefix(10))) } }
        return AuditFilter(since: day("since").map { clock.instant($0, at: 0) }, until: day("until").map { clock.instant($0.adding(days: 1), at: 0) },
                           actor: q["actor"].flatMap { $0.isEmpty ? nil : String($0.prefix(200)) },
                           action: q["action"].flatMap(AuditAction.init(rawValue:)),
                           before: q["before"].flatMap { Int64($0) })
    }

    func page(viewer: Viewer, query q: [String: String], verify: Bool) throws -> String {
        let clock = LocalClock(timeZone: schedules().policy.timeZone)
        let rows = try store.auditRows(filter(q), limit: Self.pageSize + 1)
        var values: [String: Any] = [
            "page_title": "审计日志", "nav_audit": true,
            "rows": rows.prefix(Self.pageSize).map { e -> [String: Any] in
                ["seq": e.seq, "at": Labels.minute(e.at, clock: clock), "actor": e.actor, "client": e.client,
                 "action": Labels.audit(e.action), "object": e.object, "outcome": Labels.audit(e.outcome), "detail": e.detail]
            },
            "has_rows": !rows.isEmpty, "has_more": rows.count > Self.pageSize,
            "since": q["since"] ?? "", "until": q["until"] ?? "", "actor": q["actor"] ?? "",
            "actions": AuditAction.allCases.map { ["value": $0.rawValue, "label": Labels.audit($0), "selected": $0.rawValue == q["action"]] },
            "query": Self.query(q, except: ["before", "verify"]),
        ]
        if let last = rows.prefix(Self.pageSize).last, rows.count > Self.pageSize {
            values["more"] = "/audit" + Self.query(q.merging(["before": String(last.seq)]) { $1 }, except: ["verify"])
        }
        if verify {
            do {
                let (count, head) = try store.verifyAudit()
                values["chain"] = "校验通过：共\(count)条记录，链完整。最新哈希 \(head.prefix(16))…"
                values["chain_class"] = "message"
            } catch let broken as AuditBreak {
                values["chain"] = "校验失败：\(broken)"
                values["chain_class"] = "error-box"
            }
            values["has_chain"] = true
        }
        return templates.renderPage("audit", viewer, values) ?? ""
    }

    /// The filtered rows as CSV (UTF-8 with a BOM, so Excel reads the Chinese), at most 100,000.
    func csv(query q: [String: String]) throws -> (text: String, count: Int) {
        let rows = try store.auditRows(filter(q), limit: 100_000)
        return ("\u{FEFF}" + AuditEntry.csv(rows), rows.count)
    }

    static func query(_ q: [String: String], except: Set<String>) -> String {
        let parts = q.filter { !except.contains($0.key) && !$0.value.isEmpty }.sorted { $0.key < $1.key }
            .map { $0.key + "=" + ($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "") }
        return parts.isEmpty ? "" : "?" + parts.joined(separator: "&")
    }
}
