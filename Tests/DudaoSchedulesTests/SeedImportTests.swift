import Foundation
import Testing
@testable import DudaoCore
@testable import DudaoSchedules
@testable import DudaoImport

/// The real list the product was made for, imported exactly as published.
struct SeedImportTests {
    let list: TaskList
    let summary: ListImporter.Summary

    init() throws {
        (list, summary) = try ListImporter().importFile(at: Fixtures.seed)
    }

    func item(_ id: String) throws -> Item { try #require(list.items.first { $0.id == id }) }

    @Test func twentyThreeItemsInOrder() {
        #expect(list.items.count == 23)
        #expect(list.items.map(\.id) == (1...23).map(String.init))
        #expect(list.title == "郑州市全面提升营商环境水平事项清单")
        #expect(summary.fillerRows == 3)
        #expect(summary.headings.isEmpty)
    }

    @Test func item6IsOngoing() throws {
        let six = try item("6")
        #expect(six.ongoing)
        #expect(six.milestones.isEmpty)
        #expect(six.dueText == "持续推进")
        #expect(six.partners == ["市发展改革委", "市政务办", "市卫健委", "市医保局"])
        #expect(six.partnersAndOthers, "等相关部门 is remembered as 'and others'")
    }

    @Test func item22IsDueAtTheEndOf2022() throws {
        #expect(try item("22").milestones.map(\.due.iso) == ["2022-12-31"])
        #expect(try item("1").milestones.map(\.due.iso) == ["2024-12-31"])
        #expect(try item("1").dueText == "2024年 12月", "the raw text is kept")
        #expect(try item("8").milestones.map(\.due.iso) == ["2023-12-31"])
    }

    @Test func item20HasItsNineLeadAgencies() throws {
        #expect(try item("20").lead == ["市法院", "市公安局", "市人社局", "市资源规划局", "市城建局", "市税务局", "市市场监管局", "市大数据局", "市政务办"])
    }

    @Test func agencyNamesWithParenthesesStayWhole() throws {
        #expect(try item("4").lead == ["市市场监管局(知识产权局)", "市金融局"])
        #expect(try item("5").lead == ["市市场监管局(知识产权局)"])
    }

    @Test func noHTMLTagSurvivesInAnyField() throws {
        let tag = try Regex("<\\s*/?\\s*[A-Za-z][^>]*>")
        for item in list.items {
            for text in [item.id, item.title, item.content, item.dueText] + item.measures + item.lead + item.partners {
                #expect(text.firstMatch(of: tag) == nil, "item \(item.id): \(text)")
                #expect(!text.contains("style="), "item \(item.id)")
            }
        }
    }

    @Test func measuresLoseTheirNumbering() throws {
        let four = try item("4")
        #expect(four.measures.count == 4)
        #expect(four.measures[0].hasPrefix("健全政府引导的"))
        #expect(four.measures[3].hasPrefix("探索担保机构"))
        #expect(try item("5").measures.count == 4, "one per <p>")
        #expect(try item("6").measures.count == 3, "an <ol> whose <li> were lost splits per sentence")
        #expect(try item("16").measures.count == 6, "six '；'-separated measures")
        #expect(try item("23").measures.count == 6)
        #expect(try item("3").measures.count == 1, "'80 家' and a ';' without space do not split")
        for item in list.items {
            for m in item.measures {
                #expect(m.firstMatch(of: try Regex("^[0-9]+[.、．]")) == nil, "item \(item.id): \(m)")
            }
        }
    }

    @Test func titlesDropTheirTrailingFullStop() throws {
        #expect(try item("5").title == "畅通知识产权领域信息交换渠道")
    }

    @Test func jsonKeepsTheContractShape() throws {
        let json = TaskListFile.json(list)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(object["title"] as? String == list.title)
        let items = try #require(object["items"] as? [[String: Any]])
        #expect(items.count == 23)
        let first = items[0]
        for key in ["id", "title", "lead", "partners", "due_text", "ongoing", "milestones"] {
            #expect(first[key] != nil, "missing \(key)")
        }
        #expect(first["id"] as? String == "1")
        #expect(first["due_text"] as? String == "2024年 12月")
        #expect(first["ongoing"] as? Bool == false)
        let ms = try #require(first["milestones"] as? [[String: Any]])
        #expect(ms.first?["due"] as? String == "2024-12-31")
        #expect(ms.first?["text"] as? String == "2024年 12月")
    }

    @Test func yamlRoundTripsThroughTheLoader() throws {
        let dir = Fixtures.scratch()
        let path = Fixtures.write(TaskListFile.yaml(list, comment: "test"), "list.yaml", in: dir)
        var diag = Diagnostics()
        let loaded = try #require(TaskListFile.read(path, into: &diag))
        #expect(diag.list.isEmpty, "\(diag.list)")
        #expect(loaded.items.map(\.item) == list.items)
    }

    @Test func theBundledScheduleIsTheSeedImported() throws {
        var diag = Diagnostics()
        let bundled = try #require(TaskListFile.read(Fixtures.schedules + "/zhengzhou-2024.yaml", into: &diag))
        #expect(bundled.items.map(\.item) == list.items)
    }
}
