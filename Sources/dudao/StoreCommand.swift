import ArgumentParser
import Foundation
import DudaoSchedules
import DudaoStore
import DudaoStorePostgres

/// `dudao store migrate|copy`: the state's schema, and moving an office's history between
/// SQLite and PostgreSQL.
struct StoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "状态库 The state store: bring its schema up to date, or copy it to another store.",
        subcommands: [Migrate.self, Copy.self]
    )

    struct Migrate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "升级结构 Apply the schema migrations the store lacks (every command does on opening; this only does that)."
        )
        @OptionGroup var state: StateOption

        func run() throws {
            let store = try state.open()
            for name in try store.appliedMigrations() { print(name) }
            print("状态库已是最新结构 the store's schema is current: \(store.location)")
        }
    }

    struct Copy: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "复制状态库 Copy every record from one store into an empty one (stop the service first).",
            discussion: "Example: dudao store copy --from sqlite:/var/lib/dudao/dudao.sqlite --to postgres://dudao@db.example:5432/dudao"
        )
        @Option(help: "The store to copy: sqlite:PATH or postgres://USER@HOST:PORT/DB.")
        var from: String
        @Option(help: "The empty store to fill: sqlite:PATH or postgres://USER@HOST:PORT/DB.")
        var to: String

        func run() throws {
            if let file = StoreSetting.sqlitePath(from), !FileManager.default.fileExists(atPath: file) {
                Output.error("错误 error: 没有该状态库 no store at \(from)")
                throw ExitCode(1)
            }
            do {
                let source = try StateOption.opener(from)()
                let target = try StateOption.opener(to)()
                let summary = try source.copy(to: target)
                print("已复制 copied \(source.location) → \(target.location): \(summary)")
            } catch {
                Output.error("错误 error: 复制失败，目标库未写入任何记录 the copy failed; nothing was copied into the target: \(error)")
                throw ExitCode(1)
            }
        }
    }
}
