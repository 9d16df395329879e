import Foundation
import DudaoCore

/// The task-list file format (`Schedules/*.yaml` other than agencies and policy):
///
/// ```yaml
/// title: 郑州市全面提升营商环境水平事项清单
/// source: 000_248a791eb898ee58.txt
/// id_prefix: ""            # optional: makes ids unique when several lists are loaded
/// items:
///   - id: "1"
///     title: …
///     lead: [市市场监管局]
///     due_text: 2024年 12月
///     milestones: [{due: 2024-12-31, text: 2024年 12月}]
///     status: open          # open | in_progress | done | cancelled | extended
/// ```
///
/// `milestones` may be left out: they are then parsed from `due_text`.
public enum TaskListFile {
    static let listKeys = ["title", "source", "id_prefix", "year", "items"]
    static let itemKeys = ["id", "title", "content", "measures", "lead", "partners", "partners_and_others",
                           "due_text", "ongoing", "milestones", "status", "extended_to"]
    static let milestoneKeys = ["due", "start", "text", "status", "extended_to"]

    // MARK: Writing

    /// The list as YAML, with a header comment; ids are quoted so they stay text. Written
    /// straight into text in one pass (`YAMLText`), in the layout Yams gave it.
    public static func yaml(_ list: TaskList, comment: String? = nil) -> String {
        var out = comment.map { $0.split(separator: "\n", omittingEmptySubsequences: false).map { "# " + $0 }.joined(separator: "\n") + "\n" } ?? ""
        out.reserveCapacity(out.utf8.count + list.items.count * 400)
        func names(_ key: String, _ values: [String]) {
            out += "  \(key):"
            if values.count <= 12 && values.allSatisfy({ $0.count < 30 }) {
                out += " ["
                for (k, v) in values.enumerated() {
                    if k > 0 { out += ", " }
                    YAMLText.scalar(v, inFlow: true, into: &out)
                }
                out += "]\n"
            } else {
                for v in values {
                    out += "\n  - "
                    YAMLText.scalar(v, into: &out)
                }
                out += "\n"
            }
        }
        func status(_ st: ItemStatus, separator: String) {
            out += separator + "status: " + st.name
            if case .extended(let to) = st { out += separator + "extended_to: " + to.iso }
        }
        out += "title: "
        YAMLText.scalar(list.title, into: &out)
        if let source = list.source {
            out += "\nsource: "
            YAMLText.scalar(source, into: &out)
        }
        out += "\nitems:"
        if list.items.isEmpty { out += " []" }
        out += "\n"
        for item in list.items {
            out += "- id: "
            YAMLText.doubleQuoted(item.id, into: &out)
            out += "\n  title: "
            YAMLText.scalar(item.title, into: &out)
            out += "\n"
            if !item.content.isEmpty {
                out += "  content: "
                if item.content.contains("\n") { YAMLText.block(item.content, indent: 4, into: &out) } else { YAMLText.scalar(item.content, into: &out) }
                out += "\n"
            }
            if !item.measures.isEmpty {
                out += "  measures:"
                for m in item.measures {
                    out += "\n  - "
                    YAMLText.scalar(m, into: &out)
                }
                out += "\n"
            }
            names("lead", item.lead)
            names("partners", item.partners)
            if item.partnersAndOthers { out += "  partners_and_others: true\n" }
            out += "  due_text: "
            YAMLText.doubleQuoted(item.dueText, into: &out)
            out += "\n"
            if item.ongoing { out += "  ongoing: true\n" }
            if !item.milestones.isEmpty {
                out += "  milestones:\n"
                for m in item.milestones {
                    out += "  - {due: " + m.due.iso
                    if let start = m.start { out += ", start: " + start.iso }
                    out += ", text: "
                    YAMLText.doubleQuoted(m.text, into: &out)
                    if let st = m.status { status(st, separator: ", ") }
                    out += "}\n"
                }
            }
            if item.status != .open {
                out += "  status: " + item.status.name + "\n"
                if case .extended(let to) = item.status { out += "  extended_to: " + to.iso + "\n" }
            }
        }
        return out
    }

    /// The contract of `dudao import --format json`: title and items with id, title, lead,
    /// partners, due_text, ongoing and milestones (due, text), then extra fields.
    public static func json(_ list: TaskList) -> String {
        JSONValue.object([
            ("title", .string(list.title)),
            ("items", .array(list.items.map { item in
                .object([
                    ("id", .string(item.id)),
                    ("title", .string(item.title)),
                    ("lead", .strings(item.lead)),
                    ("partners", .strings(item.partners)),
                    ("due_text", .string(item.dueText)),
                    ("ongoing", .bool(item.ongoing)),
                    ("milestones", .array(item.milestones.map { m in
                        var pairs: [(String, JSONValue)] = [("due", .string(m.due.iso)), ("text", .string(m.text))]
                        if let s = m.start { pairs.append(("start", .string(s.iso))) }
                        return .object(pairs)
                    })),
                    ("partners_and_others", .bool(item.partnersAndOthers)),
                    ("content", .string(item.content)),
                    ("measures", .strings(item.measures)),
                ])
            })),
        ]).text
    }

    // MARK: Reading

    /// An item and the line it starts on.
    public struct LoadedItem: Sendable {
        /// The item, ids already prefixed.
        public var item: Item
        /// Line of `- id:` in the file.
        public var line: Int?
    }

    /// Reads a task-list file; problems go to `diag` with file, line and item id.
    /// Items with errors are left out; the rest are returned.
    ///
    /// The items are read one by one as libyaml parses them, with the list's `id_prefix`
    /// and year as written before `items:`, so the whole tree is never held. A list that
    /// names them after its items (legal, if unusual) is read again as a whole.
    public static func read(_ path: String, into diag: inout Diagnostics) -> (title: String, items: [LoadedItem])? {
        read(path, cache: nil, into: &diag)
    }

    /// Reads a task-list file, or takes what reading it gave from `cache` when the file has
    /// not changed since; a fresh reading is recorded there.
    public static func read(_ path: String, cache: ListCache?, into diag: inout Diagnostics) -> (title: String, items: [LoadedItem])? {
        guard let cache, let stamp = FileStamp(path: path) else { return parse(path, into: &diag) }
        if let entry = cache.entry(for: path, stamp: stamp) {
            diag.append(contentsOf: entry.findings)
            return (entry.title, entry.items)
        }
        var findings = Diagnostics()
        let read = parse(path, into: &findings)
        diag.append(contentsOf: findings)
        if let read { cache.store(ListCache.Entry(title: read.title, items: read.items, findings: findings), for: path, stamp: stamp) }
        return read
    }

    /// Reads a list held as text (one the office published, kept in the state store); `name`
    /// is where findings say it is.
    public static func read(text: String, name: String, into diag: inout Diagnostics) -> (title: String, items: [LoadedItem])? {
        parse(name, bytes: Array(text.utf8), into: &diag)
    }

    private static func parse(_ path: String, bytes: [UInt8]? = nil, into diag: inout Diagnostics) -> (title: String, items: [LoadedItem])? {
        var streamed: ItemReader?
        var streamedDiag = Diagnostics()
        let stream = YAMLNode.Stream(key: "items", begin: { head in
            var scratch = Diagnostics()
            guard let map = YAMLMap(head, file: path, what: "", into: &scratch) else { return }
            streamed = ItemReader(path: path, header: Header(map, into: &scratch))
        }, each: { node in
            streamed?.read(node, into: &streamedDiag)
        })
        let document = bytes.map { YAMLDocument.parse($0, file: path, stream: stream, into: &diag) }
            ?? YAMLDocument.read(path, stream: stream, into: &diag)
        guard let doc = document, let top = doc.rootMap(into: &diag) else { return nil }
        top.checkKeys(listKeys, into: &diag)
        let header = Header(top, into: &diag)
        guard let nodes = top.sequence("items", into: &diag) else {
            if !top.has("items") { diag.error(path, line: top.line, "缺少 missing “items”: not a task list") }
            return nil
        }
        guard let reader = streamed, reader.header == header else {
            if streamed != nil { return readWhole(path, bytes: bytes, into: &diag) }
            var reader = ItemReader(path: path, header: header)
            for node in nodes { reader.read(node, into: &diag) }
            return (header.title, reader.items)
        }
        diag.append(contentsOf: streamedDiag)
        return (header.title, reader.items)
    }

    /// Reads the file as one tree: for a list whose `id_prefix`, `year` or `title` come
    /// after its items.
    private static func readWhole(_ path: String, bytes: [UInt8]?, into diag: inout Diagnostics) -> (title: String, items: [LoadedItem])? {
        let document = bytes.map { YAMLDocument.parse($0, file: path, stream: nil, into: &diag) } ?? YAMLDocument.read(path, into: &diag)
        guard let doc = document, let top = doc.rootMap(into: &diag) else { return nil }
        top.checkKeys(listKeys, into: &diag)
        let header = Header(top, into: &diag)
        var reader = ItemReader(path: path, header: header)
        for node in top.sequence("items", into: &diag) ?? [] { reader.read(node, into: &diag) }
        return (header.title, reader.items)
    }

    /// What a list's top keys say about all its items.
    struct Header: Equatable {
        let title: String
        let prefix: String
        let year: Int?

        init(_ top: YAMLMap, into diag: inout Diagnostics) {
            title = top.string("title", into: &diag) ?? ""
            prefix = top.string("id_prefix", into: &diag) ?? ""
            year = top.int("year", into: &diag) ?? TaskList.year(in: title)
        }
    }

    /// Turns item nodes into items, one at a time.
    struct ItemReader {
        let path: String
        let header: Header
        let parser: DeadlineParser
        private(set) var items: [LoadedItem] = []
        /// Texts that repeat down a list, kept once.
        private var pool = TextPool()
        /// Deadline texts repeat down a list: each is parsed once.
        private var deadlines: [String: Result<Deadline, DeadlineError>] = [:]

        init(path: String, header: Header) {
            self.path = path
            self.header = header
            parser = DeadlineParser(defaultYear: header.year)
        }

        private mutating func parse(_ text: String) throws(DeadlineError) -> Deadline {
            if let known = deadlines[text] { return try known.get() }
            let parsed = Result { () throws(DeadlineError) in try parser.parse(text) }
            deadlines[text] = parsed
            return try parsed.get()
        }

        mutating func read(_ node: YAMLNode, into diag: inout Diagnostics) {
            let prefix = header.prefix
            guard var map = YAMLMap(node, file: path, what: "事项 each item", into: &diag) else { return }
            let before = diag.errorCount
            let rawID = map.string("id", required: true, into: &diag) ?? ""
            map.item = rawID.isEmpty ? nil : prefix + rawID
            if rawID.contains(where: { $0 == "/" || $0.isWhitespace }) {
                diag.error(path, line: map.line("id"), item: map.item, "序号不能含有“/”或空格 id may not contain “/” or spaces")
            }
            map.checkKeys(itemKeys, into: &diag)
            let title = map.string("title", required: true, into: &diag) ?? ""
            let lead = map.strings("lead", into: &diag) ?? []
            if lead.isEmpty { diag.error(path, line: map.line("lead"), item: map.item, "缺少牵头单位 no lead agency") }
            let dueText = map.string("due_text", into: &diag) ?? ""
            var ongoing = map.bool("ongoing", into: &diag) ?? false
            var milestones: [Milestone] = []
            if let ms = map.sequence("milestones", into: &diag), !ms.isEmpty {
                for m in ms {
                    guard let mm = YAMLMap(m, file: path, what: "里程碑 each milestone", item: map.item, into: &diag) else { continue }
                    mm.checkKeys(milestoneKeys, into: &diag)
                    guard let dueString = mm.string("due", required: true, into: &diag) else { continue }
                    guard let due = CivilDate(iso: dueString) else {
                        diag.error(path, line: mm.line("due"), item: map.item, "日期应为 YYYY-MM-DD due must be a date YYYY-MM-DD, not “\(dueString)”")
                        continue
                    }
                    let start = mm.string("start", into: &diag).flatMap { CivilDate(iso: $0) }
                    let status = readStatus(mm, into: &diag)
                    milestones.append(Milestone(due: due, start: start, text: mm.string("text", into: &diag) ?? dueString,
                                                status: mm.has("status") ? status : nil))
                }
                if !dueText.isEmpty, let parsed = try? parse(dueText),
                   parsed.milestones.map(\.due) != milestones.map(\.due) {
                    diag.warning(path, line: map.line("milestones"), item: map.item,
                                 "due_text “\(dueText)” 与 milestones 不一致 disagrees with the milestones; the milestones are used")
                }
            } else if dueText.isEmpty {
                if !ongoing { diag.error(path, line: map.line, item: map.item, "缺少完成时间 no due_text and no milestones") }
            } else {
                do {
                    let d = try parse(dueText)
                    milestones = d.milestones.map(Milestone.init)
                    ongoing = ongoing || d.ongoing
                } catch {
                    diag.error(path, line: map.line("due_text"), item: map.item, error.description)
                }
            }
            let status = readStatus(map, into: &diag)
            guard diag.errorCount == before else { return }
            let partners = map.strings("partners", into: &diag) ?? []
            milestones = pool.shared(milestones)
            items.append(LoadedItem(item: Item(
                id: prefix + rawID, title: title, content: map.string("content", into: &diag) ?? "",
                measures: pool.shared(map.strings("measures", into: &diag) ?? []), lead: pool.shared(lead),
                partners: pool.shared(partners), partnersAndOthers: map.bool("partners_and_others", into: &diag) ?? false,
                dueText: pool.shared(dueText), ongoing: ongoing, milestones: milestones, status: status), line: map.line))
        }
    }

    static func readStatus(_ map: YAMLMap, into diag: inout Diagnostics) -> ItemStatus {
        guard let name = map.string("status", into: &diag) else { return .open }
        guard ItemStatus.names.contains(name) else {
            diag.error(map.file, line: map.line("status"), item: map.item, "未知状态 unknown status “\(name)” (\(ItemStatus.names.joined(separator: ", ")))")
            return .open
        }
        let to = map.string("extended_to", into: &diag).flatMap(CivilDate.init(iso:))
        guard let status = ItemStatus(name: name, extendedTo: to) else {
            diag.error(map.file, line: map.line("status"), item: map.item, "status: extended 需要 extended_to: YYYY-MM-DD needs the new due date")
            return .open
        }
        return status
    }
}
