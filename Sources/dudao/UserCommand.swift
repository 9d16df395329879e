import ArgumentParser
import Foundation
import DudaoWeb

/// `dudao user add|remove|list`: the office's console accounts.
struct UserCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "控制台账号 The office's console accounts.",
        subcommands: [Add.self, Remove.self, List.self]
    )

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "添加账号或重设密码 Add an account, or set a new password for an existing one."
        )
        @OptionGroup var state: StateOption
        @Argument(help: "Login name (letters, digits, Chinese, ._-).")
        var name: String
        @Option(help: "File whose first line is the password (- for standard input); never on the command line.")
        var passwordFile: String

        func run() throws {
            guard OfficeAccounts.validName(name) else {
                Output.error("错误 error: 用户名只能含字母、数字、汉字和 ._- login names are letters, digits, Chinese and ._- (at most 64)")
                throw ExitCode(1)
            }
            let data: Data?
            if passwordFile == "-" { data = FileHandle.standardInput.readDataToEndOfFile() } else {
                data = FileManager.default.contents(atPath: passwordFile)
            }
            guard let data, let text = String(data: data, encoding: .utf8) else {
                Output.error("错误 error: 无法读取密码文件 cannot read the password file \(passwordFile)")
                throw ExitCode(1)
            }
            let password = String(text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
                .trimmingCharacters(in: CharacterSet(charactersIn: "\r"))
            if let problem = PasswordRule.problem(password, name: name) {
                Output.error("错误 error: \(problem) (\(passwordFile):1)")
                throw ExitCode(1)
            }
            let store = try state.open()
            let new = try store.setAccount(name: name, passwordHash: OfficeAccounts.hash(password), at: Date())
            // A new password ends every session the old one opened.
            let ended = new ? 0 : try store.closeSessions(account: name)
            print(new ? "已添加账号 added \(name)" : "已重设密码 new password set for \(name)" + (ended > 0 ? "（已结束 \(ended) 个登录会话 ended \(ended) session(s)）" : ""))
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "删除账号 Remove an account (its sessions end at the next request).")
        @OptionGroup var state: StateOption
        @Argument var name: String

        func run() throws {
            guard try state.open().removeAccount(name: name) else {
                Output.error("错误 error: 没有账号 no account named “\(name)”")
                throw ExitCode(1)
            }
            print("已删除账号 removed \(name)")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "列出账号 List the accounts.")
        @OptionGroup var state: StateOption

        func run() throws {
            guard let store = try state.existing() else { return }
            for a in try store.accounts() { print("\(a.name)\t\(ISO8601DateFormatter().string(from: a.createdAt))") }
        }
    }
}
