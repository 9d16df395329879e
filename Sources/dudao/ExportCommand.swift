import ArgumentParser
import Foundation
import DudaoSchedules
import DudaoStore

/// `dudao export -o DIR`: what the office owns in the store, written back as Schedules YAML
/// (a backup, or the way to move a list into the operator's files).
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "导出 Write the lists the office published in the console (the revisions in force) as Schedules YAML, one KEY.yaml each."
    )

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
        let lists: [ListRevision]
        do { lists = try store.listsInForce() } catch {
            Output.error("错误 error: 无法读取状态库 cannot read the store: \(error)")
            throw ExitCode(1)
        }
        try? FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
        let targets = lists.map { (list: $0, path: (output as NSString).appendingPathComponent("\($0.key).yaml")) }
        // All or nothing: a file in the way is found before any is written.
        if !force, let taken = targets.first(where: { FileManager.default.fileExists(atPath: $0.path) }) {
            Output.error("\(taken.path): 已存在 already exists; pass --force to overwrite")
            throw ExitCode(1)
        }
        for t in targets {
            do { try AtomicFile.write(t.list.yaml, to: t.path) } catch {
                Output.error("错误 error: \(t.path): \(error)")
                throw ExitCode(1)
            }
            print("\(t.path): \(t.list.title)（\(t.list.key) 第\(t.list.revision)版，\(t.list.items) 项 items）")
        }
        if targets.isEmpty { print("没有已发布的清单 no lists published in the store") }
    }
}
