import Foundation
import DudaoCore

/// An email ready to send: RFC 5322 headers, a multipart/alternative body (text, then
/// HTML), optionally a text/calendar attachment, all lines CRLF-terminated.
///
/// Header data never reaches the wire raw: non-ASCII or control characters (CR/LF from an
/// item title, say) travel inside RFC 2047 encoded words, where they cannot start a new
/// header; addresses with such characters are refused.
public struct EmailMessage: Sendable {
    /// Sender.
    public var from: Mailbox
    /// Addressees.
    public var to: [Mailbox]
    /// Copies.
    public var cc: [Mailbox]
    /// Subject, any text.
    public var subject: String
    /// text/plain body.
    public var text: String
    /// text/html body.
    public var html: String
    /// The send instant, written as `Date` in `utcOffsetSeconds`.
    public var date: Date
    /// Offset for the `Date` header (+0800 for China).
    public var utcOffsetSeconds: Int
    /// Dedup key, carried in `X-Dudao-Key` and used to derive a stable `Message-ID`.
    public var key: String
    /// Optional `.ics` attachment (see `ICalendar`).
    public var calendar: String?
    /// Files attached (a 督办通知单, a 督查通报), after the calendar.
    public var attachments: [Attachment] = []

    /// A file attached to an email.
    public struct Attachment: Sendable {
        /// Shown to the reader (any text; sent RFC 2231-encoded beside an ASCII fallback).
        public var filename: String
        /// The same name in ASCII for mail clients without RFC 2231.
        public var asciiName: String
        public var mediaType: String
        public var data: Data

        public init(filename: String, asciiName: String, mediaType: String, data: Data) {
            self.filename = filename
            self.asciiName = asciiName
            self.mediaType = mediaType
            self.data = data
        }
    }

    /// An email from its parts.
    public init(from: Mailbox, to: [Mailbox], cc: [Mailbox] = [], subject: String, text: String, html: String,
                date: Date, utcOffsetSeconds: Int = 8 * 3600, key: String, calendar: String? = nil) {
        self.from = from
        self.to = to
        self.cc = cc
        self.subject = subject
        self.text = text
        self.html = html
        self.date = date
        self.utcOffsetSeconds = utcOffsetSeconds
        self.key = key
        self.calendar = calendar
    }

    /// `<dudao.1f0c…@zhengzhou.example>`: derived from the key, so a resend after a crash
    /// carries the same id and mail clients can fold the duplicate.
    public var messageID: String {
        let domain = from.address.split(separator: "@").last.map(String.init) ?? "dudao.invalid"
        return "<dudao.\(Self.fnv1a(key)).\(Self.fnv1a(key + "|" + String(Int(date.timeIntervalSince1970))))@\(domain)>"
    }

    /// The envelope recipients (To and Cc addresses).
    public var recipients: [String] { (to + cc).map(\.address) }

    /// The message as sent on the wire.
    public func rfc5322() throws(MIMEError) -> String {
        var lines: [String] = []
        func header(_ name: String, _ pieces: [String]) {
            lines.append("\(name): " + pieces.joined(separator: "\r\n "))
        }
        func textHeader(_ name: String, _ raw: String) {
            let value = EncodedWord.headerText(raw)
            // Plain only when it fits one 78-character line; longer text goes as encoded
            // words, which fold, so no line can pass RFC 5322's 998 octets.
            let plain = EncodedWord.isPlainHeaderText(value) && name.count + 2 + value.utf8.count <= 78
            header(name, plain ? [value] : EncodedWord.encode(value))
        }
        func mailboxes(_ name: String, _ list: [Mailbox]) throws(MIMEError) {
            var pieces: [String] = []
            for (i, m) in list.enumerated() {
                var v = try m.headerValue()
                if i < list.count - 1 { v[v.count - 1] += "," }
                pieces += v
            }
            header(name, pieces)
        }
        guard !to.isEmpty else { throw MIMEError.badHeader("To: (nobody)") }
        textHeader("Date", MailDate.format(date, utcOffsetSeconds: utcOffsetSeconds))
        try mailboxes("From", [from])
        try mailboxes("To", to)
        if !cc.isEmpty { try mailboxes("Cc", cc) }
        textHeader("Subject", subject)
        header("Message-ID", [messageID])
        textHeader("X-Dudao-Key", key)
        header("Auto-Submitted", ["auto-generated"])
        header("MIME-Version", ["1.0"])

        let boundary = "=_dudao_alt_\(Self.fnv1a(key))"
        var body: [String] = []
        let alternative = [
            "Content-Type: multipart/alternative; boundary=\"\(boundary)\"",
            "",
            "--\(boundary)",
            "Content-Type: text/plain; charset=UTF-8",
            "Content-Transfer-Encoding: base64",
            "",
        ] + Base64Lines.encode(text) + [
            "--\(boundary)",
            "Content-Type: text/html; charset=UTF-8",
            "Content-Transfer-Encoding: base64",
            "",
        ] + Base64Lines.encode(html) + ["--\(boundary)--"]
        var parts: [[String]] = []
        if let calendar {
            parts.append([
                "Content-Type: text/calendar; charset=UTF-8; method=PUBLISH",
                "Content-Disposition: attachment; filename=\"deadline.ics\"",
                "Content-Transfer-Encoding: base64",
                "",
            ] + Base64Lines.encode(calendar))
        }
        for a in attachments {
            let ascii = a.asciiName.filter { $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }
            let encoded = a.filename.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: ".-_"))) ?? ascii
            parts.append([
                "Content-Type: \(a.mediaType); name=\"\(ascii)\"",
                // RFC 2231's name first: readers that know it take the first filename.
                "Content-Disposition: attachment; filename*=UTF-8''\(encoded);",
                " filename=\"\(ascii)\"",
                "Content-Transfer-Encoding: base64",
                "",
            ] + Base64Lines.encode(a.data))
        }
        if !parts.isEmpty {
            let mixed = "=_dudao_mix_\(Self.fnv1a(key))"
            lines.append("Content-Type: multipart/mixed; boundary=\"\(mixed)\"")
            body = ["", "--\(mixed)"] + alternative + parts.flatMap { ["--\(mixed)"] + $0 } + ["--\(mixed)--"]
        } else {
            lines.append(alternative[0])
            body = Array(alternative.dropFirst())
        }
        return (lines + body).joined(separator: "\r\n") + "\r\n"
    }

    /// 64-bit FNV-1a of the UTF-8, as 16 hex digits: a stable, non-cryptographic id.
    public static func fnv1a(_ s: String) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in s.utf8 {
            h ^= UInt64(b)
            h = h &* 0x100_0000_01b3
        }
        let hex = String(h, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}

/// Base64 in lines of 76 characters (RFC 2045).
enum Base64Lines {
    static func encode(_ text: String) -> [String] { encode(Data(text.utf8)) }

    static func encode(_ data: Data) -> [String] {
        let b64 = Array(data.base64EncodedData())
        return stride(from: 0, to: b64.count, by: 76).map { String(decoding: b64[$0..<min($0 + 76, b64.count)], as: UTF8.self) }
    }
}

/// RFC 5322 dates: `Tue, 24 Dec 2024 09:00:00 +0800`, English names whatever the locale.
public enum MailDate {
    static let days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// `date` at a fixed UTC offset.
    public static func format(_ date: Date, utcOffsetSeconds: Int) -> String {
        let local = Int(date.timeIntervalSince1970) + utcOffsetSeconds
        let s = ((local % 86400) + 86400) % 86400
        let day = CivilDate(dayNumber: Int32((local - s) / 86400))
        let sign = utcOffsetSeconds < 0 ? "-" : "+"
        let off = abs(utcOffsetSeconds)
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(days[day.isoWeekday - 1]), \(day.day) \(months[day.month - 1]) \(day.year) \(two(s / 3600)):\(two(s / 60 % 60)):\(two(s % 60)) \(sign)\(two(off / 3600))\(two(off / 60 % 60))"
    }
}
