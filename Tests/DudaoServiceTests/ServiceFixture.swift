import Foundation
import DudaoTestSupport
import Testing

/// A small Schedules folder whose one item is due today at a send time seconds away, with
/// email to the test SMTP server, and a `dudao run` process over it.
struct ServiceFixture {
    static let root = TestSupport.root
    static let shanghai = TimeZone(identifier: "Asia/Shanghai")!
    let env = ProcessInfo.processInfo.environment
    let base: URL
    let tag = UUID().uuidString.prefix(8).lowercased()
    /// The instant the reminder is due.
    let instant: Date

    var schedules: URL { base.appendingPathComponent("Schedules") }
    var state: String { base.appendingPathComponent("state").path }
    var mailDir: String { env["DUDAO_TEST_SMTP_MAIL_DIR"]! }

    /// Fails (not skips) when the servers are missing: run `make test`.
    static func requireServers() throws {
        guard ProcessInfo.processInfo.environment["DUDAO_TEST_SMTP_STARTTLS_PORT"] != nil else {
            Issue.record("test servers not running: run the tests with `make test`")
            throw CancellationError()
        }
    }

    /// `items` recipients' local parts (one agency each); the message is due `seconds` from now.
    /// `chat`: a chat channel (YAML for one entry of `chat:`) that every agency's contact
    /// also names; `email: false` leaves the email channel out.
    init(in seconds: Double, recipients: [String] = ["liaison"], smtpURL: String? = nil, startTLS: String = "required",
         connections: Int = 2, retryBase: String = "1s", timeout: Int = 10, circuit: String = "{failures: 3, pause: 30s, max_pause: 15m}",
         chat: String? = nil, email: Bool = true) throws {
        base = FileManager.default.temporaryDirectory.appendingPathComponent("dudao-svc-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: base.appendingPathComponent("Schedules/calendar"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Self.root.appendingPathComponent("Templates"), to: base.appendingPathComponent("Templates"))
        // send_time has whole seconds: the instant is the second the reminder is planned for.
        instant = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 + seconds).rounded(.down))
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = Self.shanghai
        let c = cal.dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday], from: instant)
        let iso = String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
        let weekend = c.weekday == 1 || c.weekday == 7
        write("calendar/\(c.year!).yaml", "year: \(c.year!)\nholidays: []\nworkdays: [\(weekend ? iso : "")]\n")
        write("policy.yaml", """
        timezone: Asia/Shanghai
        send_time: "\(String(format: "%02d:%02d:%02d", c.hour!, c.minute!, c.second!))"
        supervisor: 督查室
        advance_days: []
        due_day: true
        overdue: off
        ongoing: {monthly: off}
        report: {weekly: off}
        catch_up: 3d

        """)
        var agencies = "agencies:\n  - name: 督查室\n    contacts: [{name: 联络员, email: office-\(tag)@zhengzhou.example}]\n"
        var items = "title: 测试清单\nitems:\n"
        for (i, r) in recipients.enumerated() {
            agencies += "  - name: 测试局\(i + 1)\n    contacts: [{name: 联络员, email: \(r)-\(tag)@zhengzhou.example\(chat == nil ? "" : ", chat: robot")}]\n"
            items += "  - {id: \"\(i + 1)\", title: 测试事项\(i + 1), lead: [测试局\(i + 1)], due_text: \"\(c.year!)年\(c.month!)月\(c.day!)日\"}\n"
        }
        write("agencies.yaml", agencies)
        write("list.yaml", items)
        let emailChannel = """
        email:
          url: \(smtpURL ?? "smtp://127.0.0.1:\(env["DUDAO_TEST_SMTP_STARTTLS_PORT"]!)")
          starttls: \(startTLS)
          \(startTLS == "off" ? "" : "username: \(env["DUDAO_TEST_SMTP_USER"]!)")
          \(startTLS == "off" ? "" : "password: {env: DUDAO_SMTP_PASSWORD}")
          from: {name: 督查室, address: office-\(tag)@zhengzhou.example}
          ca_file: \(env["DUDAO_TEST_CA"]!)
          connect_timeout: 2
          timeout: \(timeout)
          max_connections: \(connections)

        """
        write("channels.yaml", """
        \(email ? emailChannel : "")\(chat.map { "chat:\n  - \($0)\n" } ?? "")
        retry: {base: \(retryBase), max_delay: 2s, max_attempts: 30}
        circuit: \(circuit)
        outbox_dir: \(base.appendingPathComponent("outbox").path)

        """)
    }

    func write(_ name: String, _ text: String) {
        try! Data(text.utf8).write(to: schedules.appendingPathComponent(name))
    }

    static var dudao: String { TestSupport.dudao }

    /// Starts `dudao run`; its log goes to `log`. `wrapper` runs it under another command
    /// (e.g. `unshare`), which must exec it.
    /// `state` and `log` give a second instance (another machine) its own folder and log.
    func start(extraEnv: [String: String] = [:], arguments: [String] = [], wrapper: [String] = [],
               state: String? = nil, log logPath: String? = nil) throws -> Process {
        let p = Process()
        let logPath = logPath ?? self.logPath
        let args = ["run", "--schedules", schedules.path, "--state-dir", state ?? self.state] + arguments
        if wrapper.isEmpty {
            p.executableURL = URL(fileURLWithPath: Self.dudao)
            p.arguments = args
        } else {
            p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            p.arguments = wrapper + [Self.dudao] + args
        }
        p.environment = env.merging(["DUDAO_SMTP_PASSWORD": env["DUDAO_TEST_SMTP_PASSWORD"]!]) { $1 }.merging(extraEnv) { $1 }
        if !FileManager.default.fileExists(atPath: logPath) { _ = FileManager.default.createFile(atPath: logPath, contents: nil) }
        let log = FileHandle(forWritingAtPath: logPath)!
        log.seekToEndOfFile()
        p.standardOutput = log
        p.standardError = log
        try p.run()
        return p
    }

    var logPath: String { base.appendingPathComponent("dudao.log").path }
    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// Runs another dudao command against this fixture's folders (output and errors together).
    func dudao(_ args: [String]) throws -> (status: Int32, out: String) {
        let r = try TestSupport.run(Self.dudao, args + ["--state-dir", state], mergeOutput: true)
        return (r.status, r.out)
    }

    /// Mail files the server stored for a recipient local part (a repeat is a second file).
    func received(_ local: String = "liaison") -> [String] {
        let prefix = "\(local)-\(tag)@zhengzhou.example"
        return ((try? FileManager.default.contentsOfDirectory(atPath: mailDir)) ?? []).filter { $0.hasPrefix(prefix) && $0.hasSuffix(".eml") }
    }

    /// When the server stored the first message for `local`.
    func receivedAt(_ local: String = "liaison") -> Date? {
        let path = (mailDir as NSString).appendingPathComponent("\(local)-\(tag)@zhengzhou.example.eml")
        return (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date
    }

    /// Waits until `condition` holds or `timeout` seconds pass.
    @discardableResult
    static func wait(_ timeout: Double, _ condition: () -> Bool) -> Bool {
        let end = Date().addingTimeInterval(timeout)
        while Date() < end {
            if condition() { return true }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return condition()
    }

    static func stop(_ p: Process) -> Int32 {
        if p.isRunning { p.terminate() }
        p.waitUntilExit()
        return p.terminationStatus
    }
}
