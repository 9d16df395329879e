import ArgumentParser
import Foundation
import DudaoSchedules
import DudaoStore

/// `dudao export -o DIR`: what the office owns in the store, written back as Schedules YAML
/// (a backup, or the way to move a list into the operator's files).
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "导出 Write what the office keeps in the store as Schedules YAML: its lists in force (KEY.yaml each) and its agencies (agencies.yaml)."
    )

    @Flag(help: "Only the lists (default: lists and agencies).")
    var lists = false

    @Flag(help: "Only the agencies, as one agencies.yaml to merge into the folder's (default: lists and agencies).")
    var agencies = false

    @Option(name: .shortAndLong, help: "Folder to write into (created when missing).")
    var output: String

    @Flag(help: "Overwrite files that exist.")
    var force = false

    @OptionGroup var schedulesOption: SchedulesOption
    @OptionGroup var state: StateOption

    func run() throws {
        guard let store = try state.existing(schedules: schedulesOption.schedules) else {
            Output.error("错误 error: 没有状态库 no state in \(state.directory): nothing to export")
            throw ExitCode(1)
        }
        let both = lists == agencies
        let inForce: [ListRevision], kept: [AgencyRevision]
        do {
            inForce = both || lists ? try store.listsInForce() : []
            kept = both || agencies ? try store.agenciesInForce() : []
        } catch {
            Output.error("错误 error: 无法读取状态库 cannot read the store: \(error)")
            throw ExitCode(1)
        }
        try? FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
        var targets = inForce.map { (text: $0.yaml, path: (output as NSString).appendingPathComponent("\($0.key).yaml"),
                                     what: "\($0.title)（\($0.key) 第\($0.revision)版，\($0.items) 项 items）") }
        if !kept.isEmpty {
            // Each entry as an item of `agencies:`, in agencies.yaml's layout; mobiles whole (it is a backup).
            let entries = kept.map { a in
                "  - " + a.yaml.split(separator: "\n", omittingEmptySubsequences: true).joined(separator: "\n    ") + "\n"
            }
            targets.append((text: "# 督查室在控制台维护的单位 agencies kept by the office in the store\nagencies:\n" + entries.joined(),
                            path: (output as NSString).appendingPathComponent("agencies.yaml"), what: "\(kept.count) 个单位 agencies"))
        }
        // All or nothing: a file in the way is found before any is written.
        if !force, let taken = targets.first(where: { FileManager.default.fileExists(atPath: $0.path) }) {
            Output.error("\(taken.path): 已存在 already exists; pass --force to overwrite")
            throw ExitCode(1)
        }
        for t in targets {
            do { try AtomicFile.write(t.text, to: t.path) } catch {
                Output.error("错误 error: \(t.path): \(error)")
                throw ExitCode(1)
            }
            print("\(t.path): \(t.what)")
        }
        if inForce.isEmpty && (both || lists) { print("没有已发布的清单 no lists published in the store") }
        if kept.isEmpty && (both || agencies) { print("没有督查室维护的单位 no agencies kept in the store") }
    }
}
