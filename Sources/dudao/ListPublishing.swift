import ArgumentParser
import Crypto
import Foundation
import DudaoCore
import DudaoSchedules
import DudaoService
import DudaoStore

/// `dudao import FILE --publish`: what the console's upload and publish do, from the shell.
/// The list is checked with the Schedules folder and the lists in force exactly as the
/// console's preview checks it; the revision and its audit row are written together.
struct ListPublishing {
    let schedules: String
    let state: StateOption

    func publish(_ imported: TaskList, key requested: String?, file: String, data: Data) throws {
        let store = try state.open(schedules: schedules)
        let now = Date()
        var list = imported
        let key: String, base: Int
        do {
            let taken = try store.listKeys()
            if let requested {
                guard PublishedList.isValidKey(requested) else {
                    Output.error("--list: 清单编号应为1–16个英文字母或数字，以字母开头 a list key is 1–16 letters and digits, starting with a letter (e.g. L2)")
                    throw ExitCode(1)
                }
                key = requested
            } else {
                var n = 1
                while taken.contains("L\(n)") { n += 1 }
                key = "L\(n)"
            }
            base = try store.listRevisions(key).first?.revision ?? 0
        } catch let exit as ExitCode { throw exit } catch {
            Output.error("错误 error: 无法读取状态库 cannot read the store: \(error)")
            throw ExitCode(1)
        }
        list.items = list.items.map { var i = $0; i.id = key + "-" + i.id; return i }
        let sha = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
        let name = (file as NSString).lastPathComponent
        let yaml = TaskListFile.yaml(list, comment: "用 dudao import --publish 发布：\(name)（SHA-256 \(sha)）")
        let candidate = PublishedList(key: key, revision: base + 1, yaml: yaml)
        let owned: OfficeOwned
        do { owned = try store.officeOwned() } catch {
            Output.error("错误 error: 无法读取状态库 cannot read the store: \(error)")
            throw ExitCode(1)
        }
        let set = ScheduleSet.load(schedules, publishing: candidate, owned: owned)
        let findings = set.check(now: now)
        if findings.hasErrors {
            Output.printDiagnostics(findings.errors)
            Output.error("未发布 not published: \(findings.errors.count) 个错误 error(s) with the list in place (\(candidate.place) is the list being published)")
            throw ExitCode(1)
        }
        let revision = ListRevision(key: key, at: now, actor: UserCommand.operatorName, file: name, sha256: sha, title: list.title,
                                    items: list.items.count, yaml: yaml)
        let published: ListRevision
        do {
            published = try store.publish(revision, base: base, audit: UserCommand.entry(.listPublish, key, detail: "\(list.title)；\(list.items.count)项；\(name)；SHA-256 \(sha)"))
        } catch {
            Output.error("错误 error: 未发布 not published: \(error)")
            throw ExitCode(1)
        }
        let woke = ReminderService.poke(stateDirectory: state.directory)
        print("已发布 published \(published.key) 第\(published.revision)版 revision \(published.revision): \(list.title), \(list.items.count) 项 items"
              + (woke ? "; the running service replans now" : ""))
    }
}
