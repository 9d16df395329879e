/// Parses 完成时间 cells — `2024年12月底前`, `二〇二四年第三季度`, `2024年3月—6月`,
/// `持续推进`, several dated clauses in one cell — into a `Deadline`.
///
/// The grammar is DESIGN.md's table. Parsing is two-step: a syntactic scan that never
/// fails (it matches or not), then validation that throws with a precise reason, so a
/// typo such as `2024年13月` is reported instead of being swallowed as free text.
public struct DeadlineParser: Sendable {
    /// Year for phrases written without one (`6月底前`, `年底前`); from `--year` or the list title.
    public var defaultYear: Int?

    /// A parser; `defaultYear` completes year-less phrases.
    public init(defaultYear: Int? = nil) { self.defaultYear = defaultYear }

    /// Words meaning "no due date, keep going".
    static let ongoingPhrases = [
        "常态化推进", "常态化开展", "持续推进", "持续开展", "持续实施", "长期坚持", "长期推进",
        "长期开展", "常态化", "长期", "持续",
    ]
    /// Labels that may stand before a date (`完成时限：2024年底`).
    static let labels = [
        "完成时限", "完成时间", "完成期限", "时间节点", "截止时间", "截止日期", "力争在", "力争于",
        "计划于", "时限", "时间", "期限", "截止", "截至", "力争", "争取", "计划", "预计", "于", "在",
    ]
    /// Words joining a clause to the one before (`…；此后持续推进`).
    static let connectors = ["此后", "之后", "以后", "后续", "其后", "并且", "同时", "并", "且"]
    static let separators: Set<Character> = ["；", ";", "，", ",", "、", "。", "：", ":"]
    static let rangeSeparators = ["——", "—", "–", "-", "~", "～", "至", "到"]

    /// Parses one cell. Throws `DeadlineError` naming the text and what is wrong with it.
    public func parse(_ text: String) throws(DeadlineError) -> Deadline {
        var chars = DeadlineText.normalize(text)
        while let last = chars.last, Self.separators.contains(last) || last == "." { chars.removeLast() }
        guard !chars.isEmpty else { throw DeadlineError(text: text, reason: "空白 empty") }

        var cur = Cursor(chars: chars)
        var milestones: [MilestoneDue] = []
        var ongoing = false
        // A year written in the cell carries to its later year-less clauses, before the
        // list's: `2024年6月底前出台方案，12月底前全面完成` means December 2024 whatever the title says.
        var carried: Int? = nil
        while true {
            cur.skip(Self.separators)
            _ = cur.consumeAny(Self.connectors)
            if cur.atEnd { break }
            let begin = cur.i
            if cur.consumeAny(Self.ongoingPhrases) != nil {
                ongoing = true
                readDescription(&cur)
                continue
            }
            _ = cur.consumeAny(Self.labels)
            cur.skip([":", "："])
            let afterLabel = cur.i
            guard let range = scanRange(&cur) else {
                throw DeadlineError(text: text, reason: Self.unrecognised(chars, at: afterLabel))
            }
            let (first, last) = try resolve(range, carried: carried, text: text)
            if let written = range.end.year ?? range.start.year, written > 0 { carried = written }
            // `2024年4月起持续推进`: the date is when the work starts, not a deadline.
            var probe = cur
            if probe.consumeAny(["起", "开始"]) != nil {
                probe.skip(Self.separators)
                if probe.consumeAny(Self.ongoingPhrases) != nil {
                    cur = probe
                    ongoing = true
                    readDescription(&cur)
                    continue
                }
            }
            let verb = cur.consumeAny(["前完成", "完成", "前"]) != nil
            if !cur.atEnd, !Self.separators.contains(cur.peek!), !(range.end.hasSuffix || verb), !Self.startsAction(cur) {
                throw DeadlineError(text: text, reason: "日期后有无法识别的文字 unexpected text after the date: “\(String(chars[cur.i...]))”")
            }
            readDescription(&cur)
            let clause = String(chars[begin..<cur.i])
            milestones.append(MilestoneDue(due: last, start: range.isWindow ? first : nil, text: clause))
        }
        if milestones.count == 1, !ongoing {
            milestones[0].text = text.trimmingWhitespace
        }
        return Deadline(text: text, milestones: milestones, ongoing: ongoing)
    }

    // MARK: Clauses

    /// Advances over free text until a separator that starts a new dated or ongoing clause.
    private func readDescription(_ cur: inout Cursor) {
        while !cur.atEnd {
            if Self.separators.contains(cur.peek!) {
                var probe = cur
                probe.skip(Self.separators)
                _ = probe.consumeAny(Self.connectors)
                if probe.atEnd || probe.consumeAny(Self.ongoingPhrases) != nil { return }
                _ = probe.consumeAny(Self.labels)
                probe.skip([":", "："])
                if scanRange(&probe) != nil { return }
            }
            cur.i += 1
        }
    }

    /// Words after a date that make it vague or not a deadline (`12月左右`, `6月以后`).
    static let vagueWords = ["左右", "前后", "上下", "以后", "之后", "以来", "后", "起", "开始", "许"]

    /// True when the text after a date is the work due then (`下半年总结推广`,
    /// `3月出台方案`): Chinese words, not a vague word, a digit or a letter.
    private static func startsAction(_ cur: Cursor) -> Bool {
        guard let c = cur.peek, let scalar = c.unicodeScalars.first, (0x4E00...0x9FFF).contains(scalar.value) else { return false }
        var probe = cur
        return probe.consumeAny(vagueWords) == nil
    }

    private static func unrecognised(_ chars: [Character], at i: Int) -> String {
        let rest = String(chars[min(i, chars.count)...])
        if rest.isEmpty { return "缺少日期 no date after the label" }
        return "不是可识别的日期或“持续推进”类用语 not a date or an ongoing phrase: “\(rest)”"
    }

    // MARK: Syntax (never throws)

    /// What the text names, before validation.
    struct RawPeriod {
        enum Unit { case year, firstHalf, secondHalf, midYear, quarter(Int), month(Int), tenDays(Int, Int), day(Int, Int) }
        var year: Int?
        var unit: Unit
        var hasSuffix = false
    }

    struct RawRange {
        var start: RawPeriod
        var end: RawPeriod
        var isWindow: Bool
    }

    private func scanRange(_ cur: inout Cursor) -> RawRange? {
        // `2024—2025年`: a span of whole years with 年 written once, at its end.
        let start = cur.i
        if let year = cur.digits(exactly: 4), cur.consumeAny(Self.rangeSeparators) != nil, let second = scanPeriod(&cur),
           second.year != nil, case .year = second.unit {
            return RawRange(start: RawPeriod(year: year, unit: .year), end: second, isWindow: true)
        }
        cur.i = start
        guard let first = scanPeriod(&cur) else { return nil }
        let save = cur.i
        if cur.consumeAny(Self.rangeSeparators) != nil, let second = scanPeriod(&cur) {
            return RawRange(start: first, end: second, isWindow: true)
        }
        cur.i = save
        return RawRange(start: first, end: first, isWindow: false)
    }

    private func scanPeriod(_ cur: inout Cursor) -> RawPeriod? {
        let save = cur.i
        if var p = scanNumericDate(&cur) ?? scanChineseDate(&cur) {
            p.hasSuffix = scanSuffix(&cur)
            return p
        }
        cur.i = save
        return nil
    }

    /// `2024.12`, `2024-12-31`, `2024/9/30`: how Excel writes dates.
    private func scanNumericDate(_ cur: inout Cursor) -> RawPeriod? {
        let save = cur.i
        guard let year = cur.digits(exactly: 4), let sep = cur.peek, [".", "/", "-"].contains(sep) else {
            cur.i = save; return nil
        }
        cur.i += 1
        guard let month = cur.digits(upTo: 2) else { cur.i = save; return nil }
        let afterMonth = cur.i
        if cur.peek == sep {
            cur.i += 1
            if let day = cur.digits(upTo: 2) {
                return RawPeriod(year: year, unit: .day(month, day))
            }
            cur.i = afterMonth
        }
        return RawPeriod(year: year, unit: .month(month))
    }

    private func scanChineseDate(_ cur: inout Cursor) -> RawPeriod? {
        let save = cur.i
        var year: Int? = nil
        if let y = cur.yearDigits(), cur.consume("年") {
            year = y
        } else {
            cur.i = save
            if cur.consumeAny(["今年", "当年", "本年"]) != nil { year = defaultYear ?? -1 }
        }
        if cur.consume("上半年") { return RawPeriod(year: year, unit: .firstHalf) }
        if cur.consume("下半年") { return RawPeriod(year: year, unit: .secondHalf) }
        if let q = scanQuarter(&cur) { return RawPeriod(year: year, unit: .quarter(q)) }
        let beforeMonth = cur.i
        if let m = cur.smallNumber(), cur.consume("月") {
            _ = cur.consume("份")
            let beforeDay = cur.i
            if let d = cur.smallNumber(), cur.consumeAny(["日", "号"]) != nil {
                return RawPeriod(year: year, unit: .day(m, d))
            }
            cur.i = beforeDay
            if cur.consume("上旬") { return RawPeriod(year: year, unit: .tenDays(m, 0)) }
            if cur.consume("中旬") { return RawPeriod(year: year, unit: .tenDays(m, 1)) }
            if cur.consume("下旬") { return RawPeriod(year: year, unit: .tenDays(m, 2)) }
            return RawPeriod(year: year, unit: .month(m))
        }
        cur.i = beforeMonth
        // Year-level phrases: 2024年底, 2024年年底, 年底前, 2024年中, 2024年度, 2024年.
        let yearWord = cur.consume("年")
        if year != nil || yearWord {
            if cur.consumeAny(["底", "末", "内"]) != nil { return RawPeriod(year: year, unit: .year, hasSuffix: true) }
            if cur.consume("中") { return RawPeriod(year: year, unit: .midYear) }
            if year != nil {
                _ = cur.consume("度")
                return RawPeriod(year: year, unit: .year)
            }
        }
        cur.i = save
        return nil
    }

    /// `第三季度`, `三季度`, `第3季`, `Q3`.
    private func scanQuarter(_ cur: inout Cursor) -> Int? {
        let save = cur.i
        if cur.consumeAny(["Q", "q"]) != nil, let c = cur.peek, let n = DeadlineText.digit(c), DeadlineText.isASCIIDigit(c) {
            cur.i += 1
            return n
        }
        cur.i = save
        _ = cur.consume("第")
        if let c = cur.peek, let n = DeadlineText.digit(c) {
            cur.i += 1
            if cur.consumeAny(["季度", "季"]) != nil { return n }
        }
        cur.i = save
        return nil
    }

    /// `底`/`末`, then `前`/`以前`/`之前`, optionally in parentheses: `2024年9月30日(前)`.
    private func scanSuffix(_ cur: inout Cursor) -> Bool {
        var found = false
        for _ in 0..<2 {
            let save = cur.i
            let paren = cur.consume("(")
            var inner = false
            if cur.consumeAny(["底", "末"]) != nil { inner = true }
            if cur.consumeAny(["以前", "之前", "前"]) != nil { inner = true }
            if inner, !paren || cur.consume(")") {
                found = true
            } else {
                cur.i = save
                break
            }
        }
        return found
    }

    // MARK: Meaning (throws)

    private func resolve(_ range: RawRange, carried: Int?, text: String) throws(DeadlineError) -> (CivilDate, CivilDate) {
        let startYear = range.start.year ?? carried ?? defaultYear ?? range.end.year
        let first = try bounds(of: range.start, year: startYear, text: text)
        guard range.isWindow else { return first }
        let last = try bounds(of: range.end, year: range.end.year ?? first.0.year, text: text)
        guard last.1 >= first.0 else {
            throw DeadlineError(text: text, reason: "时间段结束早于开始 the window ends before it starts")
        }
        return (first.0, last.1)
    }

    private func bounds(of p: RawPeriod, year: Int?, text: String) throws(DeadlineError) -> (CivilDate, CivilDate) {
        guard let y = year, y > 0 else {
            throw DeadlineError(text: text, reason: "未写年份 no year: pass --year or put the year in the list's title")
        }
        guard CivilDate.supportedYears.contains(y) else {
            throw DeadlineError(text: text, reason: "年份超出范围 year out of range: \(y)")
        }
        func day(_ m: Int, _ d: Int) throws(DeadlineError) -> CivilDate {
            guard (1...12).contains(m) else {
                throw DeadlineError(text: text, reason: "月份超出范围 month out of range: \(m)")
            }
            guard let date = CivilDate(year: y, month: m, day: d) else {
                throw DeadlineError(text: text, reason: "日期不存在 no such day: \(y)年\(m)月\(d)日")
            }
            return date
        }
        func month(_ m: Int) throws(DeadlineError) -> (CivilDate, CivilDate) {
            let start = try day(m, 1)
            return (start, start.endOfMonth)
        }
        switch p.unit {
        case .year: return (try day(1, 1), try day(12, 31))
        case .firstHalf: return (try day(1, 1), try day(6, 30))
        case .secondHalf: return (try day(7, 1), try day(12, 31))
        case .midYear: return (try day(6, 30), try day(6, 30))
        case .quarter(let q):
            guard (1...4).contains(q) else {
                throw DeadlineError(text: text, reason: "季度超出范围 quarter out of range: \(q)")
            }
            return (try month(q * 3 - 2).0, try month(q * 3).1)
        case .month(let m): return try month(m)
        case .tenDays(let m, let part):
            let (start, end) = try month(m)
            switch part {
            case 0: return (start, start.adding(days: 9))
            case 1: return (start.adding(days: 10), start.adding(days: 19))
            default: return (start.adding(days: 20), end)
            }
        case .day(let m, let d):
            let date = try day(m, d)
            return (date, date)
        }
    }
}

extension DeadlineParser.RawPeriod.Unit {}

// MARK: - Cursor

/// A position in normalised deadline text with small matching primitives.
struct Cursor {
    let chars: [Character]
    var i = 0

    var atEnd: Bool { i >= chars.count }
    var peek: Character? { i < chars.count ? chars[i] : nil }

    /// True when the text at the cursor starts with `word`.
    func has(_ word: String) -> Bool {
        var j = i
        for c in word {
            guard j < chars.count, chars[j] == c else { return false }
            j += 1
        }
        return true
    }

    /// Consumes `word` if it is next.
    mutating func consume(_ word: String) -> Bool {
        guard has(word) else { return false }
        i += word.count
        return true
    }

    /// Consumes the first of `words` that is next (list longer words first).
    mutating func consumeAny(_ words: [String]) -> String? {
        for w in words where consume(w) { return w }
        return nil
    }

    mutating func skip(_ set: Set<Character>) {
        while let c = peek, set.contains(c) { i += 1 }
    }

    /// Exactly `n` ASCII digits, not followed by another digit.
    mutating func digits(exactly n: Int) -> Int? {
        let save = i
        var value = 0
        for _ in 0..<n {
            guard let c = peek, DeadlineText.isASCIIDigit(c), let d = DeadlineText.digit(c) else { i = save; return nil }
            value = value * 10 + d
            i += 1
        }
        if let c = peek, DeadlineText.isASCIIDigit(c) { i = save; return nil }
        return value
    }

    /// One or two ASCII digits.
    mutating func digits(upTo n: Int) -> Int? {
        var value = 0
        var count = 0
        while count < n, let c = peek, DeadlineText.isASCIIDigit(c), let d = DeadlineText.digit(c) {
            value = value * 10 + d
            i += 1
            count += 1
        }
        if count == 0 { return nil }
        if let c = peek, DeadlineText.isASCIIDigit(c) { i -= count; return nil }
        return value
    }

    /// A four-digit year in ASCII (`2024`) or Chinese digits (`二〇二四`).
    mutating func yearDigits() -> Int? {
        if let y = digits(exactly: 4) { return y }
        let save = i
        var value = 0
        for _ in 0..<4 {
            guard let c = peek, !DeadlineText.isASCIIDigit(c), c != "两", let d = DeadlineText.digit(c) else { i = save; return nil }
            value = value * 10 + d
            i += 1
        }
        return value
    }

    /// A number up to 99: ASCII (`12`, `09`) or Chinese (`十二`, `二十五`, `三十一`, `九`).
    mutating func smallNumber() -> Int? {
        if let n = digits(upTo: 2) { return n }
        let save = i
        var tens: Int? = nil
        var ones: Int? = nil
        var sawTen = false
        while let c = peek {
            if c == "十" {
                guard !sawTen else { break }
                sawTen = true
                tens = ones ?? 1
                ones = nil
            } else if !DeadlineText.isASCIIDigit(c), let d = DeadlineText.digit(c), ones == nil {
                ones = d
            } else {
                break
            }
            i += 1
        }
        if sawTen { return tens! * 10 + (ones ?? 0) }
        if let o = ones { return o }
        i = save
        return nil
    }
}

extension String {
    /// The string without leading and trailing `ch`.
    public func trimming(_ ch: Character) -> String {
        // Most texts have nothing to trim: say so from the end scalars, without breaking
        // graphemes or copying.
        if ch.unicodeScalars.count == 1, let c = ch.unicodeScalars.first,
           unicodeScalars.first != c, unicodeScalars.last != c { return self }
        var s = Substring(self)
        while s.first == ch { s = s.dropFirst() }
        while s.last == ch { s = s.dropLast() }
        return String(s)
    }

    /// The string without leading or trailing white space (Unicode-aware, incl. U+3000).
    public var trimmingWhitespace: String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.isWhiteSpace }),
              let last = scalars.lastIndex(where: { !$0.isWhiteSpace }) else { return "" }
        return String(scalars[first...last])
    }
}
