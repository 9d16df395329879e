import Foundation
import DudaoTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// A misbehaving SMTP server or webhook endpoint (Tests/Servers/faulty_*.py) on a free
/// loopback port, switched between faults and health through its mode file, stopped by PID.
final class FaultyPeer {
    enum Kind: String { case smtp, http }

    let dir: URL
    let port: Int
    private let process: Process

    init(_ kind: Kind, mode: String, delay: Double = 3) throws {
        dir = TestSupport.scratch("dudao-faulty-\(kind.rawValue)")
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", TestSupport.root.appendingPathComponent("Tests/Servers/faulty_\(kind.rawValue).py").path,
                             "--dir", dir.path, "--mode", mode]
            + (kind == .smtp ? ["--delay", "\(delay)", "--cert", ProcessInfo.processInfo.environment["DUDAO_TEST_DIR"]! + "/cert.pem",
                                "--key", ProcessInfo.processInfo.environment["DUDAO_TEST_DIR"]! + "/key.pem"] : [])
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let ready = dir.appendingPathComponent("ready")
        guard ServiceFixture.wait(10, { FileManager.default.fileExists(atPath: ready.path) }),
              let json = try JSONSerialization.jsonObject(with: Data(contentsOf: ready)) as? [String: Any],
              let port = json["port"] as? Int else {
            process.terminate()
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: ready.path])
        }
        self.port = port
    }

    deinit {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// Switches behaviour for the next connection or request.
    func set(mode: String) { try! Data(mode.utf8).write(to: dir.appendingPathComponent("mode")) }

    /// Connections (SMTP) or requests (HTTP) seen so far.
    var contacts: Int {
        let name = FileManager.default.fileExists(atPath: dir.appendingPathComponent("connections").path) ? "connections" : "requests"
        return Int((try? String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8)) ?? "") ?? 0
    }

    /// The bodies it accepted (emails' DATA or webhook JSON).
    var accepted: [String] {
        let folder = dir.appendingPathComponent(FileManager.default.fileExists(atPath: dir.appendingPathComponent("mail").path) ? "mail" : "hooks")
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { !$0.hasSuffix(".tmp") }
        return names.compactMap { try? String(contentsOf: folder.appendingPathComponent($0), encoding: .utf8) }
    }
}

/// A datagram socket standing in for systemd's `$NOTIFY_SOCKET`: collects every
/// notification with the time it arrived, on a thread of its own.
final class NotifyListener: @unchecked Sendable {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("notify-\(UUID().uuidString.prefix(8))").path
    private let fd: Int32
    private let lock = NSLock()
    private var received: [(at: Date, text: String)] = []
    private var open = true

    init() {
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in for (i, b) in path.utf8.enumerated() { raw[i] = b } }
        _ = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) } }
        var tv = timeval(tv_sec: 0, tv_usec: 100_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        let thread = Thread { [self] in
            var buf = [UInt8](repeating: 0, count: 4096)
            while lock.withLock({ open }) {
                let n = recv(fd, &buf, buf.count, 0)
                if n > 0 {
                    let text = String(decoding: buf[0..<n], as: UTF8.self)
                    lock.withLock { received.append((Date(), text)) }
                }
            }
        }
        thread.start()
    }

    deinit {
        lock.withLock { open = false }
        Thread.sleep(forTimeInterval: 0.2)
        close(fd)
        unlink(path)
    }

    /// Notifications so far.
    var messages: [(at: Date, text: String)] { lock.withLock { received } }

    /// When the first notification containing `text` arrived.
    func first(_ text: String) -> Date? { messages.first { $0.text.contains(text) }?.at }

    /// The longest silence between watchdog pings from `start` to `end` (the edges count).
    func longestWatchdogGap(from start: Date, to end: Date) -> Double {
        let pings = [start] + messages.filter { $0.text.contains("WATCHDOG=1") && $0.at > start && $0.at < end }.map(\.at) + [end]
        return zip(pings, pings.dropFirst()).map { $1.timeIntervalSince($0) }.max() ?? 0
    }
}
