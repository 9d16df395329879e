import Foundation
import Crypto
import DudaoSecrets

/// The keys reply links are signed with: the current one, and the previous one still
/// accepted after a rotation, so links already sent keep working until they expire.
public struct ReplyKeys: Sendable {
    // Kept as bytes: swift-crypto's SymmetricKey is not Sendable.
    private let currentBytes: Data
    private let previousBytes: Data?

    /// Keys from their bytes.
    public init(current: Data, previous: Data? = nil) {
        currentBytes = current
        previousBytes = previous
    }

    /// Signs new links.
    public var current: SymmetricKey { SymmetricKey(data: currentBytes) }

    /// The keys in verification order: the current one, then the previous one.
    public var all: [SymmetricKey] { [currentBytes, previousBytes].compactMap { $0 }.map { SymmetricKey(data: $0) } }

    /// Reads a key file (at least 32 bytes of secret; surrounding white space ignored);
    /// creates it with 32 random bytes, readable by its owner only, when `create` and absent.
    public static func key(file: String, create: Bool) throws -> Data {
        if create, !FileManager.default.fileExists(atPath: file) {
            let bytes = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
            let text = Data(bytes.base64EncodedString().utf8 + [0x0A])
            guard FileManager.default.createFile(atPath: file, contents: text, attributes: [.posixPermissions: 0o600]) else {
                throw ReplyKeyError("无法创建签名密钥 cannot create the link key file \(file)")
            }
        }
        return try key(.file(file))
    }

    /// Reads a key from an environment variable, a file or a systemd credential: at least
    /// 32 bytes of secret, surrounding white space ignored.
    public static func key(_ source: Secret.Source, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Data {
        let secret: Secret
        do { secret = try Secret.load(source, environment: environment) } catch {
            throw ReplyKeyError("无法读取签名密钥 cannot read the link key from \(source)")
        }
        let trimmed = Data(secret.value.trimmingCharacters(in: .whitespacesAndNewlines).utf8)
        guard trimmed.count >= 32 else {
            throw ReplyKeyError("签名密钥过短 the link key from \(source) is shorter than 32 bytes")
        }
        return trimmed
    }
}

/// A key that cannot be used; names the file, never its content.
public struct ReplyKeyError: Error, Sendable, CustomStringConvertible {
    public let description: String
    init(_ text: String) { description = text }
}
