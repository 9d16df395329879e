import Foundation
import DudaoCore

/// When an SMS may go: on official workdays, outside the quiet hours (`sms.quiet`,
/// 20:00–08:00 unless configured), in the policy's time zone. Pure.
public struct SMSWindow: Sendable {
    /// Quiet from this minute of the day until that one (wrapping past midnight when from > until).
    public var quiet: (from: Int, until: Int)
    public var calendar: WorkCalendar
    public var clock: LocalClock
    /// False when days off are not quiet.
    public var workdaysOnly: Bool

    public init(quiet: (from: Int, until: Int), calendar: WorkCalendar, clock: LocalClock, workdaysOnly: Bool = true) {
        self.quiet = quiet
        self.calendar = calendar
        self.clock = clock
        self.workdaysOnly = workdaysOnly
    }

    func isOpen(_ day: CivilDate) -> Bool { !workdaysOnly || calendar.isWorkday(day) }

    func isQuiet(minute m: Int) -> Bool {
        if quiet.from == quiet.until { return false }
        return quiet.from < quiet.until ? (m >= quiet.from && m < quiet.until) : (m >= quiet.from || m < quiet.until)
    }

    /// The first instant at or after `date` an SMS may go.
    public func next(atOrAfter date: Date) -> Date {
        var t = date
        for _ in 0..<800 {
            let day = clock.day(of: t)
            let minute = clock.secondsIntoDay(of: t) / 60
            if isOpen(day), !isQuiet(minute: minute) { return t }
            // Quiet in the morning of a workday: at its end. Otherwise: the next day begins.
            if isOpen(day), quiet.from > quiet.until, minute < quiet.until {
                t = clock.instant(day, at: quiet.until * 60)
            } else if isOpen(day), quiet.from < quiet.until, minute >= quiet.from, minute < quiet.until {
                t = clock.instant(day, at: quiet.until * 60)
            } else {
                t = clock.instant(day.adding(days: 1), at: 0)
            }
        }
        return t
    }
}
