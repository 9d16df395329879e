import Foundation
import DudaoCore

/// One message for one channel, waiting, sent, or given up on (a dead letter).
public struct OutboxEntry: Hashable, Sendable {
    /// Where it stands.
    public enum State: String, Sendable {
        case pending, sent, dead
        /// Not sent because it no longer says what is true: a 签收 follow-up whose agency
        /// signed before it went.
        case cancelled
    }

    /// Row id (`dudao retry ID`).
    public var id: Int64
    /// Message key (agency @ send time).
    public var message: String
    /// Addressee agency.
    public var agency: String
    /// `email`, a chat channel name, or `outbox`.
    public var channel: ChannelID
    /// The notices it carries.
    public var notices: [NoticeRef]
    /// What the transport sends, rendered at enqueue time (JSON of a `StoredPayload`;
    /// empty once pruned after retention).
    public var payload: String
    /// Pending, sent, dead or cancelled.
    public var state: State
    /// Attempts made.
    public var attempts: Int
    /// Earliest time of the next attempt.
    public var nextAttemptAt: Date
    /// The last failure.
    public var lastError: String?
    /// When it was enqueued.
    public var enqueuedAt: Date
    /// When it was delivered.
    public var sentAt: Date?
    /// Until when its outcome is unknown: sent with no answer, waiting for a report (SMS).
    public var unknownUntil: Date? = nil
    /// The platform's id of the send (SMS), and its delivery report once one came.
    public var receipt: String? = nil
    public var report: String? = nil
}

/// What to enqueue: one message for one channel.
public struct NewOutboxEntry: Sendable {
    /// Message key.
    public var message: String
    /// Addressee agency.
    public var agency: String
    /// Channel.
    public var channel: ChannelID
    /// Its notices.
    public var notices: [NoticeRef]
    /// Rendered payload.
    public var payload: String
    /// Why it can never be sent: it is stored as a dead letter with this reason.
    public var failure: String?
    /// The earliest it may go, when later than the batch's (SMS wait out quiet hours).
    public var notBefore: Date?
    /// Dudao's reference for the send, echoed by platforms' reports (SMS).
    public var reference: String?
    /// A short link the SMS carries (`/s/CODE`) and the reply token it opens.
    public var shortLink: (code: String, token: String)? = nil

    /// An entry to enqueue.
    public init(message: String, agency: String, channel: ChannelID, notices: [NoticeRef], payload: String, failure: String? = nil,
                notBefore: Date? = nil, reference: String? = nil, shortLink: (code: String, token: String)? = nil) {
        self.shortLink = shortLink
        self.notBefore = notBefore
        self.reference = reference
        self.message = message
        self.agency = agency
        self.channel = channel
        self.notices = notices
        self.payload = payload
        self.failure = failure
    }
}

/// Notices left out by catch-up (older than `catch_up`, or an older copy of the same reminder).
public struct SkippedNotices: Sendable {
    /// Addressee agency.
    public var agency: String
    /// Message key.
    public var message: String
    /// The notices.
    public var notices: [NoticeRef]

    /// A record of skipped notices.
    public init(agency: String, message: String, notices: [NoticeRef]) {
        self.agency = agency
        self.message = message
        self.notices = notices
    }
}

extension StateStore {
    // MARK: Enqueue

    /// In one transaction (on disk before anything is sent): inserts the entries (ignoring
    /// a message and channel already present), due at `notBefore` if later than `now`;
    /// records skipped notices; and remembers how far planning has got. Returns how many
    /// entries were new.
    @discardableResult
    public func enqueue(_ entries: [NewOutboxEntry], skipped: [SkippedNotices] = [], plannedUntil: Date?, at now: Date,
                        notBefore: Date? = nil) throws -> Int {
        let first = Self.iso(max(now, notBefore ?? now))
        return try backend.write { t in
            var inserted = 0
            for e in entries {
                guard let row = try t.row("""
                    INSERT INTO outbox (message, agency, channel, notices, state, attempts, next_attempt_at, enqueued_at, last_error, reference)
                    VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id
                    """, [e.message, e.agency, e.channel.rawValue, Self.encode(e.notices),
                          e.failure == nil ? "pending" : "dead", e.notBefore.map { Self.iso(max($0, now)) } ?? first, Self.iso(now), e.failure,
                          e.reference]) else { continue }
                inserted += 1
                if let link = e.shortLink {
                    try t.execute("INSERT INTO short_link (code, token, at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING", [link.code, link.token, Self.iso(now)])
                }
                if !e.payload.isEmpty {
                    try t.execute("INSERT INTO outbox_payload (id, payload) VALUES (?, ?)", [row["id"] as Int64, e.payload])
                }
            }
            for s in skipped {
                for n in s.notices {
                    try t.execute(Self.insertSent, [n.key, s.agency, s.message, n.item, "skipped", Self.iso(now)])
                }
            }
            if let plannedUntil {
                try t.execute("INSERT INTO meta (key, value) VALUES ('planned_until', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                              [Self.iso(plannedUntil)])
            }
            return inserted
        }
    }

    /// How far the service has planned (and so enqueued or skipped everything before).
    public func plannedUntil() throws -> Date? {
        try backend.read { t in Self.date(try t.value("SELECT value FROM meta WHERE key = 'planned_until'")) }
    }

    /// `agency|notice` of every notice sent, skipped, or in the outbox in any state: what
    /// planning must not produce again. With `since`, only claims made from then on — a
    /// notice planned in a window starting at `since` cannot have been claimed earlier —
    /// so a wake reads a bounded slice of the history, however many years it holds.
    public func claimedKeys(since: Date? = nil) throws -> Set<String> {
        try backend.read { t in
            let from = since.map(Self.iso) ?? ""
            var keys = Set(try t.rows("SELECT agency, notice FROM sent WHERE at >= ?", [from])
                .map { Claim.key(agency: $0["agency"], notice: $0["notice"]) })
            for row in try t.rows("SELECT agency, notices FROM outbox WHERE enqueued_at >= ?", [from]) {
                let agency: String = row["agency"]
                for n in Self.decode(row["notices"]) { keys.insert(Claim.key(agency: agency, notice: n.key)) }
            }
            return keys
        }
    }

    // MARK: Deliver

    /// Pending entries whose next attempt is due at `now` and that no one is sending, oldest first.
    public func due(at now: Date) throws -> [OutboxEntry] {
        try due(at: now, after: 0)
    }

    /// The entries due at `now` with an id above `id`: those a batch just enqueued.
    public func due(at now: Date, after id: Int64) throws -> [OutboxEntry] {
        try backend.read { t in
            try t.rows("""
                \(Self.selectEntries) WHERE outbox.id > ? AND state = 'pending' AND next_attempt_at <= ? AND (lease_until IS NULL OR lease_until <= ?)
                ORDER BY outbox.id
                """, [id, Self.iso(now), Self.iso(now)]).map(Self.entry)
        }
    }

    /// Claims entry `id` for this process (`instance`) until `now + lease`, if it is still
    /// pending, due, and not claimed by anyone else whose lease runs: a worker claims just
    /// before sending. False means let it go — another worker recorded it since the list of
    /// due entries was read, or another instance is sending it.
    ///
    /// The claim is one conditional UPDATE, atomic, so of two instances that both read the
    /// entry as due only one sends it. A process that dies mid-transfer leaves its claim until
    /// the lease runs out; the entry is then sent again (the one repeat a crash can cause).
    /// `lease` must outlast a transfer's timeouts.
    ///
    /// Only shared stores need it (`isShared`): a SQLite file has one service, which keeps its
    /// workers from sharing an entry in memory, without a write per message.
    public func claim(_ id: Int64, at now: Date, lease: TimeInterval) throws -> Bool {
        let at = Self.iso(now)
        return try backend.write { t in
            try t.execute("""
                UPDATE outbox SET lease_owner = ?, lease_until = ?
                WHERE id = ? AND state = 'pending' AND next_attempt_at <= ? AND (lease_until IS NULL OR lease_until <= ? OR lease_owner = ?)
                """, [instance, Self.iso(now.addingTimeInterval(lease)), id, at, at, instance]) == 1
        }
    }

    /// Gives back the claims of processes of this machine that are gone (killed mid-transfer):
    /// a restarted service sends their entries at once instead of after the lease. Claims of
    /// other machines are left to their leases. Returns how many entries were released.
    @discardableResult
    public func releaseClaimsOfEndedProcesses() throws -> Int {
        let prefix = StoreInstance.host + ":"
        let owners: [String] = try backend.read { t in
            try t.rows("SELECT DISTINCT lease_owner FROM outbox WHERE lease_owner IS NOT NULL", []).map { $0["lease_owner"] }
        }
        var released = 0
        for owner in owners where owner.hasPrefix(prefix) && !StoreInstance.isRunning(owner) {
            released += try backend.write { t in
                try t.execute("UPDATE outbox SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = ?", [owner])
            }
        }
        return released
    }

    /// The earliest time a pending entry becomes due (only after `after`, when given: entries
    /// due before were handed to delivery already): its next attempt, or the end of another
    /// instance's claim on it.
    public func nextAttempt(after: Date? = nil) throws -> Date? {
        try backend.read { t in
            Self.date(try t.value("""
                SELECT MIN(due) FROM (SELECT CASE WHEN lease_until IS NOT NULL AND lease_until > next_attempt_at AND lease_owner != ?
                                                  THEN lease_until ELSE next_attempt_at END AS due
                                      FROM outbox WHERE state = 'pending') AS pending
                WHERE due > ?
                """, [instance, after.map(Self.iso) ?? ""]))
        }
    }

    /// Moves the next attempt of pending entries to `until` without counting an attempt:
    /// their channel's circuit is open.
    public func deferPending(ids: [Int64], until: Date) throws {
        guard !ids.isEmpty else { return }
        let until = Self.iso(until)
        try backend.write { t in
            for id in ids {
                try t.execute("""
                    UPDATE outbox SET next_attempt_at = CASE WHEN next_attempt_at > ? THEN next_attempt_at ELSE ? END
                    WHERE id = ? AND state = 'pending'
                    """, [until, until, id])
            }
        }
    }

    /// Records what became of attempts, in one transaction: all of them or, on error, none.
    /// A delivery marks the entry sent and its notices as reaching the agency; workers that
    /// finish together share one commit this way.
    public func record(_ results: [OutboxResult]) throws {
        guard !results.isEmpty else { return }
        try backend.write { t in
            for r in results {
                let entry = r.entry
                switch r.kind {
                case .delivered(let at, let receipt):
                    try t.execute("""
                        UPDATE outbox SET state = 'sent', attempts = attempts + 1, sent_at = ?, last_error = NULL, lease_owner = NULL, lease_until = NULL,
                          receipt = ?, unknown_until = NULL
                        WHERE id = ?
                        """, [Self.iso(at), receipt, entry.id])
                    for n in entry.notices {
                        try t.execute(Self.insertSent, [n.key, entry.agency, entry.message, n.item, entry.channel.rawValue, Self.iso(at)])
                    }
                case .retry(let retryAt, let error):
                    try t.execute("""
                        UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ?, lease_owner = NULL, lease_until = NULL, unknown_until = NULL
                        WHERE id = ?
                        """, [error, Self.iso(retryAt), entry.id])
                case .unknown(let until, let error):
                    try t.execute("""
                        UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ?, unknown_until = ?, lease_owner = NULL, lease_until = NULL
                        WHERE id = ?
                        """, [error, Self.iso(until), Self.iso(until), entry.id])
                case .dead(let error):
                    try t.execute("UPDATE outbox SET state = 'dead', attempts = attempts + 1, last_error = ?, lease_owner = NULL, lease_until = NULL, unknown_until = NULL WHERE id = ?",
                                  [error, entry.id])
                }
            }
        }
    }

    // MARK: Inspect

    /// Entries in a state (all when nil), newest first.
    public func entries(state: OutboxEntry.State? = nil) throws -> [OutboxEntry] {
        try backend.read { t in
            let rows = try state.map { try t.rows("\(Self.selectEntries) WHERE state = ? ORDER BY outbox.id DESC", [$0.rawValue]) }
                ?? t.rows("\(Self.selectEntries) ORDER BY outbox.id DESC", [])
            return rows.map(Self.entry)
        }
    }

    /// How many entries are in `state`, without reading them.
    public func count(state: OutboxEntry.State) throws -> Int {
        try backend.read { t in try t.value("SELECT COUNT(*) FROM outbox WHERE state = ?", [state.rawValue]) ?? 0 }
    }

    /// Puts a dead (or pending) entry back in line now, attempts reset. False when no such entry.
    /// With `audit`, its row commits with the change.
    public func retry(id: Int64, at now: Date, audit: AuditEntry? = nil) throws -> Bool {
        try backend.write { t in
            let done = try t.execute("""
                UPDATE outbox SET state = 'pending', attempts = 0, next_attempt_at = ?, lease_owner = NULL, lease_until = NULL
                WHERE id = ? AND state != 'sent'
                """,
                          [Self.iso(now), id]) > 0
            if done, let audit { try Self.audit(audit, dialect: backend.dialect, in: t) }
            return done
        }
    }

    /// Dead letters per item.
    public func deadLetters() throws -> [String: Int] {
        var out: [String: Int] = [:]
        for e in try entries(state: .dead) {
            for item in Set(e.notices.map(\.item)) { out[item, default: 0] += 1 }
        }
        return out
    }

    // MARK: Encoding

    /// Entries with their bodies (none once pruned).
    static let selectEntries = """
        SELECT outbox.*, COALESCE(outbox_payload.payload, '') AS payload FROM outbox LEFT JOIN outbox_payload ON outbox_payload.id = outbox.id
        """

    static func entry(_ row: StoreRow) -> OutboxEntry {
        OutboxEntry(id: row["id"], message: row["message"], agency: row["agency"], channel: ChannelID(rawValue: row["channel"]),
                    notices: decode(row["notices"]), payload: row["payload"],
                    state: OutboxEntry.State(rawValue: row["state"]) ?? .pending, attempts: row["attempts"],
                    nextAttemptAt: date(row["next_attempt_at"]) ?? .distantPast, lastError: row["last_error"],
                    enqueuedAt: date(row["enqueued_at"]) ?? .distantPast, sentAt: date(row["sent_at"]),
                    unknownUntil: date(row["unknown_until"]), receipt: row["receipt"], report: row["report"])
    }

    static func encode(_ notices: [NoticeRef]) -> String {
        JSONValue.array(notices.map { .array([.string($0.key), .string($0.item)]) }).text
    }

    static func decode(_ text: String) -> [NoticeRef] {
        guard let pairs = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String]] else { return [] }
        return pairs.compactMap { $0.count == 2 ? NoticeRef(key: $0[0], item: $0[1]) : nil }
    }
}
