import Foundation
import DudaoCore

/// A channel's circuit as last recorded by the service, for `status` and `outbox`.
public struct CircuitRecord: Hashable, Sendable {
    /// The channel.
    public var channel: ChannelID
    /// `closed`, `open` or `half_open`.
    public var state: String
    /// Transient failures in a row.
    public var failures: Int
    /// When an open circuit lets a probe through.
    public var openUntil: Date?
    /// The last failure.
    public var lastError: String?
    /// When this was recorded.
    public var at: Date

    /// A record.
    public init(channel: ChannelID, state: String, failures: Int, openUntil: Date?, lastError: String?, at: Date) {
        self.channel = channel
        self.state = state
        self.failures = failures
        self.openUntil = openUntil
        self.lastError = lastError
        self.at = at
    }
}

extension StateStore {
    /// Records a channel's circuit (one row per channel, replaced).
    public func save(_ c: CircuitRecord) throws {
        try backend.write { t in
            try t.execute("""
                INSERT INTO circuit (channel, state, failures, open_until, last_error, at) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (channel) DO UPDATE SET state = excluded.state, failures = excluded.failures,
                  open_until = excluded.open_until, last_error = excluded.last_error, at = excluded.at
                """, [c.channel.rawValue, c.state, c.failures, c.openUntil.map(Self.iso), c.lastError, Self.iso(c.at)])
        }
    }

    /// Every channel's last recorded circuit, by name.
    public func circuits() throws -> [CircuitRecord] {
        try backend.read { t in
            try t.rows("SELECT * FROM circuit ORDER BY channel", []).map { row in
                CircuitRecord(channel: ChannelID(rawValue: row["channel"]), state: row["state"], failures: row["failures"],
                              openUntil: Self.date(row["open_until"]), lastError: row["last_error"], at: Self.date(row["at"]) ?? .distantPast)
            }
        }
    }
}
