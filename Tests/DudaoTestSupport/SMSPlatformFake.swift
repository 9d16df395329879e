import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A fake SMS platform (Tests/Servers/sms_platform.py) on a free loopback port: it checks
/// signatures and limits as the platform documents them, logs what it accepted, and writes
/// the reports it would push. Stopped by PID when released.
public final class SMSPlatformFake: @unchecked Sendable {
    public let dir: URL
    public let port: Int
    public let flavour: String
    private let process: Process

    /// The credentials the fake expects.
    public static let keyID = "dudao-key", secret = "sms-secret-123", sign = "郑州市督查室", ecName = "郑州市人民政府", appID = "1400000001"

    public init(_ flavour: String, slow: Double = 3) throws {
        self.flavour = flavour
        dir = TestSupport.scratch("dudao-sms-\(flavour)")
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", TestSupport.root.appendingPathComponent("Tests/Servers/sms_platform.py").path, "--flavour", flavour,
                             "--dir", dir.path, "--key-id", Self.keyID, "--secret", Self.secret, "--sign", Self.sign,
                             "--ec-name", Self.ecName, "--app-id", Self.appID, "--slow", "\(slow)"]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let ready = dir.appendingPathComponent("ready")
        let deadline = Date().addingTimeInterval(10)
        while !FileManager.default.fileExists(atPath: ready.path), Date() < deadline { usleep(20_000) }
        guard let data = try? Data(contentsOf: ready), let json = try JSONSerialization.jsonObject(with: data) as? [String: Any],
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

    /// The URL to configure (`sms.url`).
    public var url: String {
        flavour == "cmcc-mas" ? "http://127.0.0.1:\(port)/sms/norsubmit" : "http://127.0.0.1:\(port)/"
    }

    /// The channels.yaml `sms:` section for this fake, platform keys included.
    public func section(extra: String = "") -> String {
        var lines = ["sms:", "  type: \(flavour)", "  url: \(url)", "  secret_key: {env: DUDAO_TEST_SMS_SECRET}"]
        switch flavour {
        case "cmcc-mas": lines += ["  ec_name: \(Self.ecName)", "  ap_id: \(Self.keyID)", "  sign: \(Self.sign)"]
        case "aliyun-sms": lines += ["  access_key_id: \(Self.keyID)", "  sign: \(Self.sign)"]
        default: lines += ["  secret_id: \(Self.keyID)", "  sdk_app_id: \"\(Self.appID)\"", "  sign: \(Self.sign)"]
        }
        return (lines + (extra.isEmpty ? [] : [extra])).joined(separator: "\n") + "\n"
    }

    private func lines(_ name: String) -> [[String: Any]] {
        let text = (try? String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }

    /// What it accepted, in order.
    public var sent: [[String: Any]] { lines("sent.jsonl") }
    /// The reports and replies it would push (`kind`, `body`), in order.
    public var events: [[String: Any]] { lines("events.jsonl") }
}
