import Foundation

/// policy.yaml `sign:` — every notice to an agency can be signed for (签收); one of the
/// ladder's notices not signed within `withinSeconds` of working time gets one follow-up
/// (by SMS), and until that follow-up reached the agency it does not count as unanswered.
///
/// ```yaml
/// sign: {within: 4h, follow_up: sms, hours: "09:00-12:00,13:30-17:30"}
/// ```
public struct SignPolicy: Hashable, Sendable {
    /// What follows a notice not signed for in time.
    public enum FollowUp: String, Hashable, Sendable {
        /// One SMS to the agency's liaisons, with a reply code.
        case sms
        /// Nothing: the notice shows as 未签收, and the ladder counts it as before.
        case none
    }

    /// Working time (seconds) the agency has to sign.
    public var withinSeconds: Int
    public var followUp: FollowUp
    /// Working hours of a workday.
    public var hours: WorkingHours

    public init(withinSeconds: Int = 4 * 3600, followUp: FollowUp = .sms, hours: WorkingHours = .office) {
        self.withinSeconds = withinSeconds
        self.followUp = followUp
        self.hours = hours
    }
}

/// The hours of a workday the office counts (`09:00-12:00,13:30-17:30`), as minute spans.
public struct WorkingHours: Hashable, Sendable, CustomStringConvertible {
    /// Spans of minutes from midnight, in order, not overlapping.
    public var spans: [Range<Int>]

    public init(spans: [Range<Int>]) { self.spans = spans }

    /// 09:00–12:00 and 13:30–17:30.
    public static let office = WorkingHours(spans: [540..<720, 810..<1050])

    /// Reads `09:00-12:00,13:30-17:30`; nil when it is not spans in order.
    public init?(text: String) {
        var spans: [Range<Int>] = []
        for part in text.split(separator: ",") {
            let ends = part.split(separator: "-").map { $0.trimmingCharacters(in: .whitespaces) }
            guard ends.count == 2, let a = TimeOfDay(text: ends[0]), let b = TimeOfDay(text: ends[1]), a.second == 0, b.second == 0 else { return nil }
            let from = a.hour * 60 + a.minute, to = b.hour * 60 + b.minute
            guard from < to, spans.last.map({ $0.upperBound <= from }) ?? true else { return nil }
            spans.append(from..<to)
        }
        guard !spans.isEmpty else { return nil }
        self.spans = spans
    }

    public var description: String {
        spans.map { String(format: "%02d:%02d-%02d:%02d", $0.lowerBound / 60, $0.lowerBound % 60, $0.upperBound / 60, $0.upperBound % 60) }
            .joined(separator: ",")
    }

    /// The instant `seconds` of working time after `start`, on the workdays of `calendar`.
    public func adding(_ seconds: Int, to start: Date, calendar: WorkCalendar, clock: LocalClock) -> Date {
        var left = seconds
        var day = clock.day(of: start)
        var from = clock.secondsIntoDay(of: start)
        for _ in 0..<800 {
            if calendar.isWorkday(day) {
                for span in spans {
                    let a = max(span.lowerBound * 60, from), b = span.upperBound * 60
                    guard a < b else { continue }
                    if b - a >= left { return clock.instant(day, at: a + left) }
                    left -= b - a
                }
            }
            day = day.adding(days: 1)
            from = 0
        }
        return clock.instant(day, at: 0)
    }
}
