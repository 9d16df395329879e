import Foundation

/// Writes what several threads hand in at about the same time in one transaction, and
/// returns to each only once its own item is written (or the write failed).
///
/// The first thread to arrive writes everything waiting; threads that arrive meanwhile wait
/// and are written together by the next one. A thread never goes on before its item is on
/// disk, so a delivery worker still sends its next message only after recording the last,
/// while six workers pay for one commit instead of six.
final class GroupCommit<Item>: @unchecked Sendable {
    private let condition = NSCondition()
    private var waiting: [(ticket: Int, item: Item)] = []
    private var done: [Int: Result<Void, Error>] = [:]
    private var writing = false
    private var nextTicket = 0
    private let write: ([Item]) throws -> Void

    /// `write` stores its items all together or not at all; it runs on one thread at a time.
    init(write: @escaping ([Item]) throws -> Void) {
        self.write = write
    }

    /// Returns once `item` is written, or throws the error of the write that held it.
    func commit(_ item: Item) throws {
        condition.lock()
        defer { condition.unlock() }
        let ticket = nextTicket
        nextTicket += 1
        waiting.append((ticket, item))
        while true {
            if let result = done.removeValue(forKey: ticket) { return try result.get() }
            if writing {
                condition.wait()
                continue
            }
            writing = true
            let batch = waiting
            waiting = []
            condition.unlock()
            let result = Result { try write(batch.map(\.item)) }
            condition.lock()
            writing = false
            for b in batch { done[b.ticket] = result }
            condition.broadcast()
        }
    }
}
