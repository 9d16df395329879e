import Foundation
import NIOCore

/// Bounds the console's open connections: past `limit` in all, or past `perClient` from one
/// address (trusted reverse proxies excepted: everything comes through them), a new
/// connection is closed at once. With the idle and request timeouts, a flood of silent or
/// slow connections holds at most `limit` descriptors, for at most the timeouts; one
/// address cannot take them all from the others; and the unit's `LimitNOFILE` is set well
/// above, so the service always has descriptors for its own work.
final class ConnectionCap: @unchecked Sendable {
    let limit: Int
    let perClient: Int
    let exempt: Set<String>
    private let lock = NSLock()
    private var open = 0
    private var byClient: [String: Int] = [:]

    init(limit: Int, perClient: Int = .max, exempt: Set<String> = []) {
        self.limit = limit
        self.perClient = perClient
        self.exempt = exempt
    }

    /// A handler for one connection's pipeline, counting it while it is there.
    func handler() -> Handler { Handler(cap: self) }

    /// Connections counted now.
    var count: Int { lock.withLock { open } }

    fileprivate func enter(_ client: String) -> Bool {
        lock.withLock {
            let mine = byClient[client] ?? 0
            guard open < limit, exempt.contains(client) || mine < perClient else { return false }
            open += 1
            byClient[client] = mine + 1
            return true
        }
    }

    fileprivate func leave(_ client: String) {
        lock.withLock {
            open -= 1
            let mine = (byClient[client] ?? 1) - 1
            byClient[client] = mine > 0 ? mine : nil
        }
    }

    final class Handler: ChannelInboundHandler, RemovableChannelHandler, @unchecked Sendable {
        typealias InboundIn = NIOAny
        let cap: ConnectionCap
        private var counted: String?

        init(cap: ConnectionCap) { self.cap = cap }

        func handlerAdded(context: ChannelHandlerContext) {
            let client = context.channel.remoteAddress?.ipAddress ?? "unknown"
            if cap.enter(client) { counted = client } else { context.close(promise: nil) }
        }

        func handlerRemoved(context: ChannelHandlerContext) {
            if let client = counted { cap.leave(client) }
            counted = nil
        }
    }
}
