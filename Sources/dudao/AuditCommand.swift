import ArgumentParser
import Foundation
import DudaoCore
import DudaoStore

/// `dudao audit verify|list`: the audit trail (留痕) in the state store.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "审计日志 The audit trail: check its hash chain, or list it.",
        subcommands: [Verify.self, List.self]
    )

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "校验 Check every row's hash chain; exit 1 naming the first row edited, removed or slipped in.",
            discussion: "Prints the rows checked and the last row's hash: note it elsewhere, since rows cut from the end are only seen against such a note."
        )
        @OptionGroup var state: StateOption

        func run() throws {
            let store = try state.open()
            do {
                let (rows, head) = try store.verifyAudit()
                print("审计链完整 audit chain holds: \(rows) rows, last hash \(head)")
            } catch let broken as AuditBreak {
                Output.error("错误 error: 审计链断裂 the audit chain is broken at \(broken)\n提示 hint: the row was edited, deleted or inserted outside Dudao; compare with a backup or an exported CSV")
                throw ExitCode(1)
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "列出 The audit rows, newest first.")
        @OptionGroup var state: StateOption
        @Option(help: "From this instant or day (ISO 8601, e.g. 2026-12-01 or 2026-12-01T08:00:00+08:00).")
        var since: String?
        @Option(help: "Before this instant or day.")
        var until: String?
        @Option(help: "Only this actor.")
        var actor: String?
        @Option(help: "Only this action (\(AuditAction.allCases.map(\.rawValue).joined(separator: ", "))).")
        var action: String?
        @Option(help: "text or csv.")
        var format = "text"
        @Option(help: "Rows at most.")
        var limit = 1000

        func run() throws {
            guard ["text", "csv"].contains(format) else {
                Output.error("错误 error: --format 应为 text 或 csv must be text or csv")
                throw ExitCode(1)
            }
            var kind: AuditAction?
            if let action {
                guard let a = AuditAction(rawValue: action) else {
                    Output.error("错误 error: 未知操作 unknown action “\(action)”; one of \(AuditAction.allCases.map(\.rawValue).joined(separator: ", "))")
                    throw ExitCode(1)
                }
                kind = a
            }
            let clock = LocalClock(timeZone: TimeZone(identifier: "Asia/Shanghai")!)
            func instant(_ text: String?, _ option: String) throws -> Date? {
                guard let text else { return nil }
                return try InstantArgument.parse(text, option: option, clock: clock, default: Date())
            }
            guard let store = try state.existing() else { return }
            let rows = try store.auditRows(AuditFilter(since: try instant(since, "--since"), until: try instant(until, "--until"), actor: actor, action: kind),
                                           limit: limit)
            if format == "csv" {
                print(AuditEntry.csv(rows), terminator: "")
                return
            }
            for e in rows {
                print([String(e.seq), clock.iso8601(e.at), e.actor, e.client, e.action.rawValue, e.object, e.outcome.rawValue, e.detail].joined(separator: "\t"))
            }
        }
    }
}
