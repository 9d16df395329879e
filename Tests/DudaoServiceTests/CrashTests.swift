import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `kill -9` in the middle of sending: nothing lost, at most one repeat per kill.
@Suite(.serialized) struct CrashTests {
    init() throws { try ServiceFixture.requireServers() }

    @Test func killNineDuringABatchOf500LosesNothing() throws {
        let recipients = (0..<500).map { "c\($0)" }
        // One connection: at most one message is in flight when the process dies.
        let f = try ServiceFixture(in: 2, recipients: recipients, connections: 1)
        func delivered() -> [String] {
            ((try? FileManager.default.contentsOfDirectory(atPath: f.mailDir)) ?? []).filter { $0.contains("-\(f.tag)@") && $0.hasSuffix(".eml") }
        }
        var kills: [Int] = []
        var p = try f.start()
        for threshold in [60, 180, 320] {
            #expect(ServiceFixture.wait(60) { delivered().count >= threshold }, "stalled below \(threshold): \(f.log.suffix(2000))")
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            kills.append(delivered().count)
            p = try f.start()
        }
        #expect(ServiceFixture.wait(90) { Set(delivered().map { $0.components(separatedBy: "-\(f.tag)@")[0] }).count >= 500 }, "\(f.log.suffix(2000))")
        Thread.sleep(forTimeInterval: 1)
        #expect(ServiceFixture.stop(p) == 0)
        let files = delivered()
        let unique = Set(files.map { $0.components(separatedBy: "-\(f.tag)@")[0] })
        let duplicates = files.count - unique.count
        print("crash test: killed at \(kills) delivered; \(unique.count) agencies reached, \(duplicates) duplicate(s) over \(kills.count) kills")
        #expect(unique.count == 500, "none lost")
        #expect(duplicates <= kills.count, "at most one duplicate per kill")
        #expect(kills.allSatisfy { $0 < 500 }, "every kill landed mid-batch: \(kills)")
    }
}
