import Foundation
import Testing
@testable import DudaoCore
@testable import DudaoStore

struct StateStoreTests {
    func scratch() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("dudao-store-\(UUID().uuidString)").path
    }

    @Test(arguments: Engine.allCases) func reportsKeepTheirHistoryAndTheNewestCounts(_ engine: Engine) throws {
        let store = try engine.store()
        let t = Date(timeIntervalSince1970: 1_735_000_000)
        try store.record(ProgressReport(key: ProgressKey(item: "8"), status: .inProgress, note: "已起草", by: "市财政局 张三", at: t))
        try store.record(ProgressReport(key: ProgressKey(item: "8"), status: .extended(to: CivilDate(iso: "2025-06-30")!), note: "经批准延期", by: "督查室", at: t + 60))
        try store.record(ProgressReport(key: ProgressKey(item: "8", milestone: 1), status: .done, by: "督查室", at: t + 120))
        let history = try store.history(item: "8")
        #expect(history.map(\.status.name) == ["in_progress", "extended", "done"])
        #expect(history[0].note == "已起草" && history[0].by == "市财政局 张三" && history[0].at == t)
        let standings = try store.supervision(clock: Self.clock).standings
        let item = Self.item("8", milestones: 2)
        #expect(standings.standing(item, milestone: 1, agency: "市财政局").status == .extended(to: CivilDate(iso: "2025-06-30")!))
        #expect(standings.standing(item, milestone: 0, agency: "市财政局").status == .done)
    }

    /// Reports name a lead agency and a promised date; both survive the round trip and
    /// count for that agency only.
    @Test(arguments: Engine.allCases) func reportsPerAgencyRoundTrip(_ engine: Engine) throws {
        let store = try engine.store()
        let t = Date(timeIntervalSince1970: 1_735_000_000)
        try store.record(ProgressReport(key: ProgressKey(item: "20", agency: "市法院"), status: .done, by: "督查室", at: t))
        try store.record(ProgressReport(key: ProgressKey(item: "17", agency: "市卫健委"), status: .inProgress, by: "市卫健委",
                                        at: t, nextReport: CivilDate(iso: "2027-01-15")))
        let back = try store.history()
        #expect(back.map(\.key.agency) == ["市法院", "市卫健委"])
        #expect(back[1].nextReport == CivilDate(iso: "2027-01-15"))
        let standings = try store.supervision(clock: Self.clock).standings
        let item20 = Item(id: "20", title: "t", lead: ["市法院", "市税务局"], dueText: "2023年12月",
                          milestones: [Milestone(due: CivilDate(iso: "2023-12-31")!, text: "2023年12月")])
        #expect(standings.standing(item20, milestone: 0, agency: "市法院").status == .done)
        #expect(standings.standing(item20, milestone: 0, agency: "市税务局").status == .open)
    }

    static let clock = LocalClock(timeZone: TimeZone(identifier: "Asia/Shanghai")!)

    static func item(_ id: String, milestones: Int) -> Item {
        Item(id: id, title: "t", lead: ["市财政局"], dueText: "2024年",
             milestones: (0..<milestones).map { Milestone(due: CivilDate(iso: "2024-12-31")!.adding(days: -$0), text: "m\($0)") })
    }

    @Test(arguments: Engine.allCases) func stateSurvivesReopeningAndMigrationsAreRecorded(_ engine: Engine) throws {
        let dir = try engine.freshLocation()
        do {
            let store = try engine.open(dir)
            try store.record(ProgressReport(key: ProgressKey(item: "1"), status: .done, by: "x", at: Date()))
            try store.markSent(notices: [(key: "1/m1/due/2024-12-31", item: "1")], agency: "市市场监管局", message: "m", channel: "email", at: Date())
        }
        let reopened = try engine.open(dir)
        #expect(try reopened.history().map(\.status) == [.done])
        #expect(try reopened.sentKeys() == ["市市场监管局|1/m1/due/2024-12-31"])
        #expect(try reopened.appliedMigrations() == ["v1: progress reports and sent log", "v2: outbox with attempts and dead letters; service metadata",
                                                        "v3: indexes for reading recent claims",
                                                        "v4: channel circuits; index for pruning delivered bodies",
                                                        "v5: reports per lead agency, promised report dates",
                                                        "v6: the office's accounts; files attached to reports",
                                                        "v7: leases on outbox entries being sent",
                                                        "v8: the office's console sessions",
                                                        "v9: attached files' bytes, for shared stores",
                                                        "v10: message bodies apart from the outbox rows",
                                                        "v11: track summaries that outlive retention; withdrawn decisions; reply submissions once",
                                                        "v12: when each console session began",
                                                        "v13: audit trail; account roles; login throttle in the store",
                                                        "v14: lists published by the office, with their revisions and drafts",
                                                        "v15: agencies the office keeps in the directory, with their revisions",
                                                        "v16: how each report or decision came to be recorded; messages by agency; lead changes",
                                                        "v17: document numbers (督查通报, 督办通知单)",
                                                        "v18: SMS receipts, unknown outcomes, delivery reports and replies"])
    }

    @Test(arguments: Engine.allCases) func accountsAndAttachmentsAreKept(_ engine: Engine) throws {
        let store = try engine.store()
        #expect(try store.setAccount(name: "张三", passwordHash: "$2b$11$x", at: Date()))
        #expect(try !store.setAccount(name: "张三", passwordHash: "$2b$11$y", at: Date()), "a second add sets a new password")
        #expect(try store.account(name: "张三")?.passwordHash == "$2b$11$y")
        #expect(try store.removeAccount(name: "张三") && !store.removeAccount(name: "张三"))
        #expect(try store.accounts().isEmpty)
        let file = Attachment(filename: "方案.pdf", type: "pdf", size: 12, sha256: String(repeating: "a", count: 64))
        let id = try store.record(ProgressReport(key: ProgressKey(item: "1", agency: "市卫健委"), status: .doneReported, by: "市卫健委", at: Date()),
                                  attachments: [file])
        #expect(try store.attachments(item: "1") == [id: [file]])
        #expect(try store.attachment(sha256: file.sha256) == file && store.attachments(item: "2").isEmpty)
        #expect(try store.reports(item: "1").map(\.id) == [id])
    }

    /// A state folder written by the previous release (migrations up to v3) opens, keeps
    /// its rows and gains the new tables.
    @Test func aVersion3StateMigrates() throws {
        let dir = scratch()
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let path = (dir as NSString).appendingPathComponent("dudao.sqlite")
        let sql = """
            CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY);
            INSERT INTO grdb_migrations VALUES ('v1: progress reports and sent log'), ('v2: outbox with attempts and dead letters; service metadata'), ('v3: indexes for reading recent claims');
            CREATE TABLE progress (id INTEGER PRIMARY KEY AUTOINCREMENT, item TEXT NOT NULL, milestone INTEGER, status TEXT NOT NULL, extended_to TEXT, note TEXT NOT NULL DEFAULT '', "by" TEXT NOT NULL, "at" TEXT NOT NULL);
            CREATE TABLE sent (notice TEXT NOT NULL, agency TEXT NOT NULL, message TEXT NOT NULL, item TEXT NOT NULL, channel TEXT NOT NULL, "at" TEXT NOT NULL, PRIMARY KEY (notice, agency));
            CREATE TABLE outbox (id INTEGER PRIMARY KEY AUTOINCREMENT, message TEXT NOT NULL, agency TEXT NOT NULL, channel TEXT NOT NULL, notices TEXT NOT NULL, payload TEXT NOT NULL, state TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at TEXT NOT NULL, last_error TEXT, enqueued_at TEXT NOT NULL, sent_at TEXT, UNIQUE (message, channel));
            CREATE TABLE meta ("key" TEXT PRIMARY KEY, value TEXT NOT NULL);
            CREATE INDEX sent_at ON sent("at");
            CREATE INDEX outbox_enqueued_at ON outbox(enqueued_at);
            INSERT INTO progress (item, status, extended_to, note, "by", "at") VALUES ('8', 'extended', '2025-06-30', '经批准', '督查室', '2025-01-02T01:00:00+00:00');
            INSERT INTO sent VALUES ('8/m1/due/2024-12-31', '市财政局', 'm', '8', 'email', '2024-12-31T01:00:00+00:00');
            INSERT INTO outbox (message, agency, channel, notices, payload, state, attempts, next_attempt_at, enqueued_at) VALUES ('m', '市财政局', 'email', '[["8/m1/due/2024-12-31","8"]]', '{"eml":"x","rcpt":["a@b.example"]}', 'pending', 2, '2024-12-31T01:00:00+00:00', '2024-12-31T01:00:00+00:00');
            """
        let r = Process()
        r.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        r.arguments = ["python3", "-c", "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.executescript(sys.argv[2]); c.commit()", path, sql]
        try r.run()
        r.waitUntilExit()
        #expect(r.terminationStatus == 0)
        let store = try StateStore(directory: dir)
        #expect(try store.appliedMigrations().last == "v18: SMS receipts, unknown outcomes, delivery reports and replies")
        // The old report is about every lead; its extension moves the date.
        let supervision = try store.supervision(clock: Self.clock)
        let standing = supervision.standings.standing(Self.item("8", milestones: 1), milestone: 0, agency: "市财政局")
        #expect(standing.status == .extended(to: CivilDate(iso: "2025-06-30")!) && standing.report?.key.agency == nil)
        #expect(standing.due == CivilDate(iso: "2025-06-30"))
        // What was sent before counts in the ladder's history.
        #expect(supervision.history.track(agency: "市财政局", item: "8", milestone: 0)?.delivered == [CivilDate(iso: "2024-12-31")!])
        #expect(supervision.history.track(agency: "市财政局", item: "8", milestone: 0)?.contacted == true)
        #expect(try store.sentKeys() == ["市财政局|8/m1/due/2024-12-31"])
        let pending = try store.entries(state: .pending)
        #expect(pending.count == 1 && pending[0].attempts == 2 && pending[0].channel == .email)
        #expect(pending[0].payload == #"{"eml":"x","rcpt":["a@b.example"]}"#, "the body moved with its entry")
        #expect(try store.circuits().isEmpty)
    }

    /// Console sessions outlive the process that opened them, expire when idle, and stay bounded.
    @Test(arguments: Engine.allCases) func consoleSessionsAreKeptExtendedAndBounded(_ engine: Engine) throws {
        let location = try engine.freshLocation()
        let store = try engine.open(location)
        let t = Date(timeIntervalSince1970: 1_735_000_000)
        try store.openSession(tokenHash: "h1", WebSessionRecord(account: "张三", csrf: "c1", expires: t + 3600), now: t, capacity: 3)
        let other = try engine.open(location)
        #expect(try other.session(tokenHash: "h1", now: t + 30, idle: 3600, lifetime: 43200)
                    == WebSessionRecord(account: "张三", csrf: "c1", expires: t + 3600, created: t),
                "another process sees it; not rewritten within a minute")
        #expect(try other.session(tokenHash: "h1", now: t + 1800, idle: 3600, lifetime: 43200)?.expires == t + 5400, "use extends it")
        #expect(try store.session(tokenHash: "h1", now: t + 5401, idle: 3600, lifetime: 43200) == nil, "idle too long: gone")
        #expect(try store.endExpiredSession(tokenHash: "h1", now: t + 5401, lifetime: 43200) == "张三", "its end is told once (the audit trail)")
        #expect(try store.endExpiredSession(tokenHash: "h1", now: t + 5401, lifetime: 43200) == nil)
        // However busy, a session ends at its lifetime.
        try store.openSession(tokenHash: "busy", WebSessionRecord(account: "张三", csrf: "c", expires: t + 1800, created: t), now: t, capacity: 10)
        var now = t
        while now + 1500 < t + 43_200 {
            now += 1500
            #expect(try store.session(tokenHash: "busy", now: now, idle: 1800, lifetime: 43200) != nil, "in use: kept")
        }
        #expect(try store.endExpiredSession(tokenHash: "busy", now: now, lifetime: 43200) == nil, "a live session is not ended")
        #expect(try store.session(tokenHash: "busy", now: t + 43_200, idle: 1800, lifetime: 43200) == nil, "twelve hours: over")
        try store.closeSession(tokenHash: "busy")
        for i in 2...6 {
            try store.openSession(tokenHash: "h\(i)", WebSessionRecord(account: "李四", csrf: "c", expires: t + Double(i) * 10_000),
                                  now: t + 6000, capacity: 3)
        }
        let live = try (1...6).filter { try store.session(tokenHash: "h\($0)", now: t + 6000, idle: 0, lifetime: 43200) != nil }
        #expect(live == [4, 5, 6], "at most three, the oldest gone first")
        try store.closeSession(tokenHash: "h5")
        #expect(try store.session(tokenHash: "h5", now: t + 6000, idle: 0, lifetime: 43200) == nil)
    }

    /// Every byte value survives, once per content; only PostgreSQL keeps files in the store.
    @Test(arguments: Engine.allCases) func attachedFilesBytesRoundTrip(_ engine: Engine) throws {
        let store = try engine.store()
        let bytes = Data((0..<1024).map { UInt8($0 % 256) })
        try store.saveFile(sha256: "abc", bytes: bytes)
        try store.saveFile(sha256: "abc", bytes: Data("other".utf8))
        #expect(try store.file(sha256: "abc") == bytes && store.file(sha256: "none") == nil)
        #expect(store.keepsFiles == (engine == .postgres))
    }

    @Test(arguments: Engine.allCases) func circuitsAreRecordedPerChannel(_ engine: Engine) throws {
        let store = try engine.store()
        let t = Date(timeIntervalSince1970: 1_735_000_000)
        try store.save(CircuitRecord(channel: .email, state: "open", failures: 3, openUntil: t + 30, lastError: "timeout", at: t))
        try store.save(CircuitRecord(channel: .email, state: "closed", failures: 0, openUntil: nil, lastError: nil, at: t + 40))
        try store.save(CircuitRecord(channel: "robot", state: "open", failures: 5, openUntil: t + 60, lastError: "HTTP 500", at: t + 41))
        let all = try store.circuits()
        #expect(all.map(\.channel) == [.email, "robot"])
        #expect(all[0].state == "closed" && all[1].openUntil == t + 60)
    }

    func entry(_ message: String, channel: ChannelID = .email, failure: String? = nil) -> NewOutboxEntry {
        NewOutboxEntry(message: message, agency: "A", channel: channel, notices: [NoticeRef(key: "1/m1/due/\(message)", item: "1")],
                       payload: "{}", failure: failure)
    }

    @Test(arguments: Engine.allCases) func deferringMovesOnlyPendingEntriesAndCountsNoAttempt(_ engine: Engine) throws {
        let store = try engine.store()
        let t = Date(timeIntervalSince1970: 1_735_000_000)
        try store.enqueue([entry("a"), entry("b")], plannedUntil: t, at: t)
        let due = try store.due(at: t)
        try store.deferPending(ids: [due[0].id], until: t + 300)
        #expect(try store.due(at: t).map(\.message) == ["b"])
        #expect(try store.nextAttempt(after: t) == t + 300)
        #expect(try store.due(at: t + 300).map(\.attempts) == [0, 0])
        // Deferring never moves an entry earlier.
        try store.deferPending(ids: [due[0].id], until: t + 10)
        #expect(try store.nextAttempt(after: t) == t + 300)
    }

    @Test(arguments: Engine.allCases) func anEntryThatCannotBeSentIsStoredDeadWithItsReason(_ engine: Engine) throws {
        let store = try engine.store()
        let t = Date(timeIntervalSince1970: 1_735_000_000)
        try store.enqueue([entry("a", failure: "cannot encode the email")], plannedUntil: t, at: t)
        #expect(try store.due(at: t).isEmpty)
        let dead = try store.entries(state: .dead)
        #expect(dead.count == 1 && dead[0].lastError == "cannot encode the email")
        #expect(try store.claimedKeys().contains("A|1/m1/due/a"), "its notices are claimed: not planned again")
    }

    /// Workers finishing together record their outcomes in one transaction; each entry ends
    /// where its own outcome puts it, and keeps its body.
    @Test(arguments: Engine.allCases) func outcomesRecordedTogetherEachTakeEffect(_ engine: Engine) throws {
        let store = try engine.store()
        let t = Date(timeIntervalSince1970: 1_735_000_000)
        try store.enqueue([entry("a"), entry("b"), entry("c")], plannedUntil: t, at: t)
        let due = try store.due(at: t)
        #expect(due.map(\.payload) == ["{}", "{}", "{}"], "bodies are read with their entries")
        try store.record([OutboxResult(due[0], .delivered(at: t + 5)), OutboxResult(due[1], .retry(at: t + 60, error: "421 busy")),
                          OutboxResult(due[2], .dead(error: "550 no such mailbox"))])
        let all = try store.entries()
        let a = try #require(all.first { $0.message == "a" }), b = try #require(all.first { $0.message == "b" })
        let c = try #require(all.first { $0.message == "c" })
        #expect(a.state == .sent && a.sentAt == t + 5 && a.attempts == 1 && a.payload == "{}")
        #expect(b.state == .pending && b.nextAttemptAt == t + 60 && b.lastError == "421 busy" && b.attempts == 1)
        #expect(c.state == .dead && c.lastError == "550 no such mailbox")
        #expect(try store.sentKeys() == ["A|1/m1/due/a"])
        #expect(try store.due(at: t + 60).map(\.message) == ["b"])
        // Enqueuing the same message again adds nothing, body included.
        #expect(try store.enqueue([entry("a")], plannedUntil: t, at: t + 70) == 0)
    }

    /// SQLite in WAL mode: opening the pool sets `synchronous = NORMAL`, which a power cut can
    /// undo; the store puts back FULL, so a recorded delivery is on disk when `record` returns.
    @Test func theSQLiteStoreSyncsEveryCommit() throws {
        let dir = scratch()
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let backend = try SQLiteBackend(path: StateStore.sqlitePath(directory: dir))
        let level: Int64? = try backend.write { try $0.value("PRAGMA synchronous", []) }
        #expect(level == 2, "2 is FULL")
    }

    @Test(arguments: Engine.allCases) func retentionPrunesTheAuditTrailAndOldBodiesButNothingPending(_ engine: Engine) throws {
        let store = try engine.store()
        let day = 86400.0
        let t0 = Date(timeIntervalSince1970: 1_700_000_000)
        // Old: delivered 800 days ago. Middle: delivered 100 days ago. Pending: enqueued 800 days ago, still waiting.
        try store.enqueue([entry("old"), entry("middle"), entry("pending")], plannedUntil: t0, at: t0)
        let all = try store.due(at: t0)
        try store.record([OutboxResult(all[0], .delivered(at: t0))])
        try store.record(ProgressReport(key: ProgressKey(item: "1"), status: .inProgress, by: "x", at: t0))
        let now = t0.addingTimeInterval(800 * day)
        try store.record([OutboxResult(all[1], .delivered(at: now.addingTimeInterval(-100 * day)))])
        let pruned = try store.prune(Retention(), now: now, clock: Self.clock)
        #expect(pruned.outboxRows == 1 && pruned.sentRows == 1 && pruned.bodies == 1)
        let left = try store.entries()
        #expect(left.map(\.message).sorted() == ["middle", "pending"])
        #expect(left.first { $0.message == "middle" }?.payload == "", "the body went, the record stayed")
        #expect(left.first { $0.message == "pending" }?.state == .pending, "pending work is never pruned")
        #expect(try store.history().count == 1, "progress reports are the office's record: kept")
        #expect(try store.prune(Retention(), now: now, clock: Self.clock) == PruneSummary(), "a second pass finds nothing")
    }

    /// The service reads the sent log on every wake; each read adds the rows written since.
    @Test(arguments: Engine.allCases) func theSentLogIsReadIncrementally(_ engine: Engine) throws {
        let dir = try engine.freshLocation()
        let store = try engine.open(dir)
        let t = Self.clock.parse("2026-11-30T09:00:00+08:00")!
        try store.markSent(notices: [(key: "9/m1/verify/2026-11-30", item: "9")], agency: "A", message: "m1", channel: "email", at: t)
        #expect(try store.supervision(clock: Self.clock).history.track(agency: "A", item: "9", milestone: 0)?.escalations.map(\.step) == [.verify])
        try store.markSent(notices: [(key: "9/m1/overdue-1/2026-12-14", item: "9")], agency: "A", message: "m2", channel: "email",
                           at: t + 14 * 86400)
        try store.enqueue([NewOutboxEntry(message: "m3", agency: "A", channel: .email, notices: [NoticeRef(key: "9/m1/overdue-1/2026-12-21", item: "9")],
                                          payload: "{}")], plannedUntil: nil, at: t + 21 * 86400)
        let track = try #require(try store.supervision(clock: Self.clock).history.track(agency: "A", item: "9", milestone: 0))
        #expect(track.escalations.map(\.step) == [.verify, .level(1), .level(1)], "delivered, then pending")
        #expect(track.delivered == [CivilDate(iso: "2026-11-30")!, CivilDate(iso: "2026-12-14")!], "only what was delivered")
        // A second store on the same file (another process) reads the same.
        let other = try #require(try engine.open(dir).supervision(clock: Self.clock).history.track(agency: "A", item: "9", milestone: 0))
        #expect(other.escalations.map(\.day) == track.escalations.map(\.day) && other.claimed == track.claimed)
    }

    @Test(arguments: Engine.allCases) func markingSentTwiceIsHarmless(_ engine: Engine) throws {
        let store = try engine.store()
        for _ in 0..<2 {
            try store.markSent(notices: [(key: "1/m1/due/2024-12-31", item: "1")], agency: "A", message: "m", channel: "email", at: Date())
        }
        #expect(try store.sentKeys().count == 1)
    }

    @Test func planLeavesOutWhatWasAlreadySent() {
        let clock = LocalClock(timeZone: TimeZone(identifier: "Asia/Shanghai")!)
        let items = [Item(id: "1", title: "t", lead: ["A", "B"], dueText: "x", milestones: [Milestone(due: CivilDate(iso: "2024-12-31")!, text: "a")])]
        let from = clock.parse("2024-12-31T00:00")!, until = clock.parse("2024-12-31T23:00")!
        let full = Plan(items: items, policy: .default, calendar: .weekdaysOnly, from: from, until: until)
        #expect(full.messages.map(\.to.agency) == ["A", "B"])
        let sent = SentHistory(records: [SentHistory.Record(agency: "A", key: "1/m1/due/2024-12-31", day: CivilDate(iso: "2024-12-31")!, fate: .delivered)])
        let rest = Plan(items: items, policy: .default, calendar: .weekdaysOnly, from: from, until: until, supervision: Supervision(history: sent))
        #expect(rest.messages.map(\.to.agency) == ["B"])
    }
}
