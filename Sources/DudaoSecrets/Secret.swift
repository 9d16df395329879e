import Foundation

/// A password, a webhook secret, the reply links' key or the store's password, read from
/// the environment, a file, or a systemd credential (`$CREDENTIALS_DIRECTORY/NAME`, from
/// `LoadCredential=`) — never from the schedule files. It prints as `***` everywhere, so it
/// cannot leak into logs or errors. The one home of reading secrets: channels, the console
/// and the PostgreSQL store all come here.
public struct Secret: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// Where a secret comes from.
    public enum Source: Hashable, Sendable, CustomStringConvertible {
        /// An environment variable.
        case environment(String)
        /// A file; trailing newlines are dropped.
        case file(String)
        /// A systemd credential name.
        case credential(String)

        public var description: String {
            switch self {
            case .environment(let n): "environment variable \(n)"
            case .file(let p): "file \(p)"
            case .credential(let n): "systemd credential \(n)"
            }
        }
    }

    /// The secret itself. Only what uses it reads it (a transport, the link signer, the store's connection).
    public let value: String
    /// Where it came from (safe to print).
    public let source: Source?

    /// A secret with a known value (tests, `send-test`).
    public init(_ value: String, source: Source? = nil) {
        self.value = value
        self.source = source
    }

    /// Reads a secret. Errors name the source, never the value.
    public static func load(_ source: Source, environment: [String: String] = ProcessInfo.processInfo.environment) throws(SecretError) -> Secret {
        switch source {
        case .environment(let name):
            guard let v = environment[name], !v.isEmpty else { throw .missing(source.description) }
            return Secret(v, source: source)
        case .file(let path):
            return Secret(try read(path, source), source: source)
        case .credential(let name):
            guard let dir = environment["CREDENTIALS_DIRECTORY"] else {
                throw .missing("\(source) (CREDENTIALS_DIRECTORY is not set: is LoadCredential= configured?)")
            }
            return Secret(try read((dir as NSString).appendingPathComponent(name), source), source: source)
        }
    }

    private static func read(_ path: String, _ source: Source) throws(SecretError) -> String {
        guard let data = FileManager.default.contents(atPath: path), var text = String(data: data, encoding: .utf8) else {
            throw .missing(source.description)
        }
        while text.hasSuffix("\n") || text.hasSuffix("\r") { text.removeLast() }
        guard !text.isEmpty else { throw .missing(source.description) }
        return text
    }

    public var description: String { "***" }
    public var debugDescription: String { "Secret(***)" }
}

/// A secret that could not be read: names its source, never a value.
public enum SecretError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The source is unset, empty or unreadable.
    case missing(String)

    public var description: String {
        switch self {
        case .missing(let where_): "缺少密钥 secret not available from \(where_)"
        }
    }
}
