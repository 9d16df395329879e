/// The numbered documents Dudao issues (公文), each from its own yearly sequence.
public enum DocumentKind: String, Sendable, CaseIterable {
    /// 督查通报: the office's weekly or monthly report.
    case report
    /// 督办通知单: a level-2 or higher overdue message to an agency.
    case notice

    /// The document a message carries, if any.
    public static func of(_ message: PlannedMessage) -> DocumentKind? {
        switch message.kind {
        case .report: .report
        case .overdue where message.level >= 2: .notice
        default: nil
        }
    }

    public var name: String { self == .report ? "督查通报" : "督办通知单" }

    /// The 文号 pattern policy.yaml sets for it.
    public func pattern(_ policy: Policy) -> String {
        self == .report ? policy.officeReport.number : policy.officeReport.noticeNumber
    }

    /// Its 文号: the pattern with `year` and `n` filled in (督通〔2026〕3号); without `n`, a
    /// draft's 督通〔2026〕（待编号）号.
    public func number(_ policy: Policy, year: Int, n: Int?) -> String {
        pattern(policy).replacingOccurrences(of: "{year}", with: String(year)).replacingOccurrences(of: "{n}", with: n.map(String.init) ?? "（待编号）")
    }
}
