import Foundation
import Testing
import DudaoStore
import DudaoStorePostgres
import DudaoTestSupport
@testable import DudaoWeb

/// Two machines on one PostgreSQL: a file an agency attached through one console is served
/// by the other's, though their state folders differ.
struct SharedAttachmentTests {
    @Test func aFileAttachedOnOneMachineIsServedOnTheOther() throws {
        let server = try #require(PostgresServer.shared, "PostgreSQL 15 for the tests: \(PostgresServer.unavailableReason)")
        let url = try PostgresURL(server.database(), environment: [:])
        let folderA = TestSupport.scratch("dudao-vm-a"), folderB = TestSupport.scratch("dudao-vm-b")
        let a = AttachmentStore(stateDirectory: folderA.path, store: try StateStore(backend: PostgresBackend(url: url)))
        let b = AttachmentStore(stateDirectory: folderB.path, store: try StateStore(backend: PostgresBackend(url: url)))
        let pdf = Data("%PDF-1.4\n".utf8) + Data((0..<4096).map { UInt8($0 % 251) }) + Data("\n%%EOF\n".utf8)
        let saved = try a.save(filename: "整改方案.pdf", data: pdf)
        #expect(saved.type == "pdf" && saved.size == pdf.count)
        #expect(b.contents(saved.sha256) == pdf)
        #expect(!FileManager.default.fileExists(atPath: folderA.appendingPathComponent("attachments").path), "nothing in a local folder")
        // On one machine's SQLite, files stay in the state folder as before.
        let local = AttachmentStore(stateDirectory: folderA.path, store: try StateStore())
        let kept = try local.save(filename: "整改方案.pdf", data: pdf)
        #expect(FileManager.default.contents(atPath: local.path(kept.sha256)) == pdf && local.contents(kept.sha256) == pdf)
    }
}
