import Foundation
import DudaoCore

/// The sent log as a `SentHistory`, kept between reads: each read adds only the rows
/// inserted since the last one (the table's rowids grow with every insert).
final class SentLogCache: @unchecked Sendable {
    private let lock = NSLock()
    private var history = SentHistory.empty
    private var lastRowID: Int64 = 0
    private var summariesRead = false
    private var zone: TimeZone?

    /// The history up to now, read inside the caller's transaction.
    func read(_ t: any StoreTransaction, clock: LocalClock) throws -> SentHistory {
        try lock.withLock {
            if zone != clock.timeZone {
                history = .empty
                lastRowID = 0
                summariesRead = false
                zone = clock.timeZone
            }
            // What retention folded away precedes every row left: read once, first.
            if !summariesRead {
                history.add(try t.rows("SELECT * FROM track_summary", []).map(StateStore.summary))
                summariesRead = true
            }
            var records: [SentHistory.Record] = []
            var days: [String: CivilDate] = [:]
            for row in try t.rows("SELECT rowid, agency, notice, channel, at FROM sent WHERE rowid > ? ORDER BY rowid", [lastRowID]) {
                lastRowID = row["rowid"]
                let text: String = row["at"]
                guard let day = days[text] ?? StateStore.date(text).map(clock.day(of:)) else { continue }
                days[text] = day
                let channel: String = row["channel"]
                records.append(SentHistory.Record(agency: row["agency"], key: row["notice"], day: day,
                                                  fate: channel == "skipped" ? .notSent : .delivered))
            }
            history.add(records)
            return history
        }
    }
}
