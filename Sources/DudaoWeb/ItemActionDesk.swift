import Foundation
import DudaoCore
import DudaoMessages
import DudaoSchedules
import DudaoStore

/// The item page's 办理 panel: what the office does on an item by itself (`ItemAction`), in
/// two steps like a review — the form, then a page saying exactly what will be recorded and
/// who will be told — recorded with its audit row in one transaction, replanned at once.
public struct ItemActionDesk: Sendable {
    let store: StateStore
    let schedules: @Sendable () -> ScheduleSet
    let templates: TemplateSet

    /// The panel's values for `item`: its leads and milestones to choose from, and what the
    /// office typed when it comes back to correct it (with the error, if any).
    func panel(_ item: Item, today: CivilDate, problem: (action: ItemAction, error: String?)?) -> [String: Any] {
        let typed = problem?.action
        func mine(_ kind: ItemAction.Kind) -> Bool { typed?.kind == kind }
        // Leads are added from the directory and removed while another remains.
        let kinds = ItemAction.Kind.allCases.filter { $0 != .removeLead || item.lead.count > 1 }
        let forms: [[String: Any]] = kinds.map { kind in
            let own = mine(kind) ? typed : nil
            let choices: [[String: Any]] = switch kind {
            case .addLead:
                // Typed, not chosen: a province's directory is thousands of names.
                []
            case .removeLead:
                [["value": "", "label": "请选择", "selected": own?.agency == nil]]
                    + item.lead.map { ["value": $0, "label": $0, "selected": own?.agency == $0] }
            default:
                [["value": "", "label": "全部牵头单位", "selected": own?.agency == nil]]
                    + item.lead.map { ["value": $0, "label": $0, "selected": own?.agency == $0] }
            }
            var form: [String: Any] = [
                "kind": kind.rawValue, "name": kind.name, "open": own != nil,
                "agency_label": kind.changesLeads ? "单位" : "牵头单位", "agencies": choices,
                "typed_agency": kind == .addLead, "agency": own?.agency ?? "",
                "has_milestones": item.milestones.count > 1 && !kind.changesLeads,
                "milestones": [["value": "", "label": "全部节点", "selected": own?.milestone == nil]]
                    + item.milestones.indices.map { m in
                        ["value": String(m + 1), "label": "第\(m + 1)个：\(item.milestones[m].text)", "selected": own?.milestone == m + 1]
                    },
                "date": own?.date ?? (kind == .proxy ? today.iso : ""), "reason": own?.reason ?? "",
                "dated": kind == .deadline || kind == .extend || kind == .proxy, "is_proxy": kind == .proxy,
                "date_label": kind == .proxy ? "收到日期" : "新的完成时限",
                "reason_label": kind == .proxy ? "报送内容" : "事由（如领导批示、会议决定）",
                "warn": kind == .cancel || kind == .removeLead,
                "states": ItemAction.proxyStates.map { ["value": $0.name, "label": Labels.state($0), "selected": own?.state == $0.name] },
                "sources": ItemAction.sources.map { ["value": $0, "label": $0, "selected": own?.source == $0] },
            ]
            if let own, let error = problem?.error, own.kind == kind { form["error"] = error }
            return form
        }
        return ["may_act": true, "act_forms": forms, "act_item": Self.path(item.id),
                "max_files": AttachmentStore.maxFiles, "max_mb": AttachmentStore.maxFileBytes >> 20]
    }

    /// The page that says what `action` will record, with 确认 and 返回修改.
    public func confirmation(_ action: ItemAction, attachments: [Attachment] = [], viewer: Viewer, now: Date) throws(ItemActionError) -> String {
        let set = schedules()
        if action.kind?.changesLeads == true { return try leadConfirmation(action, set: set, viewer: viewer, now: now) }
        let (report, item, standings) = try checked(action, set: set, now: now, user: viewer.user)
        var lines = ["事项\(item.id)“\(Labels.insideQuotes(item.title))”",
                     "牵头单位：\(report.key.agency ?? item.lead.joined(separator: "、"))"]
        if let m = report.key.milestone { lines.append("节点：第\(m)个（\(item.milestones[m - 1].text)）") }
        switch action.kind! {
        case .deadline, .extend:
            let m = report.key.milestone.map { $0 - 1 } ?? item.milestones.count - 1
            let now = standings.standing(item, milestone: m, agency: report.key.agency ?? item.lead[0]).due
            lines.append("现行完成时限：\(now.map(\.chinese) ?? item.dueText)")
            lines.append("\(action.kind == .deadline ? "调整为" : "延期至")：\(report.status.extendedTo!.chinese)")
            lines.append("事由：\(report.note)")
        case .cancel, .reopen:
            lines.append("办理：\(action.kind!.name)")
            lines.append("事由：\(report.note)")
        case .addLead, .removeLead:
            break
        case .proxy:
            lines.append("报送：\(Labels.event(report.status))")
            lines.append("内容：\(report.note)")
            lines.append(attachments.isEmpty ? "附件：无" : "附件：" + attachments.map { "\($0.filename)（\(OfficeDesk.size($0.size))）" }.joined(separator: "、"))
        }
        let fields: [[String: Any]] = [("action", action.kind!.rawValue), ("milestone", action.milestone.map(String.init) ?? ""),
                                       ("agency", action.agency ?? ""), ("date", action.date), ("state", action.state),
                                       ("source", action.source), ("reason", action.reason),
                                       ("files", Self.filesField(attachments))].map { ["name": $0.0, "value": $0.1] }
        let after = switch action.kind! {
        case .addLead, .removeLead: ""
        case .proxy: "记录后立即重新计划：催办按这份报送暂停，与单位在线报送相同。"
        case .cancel: "记录后立即重新计划，不再提醒；该单位将在下一个发送时间收到撤销告知。"
        default: "记录后立即重新计划；该单位将在下一个发送时间收到告知，写明事由。"
        }
        return templates.renderPage("confirm", viewer, [
            "page_title": "请确认", "heading": "请确认：\(action.kind!.name)", "lines": lines,
            "action": "/items/\(Self.path(item.id))/act", "fields": fields, "button": action.kind!.name,
            "warn": action.kind == .cancel, "after": after,
        ]) ?? ""
    }

    /// The confirmation of adding or removing a lead: the leads before and after.
    private func leadConfirmation(_ action: ItemAction, set: ScheduleSet, viewer: Viewer, now: Date) throws(ItemActionError) -> String {
        let (change, item) = try action.leadChange(in: set, now: now, user: viewer.user, office: set.policy.supervisor ?? "督查室")
        let after = LeadChange.apply([change], to: item.lead, item: item.id)
        let lines = ["事项\(item.id)“\(Labels.insideQuotes(item.title))”", "现有牵头单位：\(item.lead.joined(separator: "、"))",
                     "\(change.added ? "增加" : "减少")：\(change.agency)", "调整后牵头单位：\(after.joined(separator: "、"))", "事由：\(change.reason)"]
        let fields: [[String: Any]] = [("action", action.kind!.rawValue), ("agency", change.agency), ("reason", action.reason)].map { ["name": $0.0, "value": $0.1] }
        return templates.renderPage("confirm", viewer, [
            "page_title": "请确认", "heading": "请确认：\(action.kind!.name)", "lines": lines,
            "action": "/items/\(Self.path(item.id))/act", "fields": fields, "button": action.kind!.name, "warn": !change.added,
            "after": change.added ? "记录后重新读取清单并重新计划：\(change.agency)从下一个发送时间起收到该事项的提醒，可通过链接报送。"
                : "记录后重新读取清单并重新计划：\(change.agency)不再收到该事项的提醒，其已有报送留在记录中。",
        ]) ?? ""
    }

    /// Records `action` by `user` from `client`, its audit row (who, when, why) in the same
    /// transaction; returns the report's row id (or the lead change's, for `changesLeads`).
    public func record(_ action: ItemAction, attachments: [Attachment] = [], user: String, client: String, now: Date) throws(ItemActionError) -> Int64 {
        guard attachments.isEmpty || action.kind == .proxy else { throw ItemActionError("只有代录报送可以附文件。") }
        if let kind = action.kind, kind.changesLeads {
            let set = schedules()
            let (change, _) = try action.leadChange(in: set, now: now, user: user, office: set.policy.supervisor ?? "督查室")
            do {
                return try store.record(change, audit: AuditEntry(at: now, actor: user, client: client, action: kind.audit,
                                                                  detail: "\(kind.name) \(change.agency)；事由：\(change.reason)"))
            } catch {
                throw ItemActionError("无法记录：\(error)")
            }
        }
        let (report, _) = try check(action, set: schedules(), now: now, user: user)
        let object = "事项\(action.item)" + (report.key.milestone.map { "·第\($0)个节点" } ?? "") + "·\(report.key.agency ?? "全部牵头单位")"
        var words = [action.kind!.name]
        if let to = report.status.extendedTo { words.append(to.iso) }
        if action.kind == .proxy { words += [action.state, action.source, action.date] + attachments.map { "附件\($0.filename) SHA-256 \($0.sha256)" } }
        let audit = action.kind!.audit, reason = action.reason, said = words.joined(separator: " ")
        do {
            return try store.record(report, attachments: attachments, audit: { row in
                AuditEntry(at: now, actor: user, client: client, action: audit, object: object,
                           detail: "记录\(row)；\(said)；事由：\(reason)")
            })
        } catch {
            throw ItemActionError("无法记录：\(error)")
        }
    }

    /// The line after row `id` was recorded.
    public func recorded(id: Int64) -> String? {
        guard let r = try? store.report(id: id), r.origin != .reply || r.status.isDecision else { return nil }
        let word = r.origin == .proxy ? "代录\(Labels.event(r.status))" : Labels.decision(r) ?? Labels.event(r.status)
        return "已记录：事项\(r.key.item)（\(r.key.agency ?? "全部牵头单位")\(r.key.milestone.map { "，第\($0)个节点" } ?? "")）\(word)。计划已更新。"
    }

    func check(_ action: ItemAction, set: ScheduleSet, now: Date, user: String) throws(ItemActionError) -> (ProgressReport, Item) {
        let (report, item, _) = try checked(action, set: set, now: now, user: user)
        return (report, item)
    }

    /// `check`, with the standings it was checked against (the confirmation reads them too).
    private func checked(_ action: ItemAction, set: ScheduleSet, now: Date, user: String) throws(ItemActionError) -> (ProgressReport, Item, Standings) {
        let standings: Standings
        do { standings = try store.supervision(clock: LocalClock(timeZone: set.policy.timeZone)).standings } catch {
            throw ItemActionError("无法读取记录：\(error)")
        }
        let (report, item) = try action.report(in: set, standings: standings, now: now, user: user, office: set.policy.supervisor ?? "督查室")
        return (report, item, standings)
    }

    /// The kept files as the confirmation carries them back: a JSON list of [SHA-256, name].
    static func filesField(_ attachments: [Attachment]) -> String {
        JSONValue.array(attachments.map { .array([.string($0.sha256), .string($0.filename)]) }).text
    }

    /// The files a confirmation names (untrusted): each must be one the attachments hold,
    /// and is checked again as on upload; anything else is left out.
    static func files(_ field: String, in attachments: AttachmentStore) -> [Attachment] {
        guard field.utf8.count <= 8192, let pairs = try? JSONSerialization.jsonObject(with: Data(field.utf8)) as? [[String]] else { return [] }
        return pairs.prefix(AttachmentStore.maxFiles).compactMap { pair in
            guard pair.count == 2, pair[0].count == 64, pair[0].allSatisfy(\.isHexDigit), let data = attachments.contents(pair[0].lowercased()),
                  let checked = try? attachments.check(filename: pair[1], data: data), checked.attachment.sha256 == pair[0].lowercased() else { return nil }
            return checked.attachment
        }
    }

    /// An item id as a path segment.
    static func path(_ id: String) -> String { id.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/"])) ?? id }
}
