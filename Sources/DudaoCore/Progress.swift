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
    /// The store's row id once recorded (`nil` before): what the office's pages name a
    /// decision by, to withdraw it.
    public var id: Int64?
    /// Files of evidence attached to it, as the store counts them.
    public var files: Int
    /// Set when the office withdrew this decision (撤回决定): it no longer counts, and stays
    /// in the history.
    public var withdrawn: Withdrawal?
    /// How it came to be recorded (the agency's answer or a review by default).
    public var origin: ReportOrigin

    /// A report.
    public init(key: ProgressKey, status: ItemStatus, note: String = "", by: String, at: Date, nextReport: CivilDate? = nil,
                id: Int64? = nil, files: Int = 0, withdrawn: Withdrawal? = nil, origin: ReportOrigin = .reply) {
        self.key = key
        self.status = status
        self.note = note
        self.by = by
        self.at = at
        self.nextReport = nextReport
        self.id = id
        self.files = files
        self.withdrawn = withdrawn
        self.origin = origin
    }

    /// True when `other`'s key covers this one's work: the same or the whole item, the same
    /// agency or every lead.
    public func isCovered(by other: ProgressKey) -> Bool {
        other.item == key.item && (other.milestone == nil || other.milestone == key.milestone)
            && (other.agency == nil || other.agency == key.agency)
    }
}

/// The office taking back a decision (撤回决定): who, and when.
public struct Withdrawal: Hashable, Sendable {
    /// Who withdrew it (`督查室·张三`).
    public var by: String
    /// When.
    public var at: Date

    /// A withdrawal.
    public init(by: String, at: Date) {
        self.by = by
        self.at = at
    }
}
