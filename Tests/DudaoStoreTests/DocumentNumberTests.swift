import Foundation
import Synchronization
import Testing
import DudaoCore
import DudaoStore

/// 文号 from the store's yearly sequences: two instances sharing one PostgreSQL database
/// (and SQLite, one writer) number documents at once — consecutive, none repeated or
/// skipped, the same document asked for twice keeps its number — and a restart continues
/// the sequence. Every number given is in the audit chain, which still verifies.
struct DocumentNumberTests {
    @Test(arguments: Engine.allCases)
    func twoInstancesNumberAtOnceWithoutGapOrRepeat(_ engine: Engine) throws {
        let location = try engine.freshLocation()
        let stores = [try engine.open(location, instance: "a"), try engine.open(location, instance: "b")]
        let workers = 8, each = 12
        let results = Mutex<[(key: String, n: Int)]>([])
        let failures = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            let store = stores[w % 2]
            for i in 0..<each {
                // Every third document is one both instances ask for (a report downloaded on
                // one machine while the other emails it): it must get one number.
                let key = i % 3 == 0 ? "shared-\(i)" : "doc-\(w)-\(i)"
                do {
                    let number = try store.documentNumber(kind: "report", year: 2026, key: key,
                                                          audit: AuditEntry(at: Date(), actor: "测试\(w)", client: "local", action: .documentNumber))
                    results.withLock { $0.append((key, number.n)) }
                } catch {
                    failures.withLock { $0.append("\(error)") }
                }
            }
        }
        #expect(failures.withLock { $0 }.isEmpty, "\(failures.withLock { $0 })")
        let given = results.withLock { $0 }
        var byKey: [String: Set<Int>] = [:]
        for r in given { byKey[r.key, default: []].insert(r.n) }
        #expect(byKey.values.allSatisfy { $0.count == 1 }, "a document asked for twice has one number: \(byKey.filter { $0.value.count > 1 })")
        let distinct = byKey.values.compactMap(\.first).sorted()
        #expect(distinct == Array(1...byKey.count), "consecutive from 1: \(distinct)")
        #expect(Set(distinct).count == distinct.count)

        // Another sequence (督办通知单) and another year start at 1 of their own.
        let first = stores[0]
        let audit = AuditEntry(at: Date(), actor: "测试", client: "local", action: .documentNumber)
        #expect(try first.documentNumber(kind: "notice", year: 2026, key: "n1", audit: audit).n == 1)
        #expect(try first.documentNumber(kind: "report", year: 2027, key: "next-year", audit: audit).n == 1)

        // A restart continues where the sequence stood.
        let reopened = try engine.open(location, instance: "c")
        #expect(try reopened.documentNumber(kind: "report", year: 2026, key: "after-restart", audit: audit).n == byKey.count + 1)
        #expect(try reopened.documentNumber(kind: "report", year: 2026, key: "shared-0", audit: audit).n == byKey["shared-0"]?.first)
        #expect(try reopened.existingDocumentNumber(kind: "report", key: "never-asked") == nil)
        #expect(try reopened.documentNumbers(kind: "report").count == byKey.count + 2)
        // Each number given once in the audit chain, which verifies.
        let rows = try reopened.auditRows(AuditFilter(), limit: 10_000).filter { $0.action == .documentNumber }
        #expect(rows.count == byKey.count + 3, "\(rows.count) audit rows for \(byKey.count + 3) numbers")
        #expect(try reopened.verifyAudit().rows >= Int64(rows.count))
    }
}
