import Foundation

/// Converts between instants and local days/times in the policy's zone, and prints
/// instants as ISO 8601 with the local offset (`2024-12-24T09:00:00+08:00`).
///
/// China has had one fixed offset since 1991, so for such zones the offset is computed
/// once; zones with daylight saving ask Foundation per instant.
public struct LocalClock: Sendable {
    /// The zone.
    public let timeZone: TimeZone
    private let fixedOffset: Int?

    /// A clock for `timeZone`.
    public init(timeZone: TimeZone) {
        self.timeZone = timeZone
        let since = Date(timeIntervalSince1970: 694_224_000) // 1992-01-01
        fixedOffset = timeZone.nextDaylightSavingTimeTransition(after: since) == nil
            ? timeZone.secondsFromGMT(for: since) : nil
    }

    /// Seconds east of UTC at `instant`.
    public func offset(at instant: Date) -> Int {
        if let f = fixedOffset, instant.timeIntervalSince1970 >= 694_224_000 { return f }
        return timeZone.secondsFromGMT(for: instant)
    }

    /// The local calendar day `instant` falls on.
    public func day(of instant: Date) -> CivilDate {
        let local = Int(instant.timeIntervalSince1970.rounded(.down)) + offset(at: instant)
        return CivilDate(dayNumber: Int32(local.floorDiv(86400)))
    }

    /// Seconds since local midnight at `instant`.
    public func secondsIntoDay(of instant: Date) -> Int {
        let local = Int(instant.timeIntervalSince1970.rounded(.down)) + offset(at: instant)
        return local - local.floorDiv(86400) * 86400
    }

    /// The instant of `time` on local `day`.
    public func instant(_ day: CivilDate, at seconds: Int) -> Date {
        let naive = Int(day.dayNumber) * 86400 + seconds
        var guess = naive - offset(at: Date(timeIntervalSince1970: TimeInterval(naive)))
        let corrected = naive - offset(at: Date(timeIntervalSince1970: TimeInterval(guess)))
        if corrected != guess { guess = corrected }
        return Date(timeIntervalSince1970: TimeInterval(guess))
    }

    /// The end of a deadline day: 23:59:59 local.
    public func endOf(_ day: CivilDate) -> Date { instant(day, at: 86399) }

    /// `2024-12-24T09:00:00+08:00`.
    public func iso8601(_ instant: Date) -> String {
        let off = offset(at: instant)
        let day = self.day(of: instant)
        let s = secondsIntoDay(of: instant)
        let sign = off < 0 ? "-" : "+"
        let a = abs(off)
        return "\(day.iso)T\(two(s / 3600)):\(two(s / 60 % 60)):\(two(s % 60))\(sign)\(two(a / 3600)):\(two(a / 60 % 60))"
    }

    /// Parses ISO 8601 instants (`2024-12-24T09:00:00+08:00`, `…Z`) and, for convenience,
    /// a bare `2024-12-24` or `2024-12-24T09:00` meaning local time in this zone.
    public func parse(_ text: String) -> Date? {
        if let day = CivilDate(iso: text) { return instant(day, at: 0) }
        let parts = text.split(separator: "T", maxSplits: 1)
        guard parts.count == 2, let day = CivilDate(iso: parts[0]) else { return nil }
        var rest = Substring(parts[1])
        var offset: Int? = nil
        if rest.hasSuffix("Z") {
            offset = 0
            rest = rest.dropLast()
        } else if let signIndex = rest.lastIndex(where: { $0 == "+" || $0 == "-" }) {
            let zone = rest[rest.index(after: signIndex)...].replacingOccurrences(of: ":", with: "")
            guard zone.count == 4, let hh = Int(zone.prefix(2)), let mm = Int(zone.suffix(2)) else { return nil }
            offset = (hh * 3600 + mm * 60) * (rest[signIndex] == "-" ? -1 : 1)
            rest = rest[..<signIndex]
        }
        let hms = rest.split(separator: ":").map { Int($0) }
        guard (2...3).contains(hms.count), hms.allSatisfy({ $0 != nil }) else { return nil }
        let h = hms[0]!, m = hms[1]!, s = hms.count == 3 ? hms[2]! : 0
        guard (0...23).contains(h), (0...59).contains(m), (0...60).contains(s) else { return nil }
        let seconds = h * 3600 + m * 60 + s
        if let off = offset {
            return Date(timeIntervalSince1970: TimeInterval(Int(day.dayNumber) * 86400 + seconds - off))
        }
        return instant(day, at: seconds)
    }

    private func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
}

extension Int {
    /// Division rounding toward negative infinity.
    func floorDiv(_ d: Int) -> Int {
        let q = self / d
        return (self % d != 0 && (self < 0) != (d < 0)) ? q - 1 : q
    }
}
