import Foundation
import DudaoCore
import DudaoSchedules

/// Excel's numbers as text: dates by their number format, in the 1900 or the 1904 system.
enum ExcelDate {
    /// Built-in date formats: 14–22, 45–47 and the East Asian 27–36 and 50–58.
    static let builtInDates: Set<Int> = Set(14...22).union(45...47).union(27...36).union(50...58)

    /// True when format `id` (with `code` for a custom one) shows a date: a built-in date
    /// format, or a code with a year or day (`y`, `d`, 年, 月, 日), or months without hours
    /// or seconds (`m` alone is minutes in `h:mm`), outside quotes and brackets (`[$-804]`).
    static func isDateFormat(id: Int, code: String?) -> Bool {
        if builtInDates.contains(id) { return true }
        guard let code else { return false }
        var inQuotes = false, inBrackets = false
        var dated = false, months = false, time = false
        for c in code.lowercased() {
            if c == "\"" { inQuotes.toggle(); continue }
            if inQuotes { continue }
            if c == "[" { inBrackets = true; continue }
            if c == "]" { inBrackets = false; continue }
            if inBrackets { continue }
            switch c {
            case "y", "d", "年", "月", "日": dated = true
            case "m": months = true
            case "h", "s": time = true
            default: break
            }
        }
        return dated || (months && !time)
    }

    /// `2024年12月31日` for a date serial; `nil` when out of range.
    static func text(serial: Double, date1904: Bool) -> String? {
        guard serial >= 1, serial < 2_958_466 else { return nil }
        let days = Int(serial.rounded(.down))
        // The 1900 system counts a 29 February 1900 that never was (Lotus's bug), so from
        // serial 61 on, day 0 is 30 December 1899.
        let epoch = date1904 ? CivilDate(year: 1904, month: 1, day: 1)! : CivilDate(year: 1899, month: 12, day: days >= 61 ? 30 : 31)!
        let date = CivilDate(dayNumber: epoch.dayNumber + Int32(days))
        return date.chinese
    }

    /// A number as Excel shows it in General format: whole numbers without `.0`, others to
    /// 15 significant digits (so 2.3 stays 2.3, not 2.2999999999999998).
    static func number(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        var text = String(format: "%.15g", value)
        if text.contains("."), !text.contains("e") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text
    }
}
