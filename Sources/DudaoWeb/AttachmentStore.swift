import Foundation
import Crypto
import DudaoStore

/// Files agencies attach to reports, under `STATE/attachments/SHA256` — or in the state store
/// when two machines share it (`StateStore.keepsFiles`). A file is accepted
/// only when its bytes are what its name says — PDF, PNG, JPEG, Office (docx/xlsx/pptx, or
/// the older doc/xls/ppt) or OFD — and it is within the size limits; it is never served
/// inline, so a disguised page cannot run in the console's origin.
public struct AttachmentStore: Sendable {
    /// The folder.
    public let directory: String
    /// Largest file, bytes.
    public static let maxFileBytes = 10 << 20
    /// Most files on one report.
    public static let maxFiles = 5
    /// Largest reply form with its files, bytes.
    public static let maxFormBytes = maxFiles * maxFileBytes + (256 << 10)
    /// Files one agency may keep in all, bytes (each content counted once): 500 MB.
    public let agencyQuota: Int

    /// The shared store that keeps the files instead of the folder.
    let shared: StateStore?

    /// The store under `stateDirectory/attachments`, or in `store` when it is shared.
    public init(stateDirectory: String, store: StateStore? = nil, agencyQuota: Int = 500 << 20) {
        self.agencyQuota = agencyQuota
        directory = (stateDirectory as NSString).appendingPathComponent("attachments")
        shared = store?.keepsFiles == true ? store : nil
    }

    /// Where the file with `sha256` lives in the folder.
    func path(_ sha256: String) -> String { (directory as NSString).appendingPathComponent(sha256) }

    /// The bytes of the file with `sha256`, if kept.
    func contents(_ sha256: String) -> Data? {
        if let shared { return try? shared.file(sha256: sha256) }
        return FileManager.default.contents(atPath: path(sha256))
    }

    /// Why a file was refused, in words for the agency.
    struct Refusal: Error { let text: String }

    /// A file that passed the checks, not yet written.
    struct Checked {
        let attachment: Attachment
        let data: Data
    }

    /// Checks `data` named `filename` and writes it (once per content); the attachment to record.
    func save(filename: String, data: Data) throws(Refusal) -> Attachment {
        try write(try check(filename: filename, data: data))
    }

    /// Checks `data` named `filename` without writing anything: a post is checked whole
    /// before any of its files is kept, so a refused one leaves nothing on disk.
    func check(filename: String, data: Data) throws(Refusal) -> Checked {
        let name = Self.cleanName(filename)
        guard !data.isEmpty else { throw Refusal(text: "附件“\(name)”是空文件。") }
        guard data.count <= Self.maxFileBytes else { throw Refusal(text: "附件“\(name)”超过\(Self.maxFileBytes >> 20) MB。") }
        guard let type = Self.type(of: data, named: name) else {
            throw Refusal(text: "附件“\(name)”的类型不受支持或与扩展名不符（可上传 PDF、图片、Word、Excel、PPT、OFD）。")
        }
        let sha = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
        return Checked(attachment: Attachment(filename: name, type: type, size: data.count, sha256: sha), data: data)
    }

    /// Writes a checked file (once per content); the attachment to record.
    func write(_ checked: Checked) throws(Refusal) -> Attachment {
        let (data, sha, name, type) = (checked.data, checked.attachment.sha256, checked.attachment.filename, checked.attachment.type)
        if let shared {
            do { try shared.saveFile(sha256: sha, bytes: data) } catch {
                throw Refusal(text: "附件“\(name)”无法保存，请稍后再试。")
            }
            return Attachment(filename: name, type: type, size: data.count, sha256: sha)
        }
        let target = path(sha)
        if !FileManager.default.fileExists(atPath: target) {
            do {
                // The agencies' files are theirs and the office's: the folder 0700, files 0600.
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
                let temp = target + ".part"
                guard FileManager.default.createFile(atPath: temp, contents: data, attributes: [.posixPermissions: 0o600]) else {
                    throw Refusal(text: "附件“\(name)”无法保存，请稍后再试。")
                }
                try FileManager.default.moveItem(atPath: temp, toPath: target)
            } catch {
                throw Refusal(text: "附件“\(name)”无法保存，请稍后再试。")
            }
        }
        return Attachment(filename: name, type: type, size: data.count, sha256: sha)
    }

    /// The last path component, without control characters, at most 120 characters.
    static func cleanName(_ filename: String) -> String {
        let last = filename.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let clean = String(last.unicodeScalars.filter { $0.value >= 32 && $0.value != 127 }.map(Character.init))
        return clean.isEmpty ? "附件" : String(clean.suffix(120))
    }

    /// The type the bytes prove, if it matches the name's extension: the format's head and,
    /// where it has one, its end (a PDF's `%%EOF`, a PNG's IEND, a JPEG's end marker), and
    /// for Office files the parts the format requires.
    static func type(of data: Data, named name: String) -> String? {
        let ext = (name as NSString).pathExtension.lowercased()
        let head = [UInt8](data.prefix(16))
        let tail = [UInt8](data.suffix(1024))
        func starts(_ bytes: [UInt8]) -> Bool { head.count >= bytes.count && Array(head.prefix(bytes.count)) == bytes }
        func contains(_ text: String) -> Bool { data.range(of: Data(text.utf8)) != nil }
        func ends(_ bytes: [UInt8], within slack: Int) -> Bool {
            let last = Array(tail.suffix(bytes.count + slack))
            return (0...max(0, last.count - bytes.count)).contains { Array(last[$0..<min(last.count, $0 + bytes.count)]) == bytes }
        }
        switch ext {
        case "pdf": return starts(Array("%PDF-".utf8)) && ends(Array("%%EOF".utf8), within: 1000) ? "pdf" : nil
        case "png":
            return starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) && head.count >= 16 && Array(head[12..<16]) == Array("IHDR".utf8)
                && ends(Array("IEND".utf8) + [0xAE, 0x42, 0x60, 0x82], within: 0) ? "png" : nil
        case "jpg", "jpeg": return starts([0xFF, 0xD8, 0xFF]) && ends([0xFF, 0xD9], within: 32) ? "jpeg" : nil
        case "docx", "xlsx", "pptx", "ofd":
            let inside = ["docx": "word/", "xlsx": "xl/", "pptx": "ppt/", "ofd": "OFD.xml"][ext]!
            let types = ext == "ofd" || contains("[Content_Types].xml")
            return starts([0x50, 0x4B, 0x03, 0x04]) && contains(inside) && types ? ext : nil
        case "doc", "xls", "ppt": return starts([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) ? ext : nil
        default: return nil
        }
    }

    /// The media type a stored file is served with (always as a download).
    static func mediaType(_ type: String) -> String {
        switch type {
        case "pdf": "application/pdf"
        case "png": "image/png"
        case "jpeg": "image/jpeg"
        case "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        case "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        case "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation"
        case "doc": "application/msword"
        case "xls": "application/vnd.ms-excel"
        case "ppt": "application/vnd.ms-powerpoint"
        default: "application/octet-stream"
        }
    }
}
