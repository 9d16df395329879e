import Testing
@testable import DudaoCore

/// Titles packed into one block read back as written, compare as strings do, and stay
/// each item's own when one is changed afterwards.
struct PackedTextTests {
    let titles = ["", "短", "exactly15bytes!", "深化“一件事一次办”改革，提升政务服务效能", "Café ☕️ 👩‍👩‍👧 第3项"]

    func items() -> [Item] {
        titles.enumerated().map { Item(id: "\($0.offset + 1)", title: $0.element, lead: ["市财政局"], dueText: "尽快") }
    }

    @Test func packedTitlesReadBackAsWrittenAndShareOneBlock() {
        var list = items()
        list.packTitles()
        #expect(list.map(\.title) == titles)
        #expect(list.allSatisfy { $0.titleText.sharesBlock(with: list[1].titleText) })
        #expect(list == items(), "packing changes no item")
        #expect(Set(list).count == titles.count)
    }

    @Test func equalityAndHashingAreTheStringsOwn() {
        // The same letter precomposed and decomposed: different bytes, equal strings.
        let composed = PackedText("Caf\u{E9}"), decomposed = PackedText.pack([PackedText("x"), PackedText("Cafe\u{301}")])[1]
        #expect(composed == decomposed)
        #expect(composed.hashValue == decomposed.hashValue)
        #expect(PackedText("任务一") != PackedText("任务二"))
        #expect(PackedText("") == PackedText.pack([PackedText("")])[0])
    }

    @Test func aTitleChangedAfterPackingIsThatItemsAlone() {
        var list = items()
        list.packTitles()
        list[3].title = "新的事项名称，长于十五个字节"
        #expect(list[3].title == "新的事项名称，长于十五个字节")
        #expect(!list[3].titleText.sharesBlock(with: list[4].titleText))
        #expect(list.enumerated().filter { $0.offset != 3 }.map(\.element.title) == titles.enumerated().filter { $0.offset != 3 }.map(\.element))
    }
}
