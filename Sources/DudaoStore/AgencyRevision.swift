import Foundation
import DudaoSchedules

/// A revision of an agency the office keeps in the directory (通讯录): its entry as YAML
/// (`StoredAgency`), who saved it and when. Revisions are kept for good; the newest is in
/// force; a removal is a revision with no entry.
public struct AgencyRevision: Hashable, Sendable {
    public var name: String
    public var revision: Int
    public var at: Date
    public var actor: String
    /// Empty when the revision removes the agency.
    public var yaml: String

    public init(name: String, revision: Int, at: Date, actor: String, yaml: String) {
        self.name = name
        self.revision = revision
        self.at = at
        self.actor = actor
        self.yaml = yaml
    }

    public var removes: Bool { yaml.isEmpty }
}

/// Why a directory change did not happen.
public enum AgencyEditError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Someone saved the agency after the form was opened.
    case stale(current: Int)
    /// A new agency under a name the store has in force.
    case nameTaken(String)
    /// Removing one the store does not hold.
    case gone(String)

    public var description: String {
        switch self {
        case .stale(let current): "该单位已被他人修改（现为第\(current)版），请重新打开后再保存 changed by someone else since (revision \(current))"
        case .nameTaken(let name): "通讯录中已有“\(name)” there is already an agency of that name"
        case .gone(let name): "通讯录中没有“\(name)” no such agency in the store"
        }
    }
}

extension StateStore {
    /// Every agency the office keeps, the revision in force, by name.
    public func agenciesInForce() throws -> [AgencyRevision] {
        try backend.read { t in
            try t.rows("""
                SELECT r.* FROM agency_revision r
                JOIN (SELECT name, MAX(revision) AS revision FROM agency_revision GROUP BY name) latest
                  ON latest.name = r.name AND latest.revision = r.revision
                WHERE r.yaml <> '' ORDER BY r.name
                """, []).map(Self.agencyRevision)
        }
    }

    /// Every revision of `name`, newest first.
    public func agencyRevisions(_ name: String) throws -> [AgencyRevision] {
        try backend.read { t in
            try t.rows("SELECT * FROM agency_revision WHERE name = ? ORDER BY revision DESC", [name]).map(Self.agencyRevision)
        }
    }

    /// Saves `yaml` as `name`'s next revision; `base` is the revision the form showed (0 for
    /// a new agency). The audit row commits with it.
    public func saveAgency(_ name: String, yaml: String, base: Int, at: Date, actor: String, audit: AuditEntry) throws -> AgencyRevision {
        try backend.write { t in
            if let lock = backend.dialect.lock("agencies") { try t.execute(lock) }
            let latest = try t.row("SELECT revision, yaml FROM agency_revision WHERE name = ? ORDER BY revision DESC LIMIT 1", [name])
            let current: Int = latest?["revision"] ?? 0
            let inForce = latest.map { !($0["yaml"] as String).isEmpty } ?? false
            if base == 0 && inForce { throw AgencyEditError.nameTaken(name) }
            if base != 0 && base != current { throw AgencyEditError.stale(current: current) }
            let r = AgencyRevision(name: name, revision: current + 1, at: at, actor: actor, yaml: yaml)
            try t.execute("INSERT INTO agency_revision (name, revision, at, actor, yaml) VALUES (?, ?, ?, ?, ?)",
                          [r.name, r.revision, Self.iso(at), actor, yaml])
            try Self.ownedChanged(audit, object: "\(name)@\(r.revision)", dialect: backend.dialect, in: t)
            return r
        }
    }

    /// Removes `name` from the office's directory (a revision with no entry).
    public func removeAgency(_ name: String, base: Int, at: Date, actor: String, audit: AuditEntry) throws -> AgencyRevision {
        try backend.write { t in
            if let lock = backend.dialect.lock("agencies") { try t.execute(lock) }
            let latest = try t.row("SELECT revision, yaml FROM agency_revision WHERE name = ? ORDER BY revision DESC LIMIT 1", [name])
            guard let latest, !(latest["yaml"] as String).isEmpty else { throw AgencyEditError.gone(name) }
            let current: Int = latest["revision"]
            guard base == current else { throw AgencyEditError.stale(current: current) }
            let r = AgencyRevision(name: name, revision: current + 1, at: at, actor: actor, yaml: "")
            try t.execute("INSERT INTO agency_revision (name, revision, at, actor, yaml) VALUES (?, ?, ?, ?, '')", [name, r.revision, Self.iso(at), actor])
            try Self.ownedChanged(audit, object: "\(name)@\(r.revision)", dialect: backend.dialect, in: t)
            return r
        }
    }

    /// What the office owns, as Schedules read it beside the folder's files.
    public func officeOwned() throws -> OfficeOwned {
        OfficeOwned(lists: try listsInForce().map { PublishedList(key: $0.key, revision: $0.revision, yaml: $0.yaml) },
                    agencies: try agenciesInForce().map { StoredAgency(name: $0.name, revision: $0.revision, yaml: $0.yaml) },
                    leads: try leadChanges())
    }

    /// The channel a change of what the office owns is announced on (PostgreSQL's NOTIFY).
    public static let ownedChannel = "dudao_owned"

    /// Ends a change of what the office owns, inside its transaction `t`: the audit row (naming
    /// the revision written) and, with the commit, the announcement to the other machine.
    static func ownedChanged(_ audit: AuditEntry, object: String, detail: String? = nil, dialect: SQLDialect, in t: any StoreTransaction) throws {
        var entry = audit
        entry.object = object
        if let detail { entry.detail = detail }
        try Self.audit(entry, dialect: dialect, in: t)
        if let notify = dialect.notify(ownedChannel) { try t.execute(notify) }
    }

    /// Changes with every publish, rollback, directory edit and lead change (the tables are append-only):
    /// the service compares it with the one its schedules were read at.
    public func ownedRevisionCount() throws -> Int {
        try backend.read { t in
            let lists: Int = try t.value("SELECT COUNT(*) FROM list_revision") ?? 0
            let agencies: Int = try t.value("SELECT COUNT(*) FROM agency_revision") ?? 0
            let leads: Int = try t.value("SELECT COUNT(*) FROM lead_change") ?? 0
            return lists + agencies + leads
        }
    }

    private static func agencyRevision(_ row: StoreRow) -> AgencyRevision {
        AgencyRevision(name: row["name"], revision: row["revision"], at: date(row["at"]) ?? Date(timeIntervalSince1970: 0),
                       actor: row["actor"], yaml: row["yaml"])
    }
}
