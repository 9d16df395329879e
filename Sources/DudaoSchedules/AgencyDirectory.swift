import DudaoCore

/// `Schedules/agencies.yaml`: every agency, its aliases and contacts; resolves the names a
/// list uses to canonical ones.
///
/// ```yaml
/// agencies:
///   - name: 市市场监管局
///     aliases: [市市场监管局(知识产权局)]
///     contacts: [{name: 联络员, email: scjgj@zhengzhou.example}]
///     leadership: [{name: 分管领导, email: scjgj-leader@zhengzhou.example}]
///   - name: 市直各有关部门
///     group: true
/// ```
public struct AgencyDirectory: Sendable {
    /// Agencies in file order.
    public private(set) var agencies: [Agency] = []
    /// Line of each agency's entry, for findings.
    public private(set) var lines: [String: Int] = [:]
    private var byName: [String: Int] = [:]

    /// An empty directory.
    public init() {}

    /// A directory of `agencies`; later duplicates are ignored.
    public init(_ agencies: [Agency]) {
        for a in agencies { _ = add(a, line: nil) }
    }

    /// The canonical agency for a name or alias, ignoring spaces and full/half-width parentheses.
    public func agency(named name: String) -> Agency? {
        byName[Self.key(name)].map { agencies[$0] }
    }

    /// Canonical name for `name`, or `name` itself when unknown.
    public func canonical(_ name: String) -> String { agency(named: name)?.name ?? name }

    /// Adds an agency; returns the name that clashes with an earlier entry, if any.
    mutating func add(_ agency: Agency, line: Int?) -> String? {
        for n in [agency.name] + agency.aliases {
            if let existing = byName[Self.key(n)] { return "\(n) (already \(agencies[existing].name))" }
        }
        let index = agencies.count
        agencies.append(agency)
        lines[agency.name] = line
        for n in [agency.name] + agency.aliases { byName[Self.key(n)] = index }
        return nil
    }

    /// The form names are compared in: no white space, full-width parentheses made
    /// half-width, so one agency is spelled one way.
    static func key(_ name: String) -> String {
        // Scalars, not characters: every agency of every item is looked up.
        var key = String.UnicodeScalarView()
        for c in name.unicodeScalars where !c.isWhiteSpace {
            switch c {
            case "（": key.append("(")
            case "）": key.append(")")
            default: key.append(c)
            }
        }
        return String(key)
    }

    // MARK: File

    /// Reads agencies.yaml; problems go to `diag`.
    public static func read(_ path: String, into diag: inout Diagnostics) -> AgencyDirectory {
        var directory = AgencyDirectory()
        guard let doc = YAMLDocument.read(path, into: &diag), let top = doc.rootMap(into: &diag) else { return directory }
        top.checkKeys(["agencies"], into: &diag)
        guard let nodes = top.sequence("agencies", into: &diag) else {
            diag.error(path, line: top.line, "缺少 missing “agencies”")
            return directory
        }
        for node in nodes {
            guard var map = YAMLMap(node, file: path, what: "单位 each agency", into: &diag) else { continue }
            map.checkKeys(["name", "aliases", "contacts", "leadership", "group"], into: &diag)
            guard let name = map.string("name", required: true, into: &diag) else { continue }
            map.item = nil
            let agency = Agency(
                name: name,
                aliases: map.strings("aliases", into: &diag) ?? [],
                contacts: contacts(map, "contacts", agency: name, into: &diag),
                leadership: contacts(map, "leadership", agency: name, into: &diag),
                isGroup: map.bool("group", into: &diag) ?? false)
            if let clash = directory.add(agency, line: map.line) {
                diag.error(path, line: map.line, "单位名称重复 duplicate agency name or alias: \(clash)")
            }
        }
        return directory
    }

    private static func contacts(_ map: YAMLMap, _ key: String, agency: String, into diag: inout Diagnostics) -> [Contact] {
        guard let nodes = map.sequence(key, into: &diag) else { return [] }
        var out: [Contact] = []
        for node in nodes {
            guard let c = YAMLMap(node, file: map.file, what: "联系人 each contact of \(agency)", into: &diag) else { continue }
            c.checkKeys(["name", "email", "chat"], into: &diag)
            let email = c.string("email", into: &diag)
            if let e = email, !isPlausibleEmail(e) {
                diag.error(map.file, line: c.line("email"), "\(agency): 邮箱地址无效 not an email address: “\(e)”")
            }
            out.append(Contact(name: c.string("name", into: &diag) ?? agency, email: email, chat: c.string("chat", into: &diag)))
        }
        return out
    }

    /// `local@domain.tld`, no spaces, no CR/LF: enough to catch typos, not a full RFC 5322 parser.
    public static func isPlausibleEmail(_ s: String) -> Bool {
        let parts = s.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".")
            && !parts[1].hasPrefix(".") && !parts[1].hasSuffix(".")
            && !s.contains(where: { $0.isWhitespace || $0 == "<" || $0 == ">" || $0 == "," })
    }
}
