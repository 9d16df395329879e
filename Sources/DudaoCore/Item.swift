/// One row of a task list: a piece of reform work, who leads it, and when it is due.
///
/// The small fields come last: in declaration order a Bool between two strings pads to
/// eight bytes, and a service holding 100,000 items holds them all.
public struct Item: Hashable, Sendable {
    /// 序号 as written (`"8"`, `"2.3"`): stable, used in dedup keys and `ack`.
    public var id: String
    /// 改革事项, held packed (see `PackedText`; `packTitles()` shares one block).
    var titleText: PackedText
    /// 主要内容, plain text.
    public var content: String
    /// 完成时间 as written.
    public var dueText: String
    /// 具体举措, one entry per measure, numbering removed.
    public var measures: [String]
    /// 牵头单位: the agencies reminded, canonical names once a directory resolved them.
    public var lead: [String]
    /// 配合单位.
    public var partners: [String]
    /// Dated milestones; empty for purely ongoing work.
    public var milestones: [Milestone]
    /// Progress of the whole item.
    public var status: ItemStatus
    /// True when the partner cell ended in `等相关部门` / `等`.
    public var partnersAndOthers: Bool
    /// True when the work has no end date (持续推进).
    public var ongoing: Bool

    /// An item from its parts.
    public init(id: String, title: String, content: String = "", measures: [String] = [],
                lead: [String], partners: [String] = [], partnersAndOthers: Bool = false,
                dueText: String, ongoing: Bool = false, milestones: [Milestone] = [],
                status: ItemStatus = .open) {
        self.id = id
        self.titleText = PackedText(title)
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
    /// 改革事项.
    public var title: String {
        get { titleText.string }
        set { titleText = PackedText(newValue) }
    }

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

extension Array where Element == Item {
    /// Moves every title into one shared block: what a loaded list keeps for as long as the
    /// service runs, at about a third of the memory of one `String` per title.
    public mutating func packTitles() {
        let packed = PackedText.pack(map(\.titleText))
        for index in indices { self[index].titleText = packed[index] }
    }
}
