/// One row of a task list: a piece of reform work, who leads it, and when it is due.
public struct Item: Hashable, Sendable {
    /// 序号 as written (`"8"`, `"2.3"`): stable, used in dedup keys and `ack`.
    public var id: String
    /// 改革事项.
    public var title: String
    /// 主要内容, plain text.
    public var content: String
    /// 具体举措, one entry per measure, numbering removed.
    public var measures: [String]
    /// 牵头单位: the agencies reminded, canonical names once a directory resolved them.
    public var lead: [String]
    /// 配合单位.
    public var partners: [String]
    /// True when the partner cell ended in `等相关部门` / `等`.
    public var partnersAndOthers: Bool
    /// 完成时间 as written.
    public var dueText: String
    /// True when the work has no end date (持续推进).
    public var ongoing: Bool
    /// Dated milestones; empty for purely ongoing work.
    public var milestones: [Milestone]
    /// Progress of the whole item.
    public var status: ItemStatus

    /// An item from its parts.
    public init(id: String, title: String, content: String = "", measures: [String] = [],
                lead: [String], partners: [String] = [], partnersAndOthers: Bool = false,
                dueText: String, ongoing: Bool = false, milestones: [Milestone] = [],
                status: ItemStatus = .open) {
        self.id = id
        self.title = title
        self.content = content
        self.measures = measures
        self.lead = lead
        self.partners = partners
        self.partnersAndOthers = partnersAndOthers
        self.dueText = dueText
        self.ongoing = ongoing
        self.milestones = milestones
        self.status = status
    }
}

/// A dated step of an item, reminded on its own.
public struct Milestone: Hashable, Sendable {
    /// Due at the end of this day.
    public var due: CivilDate
    /// First day of a window (`2024年3月—6月`), if the text named one.
    public var start: CivilDate?
    /// The clause as written.
    public var text: String
    /// Progress of this milestone; `nil` means "as the item".
    public var status: ItemStatus?

    /// A milestone from its parts.
    public init(due: CivilDate, start: CivilDate? = nil, text: String, status: ItemStatus? = nil) {
        self.due = due
        self.start = start
        self.text = text
        self.status = status
    }

    /// A milestone for a parsed deadline clause.
    public init(_ due: MilestoneDue) {
        self.init(due: due.due, start: due.start, text: due.text)
    }
}

extension Item {
    /// The status that governs milestone `index`: its own, else the item's.
    public func status(ofMilestone index: Int) -> ItemStatus {
        milestones[index].status ?? status
    }

    /// The date milestone `index` is due once extensions are applied — the one rule the
    /// planner, `check` and `status` share. A milestone's own extension replaces its date;
    /// an extension of the whole item moves only the milestones due before the new date.
    public func effectiveDue(ofMilestone index: Int) -> CivilDate {
        let milestone = milestones[index]
        guard case .extended(let to) = status(ofMilestone: index) else { return milestone.due }
        return milestone.status == nil ? max(milestone.due, to) : to
    }
}

/// Where a piece of work stands. Done and cancelled work gets no more reminders; extended
/// work is replanned against its new date.
public enum ItemStatus: Hashable, Sendable {
    case open
    case inProgress
    case done
    case cancelled
    case extended(to: CivilDate)

    /// Every status word, as files, the store and the command line write it.
    public static let names = ["open", "in_progress", "done", "cancelled", "extended"]

    /// The status a word names; `extended` needs the new date (`nil` without one, as for an
    /// unknown word).
    public init?(name: String, extendedTo: CivilDate? = nil) {
        switch name {
        case "open": self = .open
        case "in_progress": self = .inProgress
        case "done": self = .done
        case "cancelled": self = .cancelled
        case "extended":
            guard let extendedTo else { return nil }
            self = .extended(to: extendedTo)
        default: return nil
        }
    }

    /// The new due date of extended work.
    public var extendedTo: CivilDate? {
        if case .extended(let to) = self { to } else { nil }
    }

    /// The word used in files and on the command line.
    public var name: String {
        switch self {
        case .open: "open"
        case .inProgress: "in_progress"
        case .done: "done"
        case .cancelled: "cancelled"
        case .extended: "extended"
        }
    }

    /// False for done and cancelled work.
    public var wantsReminders: Bool {
        switch self {
        case .done, .cancelled: false
        default: true
        }
    }
}
