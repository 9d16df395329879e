import Foundation

/// Runs `count` I/O-bound workers on their own threads and waits for all of them.
///
/// `DispatchQueue.concurrentPerform` would cap them at the number of cores, serialising
/// connections that spend their time waiting on the network.
enum Workers {
    static func run(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
        let group = DispatchGroup()
        for w in 0..<count {
            group.enter()
            let thread = Thread {
                body(w)
                group.leave()
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
        group.wait()
    }
}
