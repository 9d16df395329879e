import Foundation
import DudaoTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The state folder read-only or full: a clear refusal at start, and at runtime the service
/// keeps going and retries — nothing lost, nothing sent twice. Uses a small tmpfs when the
/// tests may mount one (root), else a read-only directory.
@Suite(.serialized) struct StateFolderTests {
    init() throws { try ServiceFixture.requireServers() }

    static var canMount: Bool {
        let dir = TestSupport.scratch("dudao-mount-probe")
        guard (try? TestSupport.run("/usr/bin/env", ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", dir.path]).status) == 0 else { return false }
        _ = try? TestSupport.run("/usr/bin/env", ["umount", dir.path])
        return true
    }

    func mount(_ dir: String, options: String) throws {
        let r = try TestSupport.run("/usr/bin/env", ["mount", "-t", "tmpfs", "-o", options, "tmpfs", dir], mergeOutput: true)
        try #require(r.status == 0, "mount: \(r.out)")
    }

    func umount(_ dir: String) { _ = try? TestSupport.run("/usr/bin/env", ["umount", "-l", dir]) }

    @Test func aReadOnlyStateFolderIsRefusedAtStartWithTheReason() throws {
        let f = try ServiceFixture(in: 3600)
        try FileManager.default.createDirectory(atPath: f.state, withIntermediateDirectories: true)
        if Self.canMount {
            try mount(f.state, options: "size=1m,ro")
        } else {
            chmod(f.state, 0o555)
        }
        defer { if Self.canMount { umount(f.state) } }
        let p = try f.start()
        p.waitUntilExit()
        #expect(p.terminationStatus == 1)
        #expect(f.log.contains("cannot open the state folder \(f.state)"), "\(f.log)")
    }

    @Test(.enabled(if: StateFolderTests.canMount)) func aFullStateFolderDelaysPlanningThenCatchesUpOnce() throws {
        let f = try ServiceFixture(in: 4)
        try FileManager.default.createDirectory(atPath: f.state, withIntermediateDirectories: true)
        try mount(f.state, options: "size=8m")
        defer { umount(f.state) }
        let p = try f.start()
        defer { _ = ServiceFixture.stop(p) }
        #expect(ServiceFixture.wait(10) { f.log.contains("dudao started") }, "\(f.log)")
        // Fill the folder to the last byte.
        let filler = (f.state as NSString).appendingPathComponent("filler")
        let fill = try TestSupport.run("/usr/bin/env", ["sh", "-c", "cat /dev/zero > \(filler)"], mergeOutput: true)
        #expect(fill.out.contains("No space left"), "\(fill.out)")
        #expect(ServiceFixture.wait(15) { f.log.contains("cycle failed") }, "the failure is logged\n\(f.log)")
        #expect(f.received().isEmpty, "nothing goes out that could not be recorded first")
        #expect(p.isRunning, "the service keeps running")
        try FileManager.default.removeItem(atPath: filler)
        #expect(ServiceFixture.wait(20) { f.receivedAt() != nil }, "sent once there is room again\n\(f.log)")
        Thread.sleep(forTimeInterval: 2)
        #expect(f.received().count == 1, "once: \(f.received())")
    }
}
