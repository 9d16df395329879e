import Foundation

/// A file an agency attached to a report (evidence of work done). The bytes live in the
/// state folder under `attachments/SHA256`; the database keeps what the office sees.
public struct Attachment: Hashable, Sendable {
    /// The name the agency's file had, for display and download.
    public var filename: String
    /// The checked type: `pdf`, `png`, `jpeg`, `docx`, `xlsx`, `doc`…
    public var type: String
    /// Bytes.
    public var size: Int
    /// Hex SHA-256 of the bytes: the stored file's name.
    public var sha256: String

    /// An attachment.
    public init(filename: String, type: String, size: Int, sha256: String) {
        self.filename = filename
        self.type = type
        self.size = size
        self.sha256 = sha256
    }
}

extension StateStore {
    /// True when files attached to reports are kept in the store (shared by two machines),
    /// not in the state folder.
    public var keepsFiles: Bool { isShared }

    /// Keeps the bytes of an attached file, once per content.
    public func saveFile(sha256: String, bytes: Data) throws {
        try backend.write { t in
            try t.execute("INSERT INTO attachment_file (sha256, bytes) VALUES (?, ?) ON CONFLICT DO NOTHING", [sha256, bytes])
        }
    }

    /// The bytes of an attached file kept in the store.
    public func file(sha256: String) throws -> Data? {
        try backend.read { t in try t.value("SELECT bytes FROM attachment_file WHERE sha256 = ?", [sha256]) }
    }

    /// Files attached to reports about `item`, by the report's row id.
    public func attachments(item: String) throws -> [Int64: [Attachment]] {
        try backend.read { t in
            var out: [Int64: [Attachment]] = [:]
            for row in try t.rows("SELECT a.* FROM attachment a JOIN progress p ON p.id = a.progress WHERE p.item = ? ORDER BY a.id", [item]) {
                out[row["progress"], default: []].append(Attachment(filename: row["filename"], type: row["type"], size: row["size"], sha256: row["sha256"]))
            }
            return out
        }
    }

    /// Bytes of the files `agency` attached to its reports (each content once).
    public func attachedBytes(agency: String) throws -> Int {
        try backend.read { t in
            try t.value("""
                SELECT COALESCE(SUM(size), 0) FROM (SELECT DISTINCT a.sha256, a.size FROM attachment a JOIN progress p ON p.id = a.progress
                WHERE p.agency = ?) AS files
                """, [agency]) ?? 0
        }
    }

    /// The attachment stored under `sha256`, if any report refers to it.
    public func attachment(sha256: String) throws -> Attachment? {
        try backend.read { t in
            try t.row("SELECT * FROM attachment WHERE sha256 = ? LIMIT 1", [sha256]).map {
                Attachment(filename: $0["filename"], type: $0["type"], size: $0["size"], sha256: $0["sha256"])
            }
        }
    }
}
