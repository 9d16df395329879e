import Foundation
import Crypto

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
        guard let data = FileManager.default.contents(atPath: file) else {
            throw ReplyKeyError("无法读取签名密钥 cannot read the link key file \(file)")
        }
        let trimmed = Data(String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines).utf8)
        guard trimmed.count >= 32 else {
            throw ReplyKeyError("签名密钥过短 the link key in \(file) is shorter than 32 bytes")
        }
        return trimmed
    }
}

/// A key that cannot be used; names the file, never its content.
public struct ReplyKeyError: Error, Sendable, CustomStringConvertible {
    public let description: String
    init(_ text: String) { description = text }
}
