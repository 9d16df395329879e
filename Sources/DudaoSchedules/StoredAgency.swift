import Foundation
import DudaoCore

/// An agency the office keeps in the directory (通讯录) in the console, as the state store
/// holds its current revision: one entry of agencies.yaml's `agencies:` list, as YAML. The
/// directory is agencies.yaml's entries (the operator's, read-only in the console) and these.
public struct StoredAgency: Hashable, Sendable {
    /// The agency's canonical name.
    public var name: String
    /// From 1 per agency.
    public var revision: Int
    /// The entry (`name:`, `aliases:`, `contacts:`, `leadership:`, `contact:`, `group:`).
    public var yaml: String

    public init(name: String, revision: Int, yaml: String) {
        self.name = name
        self.revision = revision
        self.yaml = yaml
    }

    /// How findings name it: `store:通讯录/市卫健委@2`.
    public var place: String { "store:通讯录/\(name)@\(revision)" }

    /// True when `file` (an `AgencyDirectory.Origin`'s) is the store.
    public static func isStored(_ file: String) -> Bool { file.hasPrefix("store:通讯录/") }

    /// The entry as YAML, written from its parts (what the console's form gives).
    public static func yaml(_ agency: Agency) -> String {
        var out = "name: "
        YAMLText.scalar(agency.name, into: &out)
        out += "\n"
        if !agency.aliases.isEmpty {
            out += "aliases:"
            for a in agency.aliases { out += "\n  - "; YAMLText.scalar(a, into: &out) }
            out += "\n"
        }
        if agency.isGroup { out += "group: true\n" }
        func contact(_ c: Contact, indent: String) {
            var first = true
            func field(_ key: String, _ value: String?) {
                guard let value, !value.isEmpty else { return }
                out += (first ? "" : indent) + key + ": "
                YAMLText.scalar(value, into: &out)
                out += "\n"
                first = false
            }
            field("name", c.name)
            field("role", c.role)
            field("email", c.email)
            field("mobile", c.mobile)
            field("phone", c.phone)
            field("chat", c.chat)
        }
        for (key, list) in [("contacts", agency.contacts), ("leadership", agency.leadership)] where !list.isEmpty {
            out += key + ":\n"
            for c in list { out += "  - "; contact(c, indent: "    ") }
        }
        if let c = agency.contact {
            out += "contact:\n  "
            contact(c, indent: "  ")
        }
        return out
    }
}

/// What the office owns in the state store, as Schedules read it: lists and agencies.
public struct OfficeOwned: Sendable {
    public var lists: [PublishedList]
    public var agencies: [StoredAgency]
    /// Leads the office added or removed, oldest first.
    public var leads: [LeadChange]

    public init(lists: [PublishedList] = [], agencies: [StoredAgency] = [], leads: [LeadChange] = []) {
        self.lists = lists
        self.agencies = agencies
        self.leads = leads
    }
}
