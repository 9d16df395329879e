import Foundation
import DudaoCore
import DudaoMessages

/// What an outbox entry holds for its channel, rendered once at enqueue time so a retry
/// after a restart sends exactly what was planned. Stored as JSON in the entry's `payload`
/// column; which shape it has follows from the entry's channel.
public enum StoredPayload: Hashable, Sendable {
    /// An email as it goes on the wire, and its envelope recipients.
    case email(Email)
    /// A rendered message for a chat robot or webhook.
    case chat(Chat)
    /// Files for the outbox folder.
    case file(File)

    /// The email channel's payload.
    public struct Email: Codable, Hashable, Sendable {
        /// RFC 5322 bytes.
        public var eml: String
        /// Envelope recipients.
        public var rcpt: [String]
    }

    /// A chat channel's payload: the rendered parts and the generic JSON body.
    public struct Chat: Codable, Hashable, Sendable {
        public var subject: String
        public var text: String
        public var html: String
        public var markdown: String
        public var template: String
        /// The Standard Webhooks body.
        public var generic: String

        /// The parts as a rendered message.
        public var rendered: RenderedMessage {
            RenderedMessage(subject: subject, text: text, html: html, markdown: markdown, template: template)
        }
    }

    /// The outbox folder's payload: the day folder, the email when one could be built, the JSON.
    public struct File: Codable, Hashable, Sendable {
        public var day: String
        public var eml: String?
        public var json: String
    }

    /// The JSON text stored.
    public var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data: Data?
        switch self {
        case .email(let e): data = try? encoder.encode(e)
        case .chat(let c): data = try? encoder.encode(c)
        case .file(let f): data = try? encoder.encode(f)
        }
        // Encoding plain strings cannot fail.
        return String(decoding: data ?? Data("{}".utf8), as: UTF8.self)
    }

    /// Reads the payload stored for `channel`; throws what is wrong so a corrupt entry
    /// becomes a dead letter with the reason instead of an empty message.
    public static func decode(_ json: String, channel: ChannelID) throws -> StoredPayload {
        let data = Data(json.utf8)
        let decoder = JSONDecoder()
        do {
            switch channel {
            case .email: return .email(try decoder.decode(Email.self, from: data))
            case .outbox: return .file(try decoder.decode(File.self, from: data))
            default: return .chat(try decoder.decode(Chat.self, from: data))
            }
        } catch {
            throw StoredPayloadError(channel: channel, reason: "\(error)")
        }
    }
}

/// A stored payload that cannot be read back.
public struct StoredPayloadError: Error, CustomStringConvertible {
    /// The entry's channel.
    public var channel: ChannelID
    /// The decoder's explanation.
    public var reason: String
    public var description: String { "存储的消息已损坏 stored payload for \(channel) is unreadable: \(reason)" }
}
