import Foundation
import Yams

/// A YAML file parsed into nodes that remember their line, so every finding can say
/// `file:line`. Reading never throws: problems go into `Diagnostics`.
public struct YAMLDocument {
    /// The file read.
    public let file: String
    let root: Node

    /// Reads and parses `path`; `nil` (with an error recorded) when unreadable or malformed.
    public static func read(_ path: String, into diag: inout Diagnostics) -> YAMLDocument? {
        guard let data = FileBytes.read(path) else {
            diag.error(path, "无法读取文件 cannot read the file")
            return nil
        }
        guard let text = String(data: data, encoding: .utf8) else {
            diag.error(path, "不是 UTF-8 文本 not UTF-8 text")
            return nil
        }
        do {
            // Every value is read as text and typed by the getters below, so no scalar needs
            // Yams's regex-based tag resolution: the basic resolver makes them all strings.
            guard let root = try Yams.compose(yaml: text, .basic) else {
                diag.error(path, line: 1, "文件为空 the file is empty")
                return nil
            }
            return YAMLDocument(file: path, root: root)
        } catch let error as YamlError {
            diag.error(path, line: Self.line(of: error), "YAML 语法错误 YAML syntax error: \(Self.problem(of: error))")
            return nil
        } catch {
            diag.error(path, "YAML 语法错误 YAML syntax error: \(error)")
            return nil
        }
    }

    private static func line(of error: YamlError) -> Int? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): mark.line
        default: nil
        }
    }

    private static func problem(of error: YamlError) -> String {
        switch error {
        case .scanner(let c, let p, _, _), .parser(let c, let p, _, _), .composer(let c, let p, _, _):
            (c.map { "\($0.description) " } ?? "") + p
        case .duplicatedKeysInMapping(let keys, _): "duplicate keys \(keys.joined(separator: ", "))"
        default: "\(error)"
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
    let node: Node
    let mapping: Node.Mapping
    /// The file it was read from.
    public let file: String
    var item: String? = nil

    init?(_ node: Node, file: String, what: String, item: String? = nil, into diag: inout Diagnostics) {
        guard let mapping = node.mapping else {
            diag.error(file, line: node.mark?.line, item: item, "\(what)应为键值映射 must be a mapping (key: value)")
            return nil
        }
        self.node = node
        self.mapping = mapping
        self.file = file
        self.item = item
    }

    public var line: Int? { node.mark?.line }

    /// Compares key text only: `Mapping`'s own subscript compares whole nodes, resolving
    /// tags on every comparison.
    func node(_ key: String) -> Node? {
        for (k, v) in mapping where k.scalar?.string == key { return v }
        return nil
    }

    /// The mappings listed under `key` (each entry must be a mapping; others are reported).
    public func maps(_ key: String, what: String, into diag: inout Diagnostics) -> [YAMLMap]? {
        guard let nodes = sequence(key, into: &diag) else { return nil }
        return nodes.compactMap { YAMLMap($0, file: file, what: what, item: item, into: &diag) }
    }

    /// The value under `key` when it is a single value (not a mapping or list).
    public func scalar(_ key: String) -> String? { node(key)?.scalar?.string }

    /// True when `key` holds a mapping.
    public func isMap(_ key: String) -> Bool { node(key)?.mapping != nil }
    public func line(_ key: String) -> Int? { node(key)?.mark?.line ?? line }
    public func has(_ key: String) -> Bool { node(key) != nil }

    /// Reports keys not in `allowed`, suggesting the closest allowed one.
    public func checkKeys(_ allowed: [String], into diag: inout Diagnostics) {
        for (k, _) in mapping {
            guard let name = k.scalar?.string, !allowed.contains(name) else { continue }
            let hint = allowed.min { editDistance($0, name) < editDistance($1, name) }
                .flatMap { editDistance($0, name) <= 3 ? "; did you mean “\($0)”?" : nil } ?? ""
            diag.error(file, line: k.mark?.line, item: item, "未知的键 unknown key “\(name)”\(hint) (allowed: \(allowed.joined(separator: ", ")))")
        }
    }

    public func string(_ key: String, required: Bool = false, into diag: inout Diagnostics) -> String? {
        guard let n = node(key), !Self.isNull(n) else {
            if required { diag.error(file, line: line(key), item: item, "缺少 missing “\(key)”") }
            return nil
        }
        guard case .scalar(let s) = n else {
            diag.error(file, line: n.mark?.line, item: item, "“\(key)” 应为文本 must be a single value")
            return nil
        }
        return s.string
    }

    /// An empty value, `~` or `null`.
    static func isNull(_ n: Node) -> Bool {
        guard case .scalar(let s) = n, s.style == .plain || s.style == .any else { return false }
        return s.string.isEmpty || s.string == "~" || s.string == "null"
    }

    public func strings(_ key: String, into diag: inout Diagnostics) -> [String]? {
        guard let n = node(key) else { return nil }
        if Self.isNull(n) { return [] }
        guard let seq = n.sequence else {
            diag.error(file, line: n.mark?.line, item: item, "“\(key)” 应为列表 must be a list")
            return nil
        }
        var out: [String] = []
        for element in seq {
            guard let s = element.scalar?.string else {
                diag.error(file, line: element.mark?.line, item: item, "“\(key)” 的元素应为文本 entries of “\(key)” must be single values")
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

    func sequence(_ key: String, into diag: inout Diagnostics) -> [Node]? {
        guard let n = node(key) else { return nil }
        if Self.isNull(n) { return [] }
        guard let seq = n.sequence else {
            diag.error(file, line: n.mark?.line, item: item, "“\(key)” 应为列表 must be a list")
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
