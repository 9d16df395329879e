import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Plumbing shared by the test targets: paths, child processes, Python, free ports.
public enum TestSupport {
    /// The repository root.
    public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The `dudao` executable built beside the test bundle.
    public static var dudao: String {
        let dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [dir, dir.deletingLastPathComponent()] where FileManager.default.isExecutableFile(atPath: candidate.appendingPathComponent("dudao").path) {
            return candidate.appendingPathComponent("dudao").path
        }
        return root.appendingPathComponent(".build/debug/dudao").path
    }

    /// A fresh empty folder under the system temp directory.
    public static func scratch(_ prefix: String = "dudao-test") -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// What a child process did.
    public struct Result: Sendable {
        /// Exit status.
        public var status: Int32
        /// Standard output, raw.
        public var data: Data
        /// Standard error.
        public var err: String
        /// Standard output as text.
        public var out: String { String(decoding: data, as: UTF8.self) }
    }

    /// Runs `executable` with `arguments`; `environment` is added to the test's own. Every
    /// run gets its own `STATE_DIRECTORY` unless one is given: never the repository's var/.
    public static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:],
                           cwd: URL? = nil, mergeOutput: Bool = false) throws -> Result {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = arguments
        p.environment = ProcessInfo.processInfo.environment
            .merging(["STATE_DIRECTORY": scratch("dudao-state").path]) { $1 }
            .merging(environment) { $1 }
        if let cwd { p.currentDirectoryURL = cwd }
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = mergeOutput ? out : err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = mergeOutput ? Data() : err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Result(status: p.terminationStatus, data: o, err: String(decoding: e, as: UTF8.self))
    }

    /// Runs a Python script of the repository (or `-c CODE`) and parses its JSON output.
    public static func python(_ args: [String]) throws -> [String: Any] {
        let resolved = args.enumerated().map { $0.offset == 0 && !$0.element.hasPrefix("-") ? root.appendingPathComponent($0.element).path : $0.element }
        let r = try run("/usr/bin/env", ["python3"] + resolved)
        guard r.status == 0, let json = try JSONSerialization.jsonObject(with: r.data) as? [String: Any] else {
            throw NSError(domain: "python", code: Int(r.status), userInfo: [NSLocalizedDescriptionKey: r.err])
        }
        return json
    }

    /// A loopback port nothing listens on (bound, read, released).
    public static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        return Int(UInt16(bigEndian: addr.sin_port))
    }
}
