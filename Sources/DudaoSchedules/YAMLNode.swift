import CLibYAML

/// A YAML node as Dudao reads it: text, a list or a mapping, and the line it starts on.
/// Every value is text; the getters of `YAMLMap` type it and say where it is wrong.
///
/// Built straight from libyaml's events (`compose`). Yams's composer, which Dudao used
/// before, resolves a type for every scalar by regular expressions and copies whole node
/// trees on lookup: loading a 100,000-item list took seconds in it.
public struct YAMLNode: Sendable {
    /// What the node holds.
    public indirect enum Value: Sendable {
        /// Text; `plain` when written without quotes or block indicators (so `~`, `null`
        /// and nothing mean "no value").
        case scalar(String, plain: Bool)
        /// A list.
        case sequence([YAMLNode])
        /// Keys (text) and values in file order.
        case mapping(keys: [YAMLNode], values: [YAMLNode])
    }

    /// The node.
    public var value: Value
    /// 1-based line where it starts.
    public var line: Int

    /// The text of a scalar.
    public var text: String? { if case .scalar(let s, _) = value { s } else { nil } }
    /// The entries of a list.
    public var items: [YAMLNode]? { if case .sequence(let s) = value { s } else { nil } }
    /// True for a mapping.
    public var isMapping: Bool { if case .mapping = value { true } else { false } }

    /// A syntax error: libyaml's problem and context, and the line.
    struct SyntaxError: Error {
        let line: Int?
        let message: String
    }

    /// The entries of one list in the root mapping, handed over one by one as they are
    /// parsed instead of kept in the tree: a task list's `items` hold 100,000 entries, and
    /// reading each as it completes keeps only one entry's nodes in memory at a time.
    struct Stream {
        /// The root mapping's key whose list is streamed.
        let key: String
        /// Called when the list starts, with the root mapping's keys and values before it.
        let begin: (YAMLNode) -> Void
        /// Called with each entry of the list, in order.
        let each: (YAMLNode) -> Void
    }

    /// The single document of `bytes` (UTF-8), or `nil` when it holds none. Anchors and
    /// aliases are resolved; a key given twice in one mapping is an error. With `stream`,
    /// the entries of its list go to the stream and the returned tree holds an empty list
    /// there.
    static func compose(_ bytes: [UInt8], stream: Stream? = nil) throws(SyntaxError) -> YAMLNode? {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { throw SyntaxError(line: nil, message: "out of memory") }
        defer { yaml_parser_delete(&parser) }
        return try bytes.withUnsafeBufferPointer { (buffer) throws(SyntaxError) -> YAMLNode? in
            yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            var composer = Composer(stream: stream)
            while true {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) == 1 else { throw Composer.error(parser) }
                defer { yaml_event_delete(&event) }
                if event.type == YAML_STREAM_END_EVENT { return composer.root }
                try composer.add(event)
            }
        }
    }
}

/// Builds nodes from events with a stack of open lists and mappings.
private struct Composer {
    /// An open list or mapping. A class, so appending to the innermost one never copies
    /// its array (a task list holds 100,000 entries).
    private final class Open {
        let isMapping: Bool
        let line: Int
        let anchor: String?
        var keys: [YAMLNode] = []
        var values: [YAMLNode] = []
        /// Entries go to the stream instead of `values`.
        var isStreamed = false

        init(isMapping: Bool, line: Int, anchor: String?) {
            self.isMapping = isMapping
            self.line = line
            self.anchor = anchor
        }
    }

    private var stack: [Open] = []
    private var anchors: [String: YAMLNode] = [:]
    private var documents = 0
    private(set) var root: YAMLNode?
    let stream: YAMLNode.Stream?

    init(stream: YAMLNode.Stream?) {
        self.stream = stream
    }

    mutating func add(_ event: yaml_event_t) throws(YAMLNode.SyntaxError) {
        let line = Int(event.start_mark.line) + 1
        switch event.type {
        case YAML_DOCUMENT_START_EVENT:
            documents += 1
            if documents > 1 { throw YAMLNode.SyntaxError(line: line, message: "expected a single document in the stream, but found another document") }
        case YAML_SCALAR_EVENT:
            let s = event.data.scalar
            let text = String(decoding: UnsafeBufferPointer(start: s.value, count: s.length), as: UTF8.self)
            try finish(YAMLNode(value: .scalar(text, plain: s.style == YAML_PLAIN_SCALAR_STYLE), line: line), anchor: Self.text(s.anchor))
        case YAML_ALIAS_EVENT:
            let name = Self.text(event.data.alias.anchor) ?? ""
            guard var node = anchors[name] else { throw YAMLNode.SyntaxError(line: line, message: "found undefined alias “\(name)”") }
            node.line = line
            try finish(node, anchor: nil)
        case YAML_SEQUENCE_START_EVENT:
            let open = Open(isMapping: false, line: line, anchor: Self.text(event.data.sequence_start.anchor))
            // Only an unanchored list can be streamed: an alias would need its entries.
            if let stream, open.anchor == nil, stack.count == 1, let root = stack.first, root.isMapping,
               root.keys.count == root.values.count + 1, root.keys.last?.text == stream.key {
                open.isStreamed = true
                stream.begin(YAMLNode(value: .mapping(keys: Array(root.keys.dropLast()), values: root.values), line: root.line))
            }
            stack.append(open)
        case YAML_MAPPING_START_EVENT:
            stack.append(Open(isMapping: true, line: line, anchor: Self.text(event.data.mapping_start.anchor)))
        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
            guard let open = stack.popLast() else { return }
            if open.isMapping {
                // Most mappings are small (an item's dozen keys): pairwise beats hashing there.
                let texts = open.keys.map { $0.text ?? "" }
                var seen = Set<String>()
                for (i, text) in texts.enumerated() {
                    let repeated = texts.count <= 16 ? texts[..<i].contains(text) : !seen.insert(text).inserted
                    if repeated { throw YAMLNode.SyntaxError(line: open.keys[i].line, message: "duplicate keys \(text)") }
                }
                try finish(YAMLNode(value: .mapping(keys: open.keys, values: open.values), line: open.line), anchor: open.anchor)
            } else {
                try finish(YAMLNode(value: .sequence(open.values), line: open.line), anchor: open.anchor)
            }
        default:
            break
        }
    }

    /// Hands a complete node to the list or mapping it is in, or makes it the root.
    private mutating func finish(_ node: YAMLNode, anchor: String?) throws(YAMLNode.SyntaxError) {
        if let anchor { anchors[anchor] = node }
        guard let open = stack.last else {
            root = node
            return
        }
        if open.isMapping && open.keys.count == open.values.count {
            guard node.text != nil else { throw YAMLNode.SyntaxError(line: node.line, message: "a key must be a single value, not a list or mapping") }
            open.keys.append(node)
        } else if open.isStreamed {
            stream?.each(node)
        } else {
            open.values.append(node)
        }
    }

    private static func text(_ p: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        p.map { String(cString: $0) }
    }

    /// libyaml's problem with its context, as Yams worded it.
    static func error(_ parser: yaml_parser_t) -> YAMLNode.SyntaxError {
        var message = ""
        if let context = parser.context {
            message += "\(String(cString: context)) in line \(parser.context_mark.line + 1), column \(parser.context_mark.column + 1)\n"
        }
        message += parser.problem.map { String(cString: $0) } ?? "syntax error"
        return YAMLNode.SyntaxError(line: Int(parser.problem_mark.line) + 1, message: message)
    }
}
