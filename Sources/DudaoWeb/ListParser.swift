import Foundation

/// Where uploaded lists are read: on a queue of its own, never on NIO's event loops or the
/// clock's queue, one file at a time (a second upload meanwhile is told to wait, so memory
/// holds one parse, not one per clerk), and answered within `timeout` whatever the file does.
/// A parse past its timeout is not killed (a thread cannot be): it finishes unseen, and the
/// queue stays busy until then, so hostile files cannot pile up.
final class ListParser: @unchecked Sendable {
    enum Outcome<T: Sendable>: Sendable {
        case done(T)
        /// Another upload is being read.
        case busy
        /// Still reading after the timeout.
        case timedOut
    }

    private let queue = DispatchQueue(label: "dudao.list-parse", qos: .utility)
    private let lock = NSLock()
    private var busy = false
    let timeout: TimeInterval

    init(timeout: TimeInterval = 60) {
        self.timeout = timeout
    }

    func run<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> Outcome<T> {
        let started: Bool = lock.withLock {
            if busy { return false }
            busy = true
            return true
        }
        guard started else { return .busy }
        return await withCheckedContinuation { (continuation: CheckedContinuation<Outcome<T>, Never>) in
            let answered = Once()
            queue.async {
                let result = work()
                self.lock.withLock { self.busy = false }
                if answered.claim() { continuation.resume(returning: .done(result)) }
            }
            DispatchQueue.global().asyncAfter(deadline: .now() + timeout) {
                if answered.claim() { continuation.resume(returning: .timedOut) }
            }
        }
    }

    /// The first of the parse and the timeout answers.
    private final class Once: @unchecked Sendable {
        private let lock = NSLock()
        private var claimed = false
        func claim() -> Bool { lock.withLock { defer { claimed = true }; return !claimed } }
    }
}
