import Foundation

/// The one-time link that makes the first admin while no account exists (as Jenkins prints
/// its initial password): `dudao run` prints it; it lasts an hour and works once. Only its
/// SHA-256 is kept, in memory: a restart prints a new one.
public final class SetupLink: @unchecked Sendable {
    private let lock = NSLock()
    private var tokenHash: String?
    private let expires: Date
    /// What to put after `/setup/`.
    public let token: String
    /// How long a link lasts.
    public static let lifetime: TimeInterval = 3600

    /// Where the link was written for the operator; removed once it is used.
    let file: String?

    public init(now: Date, file: String? = nil) {
        self.file = file
        token = OfficeSessions.random()
        tokenHash = OfficeSessions.hash(token)
        expires = now.addingTimeInterval(Self.lifetime)
    }

    /// Whether `token` is this link, unused and unexpired.
    func valid(_ token: String, now: Date) -> Bool {
        lock.withLock { token.count <= 64 && now < expires && tokenHash.map { OfficeSessions.same(OfficeSessions.hash(token), $0) } == true }
    }

    /// Uses the link up; false when it was already used (two posts at once: one wins).
    func consume(_ token: String, now: Date) -> Bool {
        lock.withLock {
            guard token.count <= 64, now < expires, let h = tokenHash, OfficeSessions.same(OfficeSessions.hash(token), h) else { return false }
            tokenHash = nil
            if let file { try? FileManager.default.removeItem(atPath: file) }
            return true
        }
    }
}
