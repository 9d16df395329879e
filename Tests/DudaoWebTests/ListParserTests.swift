import Foundation
import Testing
@testable import DudaoWeb

/// Uploaded lists are read one at a time and answered within the timeout: a second upload
/// meanwhile is told to wait, and a parse past its timeout keeps the parser busy until it
/// ends (hostile files cannot pile up), then the next is read.
struct ListParserTests {
    @Test func oneAtATimeAndAnsweredWithinTheTimeout() async throws {
        let parser = ListParser(timeout: 0.2)
        let slow = Task { await parser.run { Thread.sleep(forTimeInterval: 1.0); return 1 } }
        try await Task.sleep(nanoseconds: 50_000_000)
        guard case .busy = await parser.run({ 2 }) else { Issue.record("a second upload while one is read is told to wait"); return }
        guard case .timedOut = await slow.value else { Issue.record("the slow parse is answered at its timeout"); return }
        guard case .busy = await parser.run({ 3 }) else { Issue.record("still busy until the slow parse ends"); return }
        try await Task.sleep(nanoseconds: 1_200_000_000)
        guard case .done(let n) = await parser.run({ 4 }), n == 4 else { Issue.record("free again once it ended"); return }
    }
}
