import Foundation
import DudaoCore
#if canImport(Glibc)
import Glibc
#endif

/// The outbox folder (`outbox_dir` in channels.yaml): messages no channel reaches are
/// written there as files an operator can open, instead of being sent.
public struct FileOutboxChannel: Channel {
    /// What the outbox stores: the day folder, the email when one could be built, the JSON.
    public struct Payload: Codable, Hashable, Sendable {
        public var day: String
        public var eml: String?
        public var json: String

        public init(day: String, eml: String?, json: String) {
            self.day = day
            self.eml = eml
            self.json = json
        }
    }

    public var id: ChannelID { .outbox }
    public var connections: Int { 1 }
    /// Writing two small files.
    public var longestSend: TimeInterval { 5 }
    /// The folder.
    public let folder: FileOutbox

    /// The channel writing into `directory`.
    public init(directory: String) { folder = FileOutbox(directory: directory) }

    public func send(_ payload: Payload, key: String, over connection: Connection, stop: StopSignal?) -> DeliveryOutcome {
        folder.write(day: payload.day, name: key, eml: payload.eml, json: payload.json)
    }
}

/// Writes messages as files (`.eml` and `.json`) instead of sending them: the channel of
/// a machine with no mail server, and a record an operator can open. The files hold the
/// agencies' reply links, which are credentials: folders are 0700, files 0600.
public struct FileOutbox: Sendable {
    /// The folder (created when needed).
    public let directory: String

    /// An outbox in `directory`.
    public init(directory: String) { self.directory = directory }

    /// Writes `name.eml` (when given) and `name.json` under `directory/day/`, atomically.
    public func write(day: String, name: String, eml: String?, json: String) -> DeliveryOutcome {
        let dir = URL(fileURLWithPath: directory).appendingPathComponent(day)
        let safe = String(name.map { $0.isLetter || $0.isNumber || "-_.@".contains($0) ? $0 : "_" })
        do {
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            for (ext, text) in [("eml", eml), ("json", json)] {
                guard let text else { continue }
                let target = dir.appendingPathComponent("\(safe).\(ext)")
                let temp = dir.appendingPathComponent(".\(safe).\(ext).tmp")
                guard FileManager.default.createFile(atPath: temp.path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
                    return .transient(retryAfter: nil, reason: "cannot write outbox \(temp.path): \(String(cString: strerror(errno)))")
                }
                guard rename(temp.path, target.path) == 0 else {
                    return .transient(retryAfter: nil, reason: "cannot write outbox \(target.path): \(String(cString: strerror(errno)))")
                }
            }
            return .delivered(detail: dir.appendingPathComponent(safe).path)
        } catch {
            return .transient(retryAfter: nil, reason: "cannot write outbox: \(error.localizedDescription)")
        }
    }
}
