import ArgumentParser
import Foundation
import DudaoCore
import DudaoSchedules
import DudaoWeb
import DudaoMessages
import DudaoDelivery

/// `dudao check`: validate everything; each finding names file, line and item.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "检查日程 Validate task lists, agencies, policy, channels and calendar. Exit 1 on errors, 0 on warnings only."
    )

    @OptionGroup var schedulesOption: SchedulesOption
    @OptionGroup var state: StateOption

    @Option(help: "Check as of this time (ISO 8601); default: now.")
    var now: String?

    func run() throws {
        let set = schedulesOption.load(state: state)
        let clock = LocalClock(timeZone: set.policy.timeZone)
        let at = try InstantArgument.parse(now, option: "--now", clock: clock, default: Date())
        var findings = set.check(now: at)
        let (channels, channelFindings) = ChannelsFile.read(set)
        findings.append(contentsOf: channelFindings)
        // The outbox's files hold reply links (credentials): they belong with the state.
        if let outbox = channels.outboxDirectory, !Self.path(outbox, isInside: state.directory) {
            findings.warning(set.channelsPath, "outbox_dir “\(outbox)” 不在状态目录 is outside the state folder \(state.directory): its files hold reply links, keep them with the state (hint: remove outbox_dir, or point it inside)")
        }
        findings.append(contentsOf: WebSettings.read(schedules: set.directory).diagnostics)
        // A dudao.yaml that does not parse was reported just above.
        let seen = Set(findings.list)
        for finding in StoreSetting.read(schedules: set.directory).diagnostics.list where !seen.contains(finding) { findings.record(finding) }
        for d in findings.list { print(d.description) }
        // Where each list comes from: a file of the folder, or the store (the office's, by revision).
        for line in SourceLines.text(set) { print(line) }
        var templateProblems: [TemplateProblem] = []
        do {
            let templates = try TemplateSet(directory: set.templatesPath)
            // An SMS platform that sends text needs each kind's sms.mustache, or that SMS would never go.
            if let sms = channels.sms, sms.limits.variableLength == nil {
                let wanted = sms.send.sorted().map { ($0, "sms") } + (set.policy.sign?.followUp == .sms ? [("partials", "sms_sign")] : [])
                for (kind, part) in wanted where sms.templates[kind == "partials" ? "sign" : kind] == nil && !templates.has(kind, part) {
                    templateProblems.append(TemplateProblem(file: set.templatesPath + "/\(kind)", line: nil,
                                                            message: "缺少短信模板 missing \(kind)/\(part).mustache: channels.yaml sends it by SMS"))
                }
            }
        } catch { templateProblems = error.problems }
        for p in templateProblems { print("错误 error: \(p)") }
        let e = findings.errors.count + templateProblems.count, w = findings.warnings.count
        print("\(set.items.count) 项 items in \(set.listTitles.count) list(s); \(e) 个错误 error(s), \(w) 个警告 warning(s)")
        if e > 0 { throw ExitCode(1) }
    }

    /// True when `path` is `folder` or below it, both made absolute and standardized.
    static func path(_ path: String, isInside folder: String) -> Bool {
        func absolute(_ p: String) -> String { URL(fileURLWithPath: p).standardizedFileURL.path }
        let inner = absolute(path), outer = absolute(folder)
        return inner == outer || inner.hasPrefix(outer.hasSuffix("/") ? outer : outer + "/")
    }
}
