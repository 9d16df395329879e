import Foundation
import DudaoTestSupport
@testable import DudaoCore
@testable import DudaoMessages

/// Shared fixtures for message tests.
enum Support {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let templates = root.appendingPathComponent("Templates").path
    static let clock = LocalClock(timeZone: TimeZone(identifier: "Asia/Shanghai")!)
    static let policy = Policy(supervisor: "市政府督查室")

    static func item(_ id: String, title: String = "允许对食品自动制售设备等新业态发放食品经营许可", lead: [String] = ["市市场监管局"],
                     due: String = "2024-12-31", measures: [String] = ["出台指导意见。", "开展试点。"]) -> Item {
        Item(id: id, title: title, content: "内容", measures: measures, lead: lead, partners: ["市金融局"], partnersAndOthers: true,
             dueText: "2024年 12月", milestones: [Milestone(due: CivilDate(iso: due)!, text: "2024年 12月")])
    }

    static let agencies = [
        Agency(name: "市市场监管局", contacts: [Contact(name: "联络员", email: "scjgj@zhengzhou.example")],
               leadership: [Contact(name: "分管领导", email: "scjgj-leader@zhengzhou.example")]),
        Agency(name: "市政府督查室", contacts: [Contact(name: "联络员", email: "duchashi@zhengzhou.example")]),
    ]

    /// A one-message plan for `items` as `kind` on `day`.
    static func plan(_ items: [Item], _ kind: MessagePreview.Kind, level: Int = 1, day: String = "2024-12-24") -> Plan {
        try! MessagePreview.plan(items: items, ids: items.map(\.id), kind: kind, level: level, day: CivilDate(iso: day)!, policy: policy)
    }

    static func renderer() throws -> MessageRenderer {
        MessageRenderer(templates: try TemplateSet(directory: templates), context: MessageContext(office: "市政府督查室", reportTo: "duchashi@zhengzhou.example"))
    }

    /// Runs Tests/Python/email_check.py on `eml` and returns its JSON.
    static func parseWithPython(_ eml: String) throws -> [String: Any] {
        let file = TestSupport.scratch("dudao-eml").appendingPathComponent("m.eml")
        try Data(eml.utf8).write(to: file)
        return try TestSupport.python(["Tests/Python/email_check.py", file.path])
    }
}
