import Foundation
import Crypto
import DudaoStore

/// Logged-in sessions of the office, in the state store (`web_session`), so a restart or
/// a failover to the other machine keeps the office signed in. The cookie holds a random
/// token; the store keeps its SHA-256 with the user, the form token (CSRF) and the expiry.
/// A store that cannot be read signs nobody in.
struct OfficeSessions: Sendable {
    struct Session: Sendable {
        let user: String
        /// Every office form carries it; a POST without it is refused.
        let csrf: String
        var expires: Date
    }

    let store: StateStore

    /// Idle time after which a session ends (等保 level 3: 30 minutes).
    static let idle: TimeInterval = 30 * 60
    /// However busy, a session ends this long after its login.
    static let lifetime: TimeInterval = 12 * 3600
    /// Sessions kept at most; the oldest go first (bounds the table under a flood of logins).
    static let capacity = 10_000

    /// A new session for `user`; returns its cookie token.
    func open(user: String, now: Date) -> String {
        let token = Self.random()
        try? store.openSession(tokenHash: Self.hash(token),
                               WebSessionRecord(account: user, csrf: Self.random(), expires: now.addingTimeInterval(Self.idle), created: now),
                               now: now, capacity: Self.capacity)
        return token
    }

    /// The live session behind `token`, extended by use.
    func session(_ token: String?, now: Date) -> Session? {
        guard let token, token.count <= 64,
              let s = try? store.session(tokenHash: Self.hash(token), now: now, idle: Self.idle, lifetime: Self.lifetime) else { return nil }
        return Session(user: s.account, csrf: s.csrf, expires: s.expires)
    }

    /// The account whose session behind `token` ended by time, once (for the audit trail).
    func expired(_ token: String?, now: Date) -> String? {
        guard let token, token.count <= 64 else { return nil }
        return (try? store.endExpiredSession(tokenHash: Self.hash(token), now: now, lifetime: Self.lifetime)) ?? nil
    }

    /// Ends the session behind `token`.
    func close(_ token: String?) {
        guard let token, token.count <= 64 else { return }
        try? store.closeSession(tokenHash: Self.hash(token))
    }

    /// What the store keeps of a token.
    static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// 32 random bytes, base64url.
    static func random() -> String {
        let key = SymmetricKey(size: .bits256)
        return key.withUnsafeBytes { Data($0) }.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// Compares two tokens in constant time.
    static func same(_ a: String?, _ b: String) -> Bool {
        guard let a else { return false }
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var diff: UInt8 = 0
        for i in x.indices { diff |= x[i] ^ y[i] }
        return diff == 0
    }
}
