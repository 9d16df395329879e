import ArgumentParser
import Logging

/// `dudao`: import task lists, check and plan reminders.
@main
struct Dudao: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dudao",
        abstract: "督办 Dudao: reminds agencies of their task deadlines and escalates overdue work.",
        discussion: """
        Typical use:
          dudao import list.tsv -o Schedules/zhengzhou-2024.yaml
          dudao check
          dudao plan --until 2025-01-31
          dudao run                      (the service; under systemd: deploy/dudao.service)
          dudao ack 8 --status done --note "已出台文件"
          dudao status
        """,
        subcommands: [ImportCommand.self, CheckCommand.self, PlanCommand.self, RenderCommand.self, RunCommand.self, SendTestCommand.self,
                      AckCommand.self, StatusCommand.self, ReportCommand.self, OutboxCommand.self, RetryCommand.self, WorkdaysCommand.self,
                      UserCommand.self, AuditCommand.self, StoreCommand.self, ExportCommand.self, SignCommand.self, SMSReportCommand.self]
    )

    static func main() {
        LoggingSystem.bootstrap(StreamLogHandler.standardError)
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            exit(withError: error)
        }
    }
}
