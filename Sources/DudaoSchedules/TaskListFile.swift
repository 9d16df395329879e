import Foundation
import Yams
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

    /// The list as YAML, with a header comment; ids are quoted so they stay text.
    public static func yaml(_ list: TaskList, comment: String? = nil) throws -> String {
        func str(_ s: String, _ style: Node.Scalar.Style = .any) -> Node {
            Node.scalar(.init(s, .init(.str), style))
        }
        func names(_ values: [String]) -> Node {
            Node.sequence(.init(values.map { str($0) }, .init(.seq), values.count <= 12 && values.allSatisfy { $0.count < 30 } ? .flow : .block))
        }
        var items: [Node] = []
        for item in list.items {
            var pairs: [(Node, Node)] = [
                (str("id"), str(item.id, .doubleQuoted)),
                (str("title"), str(item.title)),
            ]
            if !item.content.isEmpty { pairs.append((str("content"), str(item.content, item.content.contains("\n") ? .literal : .any))) }
            if !item.measures.isEmpty {
                pairs.append((str("measures"), Node.sequence(.init(item.measures.map { str($0) }, .init(.seq), .block))))
            }
            pairs.append((str("lead"), names(item.lead)))
            pairs.append((str("partners"), names(item.partners)))
            if item.partnersAndOthers { pairs.append((str("partners_and_others"), Node("true", .init(.bool)))) }
            pairs.append((str("due_text"), str(item.dueText, .doubleQuoted)))
            if item.ongoing { pairs.append((str("ongoing"), Node("true", .init(.bool)))) }
            if !item.milestones.isEmpty {
                let ms = item.milestones.map { m -> Node in
                    var mp: [(Node, Node)] = [(str("due"), str(m.due.iso, .plain))]
                    if let s = m.start { mp.append((str("start"), str(s.iso, .plain))) }
                    mp.append((str("text"), str(m.text, .doubleQuoted)))
                    if let st = m.status { mp += statusPairs(st, str) }
                    return Node.mapping(.init(mp, .init(.map), .flow))
                }
                pairs.append((str("milestones"), Node.sequence(.init(ms, .init(.seq), .block))))
            }
            if item.status != .open { pairs += statusPairs(item.status, str) }
            items.append(Node.mapping(.init(pairs, .init(.map), .block)))
        }
        var top: [(Node, Node)] = [(str("title"), str(list.title))]
        if let source = list.source { top.append((str("source"), str(source))) }
        top.append((str("items"), Node.sequence(.init(items, .init(.seq), .block))))
        let body = try Yams.serialize(node: Node.mapping(.init(top, .init(.map), .block)), indent: 2, width: -1, allowUnicode: true)
        let header = comment.map { $0.split(separator: "\n", omittingEmptySubsequences: false).map { "# " + $0 }.joined(separator: "\n") + "\n" } ?? ""
        return header + body
    }

    private static func statusPairs(_ status: ItemStatus, _ str: (String, Node.Scalar.Style) -> Node) -> [(Node, Node)] {
        var pairs = [(str("status", .any), str(status.name, .any))]
        if case .extended(let to) = status { pairs.append((str("extended_to", .any), str(to.iso, .plain))) }
        return pairs
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
    public static func read(_ path: String, into diag: inout Diagnostics) -> (title: String, items: [LoadedItem])? {
        guard let doc = YAMLDocument.read(path, into: &diag), let top = doc.rootMap(into: &diag) else { return nil }
        top.checkKeys(listKeys, into: &diag)
        let title = top.string("title", into: &diag) ?? ""
        let prefix = top.string("id_prefix", into: &diag) ?? ""
        let year = top.int("year", into: &diag) ?? TaskList.year(in: title)
        let parser = DeadlineParser(defaultYear: year)
        guard let nodes = top.sequence("items", into: &diag) else {
            if !top.has("items") { diag.error(path, line: top.line, "缺少 missing “items”: not a task list") }
            return nil
        }
        var items: [LoadedItem] = []
        for node in nodes {
            guard var map = YAMLMap(node, file: path, what: "事项 each item", into: &diag) else { continue }
            let before = diag.errors.count
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
                if !dueText.isEmpty, let parsed = try? parser.parse(dueText),
                   parsed.milestones.map(\.due) != milestones.map(\.due) {
                    diag.warning(path, line: map.line("milestones"), item: map.item,
                                 "due_text “\(dueText)” 与 milestones 不一致 disagrees with the milestones; the milestones are used")
                }
            } else if dueText.isEmpty {
                if !ongoing { diag.error(path, line: map.line, item: map.item, "缺少完成时间 no due_text and no milestones") }
            } else {
                do {
                    let d = try parser.parse(dueText)
                    milestones = d.milestones.map(Milestone.init)
                    ongoing = ongoing || d.ongoing
                } catch {
                    diag.error(path, line: map.line("due_text"), item: map.item, error.description)
                }
            }
            let status = readStatus(map, into: &diag)
            guard diag.errors.count == before else { continue }
            let partners = map.strings("partners", into: &diag) ?? []
            items.append(LoadedItem(item: Item(
                id: prefix + rawID, title: title, content: map.string("content", into: &diag) ?? "",
                measures: map.strings("measures", into: &diag) ?? [], lead: lead, partners: partners,
                partnersAndOthers: map.bool("partners_and_others", into: &diag) ?? false,
                dueText: dueText, ongoing: ongoing, milestones: milestones, status: status), line: map.line))
        }
        return (title, items)
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
