import Foundation
import DudaoCore
import DudaoMessages
import DudaoSchedules
import DudaoStore

/// The agencies' side of the console: the page a reply link opens and what submitting it
/// records. No login: the signed link is the credential, scoped to one agency and the
/// items of one message, and a refused link shows nothing about the work.
public struct ReplyDesk: Sendable {
    /// The page to send back.
    public enum Page: Sendable {
        /// The form (or the form again with what was wrong).
        case form(String)
        /// The receipt after recording.
        case receipt(String)
        /// A tampered, expired or foreign link: no data.
        case refused(String)
    }

    let store: StateStore
    let keys: ReplyKeys
    let schedules: @Sendable () -> ScheduleSet
    let templates: TemplateSet
    let attachments: AttachmentStore?
    let onReport: @Sendable () -> Void

    /// Longest free text accepted, in characters.
    static let maxText = 2000

    /// A desk over the state, the signing keys, the schedules in force (asked on each
    /// request: a reload swaps them), the templates, and what to do after a report.
    /// Without `attachments`, files sent with a report are refused.
    public init(store: StateStore, keys: ReplyKeys, schedules: @escaping @Sendable () -> ScheduleSet, templates: TemplateSet,
                attachments: AttachmentStore? = nil, onReport: @escaping @Sendable () -> Void) {
        self.store = store
        self.attachments = attachments
        self.keys = keys
        self.schedules = schedules
        self.templates = templates
        self.onReport = onReport
    }

    /// The page `token` opens at `now`.
    public func page(token: String, now: Date) -> Page {
        let set = schedules()
        guard let (reply, items) = verified(token, set: set, now: now) else { return refused() }
        return .form(form(reply, items: items, set: set, now: now, token: token, filled: ReplyForm(), errors: []))
    }

    /// Records what the agency submitted, or shows the form again with what is wrong.
    public func submit(token: String, form submitted: ReplyForm, files: [(name: String, data: Data)] = [], client: String, now: Date) -> Page {
        let set = schedules()
        guard let (reply, items) = verified(token, set: set, now: now) else { return refused() }
        let clock = LocalClock(timeZone: set.policy.timeZone)
        let today = clock.day(of: now)
        var errors: [String] = []
        let text = (submitted.text ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if text.isEmpty { errors.append("请填写情况说明。") }
        if text.count > Self.maxText { errors.append("情况说明不能超过\(Self.maxText)字。") }
        guard let id = submitted.item, let item = items.first(where: { $0.id == id }) else {
            return .form(form(reply, items: items, set: set, now: now, token: token, filled: submitted, errors: errors + ["请选择事项。"]))
        }
        var percent: Int? = nil
        if let p = submitted.percent?.trimmingCharacters(in: .whitespaces), !p.isEmpty {
            if let v = Int(p), (0...100).contains(v) { percent = v } else { errors.append("完成进度应为0到100之间的整数。") }
        }
        func date(_ text: String?, _ what: String) -> CivilDate? {
            guard let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
            guard let d = CivilDate(iso: text), d > today, d <= today.adding(days: 730) else {
                errors.append("\(what)应为今天之后两年内的日期。")
                return nil
            }
            return d
        }
        let status: String
        var due: CivilDate? = nil
        var nextReport: CivilDate? = nil
        switch submitted.action {
        case "progress":
            nextReport = date(submitted.next_report, "下次报送日期")
            status = nextReport == nil ? "reported" : "in_progress"
        case "done":
            status = "done_reported"
        case "extension":
            due = date(submitted.new_due, "申请延期日期")
            if due == nil, (submitted.new_due ?? "").isEmpty { errors.append("申请延期请填写新的完成日期。") }
            status = "extension_requested"
        default:
            errors.append("请选择报送类型。")
            status = ""
        }
        if files.count > AttachmentStore.maxFiles { errors.append("附件最多\(AttachmentStore.maxFiles)个。") }
        if !files.isEmpty, attachments == nil { errors.append("本系统未开放附件上传。") }
        guard errors.isEmpty else {
            return .form(form(reply, items: items, set: set, now: now, token: token, filled: submitted, errors: errors, hadFiles: !files.isEmpty))
        }
        var saved: [Attachment] = []
        for file in files {
            do { saved.append(try attachments!.save(filename: file.name, data: file.data)) } catch {
                errors.append(error.text)
            }
        }
        guard errors.isEmpty else {
            return .form(form(reply, items: items, set: set, now: now, token: token, filled: submitted, errors: errors, hadFiles: true))
        }
        let note = text + (percent.map { "（完成进度\($0)%）" } ?? "")
        let request = ReportRequest(item: item.id, agency: reply.agency, status: status, due: due, nextReport: nextReport,
                                    note: note, by: "\(reply.agency)（在线报送，\(client)）")
        do {
            let (report, _) = try request.report(in: set, at: now)
            try store.record(report, attachments: saved)
            onReport()
            let values: [String: Any] = [
                "page_title": "已收到报送", "office": set.policy.supervisor ?? "督查室", "agency": reply.agency, "id": item.id,
                "title": item.title, "state": report.status.chinese, "note": note, "has_note": !note.isEmpty,
                "files": saved.map { ["name": $0.filename, "size": OfficeDesk.size($0.size)] }, "has_files": !saved.isEmpty,
                "at": clock.iso8601(now), "receipt": String(Int(now.timeIntervalSince1970)) + "-" + item.id, "back": "/r/" + token,
            ]
            return .receipt(templates.renderPage("receipt", values) ?? "")
        } catch {
            return .form(form(reply, items: items, set: set, now: now, token: token, filled: submitted, errors: ["无法记录：\(error)"]))
        }
    }

    /// The token's agency and the items it names that the agency still leads.
    private func verified(_ token: String, set: ScheduleSet, now: Date) -> (ReplyToken, [Item])? {
        let today = LocalClock(timeZone: set.policy.timeZone).day(of: now)
        guard case .success(let reply) = ReplyToken.verify(token, keys: keys.all, today: today) else { return nil }
        let items = reply.items.compactMap { id in set.items.first { $0.id == id && $0.lead.contains(reply.agency) } }
        return items.isEmpty ? nil : (reply, items)
    }

    private func refused() -> Page {
        .refused(templates.renderPage("refused", ["page_title": "链接无法使用"]) ?? "")
    }

    private func form(_ reply: ReplyToken, items: [Item], set: ScheduleSet, now: Date, token: String, filled: ReplyForm, errors: [String],
                      hadFiles: Bool = false) -> String {
        let clock = LocalClock(timeZone: set.policy.timeZone)
        let today = clock.day(of: now)
        let supervision = (try? store.supervision(clock: clock)) ?? .none
        let entries: [[String: Any]] = items.map { item in
            let m = item.milestones.indices.first { supervision.standings.standing(item, milestone: $0, agency: reply.agency).status.wantsReminders }
            let standing = supervision.standings.standing(item, milestone: m ?? (item.milestones.isEmpty ? nil : 0), agency: reply.agency)
            let light = set.policy.lights.light(standing, ongoing: item.ongoing && m == nil, today: today,
                                                lastReport: standing.lastAnswer.map { clock.day(of: $0.at) })
            var e: [String: Any] = ["id": item.id, "title": item.title, "due_text": item.dueText, "state": standing.status.chinese,
                                    "light": light.chinese, "selected": item.id == filled.item]
            if let due = standing.due { e["due_date"] = due.chinese }
            // The office's latest decision on this agency's work, so the liaison sees what
            // became of the last report.
            if let r = standing.report, let decision = r.status.decision {
                e["decision"] = r.note.isEmpty ? decision : "\(decision)：\(r.note)"
                e["decision_at"] = clock.day(of: r.at).chinese
            }
            return e
        }
        let values: [String: Any] = [
            "page_title": "在线报送", "office": set.policy.supervisor ?? "督查室", "agency": reply.agency,
            "expires": reply.expires.chinese, "items": entries, "action": "/r/" + token,
            "errors": errors, "has_errors": !errors.isEmpty, "text": filled.text ?? "", "percent": filled.percent ?? "",
            "next_report": filled.next_report ?? "", "new_due": filled.new_due ?? "",
            "is_progress": (filled.action ?? "progress") == "progress", "is_done": filled.action == "done",
            "is_extension": filled.action == "extension",
            "max_files": AttachmentStore.maxFiles, "max_mb": AttachmentStore.maxFileBytes >> 20, "has_filled_files": hadFiles,
        ]
        return templates.renderPage("reply", values) ?? ""
    }
}
