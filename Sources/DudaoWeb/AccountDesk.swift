import Foundation
import DudaoCore
import DudaoMessages
import DudaoSchedules
import DudaoStore

/// The admins' accounts page: every account with its role, when its password was set and
/// whether logins are held back; adding, roles, password resets, unlocking and removal.
/// Each change ends the account's sessions where it takes rights away or sets a password.
struct AccountDesk: Sendable {
    let store: StateStore
    let templates: TemplateSet
    let schedules: @Sendable () -> ScheduleSet

    func page(viewer: Viewer, now: Date, message: String? = nil, error: String? = nil) throws -> String {
        let clock = LocalClock(timeZone: schedules().policy.timeZone)
        let held = try store.heldLogins(now: now)
        let rows: [[String: Any]] = try store.accounts().map { a in
            ["name": a.name, "password_set": Labels.minute(a.createdAt, clock: clock),
             "held": held[a.name].map { Labels.minute($0, clock: clock) } ?? false,
             "roles": Role.allCases.reversed().map { ["value": $0.rawValue, "label": Labels.role($0), "selected": $0 == a.role] }]
        }
        return templates.renderPage("accounts", viewer, [
            "page_title": "账号", "nav_accounts": true, "accounts": rows,
            "all_roles": Role.allCases.reversed().map { ["value": $0.rawValue, "label": Labels.role($0), "selected": $0 == .clerk] },
            "message": message ?? "", "has_message": message != nil, "error": error ?? "", "has_error": error != nil,
        ]) ?? ""
    }

    func add(name: String, role: String, password: String, now: Date) throws(DecisionError) -> (message: String, detail: String) {
        guard OfficeAccounts.validName(name) else { throw DecisionError("用户名只能含字母、数字、汉字和 ._-，最多64个字符。") }
        guard let role = Role(rawValue: role) else { throw DecisionError("请选择角色。") }
        if let problem = PasswordRule.problem(password, name: name) { throw DecisionError(problem) }
        let added: Bool
        do { added = try store.addAccount(name: name, passwordHash: OfficeAccounts.hash(password), role: role, at: now) } catch { throw DecisionError("无法保存：\(error)") }
        guard added else { throw DecisionError("账号“\(name)”已存在；如需重设密码，请在上表中操作。") }
        return ("已添加账号“\(name)”（\(Labels.role(role))）。", "角色：\(Labels.role(role))")
    }

    func setRole(name: String, role: String) throws(DecisionError) -> (message: String, detail: String) {
        guard let role = Role(rawValue: role) else { throw DecisionError("请选择角色。") }
        let old: Role
        do { old = try store.setRole(name: name, role) } catch { throw DecisionError("\(error)") }
        // Fewer rights take effect at the next request; ending the sessions makes it plain.
        if role < old { _ = try? store.closeSessions(account: name) }
        return ("“\(name)”的角色已改为\(Labels.role(role))。", "\(Labels.role(old)) → \(Labels.role(role))")
    }

    func resetPassword(name: String, password: String, now: Date) throws(DecisionError) -> (message: String, detail: String) {
        guard let account = try? store.account(name: name) else { throw DecisionError("没有账号“\(name)”。") }
        if let problem = PasswordRule.problem(password, name: name) { throw DecisionError(problem) }
        do {
            try store.setAccount(name: name, passwordHash: OfficeAccounts.hash(password), at: now)
            try store.closeSessions(account: name)
            try store.clearLogins(name: name)
        } catch { throw DecisionError("无法保存：\(error)") }
        return ("已重设“\(account.name)”的密码，其登录已全部结束。", "由管理员重设")
    }

    func unlock(name: String) throws(DecisionError) -> (message: String, detail: String) {
        let cleared: Int
        do { cleared = try store.clearLogins(name: name) } catch { throw DecisionError("无法保存：\(error)") }
        return ("已解除“\(name)”的登录限制。", "清除\(cleared)条计数")
    }

    func remove(name: String, confirmed: Bool) throws(DecisionError) -> (message: String, detail: String) {
        guard confirmed else { throw DecisionError("请勾选“确认删除”。") }
        let removed: Bool
        do { removed = try store.removeAccount(name: name) } catch { throw DecisionError("\(error)") }
        guard removed else { throw DecisionError("没有账号“\(name)”。") }
        return ("已删除账号“\(name)”。", "")
    }
}
