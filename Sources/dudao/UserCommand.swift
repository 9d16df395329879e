import ArgumentParser
import Foundation
import DudaoCore
import DudaoStore
import DudaoWeb

/// `dudao user add|passwd|role|unlock|remove|list`: the office's console accounts. Every
/// change is written to the audit trail as the operator's (`命令行:USER`).
struct UserCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "控制台账号 The office's console accounts.",
        subcommands: [Add.self, Passwd.self, RoleCommand.self, Unlock.self, Remove.self, List.self]
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
        @Option(help: "admin, clerk or leader (default for a new account: clerk; an existing account keeps its role unless given).")
        var role: String?

        func run() throws {
            guard OfficeAccounts.validName(name) else {
                Output.error("错误 error: 用户名只能含字母、数字、汉字和 ._- login names are letters, digits, Chinese and ._- (at most 64)")
                throw ExitCode(1)
            }
            let role = try UserCommand.role(self.role)
            let password = try UserCommand.password(from: passwordFile, name: name)
            let store = try state.open()
            let new: Bool
            do { new = try store.setAccount(name: name, passwordHash: OfficeAccounts.hash(password), role: role, at: Date()) } catch {
                Output.error("错误 error: \(error)")
                throw ExitCode(1)
            }
            // A new password ends every session the old one opened.
            let ended = new ? 0 : try store.closeSessions(account: name)
            let now = try store.account(name: name)?.role ?? .clerk
            try store.audit(UserCommand.entry(new ? .accountAdd : .accountPassword, name, detail: "角色：\(Labels.role(now))"))
            print(new ? "已添加账号 added \(name) (\(now.rawValue))" : "已重设密码 new password set for \(name)" + (ended > 0 ? "（已结束 \(ended) 个登录会话 ended \(ended) session(s)）" : ""))
        }
    }

    struct Passwd: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "重设密码 Set a new password for an existing account (ends its sessions).")
        @OptionGroup var state: StateOption
        @Argument var name: String
        @Option(help: "File whose first line is the password (- for standard input).")
        var passwordFile: String

        func run() throws {
            let store = try state.open()
            guard try store.account(name: name) != nil else { throw UserCommand.noSuch(name) }
            let password = try UserCommand.password(from: passwordFile, name: name)
            try store.setAccount(name: name, passwordHash: OfficeAccounts.hash(password), at: Date())
            let ended = try store.closeSessions(account: name)
            try store.clearLogins(name: name)
            try store.audit(UserCommand.entry(.accountPassword, name, detail: "命令行重设"))
            print("已重设密码 new password set for \(name)（已结束 \(ended) 个登录会话 ended \(ended) session(s)）")
        }
    }

    struct RoleCommand: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "role", abstract: "更改角色 Set an account's role: admin, clerk or leader.")
        @OptionGroup var state: StateOption
        @Argument var name: String
        @Argument(help: "admin, clerk or leader.")
        var role: String

        func run() throws {
            let role = try UserCommand.role(role)!
            let store = try state.open()
            let old: Role
            do { old = try store.setRole(name: name, role) } catch {
                Output.error("错误 error: \(error)")
                throw ExitCode(1)
            }
            if role < old { try store.closeSessions(account: name) }
            try store.audit(UserCommand.entry(.accountRole, name, detail: "\(Labels.role(old)) → \(Labels.role(role))"))
            print("\(name): \(old.rawValue) → \(role.rawValue)")
        }
    }

    struct Unlock: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "解除登录限制 Clear the failed logins held against an account, from every address.")
        @OptionGroup var state: StateOption
        @Argument var name: String

        func run() throws {
            let store = try state.open()
            let cleared = try store.clearLogins(name: name)
            try store.audit(UserCommand.entry(.accountUnlock, name, detail: "清除\(cleared)条计数"))
            print("已解除 cleared \(cleared) count(s) held against \(name)")
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "删除账号 Remove an account and end its sessions.")
        @OptionGroup var state: StateOption
        @Argument var name: String

        func run() throws {
            let store = try state.open()
            let removed: Bool
            do { removed = try store.removeAccount(name: name) } catch {
                Output.error("错误 error: \(error)")
                throw ExitCode(1)
            }
            guard removed else { throw UserCommand.noSuch(name) }
            try store.audit(UserCommand.entry(.accountRemove, name))
            print("已删除账号 removed \(name)")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "列出账号 List the accounts: name, role, when the password was set, held back until.")
        @OptionGroup var state: StateOption

        func run() throws {
            guard let store = try state.existing() else { return }
            let held = try store.heldLogins(now: Date())
            let iso = ISO8601DateFormatter()
            for a in try store.accounts() {
                print([a.name, a.role.rawValue, iso.string(from: a.createdAt), held[a.name].map { "held until " + iso.string(from: $0) } ?? ""]
                    .joined(separator: "\t"))
            }
        }
    }

    // MARK: Shared

    static func role(_ text: String?) throws -> Role? {
        guard let text else { return nil }
        guard let role = Role(rawValue: text) else {
            Output.error("错误 error: 角色应为 admin、clerk 或 leader the role must be admin, clerk or leader, not “\(text)”")
            throw ExitCode(1)
        }
        return role
    }

    static func password(from file: String, name: String) throws -> String {
        let data: Data?
        if file == "-" { data = FileHandle.standardInput.readDataToEndOfFile() } else { data = FileManager.default.contents(atPath: file) }
        guard let data, let text = String(data: data, encoding: .utf8) else {
            Output.error("错误 error: 无法读取密码文件 cannot read the password file \(file)")
            throw ExitCode(1)
        }
        let password = String(text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
            .trimmingCharacters(in: CharacterSet(charactersIn: "\r"))
        if let problem = PasswordRule.problem(password, name: name) {
            Output.error("错误 error: \(problem) (\(file):1)")
            throw ExitCode(1)
        }
        return password
    }

    static func noSuch(_ name: String) -> ExitCode {
        Output.error("错误 error: 没有账号 no account named “\(name)”")
        return ExitCode(1)
    }

    /// An audit row for what the operator did at the command line.
    static func entry(_ action: AuditAction, _ object: String, detail: String = "") -> AuditEntry {
        AuditEntry(at: Date(), actor: operatorName, client: "local", action: action, object: object, detail: detail)
    }

    /// `命令行:USER`, the login that ran the command.
    static var operatorName: String {
        let env = ProcessInfo.processInfo.environment
        let login = env["SUDO_USER"] ?? env["USER"] ?? getpwuid(getuid()).map { String(cString: $0.pointee.pw_name) } ?? String(getuid())
        return "命令行:" + login
    }
}
