import Foundation
import Crypto
import DudaoCore
import DudaoMessages
import DudaoSchedules
import DudaoImport
import DudaoStore

/// The office's lists (立项): every list in force, where it comes from — a file of the
/// Schedules folder (read-only here, as the operator provisioned it) or the store (the
/// office's, with its revisions) — and the upload → preview → publish or discard → roll
/// back path for the office's own. The preview and the publish run the same check as
/// `dudao check` over the files and the store's lists with the draft in place, so nothing
/// is published that the service would refuse.
struct ListDesk: Sendable {
    let store: StateStore
    let templates: TemplateSet
    let schedules: @Sendable () -> ScheduleSet

    /// Largest list file taken (the reply form's per-file limit).
    static let maxFileBytes = AttachmentStore.maxFileBytes
    /// Items shown in a preview; the rest are counted.
    static let previewRows = 300
    /// Changed, added and removed items shown in a diff, each.
    static let diffRows = 300

    /// What became of an upload.
    enum Upload: Sendable {
        case draft(id: String)
        /// The importer's errors, each at its place in the file.
        case failed(file: String, errors: [String])
        case refused(String)
    }

    // MARK: The lists page

    func page(viewer: Viewer, now: Date, message: String? = nil, error: String? = nil) throws -> String {
        let set = schedules()
        let clock = LocalClock(timeZone: set.policy.timeZone)
        var counts: [String: Int] = [:]
        for index in set.items.indices { if let file = set.place(ofItemAt: index)?.file { counts[file, default: 0] += 1 } }
        let files: [[String: Any]] = set.listTitles.filter { !ScheduleSet.isPublished($0.file) }.map { list in
            ["title": list.title, "file": list.file, "items": counts[list.file] ?? 0]
        }
        let stored: [[String: Any]] = try store.latestListRevisions().map { r in
            ["key": r.key, "title": r.title, "revision": r.revision, "items": r.items, "withdrawn": r.withdraws,
             "actor": r.actor, "at": Labels.minute(r.at, clock: clock), "file": r.file, "note": AgencyDesk.orFalse(r.note),
             "in_force": set.listTitles.contains { $0.file == PublishedList.place(key: r.key, revision: r.revision) }]
        }
        return templates.renderPage("lists", viewer, [
            "page_title": "清单", "nav_lists": true, "files": files, "has_files": !files.isEmpty,
            "stored": stored, "has_stored": !stored.isEmpty, "targets": stored.filter { !($0["withdrawn"] as! Bool) },
            "proposed_key": try proposedKey(), "max_mb": Self.maxFileBytes >> 20,
            "message": message ?? "", "has_message": message != nil, "error": error ?? "", "has_error": error != nil,
        ]) ?? ""
    }

    /// One list's revisions, newest first.
    func history(_ key: String, viewer: Viewer) throws -> String? {
        let revisions = try store.listRevisions(key)
        guard let latest = revisions.first else { return nil }
        let clock = LocalClock(timeZone: schedules().policy.timeZone)
        return templates.renderPage("list", viewer, [
            "page_title": "清单 \(key)", "nav_lists": true, "key": key, "title": latest.title, "current": latest.revision,
            "may_roll_back": !latest.withdraws,
            "revisions": revisions.map { r in
                ["revision": r.revision, "at": Labels.minute(r.at, clock: clock), "actor": r.actor, "file": r.file,
                 "sha": String(r.sha256.prefix(12)), "items": r.items, "note": r.note, "withdrawn": r.withdraws] as [String: Any]
            },
        ])
    }

    /// A key no list in the store has used: `L1`, `L2`, …
    func proposedKey() throws -> String {
        let taken = try store.listKeys()
        var n = 1
        while taken.contains("L\(n)") { n += 1 }
        return "L\(n)"
    }

    // MARK: Upload

    /// Reads an uploaded list into a draft for `target` (a list in the store: its next
    /// revision) or, without one, a new list under `key`. Slow: call it through `ListParser`.
    func read(_ data: Data, file: String, target: String, key: String, actor: String, now: Date) -> Upload {
        let name = Self.displayName(file)
        let base: Int, listKey: String
        do {
            if !target.isEmpty {
                guard let latest = try store.listRevisions(target).first else { return .refused("没有清单“\(target)”。") }
                (listKey, base) = (target, latest.revision)
            } else {
                let key = key.trimmingCharacters(in: .whitespaces)
                guard PublishedList.isValidKey(key) else { return .refused("清单编号应为1–16个英文字母或数字，以字母开头（如 L2）。") }
                guard try !store.listKeys().contains(key) else { return .refused("清单编号 \(key) 已被使用；要更新该清单，请在“更新已有清单”中选择它。") }
                (listKey, base) = (key, 0)
            }
        } catch { return .refused("无法读取状态库：\(error)") }
        var list: TaskList
        do { list = try ListImporter().importData(data, file: name).list } catch {
            return .failed(file: name, errors: error.errors.map(\.description))
        }
        guard !list.items.isEmpty else { return .failed(file: name, errors: ["\(name): 没有读到任何事项 no items found"]) }
        let prefix = listKey + "-"
        list.items = list.items.map { var i = $0; i.id = prefix + i.id; return i }
        list.source = name
        let sha = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
        let yaml = TaskListFile.yaml(list, comment: "督查室在控制台发布：\(name)（SHA-256 \(sha)）")
        let draft = ListDraft(id: OfficeSessions.random(), base: base,
                              revision: ListRevision(key: listKey, at: now, actor: actor, file: name, sha256: sha, title: list.title,
                                                     items: list.items.count, yaml: yaml))
        do { try store.saveDraft(draft) } catch { return .refused("无法保存草稿：\(error)") }
        return .draft(id: draft.id)
    }

    /// A file name as the clerk's machine gave it, without folders or control characters.
    static func displayName(_ name: String) -> String {
        let last = name.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let clean = String(last.unicodeScalars.filter { $0.value >= 32 && $0.value != 127 }.map(Character.init).prefix(120))
        return clean.isEmpty ? "清单" : clean
    }

    /// The page for importer errors.
    func failure(file: String, errors: [String], viewer: Viewer) -> String {
        templates.renderPage("list_failed", viewer, [
            "page_title": "清单有误", "nav_lists": true, "file": file, "count": errors.count,
            "errors": errors.prefix(500).map { ["text": $0] }, "more": max(0, errors.count - 500), "has_more": errors.count > 500,
        ]) ?? ""
    }

    // MARK: Preview

    /// What publishing the draft would give: its items as read, the findings of the check,
    /// agencies not in the directory and the difference from the revision in force.
    struct Preview {
        var draft: ListDraft
        var set: ScheduleSet
        var items: [Item]
        var errors: [Diagnostic]
        var warnings: [Diagnostic]
        var diff: ListDiff
        var unknownAgencies: [String]
    }

    func preview(_ id: String, now: Date) throws -> Preview? {
        guard let draft = try store.draft(id) else { return nil }
        let r = draft.revision
        let candidate = PublishedList(key: r.key, revision: draft.base + 1, yaml: r.yaml)
        let set = ScheduleSet.load(schedules().directory, publishing: candidate, owned: try store.officeOwned())
        let findings = set.check(now: now)
        let items = set.items(of: candidate)
        var old: [Item] = []
        if draft.base > 0, let current = try store.listRevision(r.key, draft.base), !current.withdraws {
            var scratch = Diagnostics()
            old = TaskListFile.read(text: current.yaml, name: current.key, into: &scratch)?.items.map(\.item) ?? []
        }
        var unknown: [String] = []
        for item in items {
            for name in item.lead + item.partners where set.agencies.agency(named: name) == nil && !unknown.contains(name) { unknown.append(name) }
        }
        return Preview(draft: draft, set: set, items: items, errors: findings.errors, warnings: findings.warnings,
                       diff: ListDiff(from: old, to: items), unknownAgencies: unknown)
    }

    /// What rolling `key` back would break (the findings of the check with the older list in
    /// place); empty when it may be done. A rollback that withdraws the list breaks nothing.
    func problems(rollingBack key: String, current: Int, actor: String, now: Date) throws -> [String] {
        let r = try store.rollbackPreview(key, current: current, at: now, actor: actor)
        var owned = try store.officeOwned()
        guard !r.withdraws else { return [] }
        let candidate = PublishedList(key: key, revision: r.revision, yaml: r.yaml)
        owned.lists.removeAll { $0.key == key }
        let set = ScheduleSet.load(schedules().directory, publishing: candidate, owned: owned)
        return set.check(now: now).errors.map { d in
            (d.problem.file == candidate.place ? (d.problem.item.map { "事项 \($0)" } ?? "该清单") : PublishedList.label(place: d.problem.file)) + "：" + d.problem.message
        }
    }

    func previewPage(_ p: Preview, viewer: Viewer, error: String? = nil) -> String {
        let r = p.draft.revision
        let place = PublishedList.place(key: r.key, revision: p.draft.base + 1)
        func finding(_ d: Diagnostic) -> [String: Any] {
            let e = d.problem
            let here = e.file == place
            let whereText = here ? (e.item.map { "事项 \($0)" } ?? "本清单") : PublishedList.label(place: e.file) + (e.line.map { ":\($0)" } ?? "")
            return ["where": whereText, "text": e.message, "here": here]
        }
        func names(_ list: [String]) -> String { list.joined(separator: "、") }
        func deadline(_ item: Item) -> String {
            let dates = item.milestones.map { $0.due.chinese }.joined(separator: "；")
            return item.ongoing && dates.isEmpty ? "持续推进" : dates
        }
        let rows: [[String: Any]] = p.items.prefix(Self.previewRows).map { item in
            ["id": item.id, "title": item.title, "lead": names(item.lead), "partners": names(item.partners),
             "due_text": item.dueText, "dates": deadline(item),
             "unknown": item.lead.contains { p.set.agencies.agency(named: $0) == nil }]
        }
        let changed: [[String: Any]] = p.diff.changed.prefix(Self.diffRows).map { c in
            ["id": c.after.id, "title": c.after.title,
             "fields": c.fields.map { f -> [String: Any] in
                 let (before, after): (String, String) = switch f {
                 case .title: (c.before.title, c.after.title)
                 case .lead: (names(c.before.lead), names(c.after.lead))
                 case .partners: (names(c.before.partners), names(c.after.partners))
                 case .deadline: ("\(c.before.dueText)（\(deadline(c.before))）", "\(c.after.dueText)（\(deadline(c.after))）")
                 case .content: (c.before.content, c.after.content)
                 case .measures: (c.before.measures.joined(separator: "；"), c.after.measures.joined(separator: "；"))
                 }
                 return ["name": f.rawValue, "before": before, "after": after]
             }]
        }
        func brief(_ items: [Item]) -> [[String: Any]] {
            items.prefix(Self.diffRows).map { ["id": $0.id, "title": $0.title, "lead": names($0.lead), "dates": deadline($0)] }
        }
        // Agencies the office keeps: an unknown name may become an alias of one of them.
        let storedAgencies = p.set.agencies.agencies.map(\.name).filter { StoredAgency.isStored(p.set.agencies.origin(of: $0, default: "").file) }
        let warnings = Array(p.warnings.map(finding).filter { $0["here"] as! Bool }.prefix(50))
        return templates.renderPage("list_preview", viewer, [
            "page_title": "预览清单", "nav_lists": true, "id": p.draft.id, "key": r.key, "title": r.title, "file": r.file,
            "sha": r.sha256, "count": p.items.count, "revision": p.draft.base + 1, "is_new": p.draft.base == 0, "base": p.draft.base,
            "items": rows, "more_items": max(0, p.items.count - Self.previewRows), "has_more_items": p.items.count > Self.previewRows,
            "errors": p.errors.map(finding), "has_errors": !p.errors.isEmpty, "error_count": p.errors.count,
            "warnings": warnings, "has_warnings": !warnings.isEmpty,
            "unknown": p.unknownAgencies.map { ["name": $0, "id": p.draft.id, "encoded": $0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""] },
            "has_unknown": !p.unknownAgencies.isEmpty, "stored_agencies": storedAgencies, "has_stored_agencies": !storedAgencies.isEmpty,
            "added": brief(p.diff.added), "removed": brief(p.diff.removed), "changed": changed,
            "added_count": p.diff.added.count, "removed_count": p.diff.removed.count, "changed_count": p.diff.changed.count,
            "unchanged_count": p.diff.unchanged, "diff_empty": p.diff.isEmpty && p.draft.base > 0,
            "publishable": p.errors.isEmpty, "error": error ?? "", "has_error": error != nil,
        ]) ?? ""
    }
}
