import ArgumentParser
import Foundation
import DudaoCore
import DudaoMessages
import DudaoSchedules
import DudaoService

/// `dudao render`: previews exactly what would be sent for some items.
struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "预览消息 Preview the message(s) that would be sent about some items."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case eml, text, markdown, sms, json }

    @OptionGroup var schedulesOption: SchedulesOption

    @Option(help: "advance, due, verify, overdue, ongoing or digest (each item's own rule at --now).")
    var kind: MessagePreview.Kind

    @Option(help: "Ladder level for --kind overdue (1 催办, 2 督办, 3 通报).")
    var level: Int = 1

    @Option(help: "Item ids, comma-separated (e.g. 1,3).")
    var items: String

    @Option(help: "Send time to render for (ISO 8601); default: now.")
    var now: String?

    @Option(help: "eml (the email as sent), text, markdown (chat), sms (the short notice, from the kind's sms.mustache) or json (all parts).")
    var format: Format = .eml

    @Option(help: "Template folder; default: templates_dir in policy.yaml, else Templates.")
    var templates: String?

    func run() throws {
        let set = try schedulesOption.loadOrExit()
        let clock = LocalClock(timeZone: set.policy.timeZone)
        let at = try InstantArgument.parse(now, option: "--now", clock: clock, default: Date())
        let templateSet = try TemplateLoading.load(templates ?? set.templatesPath)
        let ids = items.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let plan: Plan
        do {
            plan = try MessagePreview.plan(items: set.items, ids: ids, kind: kind, level: level, day: clock.day(of: at), policy: set.policy,
                                           calendar: set.calendar)
        } catch {
            Output.error("错误 error: \(error)")
            throw ExitCode(1)
        }
        let renderer = MessageRenderer(templates: templateSet, context: MessageContext(office: set.policy.supervisor, reportTo: set.messages.reportTo, contact: set.officeContact, itemLists: { set.itemLists }))
        let composer = EmailComposer(from: ReminderService.office(set), agencies: set.agencies.agencies, attachCalendar: set.messages.attachCalendar)
        for (i, message) in plan.messages.enumerated() {
            let rendered = renderer.render(message, in: plan)
            if i > 0 { print(format == .json ? "" : "\n" + String(repeating: "=", count: 72) + "\n") }
            switch format {
            case .text: print("Subject: \(rendered.subject)\n\n\(rendered.text)", terminator: "")
            case .markdown: print(rendered.markdown, terminator: "")
            case .sms:
                // As a text platform sends it (the reply link is shortened to PUBLIC_URL/s/CODE when sent).
                if rendered.sms.isEmpty {
                    print("（\(rendered.template) 没有短信模板 has no sms.mustache: it is not sent as an SMS text）")
                } else {
                    print("\(rendered.sms)\n（\(rendered.sms.utf16.count) 字 characters as platforms count them）")
                }
            case .json:
                print(JSONValue.object([
                    ("to", .string(message.to.description)), ("cc", .strings(message.cc.map(\.description))),
                    ("send_at", .string(plan.clock.iso8601(message.sendAt))), ("template", .string(rendered.template)),
                    ("subject", .string(rendered.subject)), ("text", .string(rendered.text)),
                    ("html", .string(rendered.html)), ("markdown", .string(rendered.markdown)), ("sms", .string(rendered.sms)),
                ]).text, terminator: "")
            case .eml:
                guard let email = composer.email(for: message, rendered: rendered, in: plan) else {
                    Output.error("错误 error: “\(message.to.agency)” 没有邮箱联系人 has no email contact in agencies.yaml")
                    throw ExitCode(1)
                }
                do { FileHandle.standardOutput.write(Data(try email.rfc5322().utf8)) } catch {
                    Output.error("错误 error: \(error)")
                    throw ExitCode(1)
                }
            }
        }
    }
}

extension MessagePreview.Kind: ExpressibleByArgument {}

/// Loading templates with errors printed the CLI way.
enum TemplateLoading {
    static func load(_ directory: String) throws -> TemplateSet {
        do { return try TemplateSet(directory: directory) } catch {
            for p in error.problems { Output.error("错误 error: \(p)") }
            throw ExitCode(1)
        }
    }
}
