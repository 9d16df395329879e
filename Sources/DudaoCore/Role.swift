/// What an office account may do in the console. Each role includes the ones below it.
public enum Role: String, CaseIterable, Comparable, Sendable {
    /// Reads: the 台账, an item's file, the plan, reports and figures; changes nothing.
    case leader
    /// The office's daily work: review, item actions, retries, downloads.
    case clerk
    /// Accounts, the audit trail, the directory, lists and settings; and all a clerk does.
    case admin

    private var rank: Int { Role.allCases.firstIndex(of: self)! }
    public static func < (a: Role, b: Role) -> Bool { a.rank < b.rank }
}
