import Foundation
import DudaoCore

/// One 签收 or 已读, as kept.
public struct AgencyReceipt: Hashable, Sendable {
    /// `signed` or `read`.
    public enum Kind: String, Sendable { case signed, read }
    /// `link` (the reply page), `sms` (a reply code), `office` (代签).
    public enum Way: String, Sendable { case link, sms, office }

    public var agency: String
    public var kind: Kind
    public var how: Way
    public var at: Date
    /// Who: the agency (`单位`), a reply from a masked number, or the office user.
    public var actor: String
    /// From where (an address), or `sms`.
    public var client: String
    public var note: String

    public init(agency: String, kind: Kind, how: Way, at: Date, actor: String, client: String, note: String = "") {
        self.agency = agency
        self.kind = kind
        self.how = how
        self.at = at
        self.actor = actor
        self.client = client
        self.note = note
    }
}

extension StateStore {
    /// Records a 签收 or 已读; with `audit`, its row commits with it.
    public func record(_ r: AgencyReceipt, audit: AuditEntry? = nil) throws {
        try backend.write { t in
            try t.execute("INSERT INTO agency_receipt (agency, kind, how, at, actor, client, note) VALUES (?, ?, ?, ?, ?, ?, ?)",
                          [r.agency, r.kind.rawValue, r.how.rawValue, Self.iso(r.at), String(r.actor.prefix(100)), String(r.client.prefix(100)),
                           String(r.note.prefix(500))])
            if let audit { try Self.audit(audit, dialect: backend.dialect, in: t) }
            // A follow-up still waiting would tell the agency it has not signed: it does not go.
            if r.kind == .signed {
                try t.execute("""
                    UPDATE outbox SET state = 'cancelled', last_error = '单位已签收，不再补发 the agency signed before it went', lease_owner = NULL, lease_until = NULL
                    WHERE agency = ? AND state = 'pending' AND message LIKE ? AND enqueued_at <= ?
                    """, [r.agency, "%" + Signing.followUpKey(""), Self.iso(r.at)])
            }
        }
    }

    /// The latest receipts of `agency` (all agencies when nil), newest first.
    public func receipts(agency: String? = nil, limit: Int = 50) throws -> [AgencyReceipt] {
        try backend.read { t in
            let rows = try agency.map { try t.rows("SELECT * FROM agency_receipt WHERE agency = ? ORDER BY id DESC LIMIT ?", [$0, limit]) }
                ?? t.rows("SELECT * FROM agency_receipt ORDER BY id DESC LIMIT ?", [limit])
            return rows.map {
                AgencyReceipt(agency: $0["agency"], kind: AgencyReceipt.Kind(rawValue: $0["kind"]) ?? .read, how: AgencyReceipt.Way(rawValue: $0["how"]) ?? .link,
                              at: Self.date($0["at"]) ?? .distantPast, actor: $0["actor"], client: $0["client"], note: $0["note"])
            }
        }
    }

    /// Signs, for each reply code (`1`, `签收`) among `replies`, for the agencies whose
    /// contact (liaison or leadership) the number is; returns the agencies signed for.
    public func signForReplies(_ replies: [SMSEvent], agencies: [Agency], platform: String, at now: Date) throws -> [String] {
        var signed: [String] = []
        for r in replies where Self.isSignCode(r.detail) {
            let number = Mobile.normalized(r.mobile)
            let who = Mobile.masked(r.mobile)
            for agency in agencies where (agency.contacts + agency.leadership).contains(where: { $0.mobile.map(Mobile.normalized) == number }) {
                try record(AgencyReceipt(agency: agency.name, kind: .signed, how: .sms, at: now, actor: who, client: "sms:\(platform)"),
                           audit: AuditEntry(at: now, actor: "短信 \(who)", client: "sms:\(platform)", action: .noticeSign, object: agency.name,
                                             detail: "短信回复签收"))
                signed.append(agency.name)
            }
        }
        return signed
    }

    /// `1` or `签收`, with spaces or a full-width １.
    static func isSignCode(_ text: String) -> Bool {
        let t = text.trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(of: "１", with: "1")
        return t == "1" || t == "签收"
    }

    /// The records planning follows, and under a `sign:` policy what was signed for:
    /// overdue messages not yet confirmed (`Supervision.unconfirmed`) do not count as
    /// unanswered, 未签收 by agency, and when each agency last signed. `canFollowUp` says
    /// whether an agency can be followed up by SMS at all.
    public func supervision(clock: LocalClock, policy: Policy, calendar: WorkCalendar, now: Date,
                            canFollowUp: (String) -> Bool) throws -> (Supervision, Signing?) {
        var supervision = try self.supervision(clock: clock)
        guard let sign = policy.sign else { return (supervision, nil) }
        let signing = try self.signing(sign, calendar: calendar, clock: clock, now: now, canFollowUp: canFollowUp)
        supervision.unconfirmed = signing.unconfirmed
        supervision.unsigned = signing.unsigned
        supervision.lastSigned = try lastSigns()
        return (supervision, signing)
    }

    /// 签收 over the notices of the last `signingHorizon`, at `now`.
    public func signing(_ policy: SignPolicy, calendar: WorkCalendar, clock: LocalClock, now: Date, canFollowUp: (String) -> Bool) throws -> Signing {
        let facts = try signingFacts(since: now.addingTimeInterval(-Self.signingHorizon), clock: clock)
        return Signing(policy: policy, deliveries: facts.deliveries, signs: facts.signs, followUps: facts.followUps,
                       calendar: calendar, clock: clock, now: now, canFollowUp: canFollowUp)
    }

    /// How far back notices are followed up and held: past it, an unsigned notice counts.
    public static let signingHorizon: Double = 30 * 86400

    /// When each agency last signed (any way).
    public func lastSigns() throws -> [String: Date] {
        try backend.read { t in
            var out: [String: Date] = [:]
            for row in try t.rows("SELECT agency, MAX(at) AS at FROM agency_receipt WHERE kind = 'signed' GROUP BY agency", []) {
                if let at = Self.date(row["at"]) { out[row["agency"]] = at }
            }
            return out
        }
    }

    /// When a notice last reached `agency`.
    public func lastDelivery(agency: String) throws -> Date? {
        try backend.read { t in Self.date(try t.value("SELECT MAX(at) FROM sent WHERE agency = ? AND channel != 'skipped'", [agency])) }
    }

    /// The facts `Signing` reads, from `since` on: the notices that reached agencies (with
    /// their messages), when each agency signed, and each message's follow-up.
    public func signingFacts(since: Date, clock: LocalClock) throws -> (deliveries: [Signing.Delivery], signs: [String: [Date]],
                                                                          followUps: [String: Signing.FollowUpState]) {
        try backend.read { t in
            var deliveries: [Signing.Delivery] = []
            for row in try t.rows("SELECT agency, notice, message, at FROM sent WHERE at >= ? AND channel != 'skipped'", [Self.iso(since)]) {
                guard let key = NoticeKey(row["notice"]), let at = Self.date(row["at"]) else { continue }
                if case .decision = key.rule { continue }
                deliveries.append(Signing.Delivery(agency: row["agency"], message: row["message"], item: key.item, milestone: key.milestone,
                                                   day: clock.day(of: at), at: at, ladder: key.rule.ladderStep != nil,
                                                   level: key.rule.ladderStep?.number ?? 0))
            }
            var signs: [String: [Date]] = [:]
            for row in try t.rows("SELECT agency, at FROM agency_receipt WHERE kind = 'signed' AND at >= ?", [Self.iso(since)]) {
                if let at = Self.date(row["at"]) { signs[row["agency"], default: []].append(at) }
            }
            var followUps: [String: Signing.FollowUpState] = [:]
            let suffix = Signing.followUpKey("")
            for row in try t.rows("SELECT message, state, sent_at FROM outbox WHERE enqueued_at >= ? AND message LIKE ?", [Self.iso(since), "%" + suffix]) {
                let message = String((row["message"] as String).dropLast(suffix.count))
                let state: String = row["state"]
                switch (state, followUps[message]) {
                case ("sent", _): followUps[message] = .delivered(Self.date(row["sent_at"]) ?? since)
                case ("pending", .delivered?): break
                case ("pending", _): followUps[message] = .pending
                case (_, nil): followUps[message] = .failed
                default: break
                }
            }
            return (deliveries, signs, followUps)
        }
    }
}
