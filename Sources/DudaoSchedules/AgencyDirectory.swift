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
            map.checkKeys(["name", "aliases", "contacts", "leadership", "group", "contact"], into: &diag)
            guard let name = map.string("name", required: true, into: &diag) else { continue }
            map.item = nil
            let agency = Agency(
                name: name,
                aliases: map.strings("aliases", into: &diag) ?? [],
                contacts: contacts(map, "contacts", agency: name, into: &diag),
                leadership: contacts(map, "leadership", agency: name, into: &diag),
                isGroup: map.bool("group", into: &diag) ?? false,
                contact: map.map("contact", into: &diag).flatMap { contact($0, agency: name, into: &diag) })
            if let clash = directory.add(agency, line: map.line) {
                diag.error(path, line: map.line, "单位名称重复 duplicate agency name or alias: \(clash)")
            }
        }
        return directory
    }

    private static func contacts(_ map: YAMLMap, _ key: String, agency: String, into diag: inout Diagnostics) -> [Contact] {
        guard let nodes = map.sequence(key, into: &diag) else { return [] }
        return nodes.compactMap { node in
            YAMLMap(node, file: map.file, what: "联系人 each contact of \(agency)", into: &diag).flatMap { contact($0, agency: agency, into: &diag) }
        }
    }

    private static func contact(_ c: YAMLMap, agency: String, into diag: inout Diagnostics) -> Contact? {
        c.checkKeys(["name", "email", "chat", "phone"], into: &diag)
        let email = c.string("email", into: &diag)
        if let e = email, !isPlausibleEmail(e) {
            diag.error(c.file, line: c.line("email"), "\(agency): 邮箱地址无效 not an email address: “\(e)”")
        }
        let phone = c.string("phone", into: &diag)
        if let p = phone, !isPlausiblePhone(p) {
            diag.error(c.file, line: c.line("phone"), "\(agency): 电话号码无效 not a telephone number: “\(p)” (digits, spaces, - + ( ) and 转; e.g. 0371-67180000)")
        }
        return Contact(name: c.string("name", into: &diag) ?? agency, email: email, chat: c.string("chat", into: &diag), phone: phone)
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
