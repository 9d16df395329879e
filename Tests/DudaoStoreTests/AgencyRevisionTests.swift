import Foundation
import Testing
@testable import DudaoCore
@testable import DudaoStore
import DudaoSchedules

/// The office's entries of the directory: each save a revision (append-only), a form opened
/// before someone else's save refused, a new agency under a name in force refused, a removal
/// a revision of its own; what the office owns comes back as Schedules read it.
struct AgencyRevisionTests {
    static let t0 = Date(timeIntervalSince1970: 1_780_000_000)
    static func audit() -> AuditEntry { AuditEntry(at: t0, actor: "张三", client: "127.0.0.1", action: .agencySave) }

    @Test(arguments: Engine.allCases) func savesAreRevisionsAndTheStaleOneIsRefused(_ engine: Engine) throws {
        let store = try engine.store()
        let first = try store.saveAgency("市数据局", yaml: "name: 市数据局\n", base: 0, at: Self.t0, actor: "张三", audit: Self.audit())
        #expect(first.revision == 1)
        #expect(throws: AgencyEditError.nameTaken("市数据局")) {
            try store.saveAgency("市数据局", yaml: "name: 市数据局\n", base: 0, at: Self.t0, actor: "李四", audit: Self.audit())
        }
        _ = try store.saveAgency("市数据局", yaml: "name: 市数据局\naliases: [市大数据局]\n", base: 1, at: Self.t0, actor: "张三", audit: Self.audit())
        #expect(throws: AgencyEditError.stale(current: 2)) {
            try store.saveAgency("市数据局", yaml: "name: 市数据局\n", base: 1, at: Self.t0, actor: "李四", audit: Self.audit())
        }
        let owned = try store.officeOwned()
        #expect(owned.agencies == [StoredAgency(name: "市数据局", revision: 2, yaml: "name: 市数据局\naliases: [市大数据局]\n")])
        #expect(try store.ownedRevisionCount() == 2)
        #expect(throws: (any Error).self) { try store.backend.write { t in try t.execute("DELETE FROM agency_revision") } }

        let removed = try store.removeAgency("市数据局", base: 2, at: Self.t0, actor: "张三", audit: Self.audit())
        #expect(removed.removes && removed.revision == 3)
        #expect(try store.officeOwned().agencies.isEmpty)
        #expect(throws: AgencyEditError.gone("市数据局")) { try store.removeAgency("市数据局", base: 3, at: Self.t0, actor: "张三", audit: Self.audit()) }
        // Added again after its removal: the next revision, as a new agency.
        #expect(try store.saveAgency("市数据局", yaml: "name: 市数据局\n", base: 0, at: Self.t0, actor: "张三", audit: Self.audit()).revision == 4)
        #expect(try store.agencyRevisions("市数据局").map(\.revision) == [4, 3, 2, 1])
        #expect(try store.auditRows().filter { $0.action == .agencySave }.map(\.object) == ["市数据局@4", "市数据局@3", "市数据局@2", "市数据局@1"])
    }
}
