import Foundation
import Crypto
import DudaoCore

/// What recording pushed events did.
public struct SMSEventTally: Hashable, Sendable {
    /// Events not seen before.
    public var new = 0
    /// Events already recorded (a platform pushing again): nothing changed.
    public var repeated = 0
    /// Entries whose unknown outcome a report settled.
    public var settled = 0
    /// Events that match no entry (a report for a send this store does not know).
    public var unmatched = 0
    /// Replies not seen before, for the caller to act on (签收 by a reply code).
    public var newReplies: [SMSEvent] = []
}

/// One recorded event, number masked, for `status` and the console.
public struct SMSEventRow: Hashable, Sendable {
    public var platform: String
    public var kind: String
    public var mobile: String
    public var detail: String
    public var time: String
    public var entry: Int64?
    public var at: Date
}

extension StateStore {
    /// Records pushed events, each once: a repeated push changes nothing. A report settles
    /// the entry it names (by the platform's id, or Dudao's reference): an unknown outcome
    /// becomes sent or a dead letter, and a known one keeps the report beside it.
    public func recordSMSEvents(_ events: [SMSEvent], platform: String, at now: Date) throws -> SMSEventTally {
        try backend.write { t in
            var tally = SMSEventTally()
            for e in events {
                let identity = SHA256.hash(data: Data((platform + "|" + e.identity).utf8)).map { String(format: "%02x", $0) }.joined()
                let entry = try e.kind == .reply ? nil : Self.entryForReport(e, in: t)
                guard try t.row("""
                    INSERT INTO sms_event (platform, identity, kind, mobile, receipt, detail, time, entry, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT DO NOTHING RETURNING id
                    """, [platform, identity, e.kind.rawValue, Mobile.masked(e.mobile), e.receipt, String(e.detail.prefix(200)), String(e.time.prefix(40)),
                          entry?.id, Self.iso(now)]) != nil else {
                    tally.repeated += 1
                    continue
                }
                tally.new += 1
                guard e.kind != .reply else {
                    tally.newReplies.append(e)
                    continue
                }
                guard let entry else { tally.unmatched += 1; continue }
                let report = "\(e.kind == .delivered ? "送达" : "未送达") \(e.detail)"
                if entry.unknown, entry.state == "pending" {
                    tally.settled += 1
                    if e.kind == .delivered {
                        try t.execute("""
                            UPDATE outbox SET state = 'sent', sent_at = ?, last_error = NULL, unknown_until = NULL, report = ?, receipt = COALESCE(receipt, ?)
                            WHERE id = ?
                            """, [Self.iso(now), report, e.receipt, entry.id])
                        for n in Self.decode(entry.notices) {
                            try t.execute(Self.insertSent, [n.key, entry.agency, entry.message, n.item, entry.channel, Self.iso(now)])
                        }
                    } else {
                        try t.execute("UPDATE outbox SET state = 'dead', last_error = ?, unknown_until = NULL, report = ? WHERE id = ?",
                                      ["短信未送达 the platform reports it not delivered: \(e.detail)", report, entry.id])
                    }
                } else {
                    try t.execute("UPDATE outbox SET report = ? WHERE id = ?", [report, entry.id])
                }
            }
            return tally
        }
    }

    private struct ReportedEntry {
        var id: Int64, state: String, unknown: Bool, agency: String, message: String, notices: String, channel: String
    }

    /// The SMS entry a report names: by the platform's id for the number, else by Dudao's reference.
    private static func entryForReport(_ e: SMSEvent, in t: any StoreTransaction) throws -> ReportedEntry? {
        let channel = ChannelID.sms(to: e.mobile).rawValue
        var row: StoreRow? = nil
        if let r = e.receipt, !r.isEmpty {
            row = try t.row("SELECT * FROM outbox WHERE receipt = ? AND channel = ? ORDER BY id DESC LIMIT 1", [r, channel])
        }
        if row == nil, let ref = e.reference, !ref.isEmpty {
            row = try t.row("SELECT * FROM outbox WHERE reference = ? AND channel = ? ORDER BY id DESC LIMIT 1", [ref, channel])
        }
        guard let row else { return nil }
        return ReportedEntry(id: row["id"], state: row["state"], unknown: (row["unknown_until"] as String?) != nil, agency: row["agency"],
                             message: row["message"], notices: row["notices"], channel: row["channel"])
    }

    /// Events recorded, by platform and kind: `/metrics`' `dudao_sms_reports_total`.
    public func smsEventCounts() throws -> [(platform: String, kind: String, count: Int)] {
        try backend.read { t in
            try t.rows("SELECT platform, kind, COUNT(*) AS n FROM sms_event GROUP BY platform, kind ORDER BY platform, kind", [])
                .map { ($0["platform"], $0["kind"], $0["n"]) }
        }
    }

    /// SMS entries sent with no answer yet, waiting for a report.
    public func unknownSMSCount() throws -> Int {
        try backend.read { t in try t.value("SELECT COUNT(*) FROM outbox WHERE state = 'pending' AND unknown_until IS NOT NULL") ?? 0 }
    }

    /// The latest events, newest first.
    public func smsEvents(limit: Int) throws -> [SMSEventRow] {
        try backend.read { t in
            try t.rows("SELECT * FROM sms_event ORDER BY id DESC LIMIT ?", [limit]).map {
                SMSEventRow(platform: $0["platform"], kind: $0["kind"], mobile: $0["mobile"], detail: $0["detail"], time: $0["time"],
                            entry: $0["entry"], at: Self.date($0["at"]) ?? .distantPast)
            }
        }
    }

    /// SMS entries to one number (`ChannelID.sms(to:)`) due or sent from `from` until before
    /// `until`: what the number's daily budget counts.
    public func smsCount(channel: ChannelID, from: Date, until: Date) throws -> Int {
        try backend.read { t in
            try t.value("""
                SELECT COUNT(*) FROM outbox WHERE channel = ? AND state != 'dead'
                  AND COALESCE(sent_at, next_attempt_at) >= ? AND COALESCE(sent_at, next_attempt_at) < ?
                """, [channel.rawValue, Self.iso(from), Self.iso(until)]) ?? 0
        }
    }
}

extension StateStore {
    /// The reply token a short link (`/s/CODE`) opens, if any.
    public func shortLinkToken(code: String) throws -> String? {
        try backend.read { t in try t.value("SELECT token FROM short_link WHERE code = ?", [code]) }
    }
}
