import Foundation
import Testing
import DudaoCore
import DudaoTestSupport
@testable import DudaoSchedules
@testable import DudaoImport

/// The task-list writer writes YAML text itself: every string, however awkward, must read
/// back as the same string — through Dudao's loader and through PyYAML, a YAML 1.1 reader
/// that types plain `123`, `yes` or `2024-12-31`.
struct YAMLTextTests {
    static let awkward = [
        "123", "-1.5e3", "1_000", "1:30", "0x1F", "0o17", "2024-12-31", "2024-12-31 09:00", ".inf", "true", "No", "ON", "y", "~", "null",
        "<<", "=", "- dash", "? q", ": colon", "a: b", "a:b", "ends:", "#hash", "x #y", "x#y", "[flow]", "{map}", "a, b", "&anchor", "*alias",
        "!tag", "|pipe", ">fold", "'single'", "\"double\"", "%percent", "@at", "`tick", "back\\slash", "tab\there", "line\nbreak",
        "  leading", "trailing ", "nbsp\u{A0}x", "bom\u{FEFF}x", "ls\u{2028}x", "nel\u{85}x", "bell\u{7}x", "del\u{7F}x",
        "市市场监管局(知识产权局)", "“引号”：全角", "一二三", "000_248a791eb898ee58.txt", "é", "😀", "",
    ]

    @Test func awkwardStringsReadBackAsWritten() throws {
        let names = Self.awkward.filter { !$0.isEmpty }
        let items = Self.awkward.enumerated().map { k, s in
            Item(id: "i\(k)", title: s.isEmpty ? "t" : s, content: s, measures: [s, "m"], lead: [names[k % names.count], names[(k + 7) % names.count]],
                 partners: Array(repeating: s.isEmpty ? "p" : s, count: k % 3 == 0 ? 13 : 1), dueText: s,
                 milestones: [Milestone(due: CivilDate(iso: "2026-12-31")!, text: s)])
        } + [Item(id: "multi", title: "多行", content: "第一行\n第二行 有空格\n  缩进\n", lead: ["市财政局"], dueText: "2026年12月",
                  milestones: [Milestone(due: CivilDate(iso: "2026-12-31")!, text: "2026年12月", status: .extended(to: CivilDate(iso: "2027-03-31")!))],
                  status: .done),
           Item(id: "block", title: "多行", content: "第一行\n第二行", lead: ["市财政局"], dueText: "持续推进", ongoing: true)]
        let list = TaskList(title: "- 标题: 1", source: "123", items: items)
        let text = TaskListFile.yaml(list, comment: "注释\n第二行")
        #expect(text.contains("content: |-\n    第一行\n    第二行\n"), "multi-line text as a literal block")
        let dir = TestSupport.scratch("yaml-text")
        let path = dir.appendingPathComponent("list.yaml").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))

        var diag = Diagnostics()
        let loaded = try #require(TaskListFile.read(path, into: &diag))
        #expect(diag.errors.isEmpty, "\(diag.errors)")
        #expect(loaded.title == list.title)
        for (got, want) in zip(loaded.items.map(\.item), items) {
            #expect(got.title == want.title && got.content == want.content && got.measures == want.measures, "\(want.id)")
            #expect(got.lead == want.lead && got.partners == want.partners && got.dueText == want.dueText, "\(want.id)")
            #expect(got.milestones.map(\.text) == want.milestones.map(\.text) && got.status == want.status, "\(want.id): \(got.milestones.map(\.text)) \(got.status)")
        }
        #expect(loaded.items.count == items.count)

        // PyYAML (YAML 1.1 typing) reads every value back as the same string.
        let check = """
            import json, sys, yaml
            doc = yaml.safe_load(open(sys.argv[1], encoding="utf-8"))
            out = {"title": doc["title"], "source": doc["source"], "items": []}
            for i in doc["items"]:
                out["items"].append([i["id"], i["title"], i.get("content", ""), i.get("measures", []), i["lead"], i["partners"], i["due_text"],
                                     [m["text"] for m in i.get("milestones", [])]])
            print(json.dumps(out, ensure_ascii=False))
            """
        let r = try TestSupport.run("/usr/bin/env", ["python3", "-c", check, path])
        #expect(r.status == 0, "\(r.err)")
        let doc = try #require(try JSONSerialization.jsonObject(with: r.data) as? [String: Any])
        #expect(doc["title"] as? String == list.title && doc["source"] as? String == "123")
        let rows = try #require(doc["items"] as? [[Any]])
        for (row, want) in zip(rows, items) {
            let got = [row[0], row[1], row[2], row[6]].map { $0 as? String }
            #expect(got == [want.id, want.title, want.content, want.dueText], "\(want.id): \(row)")
            #expect(row[3] as? [String] == want.measures && row[4] as? [String] == want.lead && row[5] as? [String] == want.partners, "\(want.id)")
            #expect(row[7] as? [String] == want.milestones.map(\.text), "\(want.id)")
        }
    }
}
