import Foundation
import Testing
@testable import DudaoCore
@testable import DudaoMessages

struct EncodedWordTests {
    @Test(arguments: [
        "【督办提醒】“允许对食品自动制售设备等新业态发放食品经营许可”距完成时限还有7天",
        "短",
        "Mixed 中文 and ASCII with emoji 🚒🚒🚒 and 𠀀 (outside the BMP)",
        String(repeating: "郑", count: 200),
    ])
    func wordsAreShortWholeAndDecodeBack(_ text: String) throws {
        let words = EncodedWord.encode(text)
        var decoded = ""
        for w in words {
            #expect(w.count <= 75, "\(w.count) chars")
            #expect(w.hasPrefix("=?UTF-8?B?") && w.hasSuffix("?="))
            let payload = Data(base64Encoded: String(w.dropFirst(10).dropLast(2)))!
            let piece = try #require(String(data: payload, encoding: .utf8), "a word splits a character")
            decoded += piece
        }
        #expect(decoded == text)
    }

    @Test func plainASCIIStaysPlain() {
        #expect(EncodedWord.isPlainHeaderText("Weekly report"))
        #expect(!EncodedWord.isPlainHeaderText("a\r\nBcc: x@evil.example"))
        #expect(!EncodedWord.isPlainHeaderText("=?UTF-8?B?x?="))
    }
}

struct EmailMessageTests {
    func email(title: String = "允许对食品自动制售设备等新业态发放食品经营许可", agencyName: String = "市市场监管局 联络员", calendar: String? = nil) -> EmailMessage {
        EmailMessage(from: Mailbox(name: "市政府督查室", address: "duchashi@zhengzhou.example"),
                     to: [Mailbox(name: agencyName, address: "scjgj@zhengzhou.example")],
                     cc: [Mailbox(name: "Leader \"Li\"", address: "leader@zhengzhou.example")],
                     subject: "【督办提醒】“\(title)”距完成时限还有7天",
                     text: "市市场监管局：\n\n" + String(repeating: "很长的一行正文，", count: 300),
                     html: "<p>\(title)</p>", date: Support.clock.parse("2024-12-24T09:00:00+08:00")!,
                     key: "市市场监管局@2024-12-24T09:00:00+08:00", calendar: calendar)
    }

    /// Found by `make fuzz` (mime): a long plain-ASCII subject was written on one line of
    /// more than 998 octets. Now it is folded into encoded words and reads back whole.
    @Test func aLongASCIISubjectIsFoldedAndReadsBack() throws {
        var e = email()
        e.subject = String(repeating: "a", count: 1100) + " end"
        let eml = try e.rfc5322()
        #expect(eml.components(separatedBy: "\r\n").filter { $0.hasPrefix(" =?UTF-8?B?") }.count > 10, "folded over many lines")
        let parsed = try Support.parseWithPython(eml)
        #expect(parsed["subject"] as? String == e.subject)
        #expect((parsed["max_line"] as? Int ?? 999) <= 998)
    }

    /// Found by `make fuzz` (mime) too: a long plain-ASCII display name went on one line.
    @Test func aLongASCIIDisplayNameIsFoldedAndReadsBack() throws {
        let name = String(repeating: "a", count: 1100)
        let e = email(agencyName: name)
        let parsed = try Support.parseWithPython(try e.rfc5322())
        // Python's address parser puts a space between adjacent encoded words; RFC 2047 §6.2 says to drop it.
        let to = try #require((parsed["to"] as? [[String]])?.first)
        #expect(to[0].replacingOccurrences(of: " ", with: "") == name && to[1] == "scjgj@zhengzhou.example")
        #expect((parsed["max_line"] as? Int ?? 999) <= 998)
    }

    @Test func pythonReadsBackEveryPart() throws {
        let parsed = try Support.parseWithPython(try email().rfc5322())
        #expect(parsed["subject"] as? String == "【督办提醒】“允许对食品自动制售设备等新业态发放食品经营许可”距完成时限还有7天")
        #expect(parsed["from"] as? [[String]] == [["市政府督查室", "duchashi@zhengzhou.example"]])
        #expect(parsed["to"] as? [[String]] == [["市市场监管局 联络员", "scjgj@zhengzhou.example"]])
        #expect(parsed["cc"] as? [[String]] == [["Leader \"Li\"", "leader@zhengzhou.example"]])
        #expect((parsed["text"] as? String)?.hasPrefix("市市场监管局：\n\n很长的一行正文") == true)
        #expect(parsed["html"] as? String == "<p>允许对食品自动制售设备等新业态发放食品经营许可</p>")
        #expect(parsed["date"] as? String == "Tue, 24 Dec 2024 09:00:00 +0800")
        #expect(parsed["date_parsed"] as? String == "2024-12-24T09:00:00+08:00")
        #expect((parsed["message_id"] as? String)?.hasSuffix("@zhengzhou.example>") == true)
        #expect(parsed["auto_submitted"] as? String == "auto-generated")
        #expect(parsed["x_dudao_key"] as? String == "市市场监管局@2024-12-24T09:00:00+08:00")
        #expect(parsed["all_crlf"] as? Bool == true)
        #expect((parsed["max_line"] as? Int ?? 999) <= 998)
        #expect((parsed["defects"] as? [String])?.isEmpty == true)
    }

    @Test func headerInjectionFromItemTextAddsNoHeader() throws {
        let evil = "清理事项\r\nBcc: x@evil.example"
        let eml = try email(title: evil, agencyName: "市财政局\r\nBcc: x@evil.example").rfc5322()
        #expect(!eml.contains("\r\nBcc:"))
        let parsed = try Support.parseWithPython(eml)
        let names = (parsed["header_names"] as? [String] ?? []).map { $0.lowercased() }
        #expect(!names.contains("bcc"))
        #expect(names.filter { $0 == "to" }.count == 1)
        #expect(parsed["subject"] as? String == "【督办提醒】“清理事项 Bcc: x@evil.example”距完成时限还有7天")
        #expect(parsed["to"] as? [[String]] == [["市财政局 Bcc: x@evil.example", "scjgj@zhengzhou.example"]])
    }

    @Test func addressesThatCouldBreakTheHeaderAreRefused() {
        for bad in ["a@b.example\r\nBcc: x@evil.example", "a b@c.example", "<a@b.example>", "noat.example", "a@b.example,c@d.example"] {
            #expect(throws: MIMEError.badAddress(bad)) {
                try Mailbox(name: "x", address: bad).headerValue()
            }
        }
    }

    @Test func calendarPartCarriesTheDeadline() throws {
        let ics = ICalendar.deadline(uid: "8/m1/due/2024-12-31@dudao", summary: "【完成时限】事项8：清理设置非必要条件排斥潜在竞争者行为，含逗号；分号",
                                     description: "牵头单位：市财政局\n完成时限：2024年 12月", due: CivilDate(iso: "2024-12-31")!,
                                     stamp: Support.clock.parse("2024-12-24T09:00:00+08:00")!)
        for line in ics.split(separator: "\r\n") { #expect(line.utf8.count <= 75) }
        let parsed = try Support.parseWithPython(try email(calendar: ics).rfc5322())
        #expect(parsed["calendar_due"] as? String == "2024-12-31")
        #expect(parsed["calendar_summary"] as? String == "【完成时限】事项8：清理设置非必要条件排斥潜在竞争者行为，含逗号；分号")
        #expect(parsed["calendar_alarm"] as? Bool == true)
        #expect(parsed["html"] as? String != nil, "the alternative parts are still there")
    }

    @Test func messageIDIsStableForAKey() {
        #expect(email().messageID == email().messageID)
        var other = email()
        other.key = "市财政局@2024-12-24T09:00:00+08:00"
        #expect(other.messageID != email().messageID)
    }
}
