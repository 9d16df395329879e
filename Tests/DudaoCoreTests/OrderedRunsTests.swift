import Foundation
import Testing
@testable import DudaoCore

struct OrderedRunsTests {
    /// Runs on several threads join in order, whatever order they finish in, and cover
    /// every index once — also when there are more cores than indexes.
    @Test(arguments: [0, 1, 3, 1000]) func runsJoinInOrder(_ count: Int) {
        let out = OrderedRuns.map(count, cores: 4) { range -> [Int] in
            // Later runs finish first.
            Thread.sleep(forTimeInterval: Double(4 - min(range.lowerBound * 4 / max(count, 1), 3)) * 0.001)
            return range.flatMap { [$0, -$0] }
        }
        #expect(out == (0..<count).flatMap { [$0, -$0] })
    }
}
