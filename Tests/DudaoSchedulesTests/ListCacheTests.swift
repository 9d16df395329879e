import Foundation
import Testing
@testable import DudaoCore
@testable import DudaoSchedules
@testable import DudaoImport

/// The parse cache gives exactly what parsing gave, and never a stale list: an edit of the
/// same size with the old modification time restored, a fresh file and a damaged cache
/// entry all lead to parsing the file again.
struct ListCacheTests {
    let list = """
    title: 2030年测试清单
    items:
    - id: "1"
      title: 任务一
      lead: [市财政局]
      due_text: 6月底前
    - id: "2"
      title: 任务二
      lead: [市财政局]
      due_text: 尽快

    """

    /// A Schedules copy with `list` in it, dated an hour ago (a file written in the last
    /// seconds is not cached), and an empty state folder.
    func setUp() throws -> (schedules: URL, path: String, state: URL) {
        let schedules = Fixtures.copyOfSchedules()
        let path = Fixtures.write(list, "cached.yaml", in: schedules)
        try age(path, seconds: 3600)
        let state = Fixtures.scratch().appendingPathComponent("var")
        try FileManager.default.createDirectory(at: state, withIntermediateDirectories: true)
        return (schedules, path, state)
    }

    func age(_ path: String, seconds: Double) throws {
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -seconds)], ofItemAtPath: path)
    }

    func summary(_ set: ScheduleSet) -> [String] {
        set.items.filter { $0.title.hasPrefix("任务") }.map { "\($0.id) \($0.title) \($0.milestones.map(\.due.iso))" }
            + set.diagnostics.list.filter { $0.problem.file.hasSuffix("cached.yaml") }.map(\.description)
    }

    @Test func anUnchangedListComesFromTheCacheAsParsed() throws {
        let (schedules, path, state) = try setUp()
        let cache = try #require(ListCache(stateDirectory: state.path))
        let parsed = ScheduleSet.load(schedules.path)
        let first = ScheduleSet.load(schedules.path, cache: cache)
        let stamp = try #require(FileStamp(path: path))
        let entry = try #require(cache.entry(for: path, stamp: stamp), "the first load records the list")
        #expect(entry.items.map(\.item.id) == ["1"] && entry.findings.errorCount == 1)
        let second = ScheduleSet.load(schedules.path, cache: cache)
        #expect(summary(second) == summary(parsed))
        #expect(summary(first) == summary(parsed))
        #expect(summary(parsed).contains { $0.contains("“尽快”") && $0.contains(":10") }, "the finding keeps its line: \(summary(parsed))")
        #expect(second.items == parsed.items)
        // Loaded for good, whether parsed or cached: every title in one shared block.
        for set in [parsed, second] {
            #expect(set.items.count > 2 && set.items.allSatisfy { $0.titleText.sharesBlock(with: set.items[0].titleText) })
        }
    }

    @Test func anEditOfTheSameSizeWithTheOldTimeRestoredIsSeen() throws {
        let (schedules, path, state) = try setUp()
        let cache = try #require(ListCache(stateDirectory: state.path))
        _ = ScheduleSet.load(schedules.path, cache: cache)
        let modified = try #require(try FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date)
        // 任务一 → 任务壹: same byte count; then the old modification time put back.
        try Data(list.replacingOccurrences(of: "任务一", with: "任务壹").utf8).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.modificationDate: modified], ofItemAtPath: path)
        let reloaded = ScheduleSet.load(schedules.path, cache: cache)
        #expect(reloaded.items.contains { $0.title == "任务壹" })
        #expect(!reloaded.items.contains { $0.title == "任务一" })
    }

    @Test func aFreshlyWrittenListIsNotCached() throws {
        let (schedules, path, state) = try setUp()
        try age(path, seconds: 0)
        let cache = try #require(ListCache(stateDirectory: state.path))
        _ = ScheduleSet.load(schedules.path, cache: cache)
        #expect(cache.entry(for: path, stamp: try #require(FileStamp(path: path))) == nil)
    }

    @Test func aDamagedEntryIsIgnored() throws {
        let (schedules, path, state) = try setUp()
        let cache = try #require(ListCache(stateDirectory: state.path))
        let parsed = ScheduleSet.load(schedules.path)
        _ = ScheduleSet.load(schedules.path, cache: cache)
        let files = try FileManager.default.contentsOfDirectory(atPath: cache.directory)
        #expect(files.count == 1, "one entry per list file: \(files)")
        let entryPath = cache.directory + "/" + files[0]
        let good = try Data(contentsOf: URL(fileURLWithPath: entryPath))
        var oneByte = good
        oneByte[good.count / 2] ^= 0x01
        for damaged in [good.prefix(good.count / 2), good.prefix(good.count - 1), oneByte, Data(good.map { $0 ^ 0x5a }), Data()] {
            try damaged.write(to: URL(fileURLWithPath: entryPath))
            let stamp = try #require(FileStamp(path: path))
            #expect(cache.entry(for: path, stamp: stamp) == nil)
            #expect(summary(ScheduleSet.load(schedules.path, cache: cache)) == summary(parsed))
        }
    }

    @Test func entriesOfListsNoLongerThereAreRemoved() throws {
        let (schedules, path, state) = try setUp()
        for name in try FileManager.default.contentsOfDirectory(atPath: schedules.path) where name.hasSuffix(".yaml") {
            try age(schedules.appendingPathComponent(name).path, seconds: 3600)
        }
        let cache = try #require(ListCache(stateDirectory: state.path))
        _ = ScheduleSet.load(schedules.path, cache: cache)
        let before = try FileManager.default.contentsOfDirectory(atPath: cache.directory)
        #expect(before.count == 2, "the bundled list and cached.yaml: \(before)")
        try FileManager.default.removeItem(atPath: path)
        Fixtures.write("left by a crash", "x.list.tmp-1", in: URL(fileURLWithPath: cache.directory))
        _ = ScheduleSet.load(schedules.path, cache: cache)
        let after = try FileManager.default.contentsOfDirectory(atPath: cache.directory)
        #expect(after.count == 1 && before.contains(after[0]), "\(after)")
    }

    @Test func noStateFolderNoCache() {
        let missing = Fixtures.scratch().appendingPathComponent("var").path
        #expect(ListCache(stateDirectory: missing) == nil)
        #expect(!FileManager.default.fileExists(atPath: missing))
    }
}
