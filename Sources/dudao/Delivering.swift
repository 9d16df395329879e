import ArgumentParser
import Foundation
import Logging
import DudaoMessages
import DudaoService
import DudaoStore

/// Loading a service cycle the CLI way: problems printed, exit 1.
enum CycleLoading {
    static func load(_ schedules: String, stateDirectory: String, templates: String?, store: StateStore, logger: Logger,
                     replyLinks: (any ReplyLinking)? = nil) throws -> ServiceCycle {
        do {
            return try ServiceCycle.load(schedules: schedules, stateDirectory: stateDirectory, templates: templates, store: store, logger: logger,
                                         replyLinks: replyLinks)
        } catch {
            Output.error("错误 error: \(error)")
            throw ExitCode(1)
        }
    }
}
