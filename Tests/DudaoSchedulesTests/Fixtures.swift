import Foundation
import Testing
import DudaoTestSupport

/// Paths and scratch folders shared by the schedule tests.
enum Fixtures {
    /// The repository root (three levels above this file).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    /// The real seed list, a byte-for-byte copy of shared/seeds/, imported as it is.
    static let seed = root.appendingPathComponent("Tests/Fixtures/000_248a791eb898ee58.txt").path
    /// The bundled Schedules folder.
    static let schedules = root.appendingPathComponent("Schedules").path

    /// A fresh empty folder under the system temp directory.
    static func scratch() -> URL { TestSupport.scratch() }

    /// Writes `text` to `name` in `dir` and returns the path.
    @discardableResult
    static func write(_ text: String, _ name: String, in dir: URL) -> String {
        let url = dir.appendingPathComponent(name)
        try! FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try! Data(text.utf8).write(to: url)
        return url.path
    }

    /// A copy of the bundled Schedules (and Templates beside it) in a scratch folder, for tests that break it.
    static func copyOfSchedules() -> URL {
        let base = scratch()
        let dir = base.appendingPathComponent("Schedules")
        try! FileManager.default.copyItem(atPath: schedules, toPath: dir.path)
        try! FileManager.default.copyItem(at: root.appendingPathComponent("Templates"), to: base.appendingPathComponent("Templates"))
        return dir
    }

    /// Runs a program; returns exit status, standard output and standard error.
    static func run(_ executable: String, _ arguments: [String], cwd: URL? = nil) throws -> (status: Int32, out: String, err: String) {
        let r = try TestSupport.run(executable, arguments, cwd: cwd)
        return (r.status, r.out, r.err)
    }

    /// The `dudao` executable built beside the test bundle.
    static var dudao: String { TestSupport.dudao }

    /// `text` in GB18030, converted by glibc's `iconv` program (independent of our decoder).
    static func gb18030(_ text: String) throws -> Data {
        let dir = scratch()
        let input = write(text, "utf8.txt", in: dir)
        let r = try TestSupport.run("/usr/bin/iconv", ["-f", "UTF-8", "-t", "GB18030", input])
        precondition(r.status == 0, r.err)
        return r.data
    }
}

/// `dudao` on one Schedules folder and one state folder, each command expected to succeed:
/// the scripted weeks of the documents' tests.
struct ScriptedDudao {
    let schedules: String
    let state: String

    /// Runs `args` and returns what it printed.
    @discardableResult
    func callAsFunction(_ args: [String]) throws -> String {
        let r = try Fixtures.run(Fixtures.dudao, args + ["--schedules", schedules, "--state-dir", state])
        #expect(r.status == 0, "\(args): \(r.err)")
        return r.out
    }

    /// `dudao ack` at 15:00 on `day`.
    func ack(_ item: String, _ agency: String?, _ status: String, _ day: String, due: String? = nil) throws {
        try self(["ack", item, "--status", status, "--now", "\(day)T15:00:00+08:00"] + (agency.map { ["--agency", $0] } ?? [])
                 + (due.map { ["--due", $0] } ?? []))
    }
}
