import Foundation
import DudaoTestSupport
import Testing

/// deploy/dudao.service, checked by systemd's own tools.
struct SystemdUnitTests {
    let unit = ServiceFixture.root.appendingPathComponent("deploy/dudao.service")

    func run(_ args: [String]) throws -> (status: Int32, out: String) {
        let r = try TestSupport.run("/usr/bin/env", ["systemd-analyze"] + args, mergeOutput: true)
        return (r.status, r.out)
    }

    @Test func verifyIsClean() throws {
        // As `make install` writes it: ExecStart pointing at the installed (here: built) binary.
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dudao-unit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let text = try String(contentsOf: unit, encoding: .utf8).replacingOccurrences(of: "/usr/local/bin/dudao", with: ServiceFixture.dudao)
        let installed = dir.appendingPathComponent("dudao.service")
        try Data(text.utf8).write(to: installed)
        let r = try run(["verify", installed.path])
        #expect(r.status == 0)
        #expect(r.out.isEmpty, "systemd-analyze verify: \(r.out)")
    }

    @Test func exposureIsAtMostTwo() throws {
        let r = try run(["security", "--offline=yes", unit.path])
        let line = try #require(r.out.split(separator: "\n").first { $0.contains("Overall exposure level") }, "\(r.out)")
        let score = try #require(line.split(separator: " ").compactMap { Double($0) }.first)
        print("systemd-analyze security: exposure \(score)")
        #expect(score <= 2.0, "\(line)")
    }

    @Test func theUnitIsWhatTheServiceExpects() throws {
        let text = try String(contentsOf: unit, encoding: .utf8)
        for line in ["Type=notify", "ExecReload=/bin/kill -HUP $MAINPID", "StateDirectory=dudao", "DynamicUser=yes",
                     "LoadCredential=smtp-password:", "WatchdogSec=", "Restart=on-failure", "--listen 127.0.0.1:8080"] {
            #expect(text.contains(line), "missing \(line)")
        }
        let channels = try String(contentsOf: ServiceFixture.root.appendingPathComponent("deploy/channels.yaml"), encoding: .utf8)
        #expect(channels.contains("password: {credential: smtp-password}"))
    }
}
