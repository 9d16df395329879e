import Foundation
import Testing
@testable import DudaoCore
@testable import DudaoSchedules
@testable import DudaoImport
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
        let set = ScheduleSet.load(try Self.folder(), owned: OfficeOwned(lists: [Self.published("L1-1")]))
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
        let set = ScheduleSet.load(dir, owned: OfficeOwned(lists: [Self.published("1")]))
        let error = try #require(set.diagnostics.errors.first)
        #expect(error.problem.file == "store:L1@2" && error.problem.item == "1")
        #expect(error.description.contains(dir + "/file.yaml:"), "\(error)")
        #expect(set.items.count == 1)
    }

    @Test func aListTitleInAFileAndInTheStoreIsAnError() throws {
        let set = ScheduleSet.load(try Self.folder(), owned: OfficeOwned(lists: [Self.published("L1-1", title: "文件清单")]))
        #expect(set.diagnostics.errors.map(\.problem.file) == ["store:L1@2"])
        #expect(set.diagnostics.errors.first?.description.contains("清单重复") == true)
    }

    @Test func publishingReplacesTheListsRevisionInForce() throws {
        let dir = try Self.folder()
        let old = Self.published("L1-1", revision: 1)
        let next = PublishedList(key: "L1", revision: 2, yaml: Self.published("L1-9").yaml)
        let set = ScheduleSet.load(dir, publishing: next, owned: OfficeOwned(lists: [old, Self.published("L2-1", title: "其他", key: "L2", revision: 5)]))
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

    // MARK: The office's agencies

    static let bureau = Agency(name: "市数据局", aliases: ["市大数据局"], contacts: [Contact(name: "王五", email: "sjj@example.org", mobile: "13812341234", role: "联络员")],
                               leadership: [Contact(name: "赵局长", email: "sjj-leader@example.org", role: "副局长")])

    @Test func anAgencyKeptInTheStoreJoinsTheDirectoryAsWritten() throws {
        let yaml = StoredAgency.yaml(Self.bureau)
        let stored = StoredAgency(name: "市数据局", revision: 3, yaml: yaml)
        let set = ScheduleSet.load(try Self.folder(), owned: OfficeOwned(agencies: [stored]))
        #expect(!set.diagnostics.hasErrors, "\(set.diagnostics.list)\n\(yaml)")
        #expect(set.agencies.agency(named: "市大数据局") == Self.bureau, "the entry reads back as it was written:\n\(yaml)")
        #expect(set.agencies.origins["市数据局"]?.file == "store:通讯录/市数据局@3")
        #expect(StoredAgency.isStored(set.agencies.origin(of: "市数据局", default: "").file))
        #expect(!StoredAgency.isStored(set.agencies.origin(of: "市卫健委", default: "").file))
        #expect(set.agencies.origins["市卫健委"]?.line == 2)
    }

    @Test func anAgencyInTheFileAndInTheStoreIsAnErrorNamingBoth() throws {
        let dir = try Self.folder()
        var twin = Self.bureau
        twin.aliases = ["市卫健委"]
        let set = ScheduleSet.load(dir, owned: OfficeOwned(agencies: [StoredAgency(name: "市数据局", revision: 1, yaml: StoredAgency.yaml(twin))]))
        let error = try #require(set.diagnostics.errors.first)
        #expect(error.problem.file == "store:通讯录/市数据局@1")
        #expect(error.description.contains("already 市卫健委, at \(dir)/agencies.yaml:2"), "\(error)")
    }

    @Test func aMobileIsElevenDigitsOrE164AndIsShownMasked() throws {
        #expect(Mobile.isValid("13812341234") && Mobile.isValid("+8613812341234") && Mobile.isValid("+4915112345678"))
        #expect(!Mobile.isValid("12812341234") && !Mobile.isValid("1381234123") && !Mobile.isValid("0371-67180000") && !Mobile.isValid("+0123456789"))
        #expect(Mobile.masked("13812341234") == "138****1234")
        #expect(Mobile.masked("+8613812341234") == "+86138****1234")
        var bad = Self.bureau
        bad.contacts[0].mobile = "1399999"
        let set = ScheduleSet.load(try Self.folder(), owned: OfficeOwned(agencies: [StoredAgency(name: "市数据局", revision: 1, yaml: StoredAgency.yaml(bad))]))
        let error = try #require(set.diagnostics.errors.first)
        #expect(error.description.contains("手机号码无效") && !error.description.contains("1399999"), "the number stays out of logs: \(error)")
    }
}
