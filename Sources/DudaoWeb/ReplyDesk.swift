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

    /// The page `token` opens at `now`: the items with their state, what the agency already
    /// reported on them and the office's decisions, and the form (with a fresh one-time id).
    /// Opening a link is 已读: recorded with the time and where from (once in ten minutes).
    public func page(token: String, now: Date, client: String = "unknown") -> Page {
        let set = schedules()
        guard let (reply, items) = verified(token, set: set, now: now) else { return refused() }
        if let last = try? store.receipts(agency: reply.agency, limit: 20).first(where: { $0.kind == .read })?.at,
           now.timeIntervalSince(last) < Self.readEvery { } else {
            try? store.record(AgencyReceipt(agency: reply.agency, kind: .read, how: .link, at: now, actor: "单位", client: client))
        }
        return .form(form(reply, items: items, set: set, now: now, token: token, filled: ReplyForm(), errors: []))
    }

    /// How often the same agency's reading is recorded again.
    static let readEvery: Double = 600

    /// 签收 with one click: signs for every notice that reached the agency so far.
    public func sign(token: String, client: String, now: Date) -> Page {
        let set = schedules()
        guard let (reply, items) = verified(token, set: set, now: now) else { return refused() }
        try? store.record(AgencyReceipt(agency: reply.agency, kind: .signed, how: .link, at: now, actor: "单位联络员", client: client),
                          audit: AuditEntry(at: now, actor: "\(reply.agency)联络员", client: client, action: .noticeSign, object: reply.agency,
                                            detail: "在线签收"))
        onReport()
        return .form(form(reply, items: items, set: set, now: now, token: token, filled: ReplyForm(), errors: []))
    }

    /// Signs for the agencies whose contact sent a reply code (`1` or `签收`) among
    /// `replies`; returns the agencies signed for.
    public func signBySMS(_ replies: [SMSEvent], platform: String, now: Date) throws -> [String] {
        let signed = try store.signForReplies(replies, agencies: schedules().agencies.agencies, platform: platform, at: now)
        if !signed.isEmpty { onReport() }
        return signed
    }

    /// True when `token` is a link this console signed and it has not expired: checked
    /// from the URL before a post's body is read, so a bad link costs nothing.
    public func accepts(token: String, now: Date) -> Bool {
        let today = LocalClock(timeZone: schedules().policy.timeZone).day(of: now)
        if case .success = ReplyToken.verify(token, keys: keys.all, today: today) { return true }
        return false
    }

    /// The refusal page for a link that cannot be used.
    public var refusal: Page { refused() }

    /// Records what the agency submitted, or shows the form again with what is wrong. A post
    /// repeating a recorded one-time id records nothing and shows the first receipt.
    public func submit(token: String, form submitted: ReplyForm, files: [(name: String, data: Data)] = [], client: String, now: Date) -> Page {
        let set = schedules()
        guard let (reply, items) = verified(token, set: set, now: now) else { return refused() }
        var submitted = submitted
        if submitted.submissionID == nil { submitted.submission = ReplyForm.newSubmissionID() }
        let clock = LocalClock(timeZone: set.policy.timeZone)
        let today = clock.day(of: now)
        var errors: [String] = []
        func again(_ more: [String] = [], hadFiles: Bool = !files.isEmpty) -> Page {
            .form(form(reply, items: items, set: set, now: now, token: token, filled: submitted, errors: errors + more, hadFiles: hadFiles))
        }
        let text = (submitted.text ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if text.isEmpty { errors.append("请填写情况说明。") }
        if text.count > Self.maxText { errors.append("情况说明不能超过\(Self.maxText)字。") }
        guard let id = submitted.item, let item = items.first(where: { $0.id == id }) else { return again(["请选择事项。"]) }
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
            if files.isEmpty, set.policy.review.requireEvidence {
                errors.append("报告已完成须附佐证材料（完成情况的文件、照片等），请选择附件后再提交。")
            }
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
        // Work the office closed (销号) or cancelled stays closed: the link shows it, the
        // office reopens it when needed.
        let supervision = (try? store.supervision(clock: clock)) ?? .none
        if Self.isClosed(item, agency: reply.agency, standings: supervision.standings) {
            errors.append("事项\(item.id)已销号或已撤销，不能再报送；如有新情况，请与\(set.policy.supervisor ?? "督查室")联系。")
        }
        guard errors.isEmpty else { return again() }
        // Every file is checked before any is written: a refused post leaves nothing behind.
        var checked: [AttachmentStore.Checked] = []
        for file in files {
            do { checked.append(try attachments!.check(filename: file.name, data: file.data)) } catch { errors.append(error.text) }
        }
        guard errors.isEmpty else { return again() }
        let adding = checked.reduce(0) { $0 + $1.attachment.size }
        if let quota = attachments?.agencyQuota, adding > 0, ((try? store.attachedBytes(agency: reply.agency)) ?? 0) + adding > quota {
            return again(["本单位已上传的佐证材料已达\(max(1, quota >> 20)) MB上限，请与\(set.policy.supervisor ?? "督查室")联系。"])
        }
        var saved: [Attachment] = []
        for file in checked {
            do { saved.append(try attachments!.write(file)) } catch { errors.append(error.text) }
        }
        guard errors.isEmpty else { return again() }
        let note = text + (percent.map { "（完成进度\($0)%）" } ?? "")
        let request = ReportRequest(item: item.id, agency: reply.agency, status: status, due: due, nextReport: nextReport,
                                    note: note, by: "\(reply.agency)（在线报送，\(client)）")
        do {
            let (report, _) = try request.report(in: set, at: now)
            let agency = reply.agency, itemID = item.id, event = Labels.event(report.status)
            let (row, isNew) = try store.record(report, attachments: saved, submission: submitted.submissionID!, audit: { row in
                AuditEntry(at: now, actor: agency, client: client, action: .reply, object: "事项\(itemID)", detail: "\(event)，记录\(row)")
            })
            if isNew { onReport() }
            guard let recorded = try store.report(id: row) else { return again(["无法读取已记录的报送，请刷新页面查看。"]) }
            let files = (try? store.attachments(item: recorded.key.item)[row]) ?? []
            return .receipt(receipt(recorded, item: item, files: files, repeated: !isNew, set: set, token: token))
        } catch {
            return again(["无法记录：\(error)"])
        }
    }

    /// The receipt of `report` (row `report.id`): what was recorded, when, every date the
    /// agency promised or asked for, the files, and the receipt number.
    private func receipt(_ report: ProgressReport, item: Item, files: [Attachment], repeated: Bool, set: ScheduleSet, token: String) -> String {
        let clock = LocalClock(timeZone: set.policy.timeZone)
        var promised: [String] = []
        if let next = report.nextReport { promised.append("下次报送日期：\(Labels.date(next))") }
        if let to = report.status.extendedTo { promised.append("申请延期至：\(Labels.date(to))") }
        let values: [String: Any] = [
            "page_title": "已收到报送", "office": set.policy.supervisor ?? "督查室", "agency": report.key.agency ?? "",
            "id": item.id, "title": item.title, "title_in_quotes": Labels.insideQuotes(item.title), "what": Labels.event(report.status),
            "note": report.note, "has_note": !report.note.isEmpty, "promised": promised, "has_promised": !promised.isEmpty,
            "files": files.map { ["name": $0.filename, "size": OfficeDesk.size($0.size)] }, "has_files": !files.isEmpty,
            "lacks_evidence": report.status == .doneReported && files.isEmpty,
            "at": Labels.minute(report.at, clock: clock), "receipt": Self.receiptNumber(report, clock: clock),
            "repeated": repeated, "back": "/r/" + token,
        ]
        return templates.renderPage("receipt", values) ?? ""
    }

    /// `20261205-17`: the day and the record's number, the same however often it is shown.
    static func receiptNumber(_ report: ProgressReport, clock: LocalClock) -> String {
        clock.day(of: report.at).iso.replacingOccurrences(of: "-", with: "") + "-" + String(report.id ?? 0)
    }

    /// True when the office closed or cancelled all of `agency`'s part of `item`.
    static func isClosed(_ item: Item, agency: String, standings: Standings) -> Bool {
        let parts: [Int?] = item.milestones.isEmpty ? [nil] : item.milestones.indices.map { $0 } + (item.ongoing ? [nil] : [])
        return parts.allSatisfy { standings.standing(item, milestone: $0, agency: agency).status.isFinal }
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
        let standings = supervision.standings
        let entries: [[String: Any]] = items.map { item in
            let m = item.milestones.indices.first { standings.standing(item, milestone: $0, agency: reply.agency).status.wantsReminders }
            let milestone = m ?? (item.milestones.isEmpty ? nil : 0)
            let standing = standings.standing(item, milestone: milestone, agency: reply.agency)
            let light = set.policy.lights.light(standing, ongoing: item.ongoing && m == nil, today: today,
                                                lastReport: standing.lastAnswer.map { clock.day(of: $0.at) })
            let closed = Self.isClosed(item, agency: reply.agency, standings: standings)
            var e: [String: Any] = ["id": item.id, "title": item.title, "state": Labels.state(standing.status),
                                    "light": light.chinese, "selected": item.id == filled.item, "closed": closed,
                                    "deadline": milestone.map { Labels.deadline(text: item.milestones[$0].text, original: item.milestones[$0].due, due: standing.due) }
                                        ?? Labels.deadline(text: item.dueText, original: nil, due: nil)]
            // The office's latest decision on this agency's work, so the liaison sees what
            // became of the last report.
            if let r = standing.report, let decision = Labels.decision(r.status) {
                e["decision"] = r.note.isEmpty ? decision : "\(decision)：\(r.note)"
                e["decision_at"] = Labels.date(clock.day(of: r.at))
            }
            let history = history(of: item, agency: reply.agency, standings: standings, clock: clock)
            e["history"] = history
            e["has_history"] = !history.isEmpty
            e["history_count"] = history.count
            return e
        }
        // 签收: what reached the agency last, and whether it was signed for since.
        let lastSign = (try? store.receipts(agency: reply.agency, limit: 50))?.first { $0.kind == .signed }
        let lastSent = try? store.lastDelivery(agency: reply.agency)
        let signedNow = lastSign.map { s in lastSent.map { s.at >= $0 } ?? true } ?? false
        var values: [String: Any] = [
            "signed": signedNow, "sign_action": "/r/" + token + "/sign", "has_notices": lastSent != nil,
            "signed_at": lastSign.map { clock.iso8601($0.at).prefix(16).replacingOccurrences(of: "T", with: " ") } ?? "",
            "page_title": "在线报送", "office": set.policy.supervisor ?? "督查室", "agency": reply.agency,
            "expires": Labels.date(reply.expires), "items": entries, "action": "/r/" + token,
            "errors": errors, "has_errors": !errors.isEmpty, "text": filled.text ?? "", "percent": filled.percent ?? "",
            "next_report": filled.next_report ?? "", "new_due": filled.new_due ?? "",
            "is_progress": (filled.action ?? "progress") == "progress", "is_done": filled.action == "done",
            "is_extension": filled.action == "extension", "submission": filled.submissionID ?? ReplyForm.newSubmissionID(),
            "require_evidence": set.policy.review.requireEvidence,
            "max_files": AttachmentStore.maxFiles, "max_mb": AttachmentStore.maxFileBytes >> 20, "has_filled_files": hadFiles,
        ]
        values["unsigned"] = lastSent != nil && !signedNow
        return templates.renderPage("reply", values) ?? ""
    }

    /// What `agency` reported on `item`, newest first, each with the office's decision on it:
    /// the liaison who reopens the link sees what the agency already sent.
    private func history(of item: Item, agency: String, standings: Standings, clock: LocalClock) -> [[String: Any]] {
        let all = standings.reports(item: item.id).filter { $0.key.agency == nil || $0.key.agency == agency }
        // A request that a later report replaced awaits nothing.
        let pending = Set(ReviewQueue(items: [item], standings: standings).entries.filter { $0.agency == agency }.map(\.report))
        let files = (try? store.attachments(item: item.id)) ?? [:]
        return all.filter(\.status.isAgencyReport).reversed().map { r in
            var e: [String: Any] = ["at": Labels.minute(r.at, clock: clock), "what": Labels.event(r.status), "note": r.note,
                                    "files": (r.id.flatMap { files[$0] } ?? []).map { ["name": $0.filename] }]
            if let next = r.nextReport { e["promised"] = "下次报送日期：\(Labels.date(next))" }
            if r.status == .doneReported || r.status.extendedTo != nil {
                if let d = all.first(where: { $0.status.isDecision && $0.at >= r.at && (r.key.milestone == nil || $0.key.milestone == nil || $0.key.milestone == r.key.milestone) }),
                   let word = Labels.decision(d.status) {
                    e["outcome"] = "\(Labels.date(clock.day(of: d.at)))审核：\(word)" + (d.note.isEmpty ? "" : "（\(d.note)）")
                } else if pending.contains(r) {
                    e["outcome"] = "待审核"
                }
            }
            return e
        }
    }
}
