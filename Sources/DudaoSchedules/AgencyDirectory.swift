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
///   - name: 市政府督查室
///     contact: {name: 张三, phone: 0371-67180000, email: duchashi@zhengzhou.example}
///   - name: 市直各有关部门
///     group: true
/// ```
public struct AgencyDirectory: Sendable {
    /// Agencies in file order.
    public private(set) var agencies: [Agency] = []
    /// Where an agency is defined: agencies.yaml and a line, or the store (`StoredAgency.place`).
    public struct Origin: Hashable, Sendable {
        public var file: String
        public var line: Int?
    }

    /// Where each agency is defined, by canonical name, for findings and the console.
    public private(set) var origins: [String: Origin] = [:]
    private var byName: [String: Int] = [:]

    /// An empty directory.
    public init() {}

    /// A directory of `agencies`; later duplicates are ignored.
    public init(_ agencies: [Agency]) {
        for a in agencies { _ = add(a, at: Origin(file: "", line: nil)) }
    }

    /// The canonical agency for a name or alias, ignoring spaces and full/half-width parentheses.
    public func agency(named name: String) -> Agency? {
        byName[Self.key(name)].map { agencies[$0] }
    }

    /// Canonical name for `name`, or `name` itself when unknown.
    public func canonical(_ name: String) -> String { agency(named: name)?.name ?? name }

    /// Where `name`'s entry is, or `file` alone when not known.
    public func origin(of name: String, default file: String) -> Origin {
        origins[name].flatMap { $0.file.isEmpty ? nil : $0 } ?? Origin(file: file, line: nil)
    }

    /// Adds an agency; returns the name that clashes with an earlier entry, and where that is, if any.
    mutating func add(_ agency: Agency, at origin: Origin) -> String? {
        for n in [agency.name] + agency.aliases {
            if let existing = byName[Self.key(n)] {
                let first = agencies[existing].name
                let place = origins[first].map { o in o.file + (o.line.map { ":\($0)" } ?? "") } ?? ""
                return "\(n) (already \(first)\(place.isEmpty ? "" : ", at " + place))"
            }
        }
        let index = agencies.count
        agencies.append(agency)
        origins[agency.name] = origin
        for n in [agency.name] + agency.aliases { byName[Self.key(n)] = index }
        return nil
    }

    /// The form names are compared in: no white space, full-width parentheses made
    /// half-width, so one agency is spelled one way (the importer cleans agency cells with it).
    public static func key(_ name: String) -> String {
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
            guard let map = YAMLMap(node, file: path, what: "单位 each agency", into: &diag), let agency = agency(map, into: &diag) else { continue }
            directory.add(agency, at: Origin(file: path, line: map.line), into: &diag)
        }
        return directory
    }

    /// Adds an agency the office keeps in the store (one agency's entry as YAML), or records
    /// why not: unreadable, or a name or alias the directory has already (one place each).
    public mutating func add(_ stored: StoredAgency, into diag: inout Diagnostics) {
        var scratch = diag
        guard let doc = YAMLDocument.parse(Array(stored.yaml.utf8), file: stored.place, stream: nil, into: &scratch),
              let map = doc.rootMap(into: &scratch), let agency = Self.agency(map, into: &scratch) else {
            diag = scratch
            return
        }
        diag = scratch
        add(agency, at: Origin(file: stored.place, line: nil), into: &diag)
    }

    private mutating func add(_ agency: Agency, at origin: Origin, into diag: inout Diagnostics) {
        if let clash = add(agency, at: origin) {
            diag.error(origin.file, line: origin.line, "单位名称重复 duplicate agency name or alias: \(clash); keep each agency in one place")
        }
    }

    /// One entry of `agencies:` (the same keys in the store).
    static let agencyKeys = ["name", "aliases", "contacts", "leadership", "group", "contact"]

    /// One agency's entry, checked as agencies.yaml's are.
    static func agency(_ entry: YAMLMap, into diag: inout Diagnostics) -> Agency? {
        var map = entry
        map.checkKeys(agencyKeys, into: &diag)
        guard let name = map.string("name", required: true, into: &diag) else { return nil }
        map.item = nil
        return Agency(
            name: name,
            aliases: map.strings("aliases", into: &diag) ?? [],
            contacts: contacts(map, "contacts", agency: name, into: &diag),
            leadership: contacts(map, "leadership", agency: name, into: &diag),
            isGroup: map.bool("group", into: &diag) ?? false,
            contact: map.map("contact", into: &diag).flatMap { contact($0, agency: name, into: &diag) })
    }

    private static func contacts(_ map: YAMLMap, _ key: String, agency: String, into diag: inout Diagnostics) -> [Contact] {
        guard let nodes = map.sequence(key, into: &diag) else { return [] }
        return nodes.compactMap { node in
            YAMLMap(node, file: map.file, what: "联系人 each contact of \(agency)", into: &diag).flatMap { contact($0, agency: agency, into: &diag) }
        }
    }

    private static func contact(_ c: YAMLMap, agency: String, into diag: inout Diagnostics) -> Contact? {
        c.checkKeys(["name", "email", "chat", "phone", "mobile", "role"], into: &diag)
        let email = c.string("email", into: &diag)
        if let e = email, !isPlausibleEmail(e) {
            diag.error(c.file, line: c.line("email"), "\(agency): 邮箱地址无效 not an email address: “\(e)”")
        }
        let phone = c.string("phone", into: &diag)
        if let p = phone, !isPlausiblePhone(p) {
            diag.error(c.file, line: c.line("phone"), "\(agency): 电话号码无效 not a telephone number: “\(p)” (digits, spaces, - + ( ) and 转; e.g. 0371-67180000)")
        }
        let mobile = c.string("mobile", into: &diag)
        if let m = mobile, !Mobile.isValid(m) {
            // The number itself stays out of the finding: it is personal data, and findings are logged.
            diag.error(c.file, line: c.line("mobile"), "\(agency): 手机号码无效 not a mobile number “\(Mobile.masked(m))” (11 digits starting 13–19, or E.164: + and the country code)")
        }
        return Contact(name: c.string("name", into: &diag) ?? agency, email: email, chat: c.string("chat", into: &diag), phone: phone,
                       mobile: mobile, role: c.string("role", into: &diag))
    }

    /// Digits with the usual separators (`0371-67180000`, `+86 371 6718 0000`, `67180000转123`),
    /// 5 to 30 characters: a number a person can dial, and nothing that could break a line.
    public static func isPlausiblePhone(_ s: String) -> Bool {
        (5...30).contains(s.count) && s.filter(\.isNumber).count >= 5
            && s.allSatisfy { ("0"..."9").contains($0) || " -+()（）转".contains($0) }
    }

    /// `local@domain.tld`, no spaces, no CR/LF: enough to catch typos, not a full RFC 5322 parser.
    public static func isPlausibleEmail(_ s: String) -> Bool {
        let parts = s.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".")
            && !parts[1].hasPrefix(".") && !parts[1].hasSuffix(".")
            && !s.contains(where: { $0.isWhitespace || $0 == "<" || $0 == ">" || $0 == "," })
    }
}
