import Foundation

/// Which work a progress report is about: a whole item, or one of its milestones (1-based).
public struct ProgressKey: Hashable, Sendable {
    /// Item id.
    public var item: String
    /// Milestone number (1-based), or `nil` for the whole item.
    public var milestone: Int?

    /// A key.
    public init(item: String, milestone: Int? = nil) {
        self.item = item
        self.milestone = milestone
    }
}

/// One report of progress (`dudao ack`): who said what about which work, and when.
/// The store keeps every one of them — an audit trail — and the newest per key counts.
public struct ProgressReport: Hashable, Sendable {
    /// Which work.
    public var key: ProgressKey
    /// Its new status.
    public var status: ItemStatus
    /// Free text (`已出台文件，见郑政〔2024〕12号`).
    public var note: String
    /// Who reported it.
    public var by: String
    /// When it was recorded.
    public var at: Date

    /// A report.
    public init(key: ProgressKey, status: ItemStatus, note: String = "", by: String, at: Date) {
        self.key = key
        self.status = status
        self.note = note
        self.by = by
        self.at = at
    }
}

extension Array where Element == Item {
    /// The items with the newest reported statuses applied over what the schedule files say.
    public func applying(_ progress: [ProgressKey: ItemStatus]) -> [Item] {
        guard !progress.isEmpty else { return self }
        return map { item in
            var item = item
            if let s = progress[ProgressKey(item: item.id)] { item.status = s }
            for i in item.milestones.indices {
                if let s = progress[ProgressKey(item: item.id, milestone: i + 1)] { item.milestones[i].status = s }
            }
            return item
        }
    }
}
