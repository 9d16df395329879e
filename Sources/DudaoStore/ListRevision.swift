import Foundation

/// A revision of a list the office published (立项): who published it, when, from which
/// file, and the list itself in the task-list format. Revisions are kept for good (the table
/// is append-only); the newest is in force. A rollback is a new revision carrying an older
/// one's list, and a list withdrawn is a revision with no items.
public struct ListRevision: Hashable, Sendable {
    /// The list's key (`L2`), the prefix of its items' ids.
    public var key: String
    /// From 1, per list.
    public var revision: Int
    public var at: Date
    public var actor: String
    /// The uploaded file's name, as the clerk's machine called it.
    public var file: String
    /// SHA-256 of the uploaded file, hex.
    public var sha256: String
    public var title: String
    public var items: Int
    /// The list as `TaskListFile` writes it; empty when the revision withdraws the list.
    public var yaml: String
    /// Why this revision exists beyond an upload (`回退至第1版`).
    public var note: String

    public init(key: String, revision: Int = 0, at: Date, actor: String, file: String, sha256: String, title: String,
                items: Int, yaml: String, note: String = "") {
        self.key = key
        self.revision = revision
        self.at = at
        self.actor = actor
        self.file = file
        self.sha256 = sha256
        self.title = title
        self.items = items
        self.yaml = yaml
        self.note = note
    }

    /// True when this revision takes the list out of force.
    public var withdraws: Bool { yaml.isEmpty }
}

/// An upload read and waiting for the office's decision (publish or discard), kept in the
/// store so the preview survives a restart and the other machine can publish it.
public struct ListDraft: Hashable, Sendable {
    /// Random, unguessable; the preview page's address.
    public var id: String
    /// The revision in force when the upload was read (0 for a new list): publishing
    /// refuses when another revision was published since.
    public var base: Int
    public var revision: ListRevision

    public init(id: String, base: Int, revision: ListRevision) {
        self.id = id
        self.base = base
        self.revision = revision
    }
}

/// Why a publish or rollback did not happen.
public enum ListPublishError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The draft was published or discarded already (a second click, the other machine).
    case draftGone
    /// Another revision was published after the draft was read.
    case stale(current: Int)
    /// A new list's key is taken by a list in the store.
    case keyTaken(String)
    /// Nothing to roll back to.
    case nothingToRollBack

    public var description: String {
        switch self {
        case .draftGone: "草稿已发布或已放弃 the draft was already published or discarded"
        case .stale(let current): "清单已有新版本（第\(current)版），请重新上传后再发布 another revision (\(current)) was published since; upload again"
        case .keyTaken(let key): "清单编号 \(key) 已被使用 the list key \(key) is taken"
        case .nothingToRollBack: "没有可回退的版本 there is no earlier revision"
        }
    }
}

extension StateStore {
    /// The revision in force of every list in the store that is not withdrawn, by key.
    public func listsInForce() throws -> [ListRevision] {
        try backend.read { t in
            try t.rows("""
                SELECT r.* FROM list_revision r
                JOIN (SELECT list, MAX(revision) AS revision FROM list_revision GROUP BY list) latest
                  ON latest.list = r.list AND latest.revision = r.revision
                WHERE r.yaml <> '' ORDER BY r.list
                """, []).map(Self.listRevision)
        }
    }

    /// In place of a list's text where it is not needed: `-`, or empty for a withdrawal (so
    /// `withdraws` still tells).
    private static let yamlMark = "CASE WHEN yaml = '' THEN '' ELSE '-' END AS yaml"

    /// Every revision of `key`, newest first, without their lists' text.
    public func listRevisions(_ key: String) throws -> [ListRevision] {
        try backend.read { t in
            try t.rows("""
                SELECT list, revision, at, actor, file, sha256, title, items, \(Self.yamlMark), note FROM list_revision
                WHERE list = ? ORDER BY revision DESC
                """, [key]).map(Self.listRevision)
        }
    }

    /// The newest revision of every list (withdrawn ones too), without their text (see
    /// `yamlMark`): the lists page.
    public func latestListRevisions() throws -> [ListRevision] {
        try backend.read { t in
            try t.rows("""
                SELECT r.list, r.revision, r.at, r.actor, r.file, r.sha256, r.title, r.items, \(Self.yamlMark), r.note
                FROM list_revision r
                JOIN (SELECT list, MAX(revision) AS revision FROM list_revision GROUP BY list) latest
                  ON latest.list = r.list AND latest.revision = r.revision
                ORDER BY r.list
                """, []).map(Self.listRevision)
        }
    }

    /// One revision with its list.
    public func listRevision(_ key: String, _ revision: Int) throws -> ListRevision? {
        try backend.read { t in try t.row("SELECT * FROM list_revision WHERE list = ? AND revision = ?", [key, revision]).map(Self.listRevision) }
    }

    /// Keeps `draft` for the office's decision; drafts older than a day are dropped on the way.
    public func saveDraft(_ draft: ListDraft) throws {
        let r = draft.revision
        try backend.write { t in
            try t.execute("DELETE FROM list_draft WHERE at < ?", [Self.iso(r.at.addingTimeInterval(-86400))])
            try t.execute("""
                INSERT INTO list_draft (id, at, actor, list, base, file, sha256, title, items, yaml) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, [draft.id, Self.iso(r.at), r.actor, r.key, draft.base, r.file, r.sha256, r.title, r.items, r.yaml])
        }
    }

    /// A draft waiting for a decision.
    public func draft(_ id: String) throws -> ListDraft? {
        try backend.read { t in
            try t.row("SELECT * FROM list_draft WHERE id = ?", [id]).map { row in
                ListDraft(id: row["id"], base: row["base"], revision: Self.listRevision(row))
            }
        }
    }

    /// Drops a draft, recording `audit` with it; false when it was gone already.
    @discardableResult
    public func discardDraft(_ id: String, audit: AuditEntry) throws -> Bool {
        try backend.write { t in
            guard try t.execute("DELETE FROM list_draft WHERE id = ?", [id]) == 1 else { return false }
            try Self.audit(audit, dialect: backend.dialect, in: t)
            return true
        }
    }

    /// Publishes the draft `id` as the list's next revision, with `audit` in the same
    /// transaction. Twice at once, or after another revision, the second is refused.
    public func publishDraft(_ id: String, at: Date, actor: String, audit: AuditEntry) throws -> ListRevision {
        try backend.write { t in
            if let lock = backend.dialect.lock("lists") { try t.execute(lock) }
            guard let row = try t.row("SELECT * FROM list_draft WHERE id = ?", [id]) else { throw ListPublishError.draftGone }
            var revision = Self.listRevision(row)
            let base: Int = row["base"]
            try t.execute("DELETE FROM list_draft WHERE id = ?", [id])
            revision.at = at
            revision.actor = actor
            revision.revision = try Self.nextRevision(of: revision.key, base: base, in: t)
            try Self.insert(revision, in: t)
            try Self.ownedChanged(audit, object: "\(revision.key)@\(revision.revision)", dialect: backend.dialect, in: t)
            return revision
        }
    }

    /// Publishes `revision` directly (`dudao import --publish`): a new list when `base` is 0,
    /// else the revision after `base`.
    public func publish(_ revision: ListRevision, base: Int, audit: AuditEntry) throws -> ListRevision {
        try backend.write { t in
            if let lock = backend.dialect.lock("lists") { try t.execute(lock) }
            var r = revision
            r.revision = try Self.nextRevision(of: r.key, base: base, in: t)
            try Self.insert(r, in: t)
            try Self.ownedChanged(audit, object: "\(r.key)@\(r.revision)", dialect: backend.dialect, in: t)
            return r
        }
    }

    /// Puts the revision before the one in force back in force, as a new revision (or
    /// withdraws the list when its first revision is in force). `current` is the revision the
    /// clerk saw; another one published since refuses the rollback.
    public func rollBackList(_ key: String, current: Int, at: Date, actor: String, audit: AuditEntry) throws -> ListRevision {
        try backend.write { t in
            if let lock = backend.dialect.lock("lists") { try t.execute(lock) }
            let r = try Self.rollback(key, current: current, at: at, actor: actor, in: t)
            try Self.insert(r, in: t)
            try Self.ownedChanged(audit, object: "\(key)@\(r.revision)", detail: r.note, dialect: backend.dialect, in: t)
            return r
        }
    }

    /// The revision `rollBackList` would write now, not written: what the console checks first.
    public func rollbackPreview(_ key: String, current: Int, at: Date, actor: String) throws -> ListRevision {
        try backend.read { t in try Self.rollback(key, current: current, at: at, actor: actor, in: t) }
    }

    /// The next revision of `key` carrying the newest earlier list that differs from the one
    /// in force (so rolling back a rollback undoes it), or withdrawing the list when there is none.
    private static func rollback(_ key: String, current: Int, at: Date, actor: String, in t: any StoreTransaction) throws -> ListRevision {
        let latest: Int = try t.value("SELECT MAX(revision) FROM list_revision WHERE list = ?", [key]) ?? 0
        guard latest > 0 else { throw ListPublishError.nothingToRollBack }
        guard latest == current else { throw ListPublishError.stale(current: latest) }
        guard let row = try t.row("SELECT * FROM list_revision WHERE list = ? AND revision = ?", [key, latest]) else { throw ListPublishError.nothingToRollBack }
        let inForce = listRevision(row)
        guard !inForce.withdraws else { throw ListPublishError.nothingToRollBack }
        let earlier = try t.rows("SELECT * FROM list_revision WHERE list = ? AND revision < ? ORDER BY revision DESC", [key, latest]).map(listRevision)
        let target = earlier.first { $0.yaml != inForce.yaml }
        var r = target ?? ListRevision(key: key, at: at, actor: actor, file: "", sha256: "", title: inForce.title, items: 0, yaml: "")
        r.revision = latest + 1
        r.at = at
        r.actor = actor
        r.note = target.map { "回退至第\($0.revision)版" } ?? "撤回清单"
        return r
    }

    /// The keys of every list in the store, withdrawn ones too: a new list never reuses one.
    public func listKeys() throws -> Set<String> {
        try backend.read { t in Set(try t.rows("SELECT DISTINCT list FROM list_revision", []).map { $0["list"] as String }) }
    }

    private static func nextRevision(of key: String, base: Int, in t: any StoreTransaction) throws -> Int {
        let latest: Int = try t.value("SELECT MAX(revision) FROM list_revision WHERE list = ?", [key]) ?? 0
        if base == 0 && latest > 0 { throw ListPublishError.keyTaken(key) }
        guard latest == base else { throw ListPublishError.stale(current: latest) }
        return latest + 1
    }

    private static func insert(_ r: ListRevision, in t: any StoreTransaction) throws {
        try t.execute("""
            INSERT INTO list_revision (list, revision, at, actor, file, sha256, title, items, yaml, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [r.key, r.revision, iso(r.at), r.actor, r.file, r.sha256, r.title, r.items, r.yaml, r.note])
    }

    private static func listRevision(_ row: StoreRow) -> ListRevision {
        ListRevision(key: row["list"], revision: row.value("revision") == .null ? 0 : row["revision"],
                     at: date(row["at"]) ?? Date(timeIntervalSince1970: 0), actor: row["actor"], file: row["file"],
                     sha256: row["sha256"], title: row["title"], items: row["items"], yaml: row["yaml"],
                     note: row.value("note") == .null ? "" : row["note"])
    }
}
