import Foundation

/// The schema's history, oldest first: what `StateStore` applies on opening, on either engine.
/// Never edit a migration that has shipped; add one.
enum StoreMigrations {
    static let all: [StoreMigration] = [
        StoreMigration(name: "v1: progress reports and sent log") { d in [
            """
            CREATE TABLE progress (id \(d.idColumn), item \(d.text) NOT NULL, milestone INTEGER, status \(d.text) NOT NULL,
              extended_to \(d.text), note \(d.text) NOT NULL DEFAULT '', "by" \(d.text) NOT NULL, at \(d.text) NOT NULL)
            """,
            "CREATE INDEX progress_on_item ON progress(item)",
            """
            CREATE TABLE sent (\(d.rowidColumn.map { $0 + ", " } ?? "")notice \(d.text) NOT NULL, agency \(d.text) NOT NULL,
              message \(d.text) NOT NULL, item \(d.text) NOT NULL, channel \(d.text) NOT NULL, at \(d.text) NOT NULL,
              PRIMARY KEY (notice, agency))
            """,
            "CREATE INDEX sent_on_item ON sent(item)",
        ] },
        StoreMigration(name: "v2: outbox with attempts and dead letters; service metadata") { d in [
            """
            CREATE TABLE outbox (id \(d.idColumn), message \(d.text) NOT NULL, agency \(d.text) NOT NULL, channel \(d.text) NOT NULL,
              notices \(d.text) NOT NULL, payload \(d.text) NOT NULL, state \(d.text) NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,
              next_attempt_at \(d.text) NOT NULL, last_error \(d.text), enqueued_at \(d.text) NOT NULL, sent_at \(d.text),
              UNIQUE (message, channel))
            """,
            "CREATE INDEX outbox_on_state ON outbox(state)",
            "CREATE TABLE meta (key \(d.text) NOT NULL PRIMARY KEY, value \(d.text) NOT NULL)",
        ] },
        StoreMigration(name: "v3: indexes for reading recent claims") { _ in [
            "CREATE INDEX sent_at ON sent(at)",
            "CREATE INDEX outbox_enqueued_at ON outbox(enqueued_at)",
        ] },
        StoreMigration(name: "v4: channel circuits; index for pruning delivered bodies") { d in [
            """
            CREATE TABLE circuit (channel \(d.text) NOT NULL PRIMARY KEY, state \(d.text) NOT NULL, failures INTEGER NOT NULL,
              open_until \(d.text), last_error \(d.text), at \(d.text) NOT NULL)
            """,
            "CREATE INDEX outbox_sent_at ON outbox(sent_at)",
        ] },
        // Existing reports keep agency NULL: they were about every lead.
        StoreMigration(name: "v5: reports per lead agency, promised report dates") { d in [
            "ALTER TABLE progress ADD COLUMN agency \(d.text)",
            "ALTER TABLE progress ADD COLUMN next_report \(d.text)",
            "CREATE INDEX sent_agency_item ON sent(agency, item)",
        ] },
        StoreMigration(name: "v6: the office's accounts; files attached to reports") { d in [
            "CREATE TABLE account (name \(d.text) NOT NULL PRIMARY KEY, password_hash \(d.text) NOT NULL, created_at \(d.text) NOT NULL)",
            """
            CREATE TABLE attachment (id \(d.idColumn), progress INTEGER NOT NULL REFERENCES progress(id), filename \(d.text) NOT NULL,
              type \(d.text) NOT NULL, size INTEGER NOT NULL, sha256 \(d.text) NOT NULL)
            """,
            "CREATE INDEX attachment_on_progress ON attachment(progress)",
        ] },
        // Two instances on one PostgreSQL: an entry is sent by the one that claimed it, until
        // its lease runs out (see `StateStore.claim`).
        StoreMigration(name: "v7: leases on outbox entries being sent") { d in [
            "ALTER TABLE outbox ADD COLUMN lease_owner \(d.text)",
            "ALTER TABLE outbox ADD COLUMN lease_until \(d.text)",
        ] },
        // Kept in the store, not in one process's memory: a restart or a failover to the
        // other machine keeps the office signed in.
        StoreMigration(name: "v8: the office's console sessions") { d in [
            """
            CREATE TABLE web_session (token_hash \(d.text) NOT NULL PRIMARY KEY, account \(d.text) NOT NULL, csrf \(d.text) NOT NULL,
              expires \(d.text) NOT NULL)
            """,
            "CREATE INDEX web_session_expires ON web_session(expires)",
        ] },
        // Two machines: a file attached through one console is served by the other's. (A
        // SQLite store keeps files in the state folder, as before.)
        StoreMigration(name: "v9: attached files' bytes, for shared stores") { d in [
            "CREATE TABLE attachment_file (sha256 \(d.text) NOT NULL PRIMARY KEY, bytes \(d.blob) NOT NULL)",
        ] },
        // A body of 4 KB made each outbox row span two pages, which every change of the
        // entry's state wrote again; kept apart, it is written once, when enqueued.
        StoreMigration(name: "v10: message bodies apart from the outbox rows") { d in [
            "CREATE TABLE outbox_payload (id \(d.idReference) NOT NULL PRIMARY KEY, payload \(d.text) NOT NULL)",
            "INSERT INTO outbox_payload (id, payload) SELECT id, payload FROM outbox WHERE payload != ''",
            "ALTER TABLE outbox DROP COLUMN payload",
        ] },
        // Retention prunes the sent log; what it removes about each agency's milestone is
        // folded into one row kept for good, so the ladder and 此前提醒 outlive it. A
        // withdrawn decision stays in `progress` (append-only) and is named here. A reply
        // form's one-time id makes a repeated post show the first receipt.
        StoreMigration(name: "v11: track summaries that outlive retention; withdrawn decisions; reply submissions once") { d in [
            """
            CREATE TABLE track_summary (agency \(d.text) NOT NULL, item \(d.text) NOT NULL, milestone INTEGER NOT NULL,
              delivered INTEGER NOT NULL, first_day \(d.text), last_day \(d.text), escalations \(d.text) NOT NULL,
              requests \(d.text) NOT NULL, PRIMARY KEY (agency, item, milestone))
            """,
            """
            CREATE TABLE withdrawal (progress INTEGER NOT NULL PRIMARY KEY REFERENCES progress(id), "by" \(d.text) NOT NULL,
              at \(d.text) NOT NULL)
            """,
            """
            CREATE TABLE submission (id \(d.text) NOT NULL PRIMARY KEY, agency \(d.text) NOT NULL, progress INTEGER REFERENCES progress(id),
              at \(d.text) NOT NULL)
            """,
        ] },
        // 等保: a session ends after 12 hours however busy; older rows count from now.
        StoreMigration(name: "v12: when each console session began") { d in [
            "ALTER TABLE web_session ADD COLUMN created \(d.text)",
        ] },
        // 等保 level 3: an audit trail no one can quietly rewrite (each row hashes the one
        // before it; UPDATE and DELETE refused), roles for the office's accounts (those made
        // before roles could do everything, so they stay admins), and the login throttle kept
        // where a restart and the other machine see it.
        StoreMigration(name: "v13: audit trail; account roles; login throttle in the store") { d in [
            """
            CREATE TABLE audit (seq \(d.idReference) NOT NULL PRIMARY KEY, at \(d.text) NOT NULL, actor \(d.text) NOT NULL,
              client \(d.text) NOT NULL, action \(d.text) NOT NULL, object \(d.text) NOT NULL, outcome \(d.text) NOT NULL,
              detail \(d.text) NOT NULL, prev \(d.text) NOT NULL UNIQUE, hash \(d.text) NOT NULL)
            """,
            "CREATE INDEX audit_at ON audit(at)",
            "ALTER TABLE account ADD COLUMN role \(d.text) NOT NULL DEFAULT 'admin'",
            """
            CREATE TABLE login_throttle (key \(d.text) NOT NULL PRIMARY KEY, failures \(d.text) NOT NULL, until \(d.text),
              updated \(d.text) NOT NULL)
            """,
        ] + d.appendOnly("audit") },
        // Lists the office publishes (立项) in the console, kept where both machines see them:
        // every revision kept (append-only), the newest in force; drafts wait for a decision.
        StoreMigration(name: "v14: lists published by the office, with their revisions and drafts") { d in [
            """
            CREATE TABLE list_revision (list \(d.text) NOT NULL, revision INTEGER NOT NULL, at \(d.text) NOT NULL,
              actor \(d.text) NOT NULL, file \(d.text) NOT NULL, sha256 \(d.text) NOT NULL, title \(d.text) NOT NULL,
              items INTEGER NOT NULL, yaml \(d.text) NOT NULL, note \(d.text) NOT NULL, PRIMARY KEY (list, revision))
            """,
            """
            CREATE TABLE list_draft (id \(d.text) NOT NULL PRIMARY KEY, at \(d.text) NOT NULL, actor \(d.text) NOT NULL,
              list \(d.text) NOT NULL, base INTEGER NOT NULL, file \(d.text) NOT NULL, sha256 \(d.text) NOT NULL,
              title \(d.text) NOT NULL, items INTEGER NOT NULL, yaml \(d.text) NOT NULL)
            """,
        ] + d.appendOnly("list_revision") },
        // The office's own entries of the directory (通讯录), each agency's revisions kept;
        // a removal is a revision with no entry.
        StoreMigration(name: "v15: agencies the office keeps in the directory, with their revisions") { d in [
            """
            CREATE TABLE agency_revision (name \(d.text) NOT NULL, revision INTEGER NOT NULL, at \(d.text) NOT NULL,
              actor \(d.text) NOT NULL, yaml \(d.text) NOT NULL, PRIMARY KEY (name, revision))
            """,
        ] + d.appendOnly("agency_revision") },
        // What the office does on an item by itself (调整完成时限, 撤销, 代录) is told to the
        // agency in other words than a review of its report: each row says how it came.
        // The 已发送 page looks messages up by agency, newest first. Leads the office adds or
        // removes are kept in order, never edited, and applied when the schedules are loaded.
        StoreMigration(name: "v16: how each report or decision came to be recorded; messages by agency; lead changes") { d in [
            "ALTER TABLE progress ADD COLUMN origin \(d.text)",
            "CREATE INDEX outbox_agency ON outbox(agency, id)",
            """
            CREATE TABLE lead_change (id \(d.idColumn), item \(d.text) NOT NULL, agency \(d.text) NOT NULL, added INTEGER NOT NULL,
              reason \(d.text) NOT NULL, actor \(d.text) NOT NULL, at \(d.text) NOT NULL)
            """,
        ] + d.appendOnly("lead_change")
          // PostgreSQL's sent rows carry an explicit rowid (SQLite's is the table's key): the
          // sent log's cursor and the console's change stamp look it up.
          + (d.rowidColumn != nil ? ["CREATE INDEX sent_rowid ON sent(rowid)"] : []) },
        // 文号: the documents the office circulates are numbered from yearly sequences kept
        // here, so both machines and every restart continue the same one; a number once
        // given is never given again nor taken back.
        StoreMigration(name: "v17: document numbers (督查通报, 督办通知单)") { d in [
            """
            CREATE TABLE document_number (kind \(d.text) NOT NULL, year INTEGER NOT NULL, n INTEGER NOT NULL, key \(d.text) NOT NULL,
              at \(d.text) NOT NULL, actor \(d.text) NOT NULL, PRIMARY KEY (kind, year, n), UNIQUE (kind, key))
            """,
            // The register links each number to the message that carried it.
            "CREATE INDEX outbox_message ON outbox(message)",
        ] + d.appendOnly("document_number") },
        // SMS: each number's entry keeps the platform's id of the send (its reports name it),
        // Dudao's own reference (platforms that echo one), and until when an outcome is
        // unknown (sent, no answer: waiting for a report). Reports and replies are kept once
        // each, with the number masked.
        StoreMigration(name: "v18: SMS receipts, unknown outcomes, delivery reports and replies") { d in [
            "ALTER TABLE outbox ADD COLUMN receipt \(d.text)",
            "ALTER TABLE outbox ADD COLUMN reference \(d.text)",
            "ALTER TABLE outbox ADD COLUMN unknown_until \(d.text)",
            "ALTER TABLE outbox ADD COLUMN report \(d.text)",
            "CREATE INDEX outbox_receipt ON outbox(receipt)",
            "CREATE INDEX outbox_reference ON outbox(reference)",
            """
            CREATE TABLE sms_event (id \(d.idColumn), platform \(d.text) NOT NULL, identity \(d.text) NOT NULL, kind \(d.text) NOT NULL,
              mobile \(d.text) NOT NULL, receipt \(d.text), detail \(d.text) NOT NULL, time \(d.text) NOT NULL, entry INTEGER,
              at \(d.text) NOT NULL, UNIQUE (platform, identity))
            """,
            "CREATE TABLE short_link (code \(d.text) NOT NULL PRIMARY KEY, token \(d.text) NOT NULL, at \(d.text) NOT NULL)",
            // 签收 and 已读: each kept, never edited. A signature covers what reached the agency before it.
            """
            CREATE TABLE agency_receipt (id \(d.idColumn), agency \(d.text) NOT NULL, kind \(d.text) NOT NULL, how \(d.text) NOT NULL,
              at \(d.text) NOT NULL, actor \(d.text) NOT NULL, client \(d.text) NOT NULL, note \(d.text) NOT NULL DEFAULT '')
            """,
            "CREATE INDEX agency_receipt_agency ON agency_receipt(agency, at)",
            "CREATE INDEX agency_receipt_at ON agency_receipt(at)",
        ] + d.appendOnly("agency_receipt") },
    ]
}
