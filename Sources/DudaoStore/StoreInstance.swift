import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Names a process as the owner of outbox claims: `HOST:PID:TAG`. The tag tells a process
/// from a later one that got the same PID.
public enum StoreInstance {
    /// This machine's name.
    public static let host: String = {
        var name = [CChar](repeating: 0, count: 256)
        guard gethostname(&name, name.count) == 0 else { return "localhost" }
        return String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }()

    /// This process.
    public static let current = "\(host):\(getpid()):\(UUID().uuidString.prefix(8).lowercased())"

    /// False when `owner` names a process of this machine that has ended; true otherwise
    /// (running, or not provably gone).
    static func isRunning(_ owner: String) -> Bool {
        let parts = owner.split(separator: ":")
        guard parts.count == 3, String(parts[0]) == host, let pid = pid_t(parts[1]) else { return true }
        if owner == current { return true }
        if pid == getpid() { return false }
        return kill(pid, 0) == 0 || errno != ESRCH
    }
}
