import Foundation
import DudaoCore

/// One way of delivering a message — the SMTP server, a chat robot, an SMS platform, the outbox folder —
/// behind one protocol, as Alertmanager's notifiers are. Each integration, in its own file
/// here, owns its settings (read from channels.yaml with file:line findings), the payload
/// it stores in the outbox (Codable, rendered once at enqueue time so a retry after a
/// restart sends exactly what was planned), how it sends it, and how it reads the outcome.
public protocol Channel: Sendable {
    /// What the outbox stores for one message on this channel.
    associatedtype Payload: Codable & Sendable

    /// Its name: `email`, `outbox`, or a chat channel's name.
    var id: ChannelID { get }
    /// Messages it may have in flight at once.
    var connections: Int { get }
    /// The longest one send can take before its timeouts end it, in seconds.
    var longestSend: TimeInterval { get }
    /// Sends one payload over a worker's kept-alive connection; `key` is the message key
    /// (stable across retries: robots get it as an idempotency id).
    func send(_ payload: Payload, key: String, over connection: Connection, stop: StopSignal?) -> DeliveryOutcome
}

extension Channel {
    /// The JSON stored in the outbox for `payload`.
    public static func stored(_ payload: Payload) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding plain strings and arrays of them cannot fail.
        return String(decoding: (try? encoder.encode(payload)) ?? Data("{}".utf8), as: UTF8.self)
    }

    /// Reads a stored payload back and sends it. One that cannot be read is a permanent
    /// failure — a dead letter with the reason — never an empty message.
    public func send(stored json: String, key: String, over connection: Connection, stop: StopSignal?) -> DeliveryOutcome {
        let payload: Payload
        do { payload = try JSONDecoder().decode(Payload.self, from: Data(json.utf8)) } catch {
            return .permanent(reason: "存储的消息已损坏 stored payload for \(id) is unreadable: \(error)")
        }
        return send(payload, key: key, over: connection, stop: stop)
    }
}
