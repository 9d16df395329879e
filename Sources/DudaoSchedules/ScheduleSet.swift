import Foundation
import Synchronization
import DudaoCore

/// Everything in a Schedules directory, loaded: every task-list file, agencies, policy and
/// the working-day calendar — plus what was wrong with them.
///
/// Task lists are all `*.yaml`/`*.yml` files except the reserved `agencies.yaml`,
/// `policy.yaml` and `channels.yaml`; dropping an imported list into the folder is enough.
public struct ScheduleSet: Sendable {
    /// Where an item was defined.
    public struct Place: Hashable, Sendable {
        /// The task-list file.
        public var file: String
        /// Line of its entry.
        public var line: Int?
    }

    /// The folder read.
    public var directory: String
    /// Which load this is (a number no other load in the process has): what the console's
    /// cached 台账 compares to know the schedules were reloaded.
    public private(set) var generation = ScheduleSet.nextGeneration()
    private static let generations = Atomic<UInt64>(0)
    private static func nextGeneration() -> UInt64 { generations.add(1, ordering: .relaxed).newValue }
    /// Every item of every list, leads and partners resolved to canonical agency names.
    public var items: [Item] = []
    /// Where each item of `items` is defined, by index: its list (in `listTitles`) and line.
    /// Two 32-bit numbers per item, not a dictionary keyed by id: with 100,000 items that
    /// was 12 MB of the idle service.
    private var origins: [(list: Int32, line: Int32)] = []
    /// Titles of the lists read, by file.
    public var listTitles: [(file: String, title: String)] = []
    /// Agencies and their contacts.
    public var agencies = AgencyDirectory()
    /// The reminder policy (defaults when policy.yaml is absent).
    public var policy = Policy.default
    /// Templates folder, calendar attachment, report address (from policy.yaml).
    public var messages = PolicyFile.MessageSettings()
    /// Official working days.
    public var calendar = WorkCalendar.weekdaysOnly
    /// Findings made while loading: syntax, types, unparsable deadlines, unknown keys.
    public var diagnostics = Diagnostics()

    static let reserved = ["agencies.yaml", "policy.yaml", "channels.yaml", "dudao.yaml"]

    /// Where `items[index]` is defined.
    public func place(ofItemAt index: Int) -> Place? {
        guard origins.indices.contains(index) else { return nil }
        let origin = origins[index]
        return Place(file: listTitles[Int(origin.list)].file, line: origin.line > 0 ? Int(origin.line) : nil)
    }

    /// The title of each item's list, in item order (the figures per list).
    public var itemLists: [String] { origins.map { listTitles[Int($0.list)].title } }

    /// Path of agencies.yaml in the folder.
    public var agenciesPath: String { (directory as NSString).appendingPathComponent("agencies.yaml") }
    /// Path of channels.yaml in the folder (read by DudaoDelivery's `ChannelsFile`).
    public var channelsPath: String { (directory as NSString).appendingPathComponent("channels.yaml") }
    /// Path of policy.yaml in the folder.
    public var policyPath: String { (directory as NSString).appendingPathComponent("policy.yaml") }
    /// The template folder: `templates_dir` from policy.yaml, relative paths taken from the
    /// folder that holds Schedules/ (where Templates/ sits beside it), not the working directory.
    public var templatesPath: String {
        let dir = messages.templatesDirectory
        if dir.hasPrefix("/") { return dir }
        let parent = (URL(fileURLWithPath: directory).standardizedFileURL.deletingLastPathComponent().path as NSString)
        return parent.appendingPathComponent(dir)
    }

    /// Whom agencies call at the supervising office, as every message says: its `contact:`
    /// in agencies.yaml, else its name and first mailbox.
    public var officeContact: Contact? {
        guard let office = policy.supervisor, let agency = agencies.agency(named: office) else { return nil }
        if let contact = agency.contact { return contact }
        return agency.contacts.first { $0.email != nil }.map { Contact(name: office, email: $0.email) }
    }

    /// Path of the calendar folder.
    public var calendarPath: String { (directory as NSString).appendingPathComponent("calendar") }

    /// True when the list read from `file` (a `listTitles` entry) is one the office published
    /// into the store rather than a file of the folder.
    public static func isPublished(_ file: String) -> Bool { PublishedList.parse(place: file) != nil }

    /// Loads `directory`, then what the office owns in the state store (`owned`: its lists
    /// and its agencies). Never throws: problems are in `diagnostics`. With a `cache`, unchanged task
    /// lists are taken from it instead of parsed (see `ListCache`).
    ///
    /// One object lives in one place: an item id, a list title or an agency's name or alias
    /// defined both in a file and in the store is an error naming both places.
    public static func load(_ directory: String, cache: ListCache? = nil, owned: OfficeOwned = OfficeOwned()) -> ScheduleSet {
        let published = owned.lists
        var set = ScheduleSet(directory: directory)
        var diag = Diagnostics()
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDir), isDir.boolValue else {
            diag.error(directory, "找不到日程目录 no such Schedules folder (use --schedules DIR)")
            set.diagnostics = diag
            return set
        }
        if FileManager.default.fileExists(atPath: set.agenciesPath) {
            set.agencies = AgencyDirectory.read(set.agenciesPath, into: &diag)
        } else {
            diag.error(set.agenciesPath, "缺少单位通讯录 missing agencies.yaml: nobody can be reminded")
        }
        for agency in owned.agencies { set.agencies.add(agency, into: &diag) }
        if FileManager.default.fileExists(atPath: set.policyPath) {
            (set.policy, set.messages) = PolicyFile.readAll(set.policyPath, into: &diag)
        }
        if FileManager.default.fileExists(atPath: set.calendarPath) {
            set.calendar = CalendarFile.read(directory: set.calendarPath, into: &diag)
        } else {
            diag.warning(set.calendarPath, "缺少节假日数据 no calendar folder: only Monday–Friday count as workdays")
        }
        // Agencies lead and partner in the same combinations on many rows: each combination
        // is resolved once and its list shared by those rows.
        var resolved: [[String]: [String]] = [:]
        func canonical(_ names: [String]) -> [String] {
            guard !names.isEmpty else { return names }
            if let known = resolved[names] { return known }
            let list = unique(names.map(set.agencies.canonical))
            resolved[names] = list
            return list
        }
        let lists = yamlFiles(in: directory).filter { !reserved.contains(($0 as NSString).lastPathComponent) }
        var firstDefinition: [String: Int] = [:]
        var titles: [String: String] = [:]
        let sources = lists.map { ($0, nil as PublishedList?) } + published.map { ($0.place, $0) }
        for (path, stored) in sources {
            let read = stored.map { TaskListFile.read(text: $0.yaml, name: path, into: &diag) } ?? TaskListFile.read(path, cache: cache, into: &diag)
            guard let list = read else { continue }
            // Files may share a title (as they always could); a published list may not share one.
            if let first = titles[list.title], !list.title.isEmpty, stored != nil || isPublished(first) {
                diag.error(path, "清单重复 the list “\(list.title)” is defined twice, first in \(first); keep it in one place (a file or the console)")
                continue
            }
            titles[list.title] = path
            set.listTitles.append((path, list.title))
            set.items.reserveCapacity(set.items.count + list.items.count)
            set.origins.reserveCapacity(set.items.count + list.items.count)
            for loaded in list.items {
                if let first = firstDefinition[loaded.item.id], let place = set.place(ofItemAt: first) {
                    diag.error(path, line: loaded.line, item: loaded.item.id,
                               "序号重复 duplicate item id, first at \(place.file):\(place.line ?? 0); give one list an id_prefix")
                    continue
                }
                firstDefinition[loaded.item.id] = set.items.count
                set.origins.append((Int32(set.listTitles.count - 1), Int32(clamping: loaded.line ?? 0)))
                var item = loaded.item
                item.lead = canonical(item.lead)
                item.partners = canonical(item.partners)
                set.items.append(item)
            }
        }
        cache?.keepOnly(lists)
        if !owned.leads.isEmpty {
            let changed = Dictionary(grouping: owned.leads, by: \.item)
            for i in set.items.indices {
                guard let changes = changed[set.items[i].id] else { continue }
                set.items[i].lead = LeadChange.apply(changes.map { var c = $0; c.agency = set.agencies.canonical(c.agency); return c },
                                                     to: set.items[i].lead, item: set.items[i].id)
            }
        }
        set.items.packTitles()
        set.diagnostics = diag
        return set
    }

    /// `*.yaml` and `*.yml` files directly in `directory`, sorted by name.
    static func yamlFiles(in directory: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { ($0.hasSuffix(".yaml") || $0.hasSuffix(".yml")) && !$0.hasPrefix(".") }
            .sorted()
            .map { (directory as NSString).appendingPathComponent($0) }
    }

    private static func unique(_ names: [String]) -> [String] {
        // A cell names a few agencies: comparing pairwise beats hashing Chinese text.
        guard names.count > 1 else { return names }
        var out: [String] = []
        out.reserveCapacity(names.count)
        for name in names where !out.contains(name) { out.append(name) }
        return out
    }
}
