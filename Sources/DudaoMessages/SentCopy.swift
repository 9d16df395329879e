import Foundation
import DudaoCore

/// A message as it was sent, read back from the copy the outbox stores (the 已发送 page):
/// its subject, recipients, plain text and HTML. The copy is JSON whose shape is the
/// channel's: an email's RFC 5322 bytes (`eml`, as `EmailMessage` writes them) with its
/// envelope (`rcpt`), or a robot's rendered `subject`/`text`/`html`. Only Dudao's own
/// copies are read; anything else gives what could be read, never a crash.
public struct SentCopy: Sendable, Equatable {
    public var subject = ""
    public var recipients: [String] = []
    public var text = ""
    public var html = ""
    /// Files the email carried (a 督办通知单, a 督查通报, a calendar entry), in order.
    public var attachments: [Attachment] = []

    /// One attached file as sent.
    public struct Attachment: Sendable, Equatable {
        public var filename: String
        public var mediaType: String
        public var data: Data
    }

    /// The copy stored as `payload`; nil when it was pruned (retention) or unreadable.
    public init?(payload: String) {
        guard !payload.isEmpty, payload.utf8.count <= Self.maxBytes,
              let json = try? JSONSerialization.jsonObject(with: Data(payload.utf8)) as? [String: Any] else { return nil }
        if let eml = json["eml"] as? String, !eml.isEmpty {
            self = SentCopy(eml: eml)
            if let rcpt = json["rcpt"] as? [String], !rcpt.isEmpty { recipients = rcpt }
        } else if let subject = json["subject"] as? String {
            self = SentCopy(eml: "")
            self.subject = subject
            text = json["text"] as? String ?? ""
            html = json["html"] as? String ?? ""
        } else if let mobile = json["mobile"] as? String {
            // An SMS: its text, or the platform's template and values; the number masked.
            self = SentCopy(eml: "")
            recipients = [Mobile.masked(mobile)]
            let template = json["template"] as? String ?? ""
            if template.isEmpty {
                text = json["text"] as? String ?? ""
                subject = "短信：" + text.prefix(30) + (text.count > 30 ? "…" : "")
            } else {
                let values = (json["parameters"] as? [[String]] ?? []).compactMap { $0.count == 2 ? "\($0[0])=\($0[1])" : nil }
                subject = "短信模板 \(template)"
                text = "模板 \(template)：" + values.joined(separator: "；")
            }
        } else {
            return nil
        }
    }

    /// Copies larger than this are not read on a page: Dudao's own are tens of kilobytes.
    static let maxBytes = 8 << 20

    /// The parts of an email `EmailMessage` wrote: headers unfolded, the Subject's encoded
    /// words and the To/Cc addresses decoded, the base64 text/plain and text/html bodies.
    init(eml: String) {
        let lines = eml.components(separatedBy: "\r\n")
        let (headers, i) = Self.headers(lines[...])
        func header(_ name: String) -> String? { headers.first { $0.0 == name }?.1 }
        subject = header("subject").map(Self.decodeWords) ?? ""
        recipients = ["to", "cc"].compactMap(header).flatMap { Self.decodeWords($0).split(separator: ",") }
            .map { $0.trimmingCharacters(in: .whitespaces) }
        text = Self.part("text/plain", in: lines) ?? ""
        html = Self.part("text/html", in: lines) ?? ""
        if let type = header("content-type"), type.lowercased().hasPrefix("multipart/mixed"),
           let b = type.range(of: "boundary=\"") , let end = type[b.upperBound...].firstIndex(of: "\"") {
            attachments = Self.attachments(boundary: String(type[b.upperBound..<end]), in: lines[i...])
        }
    }

    /// The attachments among the parts between `--boundary` lines: each part's headers
    /// (unfolded), its file name (RFC 2231's `filename*` first, else `filename`), its type
    /// and its base64 body.
    static func attachments(boundary: String, in lines: ArraySlice<String>) -> [Attachment] {
        var out: [Attachment] = []
        var k = lines.startIndex
        while k < lines.endIndex {
            guard lines[k] == "--" + boundary else { k += 1; continue }
            let (headers, end) = Self.headers(lines[(k + 1)...])
            k = end
            let start = k + 1
            while k < lines.endIndex, !lines[k].hasPrefix("--" + boundary) { k += 1 }
            guard let disposition = headers.first(where: { $0.0 == "content-disposition" })?.1, disposition.lowercased().hasPrefix("attachment"),
                  start <= k, let data = Data(base64Encoded: lines[start..<k].joined()) else { continue }
            var name = "attachment"
            if let r = disposition.range(of: "filename*=UTF-8''") {
                let raw = disposition[r.upperBound...].prefix { $0 != ";" && $0 != " " }
                name = String(raw).removingPercentEncoding ?? name
            } else if let r = disposition.range(of: "filename=\""), let close = disposition[r.upperBound...].firstIndex(of: "\"") {
                name = String(disposition[r.upperBound..<close])
            }
            let type = headers.first { $0.0 == "content-type" }?.1.split(separator: ";").first.map(String.init) ?? "application/octet-stream"
            out.append(Attachment(filename: name, mediaType: type, data: data))
        }
        return out
    }

    /// The header block at the start of `lines`, names lowercased and folded lines joined,
    /// and the index of the blank line that ends it.
    static func headers(_ lines: ArraySlice<String>) -> (headers: [(String, String)], end: Int) {
        var headers: [(String, String)] = []
        var i = lines.startIndex
        while i < lines.endIndex, !lines[i].isEmpty {
            let line = lines[i]
            if line.first == " " || line.first == "\t", !headers.isEmpty {
                headers[headers.count - 1].1 += " " + line.trimmingCharacters(in: .whitespaces)
            } else if let colon = line.firstIndex(of: ":") {
                headers.append((line[..<colon].lowercased(), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
            }
            i += 1
        }
        return (headers, i)
    }

    /// The base64 body after `Content-Type: TYPE`, decoded, up to the next boundary line.
    static func part(_ type: String, in lines: [String]) -> String? {
        guard let start = lines.firstIndex(where: { $0.lowercased().hasPrefix("content-type: \(type)") }),
              let blank = lines[start...].firstIndex(where: \.isEmpty) else { return nil }
        let body = lines[(blank + 1)...].prefix { !$0.hasPrefix("--") }.joined()
        return Data(base64Encoded: body).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Header text with its `=?UTF-8?B?…?=` words decoded (each word holds whole characters,
    /// as `EncodedWord` writes them); white space between two words is dropped (RFC 2047).
    static func decodeWords(_ value: String) -> String {
        var out = ""
        var rest = Substring(value)
        var lastWasWord = false
        while let open = rest.range(of: "=?") {
            let before = rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].range(of: "?=") else { break }
            let word = rest[open.upperBound..<close.lowerBound]
            let parts = word.split(separator: "?", maxSplits: 2, omittingEmptySubsequences: false)
            if parts.count == 3, parts[0].uppercased() == "UTF-8", parts[1].uppercased() == "B",
               let data = Data(base64Encoded: String(parts[2])) {
                if !(lastWasWord && before.allSatisfy(\.isWhitespace)) { out += before }
                out += String(decoding: data, as: UTF8.self)
                lastWasWord = true
            } else {
                out += rest[..<close.upperBound]
                lastWasWord = false
            }
            rest = rest[close.upperBound...]
        }
        return out + rest
    }
}
