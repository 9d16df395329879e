import Foundation
import MultipartKit
import NIOCore

/// The reply form as the browser sends it with files (`multipart/form-data`): its fields
/// and its files, parsed with MultipartKit from a body already bounded in size.
struct ReplyUpload {
    var form = ReplyForm()
    var files: [(name: String, data: Data)] = []

    /// Why the body could not be read.
    struct Unreadable: Error {}

    /// Parses `body` sent with `contentType` (`multipart/form-data; boundary=…`).
    init(body: ByteBuffer, contentType: String) throws {
        guard let boundary = Self.parameter("boundary", in: contentType), !boundary.isEmpty, boundary.count <= 200 else { throw Unreadable() }
        let parser = MultipartParser(boundary: boundary)
        var parts: [(headers: [String: String], body: ByteBuffer)] = []
        var headers: [String: String] = [:]
        var current = ByteBuffer()
        parser.onHeader = { name, value in headers[name.lowercased()] = value }
        parser.onBody = { chunk in current.writeBuffer(&chunk) }
        parser.onPartComplete = {
            parts.append((headers, current))
            headers = [:]
            current = ByteBuffer()
        }
        try parser.execute(body)
        guard parts.count <= 20 else { throw Unreadable() }
        for part in parts {
            guard let disposition = part.headers["content-disposition"], let name = Self.parameter("name", in: disposition) else { continue }
            if let filename = Self.parameter("filename", in: disposition) {
                if !filename.isEmpty, part.body.readableBytes > 0 { files.append((filename, Data(part.body.readableBytesView))) }
                continue
            }
            let value = String(decoding: part.body.readableBytesView, as: UTF8.self)
            switch name {
            case "action": form.action = value
            case "item": form.item = value
            case "text": form.text = value
            case "percent": form.percent = value
            case "next_report": form.next_report = value
            case "new_due": form.new_due = value
            case "submission": form.submission = value
            default: break
            }
        }
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
