/// What a new revision of a list changes against the one in force: the preview the office
/// reads before publishing (立项) it. Items are matched by id.
public struct ListDiff: Hashable, Sendable {
    /// One field of an item that differs.
    public enum Field: String, Hashable, Sendable, CaseIterable {
        case title = "事项", lead = "牵头单位", partners = "配合单位", deadline = "完成时间", content = "主要内容", measures = "具体举措"
    }

    /// An item in both revisions that differs in `fields`.
    public struct Change: Hashable, Sendable {
        public var before: Item
        public var after: Item
        public var fields: [Field]
    }

    /// Ids in the new revision only, in its order.
    public var added: [Item] = []
    /// Ids in the old revision only, in its order.
    public var removed: [Item] = []
    /// Items in both that differ, in the new revision's order.
    public var changed: [Change] = []
    /// Items in both, alike.
    public var unchanged = 0

    /// True when publishing would change nothing.
    public var isEmpty: Bool { added.isEmpty && removed.isEmpty && changed.isEmpty }

    /// The difference from `old` (empty for a new list) to `new`.
    public init(from old: [Item], to new: [Item]) {
        var before: [String: Item] = [:]
        before.reserveCapacity(old.count)
        for item in old { before[item.id] = item }
        var seen = Set<String>()
        seen.reserveCapacity(new.count)
        for item in new {
            seen.insert(item.id)
            guard let was = before[item.id] else { added.append(item); continue }
            let fields = Self.fields(was, item)
            if fields.isEmpty { unchanged += 1 } else { changed.append(Change(before: was, after: item, fields: fields)) }
        }
        removed = old.filter { !seen.contains($0.id) }
    }

    static func fields(_ a: Item, _ b: Item) -> [Field] {
        var out: [Field] = []
        if a.title != b.title { out.append(.title) }
        if a.lead != b.lead { out.append(.lead) }
        if a.partners != b.partners || a.partnersAndOthers != b.partnersAndOthers { out.append(.partners) }
        if a.dueText != b.dueText || a.milestones.map(\.due) != b.milestones.map(\.due) || a.ongoing != b.ongoing { out.append(.deadline) }
        if a.content != b.content { out.append(.content) }
        if a.measures != b.measures { out.append(.measures) }
        return out
    }
}
