import Foundation

/// Independent work on `0..<count` split into runs, one per core, and joined in order: the
/// same result as one run over everything, sooner.
public enum OrderedRuns {
    /// `body` over consecutive ranges covering `0..<count` on up to `cores` threads, the
    /// results concatenated in range order. One run, on the caller's thread, when `cores`
    /// is 1 or `count` is small.
    public static func map<T>(_ count: Int, cores: Int = ProcessInfo.processInfo.activeProcessorCount,
                              _ body: @Sendable (Range<Int>) -> [T]) -> [T] {
        let runs = max(1, min(cores, 8, count))
        if runs == 1 { return body(0..<count) }
        let slots = (0..<runs).map { _ in Slot<T>() }
        DispatchQueue.concurrentPerform(iterations: runs) { k in
            slots[k].value = body((count * k / runs)..<(count * (k + 1) / runs))
        }
        var out: [T] = []
        out.reserveCapacity(slots.reduce(0) { $0 + $1.value.count })
        for slot in slots {
            out += slot.value
            slot.value = []
        }
        return out
    }

    /// One run's results: written by that run only, read after all have ended.
    private final class Slot<T>: @unchecked Sendable {
        var value: [T] = []
    }
}
