import Foundation
import DudaoCore

/// What the office does on an item by itself, from the item's page: move its deadline by
/// order (调整完成时限), grant an extension nobody asked for, cancel (撤销) or reopen it
/// (恢复办理), or record an answer the agency gave on paper or by phone (代录). Each is a
/// report in the store like any other — state, not definition, so it works on items from
/// files and from the store alike — with its origin, so messages tell it in the right words.
///
/// Every field is as posted (untrusted); `report` checks them against the schedules and the
/// standings and says what is wrong in words for the office.
public struct ItemAction: Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        case deadline, extend, cancel, reopen, proxy, addLead = "add_lead", removeLead = "remove_lead"

        /// Changes who leads the item (a `LeadChange`), not where its work stands.
        public var changesLeads: Bool { self == .addLead || self == .removeLead }

        /// The button's words.
        public var name: String {
            switch self {
            case .deadline: "调整完成时限"
            case .extend: "同意延期"
            case .cancel: "撤销事项"
            case .reopen: "恢复办理"
            case .proxy: "代录报送"
            case .addLead: "增加牵头单位"
            case .removeLead: "减少牵头单位"
            }
        }

        /// What the audit trail calls it.
        public var audit: AuditAction {
            switch self {
            case .deadline: .itemDeadline
            case .extend: .itemExtend
            case .cancel: .itemCancel
            case .reopen: .itemReopen
            case .proxy: .itemProxy
            case .addLead: .itemLeadAdd
            case .removeLead: .itemLeadRemove
            }
        }
    }

    /// Where a reply the office records came from.
    public static let sources = ["纸质来函", "电话", "当面报告", "政务内网", "其他"]
    /// What an agency may have answered, as the office records it for them.
    public static let proxyStates: [ItemStatus] = [.inProgress, .reported, .doneReported]
    /// Longest reason, in characters.
    public static let maxReason = 2000

    public var kind: Kind?
    public var item: String
    /// 1-based milestone, or nil for the whole item.
    public var milestone: Int?
    /// One lead agency, or nil for every lead.
    public var agency: String?
    /// The new deadline (`deadline`, `extend`) or the day the reply was received (`proxy`).
    public var date: String
    /// For `proxy`: the status word the agency reported.
    public var state: String
    /// For `proxy`: one of `sources`.
    public var source: String
    /// Why (领导批示…), or what the agency said.
    public var reason: String

    public init(kind: Kind?, item: String, milestone: Int? = nil, agency: String? = nil, date: String = "", state: String = "",
                source: String = "", reason: String) {
        self.kind = kind
        self.item = String(item.prefix(200))
        self.milestone = milestone
        self.agency = agency.flatMap { $0.isEmpty ? nil : String($0.prefix(200)) }
        self.date = String(date.prefix(40)).trimmingCharacters(in: .whitespaces)
        self.state = String(state.prefix(40))
        self.source = String(source.prefix(40))
        self.reason = String(reason.prefix(Self.maxReason + 1)).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The report this action records by `user` of `office` at `now`, and the item; or why not.
    public func report(in set: ScheduleSet, standings: Standings, now: Date, user: String, office: String) throws(ItemActionError) -> (ProgressReport, Item) {
        guard let kind, !kind.changesLeads else { throw ItemActionError("请选择办理事项。") }
        guard let item = set.items.first(where: { $0.id == self.item }) else { throw ItemActionError("没有序号为\(self.item)的事项。") }
        if let m = milestone, !(1...max(1, item.milestones.count)).contains(m) || item.milestones.isEmpty {
            throw ItemActionError("事项\(item.id)没有第\(m)个节点。")
        }
        var lead: String? = nil
        if let agency {
            let name = set.agencies.canonical(agency)
            guard item.lead.contains(name) else { throw ItemActionError("“\(agency)”不是事项\(item.id)的牵头单位（牵头：\(item.lead.joined(separator: "、"))）。") }
            lead = name
        }
        guard !reason.isEmpty else { throw ItemActionError(kind == .proxy ? "请填写报送内容。" : "请填写事由（如领导批示、会议决定）。") }
        guard reason.count <= Self.maxReason else { throw ItemActionError("事由不能超过\(Self.maxReason)字。") }
        let clock = LocalClock(timeZone: set.policy.timeZone)
        let today = clock.day(of: now)
        let key = ProgressKey(item: item.id, milestone: milestone, agency: lead)
        let office = "\(office)·\(user)"
        let parts = affected(item, lead: lead)
        func status(_ part: Part) -> ItemStatus { standings.standing(item, milestone: part.milestone, agency: part.agency).status }
        // The parts the action changes: the open ones, or for 撤销 and 恢复办理 the ones not
        // yet cancelled or the closed ones.
        let work: [Part]
        switch kind {
        case .cancel: work = parts.filter { status($0) != .cancelled }
        case .reopen: work = parts.filter { status($0).isFinal }
        default: work = parts.filter { !status($0).isFinal }
        }
        if work.isEmpty {
            switch kind {
            case .cancel: throw ItemActionError("事项\(item.id)已撤销。")
            case .reopen: throw ItemActionError("事项\(item.id)未销号或撤销，无需恢复办理。")
            default: throw ItemActionError("事项\(item.id)已销号或撤销；如需继续办理，请先恢复办理。")
            }
        }
        let report: ProgressReport
        switch kind {
        case .deadline, .extend:
            guard !item.milestones.isEmpty else { throw ItemActionError("事项\(item.id)为持续推进事项，没有完成时限可调整；请修改清单。") }
            guard let to = CivilDate(iso: date), to <= today.adding(days: 3660) else {
                throw ItemActionError("新的完成时限应为十年内的日期（如2027-03-31）。")
            }
            guard to >= today else { throw ItemActionError("新的完成时限不能早于今天（\(today.chinese)）。") }
            let current = work.compactMap { standings.standing(item, milestone: $0.milestone, agency: $0.agency).due }.max()
            if kind == .extend, let current, to <= current {
                throw ItemActionError("延期日期应晚于现行完成时限（\(current.chinese)）；提前请用“调整完成时限”。")
            }
            report = ProgressReport(key: key, status: .extended(to: to), note: reason, by: office, at: now,
                                    origin: kind == .deadline ? .deadlineChange : .office)
        case .cancel:
            report = ProgressReport(key: key, status: .cancelled, note: reason, by: office, at: now, origin: .office)
        case .reopen:
            report = ProgressReport(key: key, status: .open, note: reason, by: office, at: now, origin: .office)
        case .proxy:
            guard let status = Self.proxyStates.first(where: { $0.name == state }) else { throw ItemActionError("请选择报送的状态。") }
            guard Self.sources.contains(source) else { throw ItemActionError("请选择来源（\(Self.sources.joined(separator: "、"))）。") }
            guard let received = CivilDate(iso: date), received <= today, received >= today.adding(days: -366) else {
                throw ItemActionError("收到日期应为一年内、不晚于今天的日期（如\(today.iso)）。")
            }
            report = ProgressReport(key: key, status: status, note: "\(reason)（\(source)，\(received.chinese)收到）",
                                    by: "\(lead ?? item.lead.joined(separator: "、"))（\(office)代录）", at: now, origin: .proxy)
        case .addLead, .removeLead:
            throw ItemActionError("请选择办理事项。")
        }
        // The new report must change what it is meant to for every part it names: a part
        // closed on its own (one agency's 销号) is not reopened by a report on the whole item.
        let after = Standings(reports: standings.reports(item: item.id) + [report])
        for part in work {
            let s = after.standing(item, milestone: part.milestone, agency: part.agency)
            guard s.report == report else {
                let which = (item.milestones.count > 1 ? "第\((part.milestone ?? 0) + 1)个节点、" : "") + part.agency
                throw ItemActionError("事项\(item.id)（\(which)）的“\(Labels.state(s.status))”是单独记录的，请选择该单位\(item.milestones.count > 1 ? "及节点" : "")分别办理。")
            }
        }
        return (report, item)
    }

    /// The lead change this action records (增加/减少牵头单位), by `user` of `office` at `now`.
    public func leadChange(in set: ScheduleSet, now: Date, user: String, office: String) throws(ItemActionError) -> (LeadChange, Item) {
        guard let kind, kind.changesLeads else { throw ItemActionError("请选择办理事项。") }
        guard let item = set.items.first(where: { $0.id == self.item }) else { throw ItemActionError("没有序号为\(self.item)的事项。") }
        guard let typed = agency else { throw ItemActionError("请选择单位。") }
        guard let known = set.agencies.agency(named: typed), !known.isGroup else {
            throw ItemActionError("通讯录中没有单位“\(typed)”；请先在通讯录中添加。")
        }
        guard !reason.isEmpty else { throw ItemActionError("请填写事由（如领导批示、会议决定）。") }
        guard reason.count <= Self.maxReason else { throw ItemActionError("事由不能超过\(Self.maxReason)字。") }
        if kind == .addLead, item.lead.contains(known.name) { throw ItemActionError("“\(known.name)”已是事项\(item.id)的牵头单位。") }
        if kind == .removeLead {
            guard item.lead.contains(known.name) else { throw ItemActionError("“\(known.name)”不是事项\(item.id)的牵头单位。") }
            guard item.lead.count > 1 else { throw ItemActionError("事项\(item.id)只有这一个牵头单位，不能减少；如不再实施请撤销事项。") }
        }
        return (LeadChange(item: item.id, agency: known.name, added: kind == .addLead, reason: reason, by: "\(office)·\(user)", at: now), item)
    }

    /// One lead's work on one milestone (0-based; nil for ongoing work).
    typealias Part = (milestone: Int?, agency: String)

    /// The parts the action names.
    private func affected(_ item: Item, lead: String?) -> [Part] {
        let milestones: [Int?] = milestone.map { [$0 - 1] } ?? (item.milestones.isEmpty ? [nil] : item.milestones.indices.map { $0 })
        return (lead.map { [$0] } ?? item.lead).flatMap { a in milestones.map { (milestone: $0, agency: a) } }
    }
}

/// Why an item action was not recorded, in words for the office.
public struct ItemActionError: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ text: String) { description = text }
}
