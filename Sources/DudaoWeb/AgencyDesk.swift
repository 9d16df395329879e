import Foundation
import DudaoCore
import DudaoMessages
import DudaoSchedules
import DudaoStore

/// The directory (通讯录): every agency with where it is defined — agencies.yaml (the
/// operator's, read-only here, naming file and line) or the store (the office's, editable) —
/// its contacts and the items it leads or supports. Mobiles are masked on the list and shown
/// whole on an agency's own page, whose opening is an audit row. A save is checked as
/// `dudao check` checks the folder, with the entry in place, before it is kept.
struct AgencyDesk: Sendable {
    let store: StateStore
    let templates: TemplateSet
    let schedules: @Sendable () -> ScheduleSet

    /// Contact rows a form offers: liaisons, then leaders.
    static let contactRows = 3, leaderRows = 2

    /// Agencies a page of the directory lists.
    static let pageSize = 200

    func page(viewer: Viewer, message: String? = nil, name: String? = nil, page: Int = 1) throws -> String {
        let set = schedules()
        // A name typed narrows the list to agencies whose name or alias holds it.
        let wanted = name.map { String($0.prefix(100)).trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
        let matching = set.agencies.agencies.filter { a in wanted.map { w in a.name.contains(w) || a.aliases.contains { $0.contains(w) } } ?? true }
        let pages = max(1, (matching.count + Self.pageSize - 1) / Self.pageSize)
        let page = max(1, min(page, pages))
        func link(_ p: Int) -> String {
            "/agencies?page=\(p)" + (wanted.map { "&name=" + ($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "") } ?? "")
        }
        var leads: [String: Int] = [:], supports: [String: Int] = [:]
        for item in set.items {
            for name in item.lead { leads[name, default: 0] += 1 }
            for name in item.partners { supports[name, default: 0] += 1 }
        }
        let rows: [[String: Any]] = matching.dropFirst((page - 1) * Self.pageSize).prefix(Self.pageSize).map { a in
            let origin = set.agencies.origin(of: a.name, default: set.agenciesPath)
            return ["name": a.name, "path": Self.path(a.name), "aliases": a.aliases.joined(separator: "、"), "group": a.isGroup,
                    "source": Self.source(origin), "stored": StoredAgency.isStored(origin.file),
                    "contacts": (a.contacts + a.leadership).map { c in
                        ["name": c.name, "role": Self.orFalse(c.role), "mobile": c.mobile.map(Mobile.masked) ?? "", "email": c.email ?? ""]
                    },
                    "leads": leads[a.name] ?? 0, "supports": supports[a.name] ?? 0]
        }
        return templates.renderPage("agencies", viewer, [
            "page_title": "通讯录", "nav_agencies": true, "agencies": rows, "count": matching.count, "name": wanted ?? "",
            "page": page, "pages": pages, "has_pages": pages > 1, "prev": Self.orFalse(page > 1 ? link(page - 1) : nil), "next": Self.orFalse(page < pages ? link(page + 1) : nil),
            "message": message ?? "", "has_message": message != nil,
        ]) ?? ""
    }

    /// Where an agency is defined, for the office: `文件：Schedules/agencies.yaml:14` or `库 第2版`.
    static func source(_ origin: AgencyDirectory.Origin) -> String {
        if StoredAgency.isStored(origin.file), let at = origin.file.lastIndex(of: "@") {
            return "库 第\(origin.file[origin.file.index(after: at)...])版"
        }
        return "文件：" + origin.file + (origin.line.map { ":\($0)" } ?? "")
    }

    /// A text for a `{{#section}}` that shows only when there is one (an empty string would show).
    static func orFalse(_ text: String?) -> Any {
        guard let text, !text.isEmpty else { return false }
        return text
    }

    /// `/agencies/NAME`, the name percent-encoded.
    static func path(_ name: String) -> String {
        "/agencies/" + (name.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
    }

    /// An agency's page: contacts in full, items, and (for the office's own, to a clerk) the form.
    func agency(_ name: String, viewer: Viewer, form: [String: String]? = nil, errors: [String] = [], message: String? = nil) throws -> String? {
        let set = schedules()
        guard let agency = set.agencies.agency(named: name) else { return nil }
        let origin = set.agencies.origin(of: agency.name, default: set.agenciesPath)
        let stored = StoredAgency.isStored(origin.file)
        let base = stored ? (try store.agencyRevisions(agency.name).first?.revision ?? 0) : 0
        let items = set.items.filter { $0.lead.contains(agency.name) || $0.partners.contains(agency.name) }
        func people(_ list: [Contact]) -> [[String: Any]] {
            list.map { ["name": $0.name, "role": $0.role ?? "", "email": $0.email ?? "", "mobile": $0.mobile ?? "", "phone": $0.phone ?? "", "chat": $0.chat ?? ""] }
        }
        var values: [String: Any] = [
            "page_title": agency.name, "nav_agencies": true, "name": agency.name, "path": Self.path(agency.name),
            "aliases": Self.orFalse(agency.aliases.joined(separator: "、")), "group": agency.isGroup, "source": Self.source(origin), "stored": stored,
            "contacts": people(agency.contacts), "leadership": people(agency.leadership), "office_contact": people(agency.contact.map { [$0] } ?? []),
            "items": items.prefix(200).map { i in ["id": i.id, "title": i.title, "role": i.lead.contains(agency.name) ? "牵头" : "配合"] },
            "item_count": items.count, "more_items": max(0, items.count - 200), "has_more_items": items.count > 200,
            "editable": stored && viewer.role >= .clerk, "base": base, "can_sign": viewer.role >= .clerk,
            "receipts": Self.receiptRows(try store.receipts(agency: agency.name, limit: 10), clock: LocalClock(timeZone: set.policy.timeZone)),
            "errors": errors.map { ["text": $0] }, "has_errors": !errors.isEmpty,
            "message": message ?? "", "has_message": message != nil,
        ]
        if stored && viewer.role >= .clerk { values.merge(Self.formValues(form ?? Self.fields(agency))) { _, new in new } }
        return templates.renderPage("agency", viewer, values)
    }

    /// 签收 and 已读 as the agency's page lists them.
    static func receiptRows(_ receipts: [AgencyReceipt], clock: LocalClock) -> [[String: Any]] {
        receipts.map { r in
            let how = switch r.how { case .link: "在线"; case .sms: "短信回复"; case .office: "代签" }
            return ["at": clock.iso8601(r.at).prefix(16).replacingOccurrences(of: "T", with: " "), "what": r.kind == .signed ? "签收" : "已读",
                    "how": how, "who": r.actor, "from": r.client, "note": r.note]
        }
    }

    /// A draft's id as a link may carry it back to its preview (anything else is dropped).
    static func draftID(_ text: String?) -> String? {
        guard let text, (16...64).contains(text.count), text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else { return nil }
        return text
    }

    /// The new-agency form (or the same again with what was typed and why it was refused).
    func newAgency(viewer: Viewer, form: [String: String] = [:], errors: [String] = []) -> String {
        var values: [String: Any] = ["page_title": "新增单位", "nav_agencies": true, "base": 0, "is_new": true,
                                     "draft": Self.draftID(form["draft"]) ?? "",
                                     "errors": errors.map { ["text": $0] }, "has_errors": !errors.isEmpty]
        values.merge(Self.formValues(form)) { _, new in new }
        return templates.renderPage("agency_new", viewer, values) ?? ""
    }

    // MARK: The form

    /// An agency as the form's fields.
    static func fields(_ a: Agency) -> [String: String] {
        var f: [String: String] = ["name": a.name, "aliases": a.aliases.joined(separator: "、"), "group": a.isGroup ? "yes" : ""]
        func put(_ prefix: String, _ list: [Contact]) {
            for (i, c) in list.enumerated() {
                f["\(prefix)\(i)_name"] = c.name
                f["\(prefix)\(i)_role"] = c.role ?? ""
                f["\(prefix)\(i)_email"] = c.email ?? ""
                f["\(prefix)\(i)_mobile"] = c.mobile ?? ""
                f["\(prefix)\(i)_phone"] = c.phone ?? ""
                f["\(prefix)\(i)_chat"] = c.chat ?? ""
            }
        }
        put("c", a.contacts)
        put("l", a.leadership)
        put("o", a.contact.map { [$0] } ?? [])
        return f
    }

    /// The form's rows for the template, filled from `f`.
    static func formValues(_ f: [String: String]) -> [String: Any] {
        func rows(_ prefix: String, _ n: Int) -> [[String: Any]] {
            (0..<n).map { i in
                var row: [String: Any] = ["prefix": "\(prefix)\(i)"]
                for key in ["name", "role", "email", "mobile", "phone", "chat"] { row[key] = f["\(prefix)\(i)_\(key)"] ?? "" }
                return row
            }
        }
        let filled = (0..<20).filter { !(f["c\($0)_name"] ?? "").isEmpty }.count
        return ["f_name": f["name"] ?? "", "f_aliases": f["aliases"] ?? "", "f_group": f["group"] == "yes",
                "contact_rows": rows("c", max(contactRows, filled + 1)), "leader_rows": rows("l", leaderRows), "office_rows": rows("o", 1)]
    }

    /// The agency a form describes: empty rows left out, texts trimmed and bounded.
    static func agency(from f: [String: String]) -> Agency {
        func text(_ key: String, _ limit: Int = 100) -> String? {
            let v = String((f[key] ?? "").trimmingCharacters(in: .whitespacesAndNewlines).prefix(limit))
            return v.isEmpty ? nil : v
        }
        func people(_ prefix: String, _ n: Int) -> [Contact] {
            (0..<n).compactMap { i in
                let p = "\(prefix)\(i)_"
                let parts = ["name", "role", "email", "mobile", "phone", "chat"].map { text(p + $0) }
                guard parts.contains(where: { $0 != nil }) else { return nil }
                return Contact(name: parts[0] ?? "联络员", email: parts[2], chat: parts[5], phone: parts[4], mobile: parts[3], role: parts[1])
            }
        }
        let aliases = (f["aliases"] ?? "").split(whereSeparator: { "、,，;；\n\r".contains($0) })
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.prefix(20).map { String($0.prefix(100)) }
        return Agency(name: text("name") ?? "", aliases: Array(aliases), contacts: people("c", 20), leadership: people("l", leaderRows),
                      isGroup: f["group"] == "yes", contact: people("o", 1).first)
    }

    /// What saving `agency` (in place of its revision `base`, 0 for new) would break: the
    /// findings of the check over the folder and the store with it in place. Empty: it may be saved.
    func problems(saving agency: Agency?, removing name: String? = nil, now: Date) throws -> [String] {
        var owned = try store.officeOwned()
        let key = agency?.name ?? name ?? ""
        owned.agencies.removeAll { $0.name == key }
        if let agency {
            guard !agency.name.isEmpty else { return ["请填写单位名称。"] }
            owned.agencies.append(StoredAgency(name: agency.name, revision: 0, yaml: StoredAgency.yaml(agency)))
        }
        let set = ScheduleSet.load(schedules().directory, owned: owned)
        return set.check(now: now).errors.map { d in
            let e = d.problem
            let place = StoredAgency.isStored(e.file) ? "本单位" : PublishedList.label(place: e.file) + (e.line.map { ":\($0)" } ?? "")
            return "\(place)：\(e.message)"
        }
    }
}
