import Foundation
import Testing
@testable import DudaoWeb

/// Uploaded lists are read one at a time and answered within the timeout: a second upload
/// meanwhile is told to wait, and a parse past its timeout keeps the parser busy until it
/// ends (hostile files cannot pile up), then the next is read. The slow parse is held by a
/// gate the test opens, so nothing here depends on how fast the machine is.
struct ListParserTests {
    @Test func oneAtATimeAndAnsweredWithinTheTimeout() async throws {
        let parser = ListParser(timeout: 0.2)
        let started = DispatchSemaphore(value: 0), gate = DispatchSemaphore(value: 0)
        let slow = Task { await parser.run { started.signal(); gate.wait(); return 1 } }
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in DispatchQueue.global().async { started.wait(); c.resume() } }
        guard case .busy = await parser.run({ 2 }) else { Issue.record("a second upload while one is read is told to wait"); return }
        guard case .timedOut = await slow.value else { Issue.record("the held parse is answered at its timeout"); return }
        guard case .busy = await parser.run({ 3 }) else { Issue.record("still busy until the held parse ends"); return }
        gate.signal()
        for _ in 0..<500 {
            if case .done(let n) = await parser.run({ 4 }) {
                #expect(n == 4)
                return
            }
            try await Task.sleep(nanoseconds: 20_000_000)
        }
        Issue.record("free again once the held parse ended")
    }
}
