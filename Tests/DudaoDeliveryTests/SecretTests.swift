import Foundation
import Testing
import DudaoSecrets

/// Secrets come from the environment, a file or a systemd credential, and never print.
struct SecretTests {
    func scratch() -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dudao-secret-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func fromEnvironmentFileAndCredential() throws {
        let dir = scratch()
        try Data("from-file\n".utf8).write(to: dir.appendingPathComponent("pw"))
        try Data("from-credential".utf8).write(to: dir.appendingPathComponent("smtp-password"))
        let env = ["DUDAO_SMTP_PASSWORD": "from-env", "CREDENTIALS_DIRECTORY": dir.path]
        #expect(try Secret.load(.environment("DUDAO_SMTP_PASSWORD"), environment: env).value == "from-env")
        #expect(try Secret.load(.file(dir.appendingPathComponent("pw").path), environment: env).value == "from-file")
        #expect(try Secret.load(.credential("smtp-password"), environment: env).value == "from-credential")
    }

    @Test func missingSecretsNameTheSourceOnly() {
        #expect(throws: SecretError.missing("environment variable NOPE")) {
            try Secret.load(.environment("NOPE"), environment: [:])
        }
        #expect {
            try Secret.load(.credential("smtp-password"), environment: [:])
        } throws: { "\($0)".contains("LoadCredential") }
    }

    @Test func aSecretPrintsAsStars() {
        let s = Secret("hunter2")
        #expect("\(s)" == "***")
        #expect(String(reflecting: s) == "Secret(***)")
        #expect(!"\([s])".contains("hunter2"))
    }
}
