import Testing
@testable import DudaoCore

/// The preview's diff names what a new revision adds, removes and changes, field by field.
struct ListDiffTests {
    static func item(_ id: String, _ title: String, lead: [String] = ["市卫健委"], due: CivilDate = CivilDate(year: 2025, month: 12, day: 31)!, text: String = "2025年12月") -> Item {
        Item(id: id, title: title, lead: lead, dueText: text, milestones: [Milestone(due: due, text: text)])
    }

    @Test func addedRemovedAndChangedByField() {
        let old = [Self.item("1", "托育"), Self.item("2", "医院"), Self.item("3", "财政")]
        let new = [Self.item("1", "托育"), Self.item("2", "互联网医院", lead: ["市财政局"]), Self.item("4", "新事项"),
                   Self.item("3", "财政", due: CivilDate(year: 2026, month: 6, day: 30)!, text: "2026年6月")]
        let diff = ListDiff(from: old, to: new)
        #expect(diff.added.map(\.id) == ["4"])
        #expect(diff.removed.isEmpty)
        #expect(diff.changed.map(\.after.id) == ["2", "3"])
        #expect(diff.changed[0].fields == [.title, .lead])
        #expect(diff.changed[1].fields == [.deadline])
        #expect(diff.unchanged == 1 && !diff.isEmpty)
        let back = ListDiff(from: new, to: old)
        #expect(back.removed.map(\.id) == ["4"])
        #expect(ListDiff(from: old, to: old).isEmpty)
        #expect(ListDiff(from: [], to: old).added.count == 3)
    }
}
