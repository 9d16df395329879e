import Foundation

/// Which work a report is about: an item, or one of its milestones (1-based), for one lead
/// agency or for every lead.
public struct ProgressKey: Hashable, Sendable {
    /// Item id.
    public var item: String
    /// Milestone number (1-based), or `nil` for the whole item.
    public var milestone: Int?
    /// The lead agency whose part it is, or `nil` for every lead.
    public var agency: String?

    /// A key.
    public init(item: String, milestone: Int? = nil, agency: String? = nil) {
        self.item = item
        self.milestone = milestone
        self.agency = agency
    }
}

/// One report or decision (`dudao ack`): who said what about which work, and when. The
/// store keeps every one of them — the audit trail (留痕) — and `Standings` decides which
/// counts.
public struct ProgressReport: Hashable, Sendable {
    /// Which work.
    public var key: ProgressKey
    /// Its new status.
    public var status: ItemStatus
    /// Free text: what was done, the reason for an extension, the office's comment.
    public var note: String
    /// Who reported it.
    public var by: String
    /// When it was recorded.
    public var at: Date
    /// For `in_progress`: the day the agency promised its next report; chasing waits until then.
    public var nextReport: CivilDate?

    /// A report.
    public init(key: ProgressKey, status: ItemStatus, note: String = "", by: String, at: Date, nextReport: CivilDate? = nil) {
        self.key = key
        self.status = status
        self.note = note
        self.by = by
        self.at = at
        self.nextReport = nextReport
    }
}
