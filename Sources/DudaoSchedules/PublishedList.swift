import Foundation
import DudaoCore

/// A list the office published in the console (or with `dudao import --publish`), as the
/// state store keeps its current revision: planned beside the Schedules folder's files.
/// The folder is the operator's; these are the office's (Grafana's provisioning model).
public struct PublishedList: Hashable, Sendable {
    /// The list's key (`L2`): its items' ids start with it, so they never clash with another list's.
    public var key: String
    /// Counted from 1 per list; a rollback is a revision too.
    public var revision: Int
    /// The list in the task-list format (`TaskListFile`), ids already prefixed.
    public var yaml: String

    public init(key: String, revision: Int, yaml: String) {
        self.key = key
        self.revision = revision
        self.yaml = yaml
    }

    /// How findings name it in place of a file: `store:L2@3`.
    public var place: String { Self.place(key: key, revision: revision) }

    public static func place(key: String, revision: Int) -> String { "store:\(key)@\(revision)" }

    /// The key and revision a `place` names, or nil for a file.
    public static func parse(place: String) -> (key: String, revision: Int)? {
        guard place.hasPrefix("store:"), let at = place.lastIndex(of: "@"),
              let revision = Int(place[place.index(after: at)...]) else { return nil }
        return (String(place[place.index(place.startIndex, offsetBy: 6)..<at]), revision)
    }

    /// Where a list is defined, for the office: `库 L2 第3版`, or `文件 Schedules/x.yaml`.
    public static func label(place: String) -> String {
        if let (key, revision) = parse(place: place) { return "库 \(key) 第\(revision)版" }
        return "文件 \(place)"
    }

    /// A key the office may give a list: 1–16 ASCII letters and digits, starting with a letter.
    public static func isValidKey(_ key: String) -> Bool {
        guard let first = key.first, first.isASCII, first.isLetter, key.count <= 16 else { return false }
        return key.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
    }
}

extension ScheduleSet {
    /// The schedules as they would be with `candidate` published in place of its list's
    /// revision in force: what the console's preview and `dudao import --publish` check (with
    /// `check(now:)`, as `dudao check` does) before anything is published.
    public static func load(_ directory: String, publishing candidate: PublishedList, owned: OfficeOwned) -> ScheduleSet {
        var owned = owned
        owned.lists = owned.lists.filter { $0.key != candidate.key } + [candidate]
        return load(directory, owned: owned)
    }

    /// The items `candidate`'s list defines in this set, in its order.
    public func items(of candidate: PublishedList) -> [Item] {
        items.indices.filter { place(ofItemAt: $0)?.file == candidate.place }.map { items[$0] }
    }
}
