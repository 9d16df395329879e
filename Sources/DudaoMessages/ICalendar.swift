import Foundation
import DudaoCore

/// An RFC 5545 calendar with one all-day VEVENT on a deadline and a VALARM the day before,
/// so the deadline lands in the recipient's calendar.
public enum ICalendar {
    /// The `.ics` text (CRLF lines, folded at 75 octets without splitting characters).
    public static func deadline(uid: String, summary: String, description: String, due: CivilDate, stamp: Date) -> String {
        let next = due.adding(days: 1)
        let lines = [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//Dudao//督办//ZH",
            "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH",
            "BEGIN:VEVENT",
            "UID:\(escape(uid))",
            "DTSTAMP:\(utc(stamp))",
            "DTSTART;VALUE=DATE:\(compact(due))",
            "DTEND;VALUE=DATE:\(compact(next))",
            "SUMMARY:\(escape(summary))",
            "DESCRIPTION:\(escape(description))",
            "TRANSP:TRANSPARENT",
            "BEGIN:VALARM",
            "ACTION:DISPLAY",
            "TRIGGER:-P1D",
            "DESCRIPTION:\(escape(summary))",
            "END:VALARM",
            "END:VEVENT",
            "END:VCALENDAR",
        ]
        return lines.map(fold).joined(separator: "\r\n") + "\r\n"
    }

    /// TEXT value escaping: backslash, semicolon, comma and newlines.
    static func escape(_ s: String) -> String {
        var out = ""
        for c in s {
            switch c {
            case "\\": out += "\\\\"
            case ";": out += "\\;"
            case ",": out += "\\,"
            case "\n", "\r\n", "\r": out += "\\n"
            default: out.append(c)
            }
        }
        return out
    }

    /// Folds a content line at 75 octets, continuing with a space, at character boundaries.
    static func fold(_ line: String) -> String {
        var out = ""
        var width = 0
        for c in line {
            let n = String(c).utf8.count
            if width + n > 75 {
                out += "\r\n "
                width = 1
            }
            out.append(c)
            width += n
        }
        return out
    }

    private static func compact(_ d: CivilDate) -> String { d.iso.replacingOccurrences(of: "-", with: "") }

    private static func utc(_ date: Date) -> String {
        let clock = LocalClock(timeZone: TimeZone(identifier: "UTC")!)
        let iso = clock.iso8601(date) // 2024-12-24T01:00:00+00:00
        return String(iso.prefix(19)).replacingOccurrences(of: "-", with: "").replacingOccurrences(of: ":", with: "") + "Z"
    }
}
