import Foundation
import Testing
import DudaoTestSupport

/// Lists uploaded in the console by a hostile or careless hand — a zip bomb, an XML entity
/// bomb, a sheet past the row limit, a part that is not UTF-8, 150 MB — are each refused
/// with a message naming what is wrong, the service stays under 300 MB at its peak, and its
/// clock keeps time: the watchdog is pinged every second throughout.
@Suite(.serialized)
struct HostileListUploadTests {
    @Test func hostileUploadsAreRefusedWithinBoundsWhileTheClockKeepsTime() throws {
        let f = try ServiceFixture(in: 600)
        let password = f.base.appendingPathComponent("pw")
        try Data("正确的口令 Correct horse 9\n".utf8).write(to: password)
        let added = try f.dudao(["user", "add", "张三", "--role", "clerk", "--password-file", password.path])
        #expect(added.status == 0, "\(added.out)")
        let notify = NotifyListener()
        let port = TestSupport.freePort()
        let p = try f.start(extraEnv: ["NOTIFY_SOCKET": notify.path, "WATCHDOG_USEC": "2000000"], arguments: ["--listen", "127.0.0.1:\(port)"])
        defer { if p.isRunning { p.terminate(); p.waitUntilExit() } }
        #expect(ServiceFixture.wait(20) { notify.first("READY=1") != nil && f.log.contains("console listening") }, "\(f.log)")
        let work = f.base.appendingPathComponent("hostile")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)

        let start = Date()
        let seen = try TestSupport.python(["Tests/Python/hostile_lists.py", "http://127.0.0.1:\(port)", "张三", "正确的口令 Correct horse 9",
                                           "\(p.processIdentifier)", work.path])
        let end = Date()
        print("hostile list uploads: peak \(seen["peak_mb"] ?? "?") MB; \(seen["uploads"] ?? "")")
        let uploads = seen["uploads"] as? [String: [String: Any]] ?? [:]
        func upload(_ name: String) -> (status: Int, error: String) {
            (uploads[name]?["status"] as? Int ?? -1, uploads[name]?["error"] as? String ?? "")
        }
        for (name, says) in [("zip_bomb", "zip bomb"), ("entity_bomb", "DTD"), ("rows_200001", "超出范围"), ("not_utf8", "UTF-8")] {
            #expect(upload(name).status == 422 && upload(name).error.contains(says), "\(name): \(upload(name))")
        }
        #expect(upload("rows_200001").error.contains("A100001"), "the first cell past the limit is named: \(upload("rows_200001"))")
        // Refused as it streams in: the answer, or the connection closed before the rest is read.
        #expect([413, 0].contains(upload("upload_150mb").status), "\(upload("upload_150mb"))")
        if upload("upload_150mb").status == 413 { #expect(upload("upload_150mb").error.contains("不超过10 MB")) }
        #expect(try #require(seen["peak_mb"] as? Double) < 300, "the service's peak resident memory: \(seen["peak_mb"] ?? "?") MB")
        #expect(notify.longestWatchdogGap(from: start.addingTimeInterval(0.5), to: end) < 1.6,
                "pings every second while lists are read: \(notify.messages.filter { $0.text.contains("WATCHDOG") }.map(\.at))")
        #expect(p.isRunning)
        // Nothing was kept, and every refusal is in the audit trail.
        let audit = try f.dudao(["audit", "list", "--action", "list.upload", "--format", "csv"]).out
        #expect(audit.components(separatedBy: ",refused,").count - 1 >= 4, "\(audit)")
        #expect(try f.dudao(["export", "-o", f.base.appendingPathComponent("export").path, "--schedules", f.schedules.path]).out.contains("没有已发布的清单"))
    }
}
