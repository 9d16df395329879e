import Foundation
import NIOCore

/// Bounds the console's open connections: past `limit`, a new connection is closed at
/// once. With the idle timeout (`HTTP1Channel`'s), a flood of silent connections holds at
/// most `limit` descriptors, for at most the timeout — and the unit's `LimitNOFILE` is set
/// well above it, so the service always has descriptors for its own work.
final class ConnectionCap: @unchecked Sendable {
    let limit: Int
    private let lock = NSLock()
    private var open = 0

    init(limit: Int) { self.limit = limit }

    /// A handler for one connection's pipeline, counting it while it is there.
    func handler() -> Handler { Handler(cap: self) }

    /// Connections counted now.
    var count: Int { lock.withLock { open } }

    fileprivate func enter() -> Bool {
        lock.withLock {
            guard open < limit else { return false }
            open += 1
            return true
        }
    }

    fileprivate func leave() { lock.withLock { open -= 1 } }

    final class Handler: ChannelInboundHandler, RemovableChannelHandler, @unchecked Sendable {
        typealias InboundIn = NIOAny
        let cap: ConnectionCap
        private var counted = false

        init(cap: ConnectionCap) { self.cap = cap }

        func handlerAdded(context: ChannelHandlerContext) {
            counted = cap.enter()
            if !counted { context.close(promise: nil) }
        }

        func handlerRemoved(context: ChannelHandlerContext) {
            if counted { cap.leave() }
            counted = false
        }
    }
}
