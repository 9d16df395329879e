import Foundation
import NIOCore
import NIOHTTPTypes

/// Drops slow clients, which the idle timeout alone does not (a client sending one byte
/// every few seconds is never idle): a request's head must arrive whole within
/// `headSeconds` of the connection opening (or of the previous request's end, plus the idle
/// time allowed between requests), and its body within `bodySeconds` of its head.
/// Otherwise the connection is closed.
final class RequestDeadline: ChannelInboundHandler, RemovableChannelHandler, @unchecked Sendable {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart

    let headSeconds: Double
    let bodySeconds: Double
    let idleSeconds: Double
    private var timer: Scheduled<Void>?

    init(headSeconds: Double, bodySeconds: Double, idleSeconds: Double) {
        self.headSeconds = headSeconds
        self.bodySeconds = bodySeconds
        self.idleSeconds = idleSeconds
    }

    func handlerAdded(context: ChannelHandlerContext) { arm(context, after: headSeconds) }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head: arm(context, after: bodySeconds)
        case .body: break
        case .end: arm(context, after: idleSeconds + headSeconds)
        }
        context.fireChannelRead(data)
    }

    private func arm(_ context: ChannelHandlerContext, after seconds: Double) {
        timer?.cancel()
        let channel = context.channel
        timer = context.eventLoop.scheduleTask(in: .nanoseconds(Int64(seconds * 1e9))) { channel.close(promise: nil) }
    }
}
