import Foundation
import Testing
@testable import DudaoService

struct GroupCommitTests {
    /// Many threads committing at once: every item is written exactly once, each thread
    /// returns only after its own item was written, and waiting threads share writes.
    @Test func everyItemIsWrittenOnceAndBeforeItsThreadGoesOn() throws {
        let written = LockedValue<[Int]>([])
        let writes = LockedValue(0)
        let commit = GroupCommit<Int> { items in
            Thread.sleep(forTimeInterval: 0.002)  // a commit takes a while: others pile up
            written.update { $0 += items }
            writes.update { $0 += 1 }
        }
        let early = LockedValue<[Int]>([])
        // Threads of their own, as delivery workers are (concurrentPerform would run only
        // as many as there are cores).
        let done = DispatchGroup()
        for i in 0..<64 {
            done.enter()
            Thread {
                try? commit.commit(i)
                if !written.value.contains(i) { early.update { $0.append(i) } }
                done.leave()
            }.start()
        }
        done.wait()
        #expect(written.value.sorted() == Array(0..<64))
        #expect(early.value.isEmpty, "returned before its item was written: \(early.value)")
        #expect(writes.value < 64, "waiting threads were written together")
    }

    /// A failed write fails every thread whose item it held, and the next write goes on.
    @Test func aFailedWriteFailsTheItemsItHeld() throws {
        struct Full: Error {}
        let commit = GroupCommit<String> { items in
            if items.contains("bad") { throw Full() }
        }
        #expect(throws: Full.self) { try commit.commit("bad") }
        try commit.commit("good")
    }
}
