import Foundation

/// A YAML file parsed into nodes that remember their line, so every finding can say
/// `file:line`. Reading never throws: problems go into `Diagnostics`.
public struct YAMLDocument {
    /// The file read.
    public let file: String
    let root: YAMLNode

    /// Reads and parses `path`; `nil` (with an error recorded) when unreadable or malformed.
    public static func read(_ path: String, into diag: inout Diagnostics) -> YAMLDocument? {
        read(path, stream: nil, into: &diag)
    }

    /// Reads and parses `path`, handing the entries of one root list to `stream` as they
    /// are parsed (see `YAMLNode.Stream`).
    static func read(_ path: String, stream: YAMLNode.Stream?, into diag: inout Diagnostics) -> YAMLDocument? {
        guard let data = FileBytes.read(path) else {
            diag.error(path, "无法读取文件 cannot read the file")
            return nil
        }
        return parse(Array(data), file: path, stream: stream, into: &diag)
    }

    /// Parses `bytes` read from somewhere other than a file (a list kept in the state
    /// store); `file` names it in findings.
    static func parse(_ bytes: [UInt8], file path: String, stream: YAMLNode.Stream?, into diag: inout Diagnostics) -> YAMLDocument? {
        guard String(validating: bytes, as: UTF8.self) != nil else {
            diag.error(path, "不是 UTF-8 文本 not UTF-8 text")
            return nil
        }
        do {
            guard let root = try YAMLNode.compose(bytes, stream: stream) else {
                diag.error(path, line: 1, "文件为空 the file is empty")
                return nil
            }
            return YAMLDocument(file: path, root: root)
        } catch {
            diag.error(path, line: error.line, "YAML 语法错误 YAML syntax error: \(error.message)")
            return nil
        }
    }

    /// The root as a mapping, or an error.
    public func rootMap(into diag: inout Diagnostics) -> YAMLMap? {
        YAMLMap(root, file: file, what: "文件 the file", into: &diag)
    }
}

/// A YAML mapping with typed, line-aware getters that report wrong types and unknown keys.
/// Other rooms read their own files with it (channels.yaml is read by DudaoDelivery).
public struct YAMLMap {
    let node: YAMLNode
    /// Key texts and their nodes, and the values, in file order.
    private let keys: [YAMLNode]
    private let keyTexts: [String]
    private let values: [YAMLNode]
    /// The file it was read from.
    public let file: String
    var item: String? = nil

    init?(_ node: YAMLNode, file: String, what: String, item: String? = nil, into diag: inout Diagnostics) {
        guard case .mapping(let keys, let values) = node.value else {
            diag.error(file, line: node.line, item: item, "\(what)应为键值映射 must be a mapping (key: value)")
            return nil
        }
        self.node = node
        self.keys = keys
        self.keyTexts = keys.map { $0.text ?? "" }
        self.values = values
        self.file = file
        self.item = item
    }

    public var line: Int? { node.line }
    /// The keys, in file order.
    public var keyNames: [String] { keyTexts }

    func node(_ key: String) -> YAMLNode? {
        keyTexts.firstIndex(of: key).map { values[$0] }
    }

    /// The mappings listed under `key` (each entry must be a mapping; others are reported).
    public func maps(_ key: String, what: String, into diag: inout Diagnostics) -> [YAMLMap]? {
        guard let nodes = sequence(key, into: &diag) else { return nil }
        return nodes.compactMap { YAMLMap($0, file: file, what: what, item: item, into: &diag) }
    }

    /// The value under `key` when it is a single value (not a mapping or list).
    public func scalar(_ key: String) -> String? { node(key)?.text }

    /// True when `key` holds a mapping.
    public func isMap(_ key: String) -> Bool { node(key)?.isMapping ?? false }
    public func line(_ key: String) -> Int? { node(key)?.line ?? line }
    public func has(_ key: String) -> Bool { node(key) != nil }

    /// Reports keys not in `allowed`, suggesting the closest allowed one.
    public func checkKeys(_ allowed: [String], into diag: inout Diagnostics) {
        for (k, name) in zip(keys, keyTexts) {
            guard !allowed.contains(name) else { continue }
            let hint = allowed.min { editDistance($0, name) < editDistance($1, name) }
                .flatMap { editDistance($0, name) <= 3 ? "; did you mean “\($0)”?" : nil } ?? ""
            diag.error(file, line: k.line, item: item, "未知的键 unknown key “\(name)”\(hint) (allowed: \(allowed.joined(separator: ", ")))")
        }
    }

    public func string(_ key: String, required: Bool = false, into diag: inout Diagnostics) -> String? {
        guard let n = node(key), !Self.isNull(n) else {
            if required { diag.error(file, line: line(key), item: item, "缺少 missing “\(key)”") }
            return nil
        }
        guard let s = n.text else {
            diag.error(file, line: n.line, item: item, "“\(key)” 应为文本 must be a single value")
            return nil
        }
        return s
    }

    /// An empty value, `~` or `null`.
    static func isNull(_ n: YAMLNode) -> Bool {
        guard case .scalar(let s, plain: true) = n.value else { return false }
        return s.isEmpty || s == "~" || s == "null"
    }

    public func strings(_ key: String, into diag: inout Diagnostics) -> [String]? {
        guard let n = node(key) else { return nil }
        if Self.isNull(n) { return [] }
        guard let seq = n.items else {
            diag.error(file, line: n.line, item: item, "“\(key)” 应为列表 must be a list")
            return nil
        }
        var out: [String] = []
        for element in seq {
            guard let s = element.text else {
                diag.error(file, line: element.line, item: item, "“\(key)” 的元素应为文本 entries of “\(key)” must be single values")
                continue
            }
            out.append(s)
        }
        return out
    }

    public func int(_ key: String, into diag: inout Diagnostics) -> Int? {
        guard let text = string(key, into: &diag) else { return nil }
        guard let v = Int(text) else {
            diag.error(file, line: line(key), item: item, "“\(key)” 应为整数 must be a whole number, not “\(text)”")
            return nil
        }
        return v
    }

    /// A whole number within `range`; outside it, an error naming the range. Every count and
    /// length a file gives has a bound, so none reaches date or timer arithmetic unchecked.
    public func int(_ key: String, in range: ClosedRange<Int>, unit: String = "", into diag: inout Diagnostics) -> Int? {
        guard let v = int(key, into: &diag) else { return nil }
        guard range.contains(v) else {
            let span = "\(range.lowerBound)–\(range.upperBound)"
            diag.error(file, line: line(key), item: item, "“\(key)” 应为 \(span) must be \(span)\(unit.isEmpty ? "" : " " + unit), not \(v)")
            return nil
        }
        return v
    }

    public func bool(_ key: String, into diag: inout Diagnostics) -> Bool? {
        guard let text = string(key, into: &diag) else { return nil }
        switch text.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default:
            diag.error(file, line: line(key), item: item, "“\(key)” 应为 true 或 false must be true or false, not “\(text)”")
            return nil
        }
    }

    public func map(_ key: String, into diag: inout Diagnostics) -> YAMLMap? {
        guard let n = node(key) else { return nil }
        return YAMLMap(n, file: file, what: "“\(key)”", item: item, into: &diag)
    }

    func sequence(_ key: String, into diag: inout Diagnostics) -> [YAMLNode]? {
        guard let n = node(key) else { return nil }
        if Self.isNull(n) { return [] }
        guard let seq = n.items else {
            diag.error(file, line: n.line, item: item, "“\(key)” 应为列表 must be a list")
            return nil
        }
        return Array(seq)
    }
}

/// Levenshtein distance, for "did you mean" hints on misspelt keys.
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    if a.isEmpty { return b.count }
    var previous = Array(0...b.count)
    for i in 1...a.count {
        var current = [i] + [Int](repeating: 0, count: b.count)
        for j in stride(from: 1, through: b.count, by: 1) {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        previous = current
    }
    return previous[b.count]
}
