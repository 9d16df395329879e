import Foundation

/// The office adding or removing a lead agency of an item (增加/减少牵头单位), by decision,
/// without editing the list: kept in the store in order and applied to the item's leads
/// when the schedules are loaded, whether the item comes from a file or the store.
public struct LeadChange: Hashable, Sendable {
    public var item: String
    /// The agency's canonical name.
    public var agency: String
    /// True to add it, false to remove it.
    public var added: Bool
    public var reason: String
    public var by: String
    public var at: Date

    public init(item: String, agency: String, added: Bool, reason: String, by: String, at: Date) {
        self.item = item
        self.agency = agency
        self.added = added
        self.reason = reason
        self.by = by
        self.at = at
    }

    /// `leads` after `changes` (oldest first) that name `item`: an agency added once, never
    /// the last one removed.
    public static func apply(_ changes: [LeadChange], to leads: [String], item: String) -> [String] {
        var out = leads
        for c in changes where c.item == item {
            if c.added {
                if !out.contains(c.agency) { out.append(c.agency) }
            } else if out.count > 1 {
                out.removeAll { $0 == c.agency }
            }
        }
        return out
    }
}
