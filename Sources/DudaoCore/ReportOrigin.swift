/// How a report or decision came to be recorded: what the messages and pages may say
/// about it. A decision the office took on its own must not be told as "已审核贵单位报送的"
/// when the agency reported nothing, and a deadline moved by order is not an extension.
public enum ReportOrigin: String, Hashable, Sendable, CaseIterable {
    /// The agency's own answer (reply link, `dudao ack`), or the office's decision on it (审核).
    case reply
    /// 调整完成时限: the office moved the deadline by order (领导批示), earlier or later.
    case deadlineChange = "deadline_change"
    /// The office acted without a request: an extension granted, a cancellation (撤销), a
    /// reopening (恢复办理).
    case office
    /// 代录: the office recorded an answer the agency gave on paper or by phone.
    case proxy

    /// True when the office decided on its own, not on the agency's report.
    public var isOfficeInitiative: Bool { self == .deadlineChange || self == .office }
}
