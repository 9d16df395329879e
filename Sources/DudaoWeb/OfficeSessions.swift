import Foundation
import Crypto

/// Logged-in sessions of the office, in memory: a restart logs everybody out. The cookie
/// holds a random token; the server keeps the user, the form token (CSRF) and the expiry.
final class OfficeSessions: @unchecked Sendable {
    struct Session: Sendable {
        let user: String
        /// Every office form carries it; a POST without it is refused.
        let csrf: String
        var expires: Date
    }

    /// Idle time after which a session ends.
    static let idle: TimeInterval = 8 * 3600
    /// Sessions kept at most; the oldest go first (bounds memory under a flood of logins).
    static let capacity = 10_000

    private let lock = NSLock()
    private var sessions: [String: Session] = [:]

    /// A new session for `user`; returns its cookie token.
    func open(user: String, now: Date) -> String {
        let token = Self.random()
        lock.withLock {
            if sessions.count >= Self.capacity {
                sessions = sessions.filter { $0.value.expires > now }
                if sessions.count >= Self.capacity, let oldest = sessions.min(by: { $0.value.expires < $1.value.expires }) {
                    sessions[oldest.key] = nil
                }
            }
            sessions[token] = Session(user: user, csrf: Self.random(), expires: now.addingTimeInterval(Self.idle))
        }
        return token
    }

    /// The live session behind `token`, extended by use.
    func session(_ token: String?, now: Date) -> Session? {
        guard let token, token.count <= 64 else { return nil }
        return lock.withLock {
            guard var s = sessions[token] else { return nil }
            guard s.expires > now else {
                sessions[token] = nil
                return nil
            }
            s.expires = now.addingTimeInterval(Self.idle)
            sessions[token] = s
            return s
        }
    }

    /// Ends the session behind `token`.
    func close(_ token: String?) {
        guard let token else { return }
        lock.withLock { sessions[token] = nil }
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
