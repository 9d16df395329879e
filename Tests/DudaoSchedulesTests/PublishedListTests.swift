import Foundation
import Testing
@testable import DudaoCore
@testable import DudaoSchedules
import DudaoTestSupport

/// Lists the office published (kept in the store) are planned beside the folder's files,
/// and one object lives in one place: an item id or a list title defined both in a file and
/// in the store is an error naming both places.
struct PublishedListTests {
    static func folder() throws -> String {
        let dir = TestSupport.scratch("dudao-published").path
        try Data("""
            agencies:
              - {name: 市卫健委, contacts: [{email: wjw@example.org}]}
            """.utf8).write(to: URL(fileURLWithPath: dir + "/agencies.yaml"))
        try Data("""
            title: 文件清单
            items:
              - {id: "1", title: 托育, lead: [市卫健委], due_text: "2025年12月"}
            """.utf8).write(to: URL(fileURLWithPath: dir + "/file.yaml"))
        return dir
    }

    static func published(_ id: String, title: String = "库清单", key: String = "L1", revision: Int = 2) -> PublishedList {
        PublishedList(key: key, revision: revision, yaml: """
            title: \(title)
            items:
              - {id: "\(id)", title: 医院, lead: [市卫健委], due_text: "2025年6月"}

            """)
    }

    @Test func theStoresListsArePlannedBesideTheFiles() throws {
        let set = ScheduleSet.load(try Self.folder(), published: [Self.published("L1-1")])
        #expect(!set.diagnostics.hasErrors, "\(set.diagnostics.list)")
        #expect(set.items.map(\.id) == ["1", "L1-1"])
        #expect(set.place(ofItemAt: 1)?.file == "store:L1@2")
        #expect(set.listTitles.map(\.title) == ["文件清单", "库清单"])
        #expect(ScheduleSet.isPublished("store:L1@2") && !ScheduleSet.isPublished(set.listTitles[0].file))
        #expect(PublishedList.label(place: "store:L1@2") == "库 L1 第2版")
        #expect(set.items(of: Self.published("L1-1")).map(\.milestones.first?.due) == [CivilDate(year: 2025, month: 6, day: 30)])
    }

    @Test func anItemIdInAFileAndInTheStoreIsAnErrorNamingBoth() throws {
        let dir = try Self.folder()
        let set = ScheduleSet.load(dir, published: [Self.published("1")])
        let error = try #require(set.diagnostics.errors.first)
        #expect(error.problem.file == "store:L1@2" && error.problem.item == "1")
        #expect(error.description.contains(dir + "/file.yaml:"), "\(error)")
        #expect(set.items.count == 1)
    }

    @Test func aListTitleInAFileAndInTheStoreIsAnError() throws {
        let set = ScheduleSet.load(try Self.folder(), published: [Self.published("L1-1", title: "文件清单")])
        #expect(set.diagnostics.errors.map(\.problem.file) == ["store:L1@2"])
        #expect(set.diagnostics.errors.first?.description.contains("清单重复") == true)
    }

    @Test func publishingReplacesTheListsRevisionInForce() throws {
        let dir = try Self.folder()
        let old = Self.published("L1-1", revision: 1)
        let next = PublishedList(key: "L1", revision: 2, yaml: Self.published("L1-9").yaml)
        let set = ScheduleSet.load(dir, publishing: next, inForce: [old, Self.published("L2-1", title: "其他", key: "L2", revision: 5)])
        #expect(set.items.map(\.id) == ["1", "L2-1", "L1-9"])
        #expect(!set.check(now: Date(timeIntervalSince1970: 1_735_000_000)).hasErrors)
    }

    @Test func keysAreShortLettersAndDigits() {
        #expect(PublishedList.isValidKey("L2") && PublishedList.isValidKey("Zz2024"))
        #expect(!PublishedList.isValidKey("") && !PublishedList.isValidKey("2L") && !PublishedList.isValidKey("L-2")
                && !PublishedList.isValidKey("清单") && !PublishedList.isValidKey(String(repeating: "L", count: 17)))
        #expect(PublishedList.parse(place: "store:L1@12")! == ("L1", 12))
        #expect(PublishedList.parse(place: "Schedules/x.yaml") == nil)
    }
}
