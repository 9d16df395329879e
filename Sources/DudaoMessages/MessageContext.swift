import DudaoCore

/// What a template can show about one message: the addressee, the office and whom to
/// call there, a list of the items when there are many, and one block per item
/// (`MessageBlock`) with its number, title, measures, agencies, the deadline as written and
/// as a date (or the report period of ongoing work), days left or overdue, the ladder level,
/// the reply date where a reply is due, and the reminders that really preceded it (留痕).
/// Pure: built from the plan and its records.
public struct MessageContext: Sendable {
    /// Name of the supervising office signing the message (督查室).
    public var office: String
    /// Where agencies report progress (an address or a sentence); shown when set.
    public var reportTo: String?
    /// Reply links, when the service has a web address.
    public var replyLinks: (any ReplyLinking)?
    /// Whom an agency calls at the office: the supervisor's `contact:` in agencies.yaml.
    public var contact: Contact?
    /// The list each item belongs to (`ScheduleSet.itemLists`), for the figures per list;
    /// asked for only when a report renders, so an idle service holds no copy per item.
    public var itemLists: @Sendable () -> [String] = { [] }

    /// A context builder.
    public init(office: String?, reportTo: String? = nil, replyLinks: (any ReplyLinking)? = nil, contact: Contact? = nil,
                itemLists: @escaping @Sendable () -> [String] = { [] }) {
        self.office = office ?? "督查室"
        self.reportTo = reportTo
        self.replyLinks = replyLinks
        self.contact = contact
        self.itemLists = itemLists
    }

    /// The highest level with its own template folder (`overdue-3`); higher levels use it.
    static let topTemplateLevel = 3

    /// Digests with more items than this open with a list of them (and the reply link).
    static let indexAbove = 3

    /// The template folder a message renders with: `verify`, `overdue-1`…`overdue-3` for
    /// overdue messages (however many items), `report`, `decision` (however many items), else
    /// its kind — or `digest` when it carries several notices of other kinds.
    public static func templateName(for message: PlannedMessage) -> String {
        switch message.kind {
        case .verify: return "verify"
        case .overdue: return message.level == 0 ? "verify" : "overdue-\(min(message.level, topTemplateLevel))"
        case .report: return "report"
        case .decision: return "decision"
        default: return message.noticeRange.count > 1 ? "digest" : message.kind.rawValue
        }
    }

    /// The values for `message`, as Mustache reads them (dictionaries, arrays, strings,
    /// numbers, booleans). A report's `figures` are computed here unless given.
    public func values(for message: PlannedMessage, in plan: Plan, figures: ReportFigures? = nil) -> [String: Any] {
        let notices = Array(plan.notices(in: message))
        if message.kind == .report, let figures = figures ?? self.figures(for: message, in: plan) {
            return OfficeReportValues(office: office, plan: plan).values(for: message, figures: figures)
        }
        let blocks = MessageBlock.blocks(notices, in: message, plan: plan).map { $0.values(office: office, day: message.sendDay, plan: plan) }
        let level = plan.policy.ladder.level(message.level)
        func earliest(_ which: String) -> CivilDate? {
            blocks.filter { $0[which] as? Bool == true }.compactMap { ($0["reply_by_iso"] as? String).flatMap(CivilDate.init(iso:)) }.min()
        }
        func any(_ flag: String) -> Bool { blocks.contains { $0[flag] as? Bool == true } }
        var values: [String: Any] = [
            "agency": message.to.agency,
            "cc": message.cc.map(Self.cc).joined(separator: "、"),
            "has_cc": !message.cc.isEmpty,
            "kind": message.kind.rawValue,
            "level": message.level,
            "level_name": message.level == 0 ? "核实" : level?.name ?? "督办",
            "is_verify": message.kind == .verify,
            "is_level2": message.level >= 2,
            "is_escalation": message.level >= 1,
            "copies_leadership": message.cc.contains { $0.role == .leadership },
            "count": blocks.count,
            "has_many_items": blocks.count > 1,
            "has_index": blocks.count > Self.indexAbove,
            "send_date": Labels.date(message.sendDay),
            "send_iso": message.sendDay.iso,
            "office": office,
            "items": blocks,
            "first": blocks.first ?? [:],
            "overdue_count": blocks.filter { $0["is_overdue"] as? Bool == true }.count,
            "has_overdue": any("is_overdue"),
            "has_verify": any("is_verify"),
            "has_escalation_items": any("is_escalation"),
            "has_progress": any("is_progress"),
            "has_reminders": any("is_advance") || any("is_due"),
            "has_decisions": any("is_decision"),
            // 已审核贵单位报送的… only when every decision told answers the agency's report.
            "all_reviews": !blocks.contains { $0["is_decision"] as? Bool == true && $0["is_review"] as? Bool == false },
            // Only monthly report requests: no deadline to meet, no extension to ask for.
            "only_progress": blocks.allSatisfy { $0["is_report_period"] as? Bool == true },
            "has_reply_by": false,
        ]
        for (flag, name) in [("is_verify", "verify_reply_by"), ("is_escalation", "escalation_reply_by"), ("is_progress", "progress_reply_by")] {
            if let day = earliest(flag) { values[name] = Labels.date(day) }
        }
        let replyBy = blocks.compactMap { ($0["reply_by_iso"] as? String).flatMap(CivilDate.init(iso:)) }.min()
        if let replyBy {
            values["reply_by"] = Labels.date(replyBy)
            values["reply_by_iso"] = replyBy.iso
            values["has_reply_by"] = true
        }
        if let reportTo { values["report_to"] = reportTo }
        if let contact = contactValues() { values["contact"] = contact }
        if let replyLinks {
            values["reply_url"] = replyLinks.link(agency: message.to.agency, items: plan.itemIDs(message), sent: message.sendDay)
        }
        values["reminders_sent"] = blocks.first?["reminders_sent"] ?? Self.reminders(SentHistory.Reminders())
        return values
    }

    /// The report and figures a report message carries (nil for any other message):
    /// computed once, then given to its text and to its 督查通报.
    public func figures(for message: PlannedMessage, in plan: Plan) -> ReportFigures? {
        guard message.kind == .report, let notice = plan.notices(in: message).first else { return nil }
        return ReportFigures(plan: plan, message: message, monthly: notice.rule == .report(monthly: true), lists: itemLists())
    }

    /// `市卫健委分管领导`, `市政府督查室`: whom a copy goes to, in words.
    public static func cc(_ r: Recipient) -> String { r.role == .leadership ? "\(r.agency)分管领导" : r.agency }

    /// `contact.line` (联系人：张三，电话：…，邮箱：…) and its parts; `nil` when agencies.yaml
    /// names nobody at the office.
    private func contactValues() -> [String: Any]? {
        guard let contact else { return nil }
        var parts = ["联系人：\(contact.name)"]
        if let phone = contact.phone { parts.append("电话：\(phone)") }
        if let email = contact.email { parts.append("邮箱：\(email)") }
        return ["name": contact.name, "phone": contact.phone ?? "", "email": contact.email ?? "", "line": parts.joined(separator: "，")]
    }

    /// `reminders_sent` as templates read it: `count`, `first`, `last`, `dates`, and `any` /
    /// `many` (≥ 2) so wording such as "多次" appears only when the records show it.
    /// With `signing` (a `sign:` policy), also what the records show was signed for: the
    /// day the agency last signed (`signed`), or that it never did (`never_signed`).
    static func reminders(_ r: SentHistory.Reminders, signing: Bool = false, lastSigned: CivilDate? = nil) -> [String: Any] {
        var out: [String: Any] = ["count": r.count, "any": r.count > 0, "many": r.count >= 2, "none": r.count == 0]
        if signing, r.count > 0 {
            if let lastSigned { out["signed"] = Labels.date(lastSigned) } else { out["never_signed"] = true }
        }
        if let first = r.first, let last = r.last {
            out["first"] = Labels.date(first)
            out["last"] = Labels.date(last)
            out["dates"] = r.count == r.days.count ? r.days.map(Labels.date).joined(separator: "、")
                : "\(Labels.date(first))至\(Labels.date(last))"
        }
        return out
    }
}
