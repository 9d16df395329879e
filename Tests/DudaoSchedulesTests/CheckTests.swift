import Foundation
import Testing
@testable import DudaoCore
@testable import DudaoSchedules
@testable import DudaoImport

private let clock = LocalClock(timeZone: TimeZone(identifier: "Asia/Shanghai")!)

/// `check` names file, line and item for every problem; errors fail, warnings do not.
struct CheckTests {
    func findings(_ dir: URL, now: String = "2024-06-01") -> Diagnostics {
        ScheduleSet.load(dir.path).check(now: clock.parse(now)!)
    }

    func list(_ items: String) -> String {
        "title: 测试清单\nitems:\n" + items
    }

    @Test func bundledSchedulesHaveNoErrors() {
        let found = ScheduleSet.load(Fixtures.schedules).check(now: clock.parse("2024-06-01")!)
        #expect(found.errors.isEmpty, "\(found.errors)")
        #expect(found.warnings.map(\.description).contains { $0.contains("item 22") && $0.contains("overdue since 2022-12-31") })
    }

    @Test func unknownLeadAgencyAndUnknownPartner() throws {
        let dir = Fixtures.copyOfSchedules()
        Fixtures.write(list("""
          - id: "1"
            title: 任务
            lead: [市不存在局]
            partners: [市也不存在局]
            due_text: 2024年12月
        """), "extra.yaml", in: dir)
        let found = findings(dir)
        let error = try #require(found.errors.first { $0.problem.message.contains("市不存在局") })
        #expect(error.problem.file.hasSuffix("extra.yaml"))
        #expect(error.problem.line == 3)
        #expect(error.problem.item == "1")
        #expect(found.warnings.contains { $0.problem.message.contains("市也不存在局") })
    }

    @Test func duplicateIdsAcrossListsAndTheIdPrefixFix() throws {
        let dir = Fixtures.copyOfSchedules()
        let second = list("""
          - id: "8"
            title: 另一份清单的第8项
            lead: [市财政局]
            due_text: 2025年6月底前
        """)
        Fixtures.write(second, "second.yaml", in: dir)
        let found = findings(dir)
        let dup = try #require(found.errors.first { $0.problem.message.contains("duplicate item id") })
        #expect(dup.problem.item == "8")
        // Files load in name order; the error sits on the later one and points at the earlier.
        let places = dup.problem.file + " " + dup.problem.message
        #expect(places.contains("second.yaml") && places.contains("zhengzhou-2024.yaml"))
        Fixtures.write("id_prefix: B\n" + second, "second.yaml", in: dir)
        let fixed = ScheduleSet.load(dir.path)
        #expect(fixed.check(now: clock.parse("2024-06-01")!).errors.isEmpty)
        #expect(fixed.items.contains { $0.id == "B8" })
    }

    /// Items are read as they are parsed, with the prefix and year written above them; a
    /// list that names them below its items still gets them (it is read again as a whole).
    @Test func aPrefixAndYearWrittenAfterTheItemsStillApply() throws {
        let dir = Fixtures.copyOfSchedules()
        let items = """
          - id: "1"
            title: 任务
            lead: [市财政局]
            due_text: 6月底前
          - id: "2"
            title: 任务二
            lead: [市财政局]
            due_text: 尽快

        """
        Fixtures.write("title: 测试清单\nitems:\n" + items + "id_prefix: Z\nyear: 2031\n", "late.yaml", in: dir)
        let late = ScheduleSet.load(dir.path)
        let item = try #require(late.items.first { $0.id == "Z1" })
        #expect(item.milestones.map(\.due.iso) == ["2031-06-30"])
        let errors = late.diagnostics.errors.filter { $0.problem.file.hasSuffix("late.yaml") }
        #expect(errors.count == 1, "each finding once, not once per reading: \(errors)")
        #expect(errors.first?.problem.item == "Z2" && errors.first?.problem.line == 10)

        Fixtures.write("title: 测试清单\nid_prefix: Z\nyear: 2031\nitems:\n" + items, "late.yaml", in: dir)
        let early = ScheduleSet.load(dir.path)
        #expect(early.items.first { $0.id == "Z1" }?.milestones.map(\.due.iso) == ["2031-06-30"])
        #expect(early.diagnostics.errors.filter { $0.problem.file.hasSuffix("late.yaml") }.map(\.problem.line) == [12])
    }

    @Test func unparsableDeadlineInAScheduleFile() throws {
        let dir = Fixtures.copyOfSchedules()
        Fixtures.write(list("""
          - id: "1"
            title: 任务
            lead: [市财政局]
            due_text: 尽快
        """), "extra.yaml", in: dir)
        let e = try #require(findings(dir).errors.first { $0.problem.file.hasSuffix("extra.yaml") })
        #expect(e.problem.line == 6)
        #expect(e.problem.item == "1")
        #expect(e.description.contains("“尽快”"))
    }

    @Test func misspeltKeysAreCaughtWithASuggestion() throws {
        let dir = Fixtures.copyOfSchedules()
        Fixtures.write(list("""
          - id: "1"
            title: 任务
            lead: [市财政局]
            due_txt: 2024年12月
        """), "extra.yaml", in: dir)
        let found = findings(dir)
        #expect(found.errors.contains { $0.problem.line == 6 && $0.problem.message.contains("did you mean “due_text”") })
    }

    @Test func badPolicyValuesNameTheirLine() throws {
        let dir = Fixtures.copyOfSchedules()
        Fixtures.write("""
        timezone: Mars/Olympus
        send_time: "25:00"
        advance_days: [7, -1]
        overdue:
          weekday: someday
          levels:
            - {level: 1, every: fortnightly, cc: [boss]}
        catch_up: soon
        """, "policy.yaml", in: dir)
        let errors = findings(dir).errors.filter { $0.problem.file.hasSuffix("policy.yaml") }
        #expect(errors.map(\.problem.line) == [1, 2, 3, 5, 7, 7, 8])
        #expect(errors[0].problem.message.contains("Mars/Olympus"))
        #expect(errors[3].problem.message.contains("someday"))
        #expect(errors[4].problem.message.contains("fortnightly"))
        #expect(errors[5].problem.message.contains("boss"))
    }

    @Test func badRetentionNamesItsLine() throws {
        let dir = Fixtures.copyOfSchedules()
        let policy = try String(contentsOf: dir.appendingPathComponent("policy.yaml"), encoding: .utf8)
        Fixtures.write(policy.replacingOccurrences(of: "  bodies: 90d", with: "  bodies: 1000d")
                             .replacingOccurrences(of: "  audit: 730d", with: "  audit: 2h"), "policy.yaml", in: dir)
        let errors = findings(dir).errors.map(\.description)
        #expect(errors.contains { $0.contains("policy.yaml:") && $0.contains("retention.audit") && $0.contains("2h") }, "\(errors)")
        #expect(errors.contains { $0.contains("policy.yaml:") && $0.contains("retention.bodies") })
    }

    /// The documents' settings: a 文号 pattern without its number, a 主送 left empty and
    /// lengths out of range are refused on their lines; the bundled values load.
    @Test func documentSettingsNameTheirLine() throws {
        let dir = Fixtures.copyOfSchedules()
        let policy = try String(contentsOf: dir.appendingPathComponent("policy.yaml"), encoding: .utf8)
        #expect(findings(dir).errors.isEmpty && ScheduleSet.load(dir.path).policy.officeReport.noticeNumber == "督办〔{year}〕第{n}号")
        Fixtures.write(policy.replacingOccurrences(of: "  number: \"督通〔{year}〕{n}号\"", with: "  number: \"督通〔{year}〕号\"")
                             .replacingOccurrences(of: "  to: 各有关单位", with: "  to: \"\"")
                             .replacingOccurrences(of: "  worst_items: 10", with: "  worst_items: 100000")
                             .replacingOccurrences(of: "  ranking: 5", with: "  ranking: 0"), "policy.yaml", in: dir)
        let lines = policy.components(separatedBy: "\n")
        func line(_ prefix: String) -> Int { 1 + (lines.firstIndex { $0.hasPrefix(prefix) } ?? -1) }
        let errors = findings(dir).errors.filter { $0.problem.file.hasSuffix("policy.yaml") }
        #expect(errors.compactMap(\.problem.line).sorted() == [line("  number:"), line("  to:"), line("  worst_items:"), line("  ranking:")].sorted(), "\(errors)")
        #expect(errors.contains { $0.problem.message.contains("{n}") })
    }

    /// 签收: the time to sign is working time of a minute to 30 days, the follow-up sms or
    /// none, the hours spans in order; each refused on its line, and a good one loads.
    @Test func signSettingsNameTheirLine() throws {
        let dir = Fixtures.copyOfSchedules()
        let policy = try String(contentsOf: dir.appendingPathComponent("policy.yaml"), encoding: .utf8)
        Fixtures.write(policy + "sign:\n  within: 4h\n  follow_up: sms\n  hours: \"08:30-12:00,14:00-17:30\"\n", "policy.yaml", in: dir)
        #expect(findings(dir).errors.isEmpty)
        let sign = try #require(ScheduleSet.load(dir.path).policy.sign)
        #expect(sign.withinSeconds == 4 * 3600 && sign.followUp == .sms && sign.hours.description == "08:30-12:00,14:00-17:30")
        let base = policy.components(separatedBy: "\n").count
        Fixtures.write(policy + "sign:\n  within: 0s\n  follow_up: dingtalk\n  hours: \"17:00-09:00\"\n  when: always\n", "policy.yaml", in: dir)
        let errors = findings(dir).errors.filter { $0.problem.file.hasSuffix("policy.yaml") }
        #expect(Set(errors.compactMap(\.problem.line)) == Set([base + 1, base + 2, base + 3, base + 4]), "\(errors)")
        #expect(errors.contains { $0.problem.message.contains("dingtalk") } && errors.contains { $0.problem.message.contains("17:00-09:00") })
    }

    /// Found by the fuzzer: a duration of 10^38 days overflowed `Int` and stopped the
    /// process. Anything beyond 100 years is refused where it is written.
    @Test func aDurationBeyondAHundredYearsNamesItsLine() throws {
        let dir = Fixtures.copyOfSchedules()
        let policy = try String(contentsOf: dir.appendingPathComponent("policy.yaml"), encoding: .utf8)
        let huge = "000000000000000000000000000000000002656122980231399192d"
        Fixtures.write(policy.replacingOccurrences(of: "  audit: 730d", with: "  audit: \(huge)")
                             .replacingOccurrences(of: "  bodies: 90d", with: "  bodies: 36501d")
                             .replacingOccurrences(of: "catch_up: 3d", with: "catch_up: 9223372036854775807m"), "policy.yaml", in: dir)
        let lines = policy.components(separatedBy: "\n")
        func line(_ prefix: String) -> Int { 1 + (lines.firstIndex { $0.hasPrefix(prefix) } ?? -1) }
        let errors = findings(dir).errors.filter { $0.problem.file.hasSuffix("policy.yaml") }
        #expect(errors.compactMap(\.problem.line).sorted() == [line("catch_up:"), line("  audit:"), line("  bodies:")].sorted(), "\(errors)")
        #expect(errors.allSatisfy { $0.problem.message.contains("36500d") })
        #expect(PolicyFile.duration("36500d") == PolicyFile.longestDuration && PolicyFile.duration("36501d") == nil)
    }

    /// Counts and cadences a plan does date arithmetic with are bounded where they are read:
    /// a level or a cadence of 10^18 stopped `plan` with an overflow.
    @Test func laddersAndLightsOutOfRangeNameTheirLine() throws {
        let dir = Fixtures.copyOfSchedules()
        Fixtures.write("""
        overdue:
          levels:
            - {level: 1, every: 1317624576693539401w}
            - {level: 2, every: 7d for 9223372036854775807d, climb_after: 9223372036854775807}
            - {level: 9223372036854775807}
        lights: {soon_days: -1, quiet_days: 100000}
        """, "policy.yaml", in: dir)
        let errors = findings(dir).errors.filter { $0.problem.file.hasSuffix("policy.yaml") }
        #expect(errors.compactMap(\.problem.line) == [3, 4, 4, 5, 6, 6], "\(errors)")
        #expect(errors[0].problem.message.contains("366d") && errors[1].problem.message.contains("climb_after"))
        #expect(errors[2].problem.message.contains("3660d") && errors[3].problem.message.contains("1–20"))
        #expect(errors[4].problem.message.contains("soon_days") && errors[5].problem.message.contains("1–366"))
        #expect(ScheduleSet.load(dir.path).policy.lights.soonDays == Policy.default.lights.soonDays)
    }

    /// A finding about an item names the list it is in and its line, in whichever list.
    @Test func findingsAboutAnItemNameItsListAndLine() throws {
        let dir = Fixtures.copyOfSchedules()
        Fixtures.write("title: 第二批\nid_prefix: B\nitems:\n  - {id: \"1\", title: 甲, lead: [市财政局], due_text: \"2027年6月\"}\n"
                       + "  - {id: \"2\", title: 乙, lead: [不存在的局], due_text: \"2027年6月\"}\n", "second.yaml", in: dir)
        let set = ScheduleSet.load(dir.path)
        let unknown = try #require(set.check(now: clock.parse("2026-11-26")!).errors.first { $0.problem.message.contains("不存在的局") })
        #expect(unknown.problem.file.hasSuffix("second.yaml") && unknown.problem.line == 5 && unknown.problem.item == "B2")
        let index = try #require(set.items.firstIndex { $0.id == "B2" })
        #expect(set.place(ofItemAt: index)?.line == 5 && set.place(ofItemAt: set.items.count) == nil)
    }

    @Test func agenciesWithoutContactAndTheSupervisor() throws {
        let dir = Fixtures.copyOfSchedules()
        var text = try String(contentsOfFile: dir.appendingPathComponent("agencies.yaml").path, encoding: .utf8)
        text = text.replacingOccurrences(of: "      - {name: 联络员, email: czj@zhengzhou.example}\n", with: "")
        // The supervising office's whole entry, up to the next agency.
        let office = try #require(text.range(of: "  - name: 市政府督查室\n"))
        let next = try #require(text.range(of: "  - name: ", range: office.upperBound..<text.endIndex))
        text.removeSubrange(office.lowerBound..<next.lowerBound)
        Fixtures.write(text, "agencies.yaml", in: dir)
        let found = findings(dir)
        #expect(found.errors.contains { $0.problem.message.contains("“市财政局” 没有联系方式") && $0.problem.file.hasSuffix("agencies.yaml") && $0.problem.line != nil })
        #expect(found.errors.contains { $0.problem.message.contains("supervisor “市政府督查室” is not in agencies.yaml") })
    }

    /// The office's `contact:` is what every message ends with: a bad phone is an error on
    /// its line; an office without one is warned about.
    @Test func theOfficesContactIsChecked() throws {
        let dir = Fixtures.copyOfSchedules()
        var text = try String(contentsOfFile: dir.appendingPathComponent("agencies.yaml").path, encoding: .utf8)
        text = text.replacingOccurrences(of: "phone: \"0371-00000000\"", with: "phone: \"call me\\nBcc: x\"")
        Fixtures.write(text, "agencies.yaml", in: dir)
        let bad = try #require(findings(dir).errors.first { $0.problem.message.contains("电话号码无效") })
        #expect(bad.problem.file.hasSuffix("agencies.yaml") && bad.problem.line == text.components(separatedBy: "\n").firstIndex { $0.contains("call me") }.map { $0 + 1 })
        text = text.replacingOccurrences(of: "    contact: {name: 督查室值班, phone: \"call me\\nBcc: x\", email: duchashi@zhengzhou.example}\n", with: "")
        Fixtures.write(text, "agencies.yaml", in: dir)
        let found = findings(dir)
        #expect(found.errors.isEmpty && found.warnings.contains { $0.problem.message.contains("has no `contact:` with a phone") })
        #expect(ScheduleSet.load(dir.path).officeContact == Contact(name: "市政府督查室", email: "duchashi@zhengzhou.example"), "its mailbox instead")
    }

    @Test func overdueOpenWorkIsAWarningNotAnError() {
        let found = ScheduleSet.load(Fixtures.schedules).check(now: clock.parse("2026-11-26")!)
        #expect(found.errors.isEmpty)
        #expect(found.warnings.filter { $0.problem.message.contains("overdue since") }.count == 22)
        #expect(found.warnings.contains { $0.problem.message.contains("2027") }, "November: next year's holidays are due")
    }

    @Test func doneItemsAreNotReportedOverdue() {
        let dir = Fixtures.copyOfSchedules()
        let path = dir.appendingPathComponent("zhengzhou-2024.yaml").path
        let text = try! String(contentsOfFile: path, encoding: .utf8)
            .replacingOccurrences(of: "  - {due: 2022-12-31, text: \"2022年 12月\"}\n", with: "  - {due: 2022-12-31, text: \"2022年 12月\"}\n  status: done\n")
        Fixtures.write(text, "zhengzhou-2024.yaml", in: dir)
        let found = findings(dir, now: "2024-06-01")
        #expect(!found.warnings.contains { $0.problem.item == "22" })
        #expect(found.errors.isEmpty, "\(found.errors)")
    }

    @Test func yamlSyntaxErrorsNameTheLine() throws {
        let dir = Fixtures.copyOfSchedules()
        Fixtures.write("title: x\nitems:\n  - id: \"1\n    title: y\n", "broken.yaml", in: dir)
        let e = try #require(findings(dir).errors.first { $0.problem.file.hasSuffix("broken.yaml") })
        #expect(e.problem.line != nil)
        #expect(e.problem.message.contains("YAML"))
    }
}

/// The command line: exit status 1 and nothing half-written on bad input.
struct CommandLineTests {
    let dudao = Fixtures.dudao

    @Test func importOfBadInputExitsOneAndWritesNothing() throws {
        let dir = Fixtures.scratch()
        let bad = Fixtures.write("序号\t改革事项\t牵头单位\t完成时间\n1\t任务\t市财政局\t尽快\n", "bad.tsv", in: dir)
        let out = dir.appendingPathComponent("out.yaml").path
        let r = try Fixtures.run(dudao, ["import", bad, "-o", out])
        #expect(r.status == 1)
        #expect(r.err.contains("bad.tsv:2: 事项 item 1: [完成时间]"))
        #expect(r.err.contains("“尽快”"))
        #expect(!FileManager.default.fileExists(atPath: out))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path)
        #expect(Set(leftovers) == ["bad.tsv"], "no temporary file left behind")
    }

    @Test func importWithColumnsMapped() throws {
        let dir = Fixtures.scratch()
        let list = Fixtures.write("2025年清单\n序号\t改革事项\t承办处室\t责任领导\t完成时间\n1\t任务\t市财政局\t张三\t6月底前\n", "list.tsv", in: dir)
        let out = dir.appendingPathComponent("out.yaml").path
        let bad = try Fixtures.run(dudao, ["import", list, "-o", out, "--columns", "承办处室=boss"])
        #expect(bad.status == 1 && bad.err.contains("unknown column “boss”"), "\(bad.err)")
        #expect(!FileManager.default.fileExists(atPath: out))
        let unmapped = try Fixtures.run(dudao, ["import", list, "-o", out])
        #expect(unmapped.status == 1 && unmapped.err.contains("missing column(s): 牵头单位"), "\(unmapped.err)")
        let r = try Fixtures.run(dudao, ["import", list, "-o", out, "--columns", "承办处室=lead,责任领导=skip"])
        #expect(r.status == 0, "\(r.err)")
        #expect(try String(contentsOfFile: out, encoding: .utf8).contains("lead: [市财政局]"))
    }

    @Test func importOfAWorkbook() throws {
        let dir = Fixtures.scratch()
        let out = dir.appendingPathComponent("out.yaml").path
        // Named .txt on purpose: a workbook is told by its content.
        let bad = dir.appendingPathComponent("list.txt")
        try WorkbookImportTests.workbook([WorkbookImportTests.header, ["1", "任务一", "", "", "市财政局", "", "2025年13月"]]).write(to: bad)
        let refused = try Fixtures.run(dudao, ["import", bad.path, "-o", out])
        #expect(refused.status == 1 && refused.err.contains("list.txt:清单!G2: 事项 item 1: [完成时间]"), "\(refused.err)")
        #expect(!FileManager.default.fileExists(atPath: out))
        let r = try Fixtures.run(dudao, ["import", Fixtures.root.appendingPathComponent("Tests/Fixtures/office/seed.xlsx").path, "-o", out])
        #expect(r.status == 0, "\(r.err)")
        #expect(r.err.contains("23 项 items (sheet “事项清单”)"))
        #expect(try String(contentsOfFile: out, encoding: .utf8).contains("id: \"23\""))
    }

    @Test func importOfAWordDocumentAndAWebPage() throws {
        let dir = Fixtures.scratch()
        let office = Fixtures.root.appendingPathComponent("Tests/Fixtures/office")
        for name in ["seed.docx", "seed-writer.html"] {
            let out = dir.appendingPathComponent("\(name).yaml").path
            let r = try Fixtures.run(dudao, ["import", office.appendingPathComponent(name).path, "-o", out])
            #expect(r.status == 0, "\(r.err)")
            #expect(r.err.contains("23 项 items (table 2)"), "\(r.err)")
            #expect(try String(contentsOfFile: out, encoding: .utf8).contains("id: \"23\""))
        }
        let out = dir.appendingPathComponent("first.yaml").path
        let wrong = try Fixtures.run(dudao, ["import", office.appendingPathComponent("seed.docx").path, "--table", "1", "-o", out])
        #expect(wrong.status == 1 && wrong.err.contains("seed.docx:表1: 找不到表头"), "\(wrong.err)")
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test func importRefusesToOverwriteWithoutForce() throws {
        let dir = Fixtures.scratch()
        let out = Fixtures.write("edited by hand\n", "list.yaml", in: dir)
        let r = try Fixtures.run(dudao, ["import", Fixtures.seed, "-o", out])
        #expect(r.status == 1)
        #expect(try String(contentsOfFile: out, encoding: .utf8) == "edited by hand\n")
        let forced = try Fixtures.run(dudao, ["import", Fixtures.seed, "-o", out, "--force"])
        #expect(forced.status == 0, "\(forced.err)")
        #expect(try String(contentsOfFile: out, encoding: .utf8).contains("id: \"23\""))
    }

    @Test func importJSONToStandardOutput() throws {
        let r = try Fixtures.run(dudao, ["import", Fixtures.seed, "--format", "json"])
        #expect(r.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any]
        #expect((object?["items"] as? [Any])?.count == 23)
        #expect(r.err.contains("23"))
    }

    @Test func checkExitsZeroOnWarningsAndOneOnErrors() throws {
        let ok = try Fixtures.run(dudao, ["check", "--schedules", Fixtures.schedules, "--now", "2026-11-26"])
        #expect(ok.status == 0, "\(ok.out)")
        #expect(ok.out.contains("0 个错误 error(s)"))
        let dir = Fixtures.copyOfSchedules()
        Fixtures.write("send_time: noon\n", "policy.yaml", in: dir)
        let bad = try Fixtures.run(dudao, ["check", "--schedules", dir.path])
        #expect(bad.status == 1)
        #expect(bad.out.contains("policy.yaml:1:"))
    }

    @Test func planRefusesBrokenSchedules() throws {
        let dir = Fixtures.copyOfSchedules()
        Fixtures.write("send_time: noon\n", "policy.yaml", in: dir)
        let r = try Fixtures.run(dudao, ["plan", "--schedules", dir.path])
        #expect(r.status == 1)
        #expect(r.out.isEmpty)
        #expect(r.err.contains("policy.yaml:1:"))
    }

    @Test func planJSONLinesForTheBundledSchedules() throws {
        let r = try Fixtures.run(dudao, ["plan", "--schedules", Fixtures.schedules, "--now", "2024-12-20", "--until", "2025-01-10", "--format", "json"])
        #expect(r.status == 0, "\(r.err)")
        let lines = r.out.split(separator: "\n")
        #expect(!lines.isEmpty)
        var keys = Set<String>()
        for line in lines {
            let o = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(keys.insert(o["dedup_key"] as! String).inserted)
            #expect(["advance", "due", "verify", "overdue", "ongoing", "report", "digest"].contains(o["kind"] as! String))
        }
        // Item 1 (市市场监管局) is 7 days from due on 12-24.
        #expect(r.out.contains("\"send_at\":\"2024-12-24T09:00:00+08:00\""))
    }

    @Test func badNowIsAClearError() throws {
        let r = try Fixtures.run(dudao, ["plan", "--schedules", Fixtures.schedules, "--now", "tomorrow"])
        #expect(r.status == 1)
        #expect(r.err.contains("“tomorrow”"))
        // Year 1 and year 9999 are dates, but planning around them ran off the calendar's
        // ends and stopped the process.
        for (command, option, time) in [("plan", "--now", "0001-01-01"), ("status", "--now", "9999-12-01"), ("plan", "--until", "3000-01-01")] {
            let far = try Fixtures.run(dudao, [command, "--schedules", Fixtures.schedules, "--state-dir", Fixtures.scratch().path, option, time])
            #expect(far.status == 1 && far.err.contains("\(option): ") && far.err.contains("1900–2999") && far.err.contains("“\(time)”"), "\(far)")
        }
    }

    @Test func renderPrintsTheEmailAsSent() throws {
        let r = try Fixtures.run(dudao, ["render", "--schedules", Fixtures.schedules, "--templates", Fixtures.root.appendingPathComponent("Templates").path,
                                         "--kind", "overdue", "--level", "2", "--items", "22", "--now", "2025-02-05T09:00:00+08:00", "--format", "eml"])
        #expect(r.status == 0, "\(r.err)")
        #expect(r.out.contains("\r\nAuto-Submitted: auto-generated\r\n"))
        #expect(r.out.contains("Subject: =?UTF-8?B?"))
        let text = try Fixtures.run(dudao, ["render", "--schedules", Fixtures.schedules, "--templates", Fixtures.root.appendingPathComponent("Templates").path,
                                            "--kind", "overdue", "--level", "2", "--items", "22", "--now", "2025-02-05T09:00:00+08:00", "--format", "text"])
        #expect(text.out.hasPrefix("Subject: 【督办单】“提升普惠托育服务能力”已逾期，请分管领导督促落实"))
        #expect(text.out.contains("市卫健委（并分管领导）："))
        // The SMS a 督办 sends beside the email: who, how many, the level, the date to answer; not the body.
        let sms = try Fixtures.run(dudao, ["render", "--schedules", Fixtures.schedules, "--templates", Fixtures.root.appendingPathComponent("Templates").path,
                                           "--kind", "overdue", "--level", "2", "--items", "22", "--now", "2025-02-05T09:00:00+08:00", "--format", "sms"])
        #expect(sms.status == 0 && sms.out.hasPrefix("市卫健委：你单位牵头的1项逾期事项") && sms.out.contains("现予督办") && sms.out.contains("前书面说明"), "\(sms.out)")
        #expect(!sms.out.contains("提升普惠托育服务能力") && sms.out.components(separatedBy: "\n").count == 3, "one line and its length, never the items")
        let none = try Fixtures.run(dudao, ["render", "--schedules", Fixtures.schedules, "--templates", Fixtures.root.appendingPathComponent("Templates").path,
                                            "--kind", "due", "--items", "22", "--now", "2025-02-05T09:00:00+08:00", "--format", "sms"])
        #expect(none.status == 0 && none.out.contains("没有短信模板"), "\(none.out)")
    }

    @Test func renderOfAnUnknownItemIsAClearError() throws {
        let r = try Fixtures.run(dudao, ["render", "--schedules", Fixtures.schedules, "--templates", Fixtures.root.appendingPathComponent("Templates").path,
                                         "--kind", "advance", "--items", "99"])
        #expect(r.status == 1)
        #expect(r.err.contains("“99”"))
    }

    @Test func checkReportsABrokenTemplateWithFileAndLine() throws {
        let dir = Fixtures.copyOfSchedules()
        let templates = dir.deletingLastPathComponent().appendingPathComponent("MyTemplates")
        try FileManager.default.copyItem(at: dir.deletingLastPathComponent().appendingPathComponent("Templates"), to: templates)
        try Data("【督办提醒】\n{{#items}}\n未闭合\n".utf8).write(to: templates.appendingPathComponent("due/subject.mustache"))
        let policy = dir.appendingPathComponent("policy.yaml")
        try Data((try String(contentsOf: policy, encoding: .utf8)).replacingOccurrences(of: "templates_dir: Templates", with: "templates_dir: MyTemplates").utf8).write(to: policy)
        let r = try Fixtures.run(dudao, ["check", "--schedules", dir.path])
        #expect(r.status == 1)
        #expect(r.out.contains("due/subject.mustache:"), "\(r.out)")
        #expect(r.out.contains("syntax error"))
    }

    @Test func ackStopsRemindersAndStatusShowsIt() throws {
        let state = Fixtures.scratch().path
        let plan = { try Fixtures.run(self.dudao, ["plan", "--schedules", Fixtures.schedules, "--state-dir", state,
                                                   "--now", "2024-12-20", "--until", "2025-01-10", "--format", "json"]).out }
        #expect(try plan().contains("\"items\":[\"1\"]") || (try plan()).contains("\"1\","))
        let ack = try Fixtures.run(dudao, ["ack", "1", "--status", "done", "--note", "已出台指导意见", "--by", "市市场监管局 张三",
                                           "--schedules", Fixtures.schedules, "--state-dir", state])
        #expect(ack.status == 0, "\(ack.err)")
        #expect(ack.out.contains("事项1") && ack.out.contains("done"))
        for line in try plan().split(separator: "\n") {
            let o = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            #expect(!(o["items"] as! [String]).contains("1"), "item 1 is done: \(line)")
        }
        let status = try Fixtures.run(dudao, ["status", "--schedules", Fixtures.schedules, "--state-dir", state, "--now", "2024-12-20", "--format", "json"])
        let rows = try JSONSerialization.jsonObject(with: Data(status.out.utf8)) as! [[String: Any]]
        // One row per item and lead agency.
        #expect(rows.count == 48)
        #expect(Set(rows.compactMap { $0["id"] as? String }).count == 23)
        #expect(rows.first { $0["id"] as? String == "1" }?["status"] as? String == "done")
        #expect(rows.first { $0["id"] as? String == "1" }?["light"] as? String == "blue")
        #expect(rows.first { $0["id"] as? String == "2" }?["days"] as? Int == 11)
        #expect(rows.first { $0["id"] as? String == "2" }?["next_planned"] as? String == "2024-12-24T09:00:00+08:00")
    }

    @Test func extendedWorkIsReplanned() throws {
        let state = Fixtures.scratch().path
        let r = try Fixtures.run(dudao, ["ack", "8", "--status", "extended", "--due", "2025-06-30", "--schedules", Fixtures.schedules, "--state-dir", state])
        #expect(r.status == 0)
        let plan = try Fixtures.run(dudao, ["plan", "--schedules", Fixtures.schedules, "--state-dir", state, "--now", "2025-06-20", "--until", "2025-07-08", "--format", "json"]).out
        #expect(plan.contains("\"key\":\"8/m1/advance-7/2025-06-23\""))
        #expect(plan.contains("\"key\":\"8/m1/due/2025-06-30\""))
        // Reminded before the new date, so no 核实: 催办 on the next Monday.
        #expect(plan.contains("\"key\":\"8/m1/overdue-1/2025-07-07\""))
    }

    @Test func badAcksExitOneAndRecordNothing() throws {
        let state = Fixtures.scratch().path
        for args in [["ack", "99", "--status", "done"], ["ack", "8", "--status", "extended"], ["ack", "8", "--status", "extended", "--due", "2025-13-01"],
                     ["ack", "8", "--milestone", "3", "--status", "done"], ["ack", "8", "--status", "done", "--due", "2025-06-30"],
                     ["ack", "8", "--status", "extended", "--due", "9999-12-31"], ["ack", "17", "--status", "in_progress", "--next-report", "0001-01-01"]] {
            let r = try Fixtures.run(dudao, args + ["--schedules", Fixtures.schedules, "--state-dir", state])
            #expect(r.status != 0, "\(args)")
            #expect(!r.err.isEmpty)
        }
        let status = try Fixtures.run(dudao, ["status", "--schedules", Fixtures.schedules, "--state-dir", state, "--format", "csv"])
        #expect(status.out.hasPrefix("\u{FEFF}事项编号,事项,本行牵头单位,全部牵头单位,"), "CSV with a BOM for Excel, headers in Chinese")
        #expect(!status.out.contains(",已销号,") && status.out.contains(",未完成,"), "nothing was recorded, states in words")
        let english = try Fixtures.run(dudao, ["status", "--schedules", Fixtures.schedules, "--state-dir", state, "--format", "csv", "--english"])
        #expect(english.out.hasPrefix("\u{FEFF}id,title,agency,lead,"), "--english keeps the machine's columns")
        #expect(!english.out.contains(",done,"))
    }

    @Test func runOnceTwiceSendsOnce() throws {
        let base = Fixtures.copyOfSchedules()
        let outbox = base.deletingLastPathComponent().appendingPathComponent("outbox")
        Fixtures.write("outbox_dir: \(outbox.path)\n", "channels.yaml", in: base)
        let state = base.deletingLastPathComponent().appendingPathComponent("state").path
        let args = ["run", "--once", "--schedules", base.path, "--state-dir", state, "--now", "2024-12-24T10:00:00+08:00"]
        let first = try Fixtures.run(dudao, args)
        #expect(first.status == 0, "\(first.err)")
        #expect(first.out.contains("16 条消息"), "\(first.out)")
        let second = try Fixtures.run(dudao, args)
        #expect(second.status == 0)
        #expect(second.out.contains("0 条消息"), "\(second.out)")
        // A later run the same day sends only what is new since.
        let later = try Fixtures.run(dudao, ["run", "--once", "--schedules", base.path, "--state-dir", state, "--now", "2024-12-24T23:00:00+08:00"])
        #expect(later.out.contains("0 条消息"))
    }
}

