import Foundation
import MultipartKit
import NIOCore

/// The reply form as the browser sends it with files (`multipart/form-data`), parsed with
/// MultipartKit's push parser as the body arrives: fields (at most 64 KB each) in memory,
/// each file straight into a temporary file of its own (at most one byte past
/// `AttachmentStore.maxFileBytes`, so the refusal can say it is too large). The body is
/// never whole in memory; the files are read back memory-mapped, and `discard()` removes
/// them whatever became of the post.
struct ReplyUpload {
    var form = ReplyForm()
    var files: [(name: String, data: Data)] = []
    /// Fields the reply form does not know (a list upload's), by name.
    var fields: [String: String] = [:]
    /// The temporary files behind `files`.
    private(set) var spooled: [String] = []

    /// Why the body could not be read.
    struct Unreadable: Error {}
    /// The body passed `limit`.
    struct TooLarge: Error {}

    static let maxParts = 20
    static let maxFieldBytes = 64 << 10

    /// Reads `body` sent with `contentType` (`multipart/form-data; boundary=…`), at most
    /// `limit` bytes, spooling files into `spool` (created 0700). On a throw, nothing stays.
    static func read<Body: AsyncSequence>(_ body: Body, contentType: String, limit: Int, spool: String) async throws -> ReplyUpload
    where Body.Element == ByteBuffer {
        guard let boundary = parameter("boundary", in: contentType), !boundary.isEmpty, boundary.count <= 200 else { throw Unreadable() }
        for folder in [(spool as NSString).deletingLastPathComponent, spool] where !FileManager.default.fileExists(atPath: folder) {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        let parser = MultipartParser(boundary: boundary)
        var upload = ReplyUpload()
        var headers: [String: String] = [:]
        var field = ByteBuffer()
        // The part being read: a file (spooled, written out in 256 KB pieces: the parser hands
        // over a piece at every CR), a field, or neither (ignored).
        var file: (handle: FileHandle, path: String, name: String, bytes: Int, pending: ByteBuffer)?
        var isField = false, started = false
        var parts = 0
        var failure: Error?
        func flush() {
            guard var f = file, f.pending.readableBytes > 0 else { return }
            f.handle.write(Data(f.pending.readableBytesView))
            f.pending.clear()
            file = f
        }
        parser.onHeader = { name, value in headers[name.lowercased()] = value }
        parser.onBody = { chunk in
            guard failure == nil else { return }
            if !started {
                started = true
                let disposition = headers["content-disposition"] ?? ""
                if let filename = parameter("filename", in: disposition) {
                    guard !filename.isEmpty else { return }
                    let path = (spool as NSString).appendingPathComponent(UUID().uuidString)
                    guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]),
                          let handle = FileHandle(forWritingAtPath: path) else { failure = Unreadable(); return }
                    upload.spooled.append(path)
                    file = (handle, path, filename, 0, ByteBuffer())
                } else {
                    isField = true
                }
            }
            if var f = file {
                let room = AttachmentStore.maxFileBytes + 1 - f.bytes
                guard room > 0 else { return }
                var piece = chunk.readableBytes <= room ? chunk : chunk.getSlice(at: chunk.readerIndex, length: room)!
                f.bytes += piece.readableBytes
                f.pending.writeBuffer(&piece)
                file = f
                if f.pending.readableBytes >= 256 << 10 { flush() }
            } else if isField {
                guard field.readableBytes + chunk.readableBytes <= maxFieldBytes else { failure = Unreadable(); return }
                var chunk = chunk
                field.writeBuffer(&chunk)
            }
        }
        parser.onPartComplete = {
            parts += 1
            if parts > maxParts { failure = Unreadable() }
            if file != nil {
                flush()
                let f = file!
                try? f.handle.close()
                if f.bytes > 0, let data = try? Data(contentsOf: URL(fileURLWithPath: f.path), options: .alwaysMapped) {
                    upload.files.append((f.name, data))
                }
            } else if isField, let name = parameter("name", in: headers["content-disposition"] ?? "") {
                upload.set(name, String(decoding: field.readableBytesView, as: UTF8.self))
            }
            headers = [:]
            field = ByteBuffer()
            file = nil
            isField = false
            started = false
        }
        do {
            var total = 0
            for try await chunk in body {
                total += chunk.readableBytes
                guard total <= limit else { throw TooLarge() }
                try parser.execute(chunk)
                if let failure { throw failure }
            }
        } catch {
            try? file?.handle.close()
            upload.discard()
            throw error
        }
        return upload
    }

    private mutating func set(_ name: String, _ value: String) {
        switch name {
        case "action": form.action = value
        case "item": form.item = value
        case "text": form.text = value
        case "percent": form.percent = value
        case "next_report": form.next_report = value
        case "new_due": form.new_due = value
        case "submission": form.submission = value
        default: fields[name] = value
        }
    }

    /// Removes the spooled files (what was kept has been copied into the attachments).
    func discard() {
        for path in spooled { try? FileManager.default.removeItem(atPath: path) }
    }

    /// `name=value` or `name="value"` in a header value.
    static func parameter(_ name: String, in header: String) -> String? {
        for piece in header.split(separator: ";").dropFirst() {
            let pair = piece.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces).lowercased() == name else { continue }
            var value = pair[1].trimmingCharacters(in: .whitespaces)
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
            return value
        }
        return nil
    }
}
