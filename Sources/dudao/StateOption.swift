import ArgumentParser
import Foundation
import DudaoCore
import DudaoStore

/// `--state-dir DIR`: where the SQLite state lives. Default: `$STATE_DIRECTORY` (set by
/// systemd's `StateDirectory=`, i.e. /var/lib/dudao), else `var` in the working directory.
struct StateOption: ParsableArguments {
    @Option(name: .customLong("state-dir"), help: "State folder (default: $STATE_DIRECTORY, else ./var).")
    var stateDir: String?

    var directory: String { stateDir ?? ProcessInfo.processInfo.environment["STATE_DIRECTORY"] ?? "var" }

    /// Opens (creating) the store, or exits 1 with the reason.
    func open() throws -> StateStore {
        do { return try StateStore(directory: directory) } catch {
            Output.error("错误 error: 无法打开状态库 cannot open the state in \(directory): \(error)")
            throw ExitCode(1)
        }
    }

    /// The store if it exists (read-only commands never create one).
    func existing() throws -> StateStore? {
        do { return try StateStore.existing(directory: directory) } catch {
            Output.error("错误 error: 无法打开状态库 cannot open the state in \(directory): \(error)")
            throw ExitCode(1)
        }
    }

    /// The records (reports and what was sent); none without a store.
    func supervision(clock: LocalClock) throws -> Supervision {
        guard let store = try existing() else { return .none }
        return try store.supervision(clock: clock)
    }
}
