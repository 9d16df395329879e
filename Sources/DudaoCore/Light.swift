/// The traffic light of a piece of work for one agency: 红 overdue, 黄 due soon (or
/// ongoing work without a recent report), 绿 on track, 蓝 done, 灰 cancelled.
public enum Light: String, Hashable, Sendable, CaseIterable, Comparable {
    case red, yellow, green, blue, grey

    /// 红, 黄, 绿, 蓝, 灰.
    public var chinese: String {
        switch self {
        case .red: "红"
        case .yellow: "黄"
        case .green: "绿"
        case .blue: "蓝"
        case .grey: "灰"
        }
    }

    /// A colour for HTML, dark enough for white text on it (WCAG contrast ≥ 4.5:1).
    public var colour: String {
        switch self {
        case .red: "#c62828"
        case .yellow: "#f9a825"
        case .green: "#2e7d32"
        case .blue: "#1565c0"
        case .grey: "#616161"
        }
    }

    /// Worse lights sort first: red, yellow, green, blue, grey.
    public static func < (a: Light, b: Light) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// policy.yaml `lights:` — when work turns yellow.
public struct LightRule: Hashable, Sendable {
    /// Dated work due within this many days is yellow.
    public var soonDays: Int
    /// Ongoing work without a report for longer than this many days is yellow.
    public var quietDays: Int

    /// Seven days; a month.
    public init(soonDays: Int = 7, quietDays: Int = 31) {
        self.soonDays = soonDays
        self.quietDays = quietDays
    }

    /// The light of one standing on `today`; `lastReport` is the agency's newest answer.
    public func light(_ standing: Standing, ongoing: Bool, today: CivilDate, lastReport: CivilDate?) -> Light {
        switch standing.status {
        case .done: return .blue
        case .cancelled: return .grey
        default: break
        }
        if let due = standing.due {
            if due < today { return .red }
            return today.days(until: due) <= soonDays ? .yellow : .green
        }
        guard ongoing else { return .green }
        guard let lastReport else { return .yellow }
        return lastReport.days(until: today) > quietDays ? .yellow : .green
    }
}
