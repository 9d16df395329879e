import Foundation
import DudaoTestSupport
import Testing
@testable import DudaoMessages

/// The servers `Tests/Servers/with-servers.sh` started for this run (via `make test`).
struct TestServers {
    let env = ProcessInfo.processInfo.environment
    static let root = TestSupport.root

    /// Fails the test (not skips it) when the servers are missing: run `make test`.
    static func require() throws -> TestServers {
        let s = TestServers()
        guard s.env["DUDAO_TEST_SMTP_STARTTLS_PORT"] != nil else {
            Issue.record("test servers not running: run the tests with `make test` (Tests/Servers/with-servers.sh)")
            throw CancellationError()
        }
        return s
    }

    var ca: String { env["DUDAO_TEST_CA"]! }
    var user: String { env["DUDAO_TEST_SMTP_USER"]! }
    var password: String { env["DUDAO_TEST_SMTP_PASSWORD"]! }
    var starttlsURL: String { "smtp://127.0.0.1:\(env["DUDAO_TEST_SMTP_STARTTLS_PORT"]!)" }
    var smtpsURL: String { "smtps://127.0.0.1:\(env["DUDAO_TEST_SMTPS_PORT"]!)" }
    var mailDir: String { env["DUDAO_TEST_SMTP_MAIL_DIR"]! }
    var hookBase: String { "http://127.0.0.1:\(env["DUDAO_TEST_HOOK_PORT"]!)" }
    var hookDir: String { env["DUDAO_TEST_HOOK_DIR"]! }

    /// A fresh unique recipient address (its mailbox file name on the server).
    static func recipient(_ prefix: String = "t") -> String {
        "\(prefix)-\(UUID().uuidString.prefix(8).lowercased())@zhengzhou.example"
    }

    /// The message the server stored for `recipient`, parsed by Tests/Python/email_check.py.
    func received(_ recipient: String) throws -> [String: Any] {
        let path = (mailDir as NSString).appendingPathComponent(recipient + ".eml")
        return try Self.python(["Tests/Python/email_check.py", path])
    }

    /// The envelope the server recorded for `recipient`.
    func envelope(_ recipient: String) throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: (mailDir as NSString).appendingPathComponent(recipient + ".json")))
        return try JSONSerialization.jsonObject(with: data) as! [String: Any]
    }

    /// Webhook requests the server recorded whose body contains `marker`.
    func hooks(containing marker: String) throws -> [[String: Any]] {
        let names = try FileManager.default.contentsOfDirectory(atPath: hookDir).filter { $0.hasSuffix(".json") }.sorted()
        return try names.compactMap { name in
            let data = try Data(contentsOf: URL(fileURLWithPath: (hookDir as NSString).appendingPathComponent(name)))
            guard String(decoding: data, as: UTF8.self).contains(marker) else { return nil }
            return try JSONSerialization.jsonObject(with: data) as? [String: Any]
        }
    }

    static func python(_ args: [String]) throws -> [String: Any] { try TestSupport.python(args) }
}
