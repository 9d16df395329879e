import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// sd_notify without libsystemd: datagrams to `$NOTIFY_SOCKET` (a path, or `@name` in the
/// abstract namespace). Does nothing when not run by systemd.
///
/// The socket is opened once, at start: a process out of file descriptors (a flood of
/// connections on the console) still pings the watchdog, where a socket per ping would fail
/// and let systemd kill a service that is working.
public struct SystemdNotifier: Sendable {
    /// The datagram socket and systemd's address; nil when not run by systemd.
    private let target: Target?
    /// Half of `$WATCHDOG_USEC`, when systemd asked for watchdog pings.
    public let watchdogInterval: Double?

    private struct Target: Sendable {
        let fd: Int32
        let address: sockaddr_un
        let length: socklen_t
    }

    /// A notifier for this process's environment, its socket opened now (kept open for the
    /// life of the process).
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        target = environment["NOTIFY_SOCKET"].flatMap { $0.isEmpty ? nil : Self.open($0) }
        if let usec = environment["WATCHDOG_USEC"].flatMap(Double.init), usec > 0,
           environment["WATCHDOG_PID"].map({ Int32($0) == getpid() }) ?? true {
            watchdogInterval = usec / 1e6 / 2
        } else {
            watchdogInterval = nil
        }
    }

    private static func open(_ path: String) -> Target? {
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        var bytes = Array(path.utf8)
        if bytes.first == UInt8(ascii: "@") { bytes[0] = 0 }
        guard bytes.count < MemoryLayout.size(ofValue: addr.sun_path) else { return nil }
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in
            for (i, b) in bytes.enumerated() { raw[i] = b }
        }
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return nil }
        return Target(fd: fd, address: addr, length: socklen_t(MemoryLayout<sa_family_t>.size + bytes.count))
    }

    /// Sends `READY=1`, `STATUS=…`, `WATCHDOG=1`, `STOPPING=1` (lines joined by newlines).
    @discardableResult
    public func notify(_ state: String) -> Bool {
        guard let target else { return false }
        var addr = target.address
        let sent = state.withCString { text in
            withUnsafePointer(to: &addr) { ptr in
                ptr.withMemoryRebound(to: sockaddr.self, capacity: 1) { sendto(target.fd, text, strlen(text), Int32(MSG_NOSIGNAL), $0, target.length) }
            }
        }
        return sent >= 0
    }
}
