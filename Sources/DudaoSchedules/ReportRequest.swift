import Foundation
import DudaoCore

/// A report or decision as a person gives it (`dudao ack`, later the console), checked
/// against the schedules before it becomes a `ProgressReport`: the item and milestone
/// exist, the agency leads the item, the dates the state needs are there and only those.
public struct ReportRequest: Sendable {
    public var item: String
    /// 1-based milestone, or nil for the whole item.
    public var milestone: Int?
    /// A lead agency (any name agencies.yaml knows), or nil for every lead.
    public var agency: String?
    /// A status word (`ItemStatus.names`).
    public var status: String
    /// New date for `extended` and `extension_requested`.
    public var due: CivilDate?
    /// Promised date of the next report, for `in_progress`.
    public var nextReport: CivilDate?
    public var note: String
    public var by: String

    /// A request from its parts.
    public init(item: String, milestone: Int? = nil, agency: String? = nil, status: String, due: CivilDate? = nil,
                nextReport: CivilDate? = nil, note: String = "", by: String) {
        self.item = item
        self.milestone = milestone
        self.agency = agency
        self.status = status
        self.due = due
        self.nextReport = nextReport
        self.note = note
        self.by = by
    }

    /// The report, or why not (bilingual, naming the item).
    public func report(in set: ScheduleSet, at: Date) throws(ReportRequestError) -> (report: ProgressReport, item: Item) {
        guard let target = set.items.first(where: { $0.id == item }) else {
            throw ReportRequestError("没有序号为 \(item) 的事项 no item with id “\(item)”")
        }
        if let m = milestone, target.milestones.isEmpty || !(1...target.milestones.count).contains(m) {
            throw ReportRequestError("事项 \(item) 有 \(target.milestones.count) 个里程碑 item \(item) has \(target.milestones.count) milestone(s); milestone \(m) does not exist")
        }
        var lead: String? = nil
        if let agency {
            let name = set.agencies.canonical(agency)
            guard target.lead.contains(name) else {
                throw ReportRequestError("“\(agency)” 不是事项 \(item) 的牵头单位 does not lead item \(item) (leads: \(target.lead.joined(separator: "、")))")
            }
            lead = name
        }
        guard ItemStatus.names.contains(status) else {
            throw ReportRequestError("未知状态 unknown status “\(status)” (\(ItemStatus.names.joined(separator: ", ")))")
        }
        let dated = status == "extended" || status == "extension_requested"
        if dated, due == nil { throw ReportRequestError("\(status) 需要新的完成日期 needs the new date (--due YYYY-MM-DD)") }
        if !dated, due != nil { throw ReportRequestError("新的完成日期只用于 extended 或 extension_requested the new date is only for extended or extension_requested") }
        if nextReport != nil, status != "in_progress" {
            throw ReportRequestError("下次报送日期只用于 in_progress the next report date is only for in_progress")
        }
        guard let newStatus = ItemStatus(name: status, extendedTo: due) else {
            throw ReportRequestError("未知状态 unknown status “\(status)”")
        }
        let report = ProgressReport(key: ProgressKey(item: item, milestone: milestone, agency: lead), status: newStatus,
                                    note: note, by: by, at: at, nextReport: nextReport)
        return (report, target)
    }
}

/// Why a report cannot be recorded.
public struct ReportRequestError: Error, Sendable, CustomStringConvertible {
    public var description: String
    init(_ text: String) { description = text }
}
