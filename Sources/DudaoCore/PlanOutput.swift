import Foundation

/// The two printed forms of a plan: JSON lines for machines, an aligned table for people.
extension Plan {
    /// One JSON object per message — the contract of `dudao plan --format json`:
    /// `send_at`, `kind`, `level`, `items`, `to`, `cc`, `dedup_key`, `notices`.
    public func writeJSONLines(_ emit: (String) -> Void) {
        var writer = JSONLineWriter(plan: self)
        var line: [UInt8] = []
        for m in messages {
            line.removeAll(keepingCapacity: true)
            writer.append(m, to: &line)
            emit(String(decoding: line, as: UTF8.self))
        }
    }

    /// The same lines as UTF-8, each ending in a newline, handed over in order in chunks.
    /// Written as bytes with no string per line: a year of a large list is hundreds of
    /// megabytes. Messages are independent, so each round of them is written on all cores,
    /// one run of messages per core (runs balanced by their notices), and handed over in
    /// order; a round is small, so memory stays flat however long the plan.
    public func writeJSONLines(chunks flush: ([UInt8]) -> Void) {
        let writer = JSONLineWriter(plan: self)
        let cores = max(1, min(8, ProcessInfo.processInfo.activeProcessorCount))
        // About 4,000 notices (400 KB of JSON) per core and round.
        let perRound = 4_000 * cores
        let buffers = (0..<cores).map { _ in OutputSlot() }
        var start = 0
        while start < messages.count {
            // The round's messages, then where each core's run ends.
            var end = start, notices = 0
            while end < messages.count, notices < perRound || end == start {
                notices += messages[end].noticeRange.count + 1
                end += 1
            }
            var bounds = [start]
            var sum = 0, next = start
            for k in 1..<cores {
                while next < end, sum < notices * k / cores {
                    sum += messages[next].noticeRange.count + 1
                    next += 1
                }
                bounds.append(next)
            }
            bounds.append(end)
            let runs = bounds
            DispatchQueue.concurrentPerform(iterations: cores) { k in
                var writer = writer
                let slot = buffers[k]
                slot.bytes.removeAll(keepingCapacity: true)
                for i in runs[k]..<runs[k + 1] {
                    writer.append(messages[i], to: &slot.bytes)
                    slot.bytes.append(0x0A)
                }
            }
            for slot in buffers where !slot.bytes.isEmpty { flush(slot.bytes) }
            start = end
        }
    }

    /// The JSON lines as an array (see `writeJSONLines`).
    public func jsonLines() -> [String] {
        var lines: [String] = []
        writeJSONLines { lines.append($0) }
        return lines
    }

    /// 发送时间 / 类型 / 级别 / 收件 / 抄送 / 事项, aligned by display width.
    public func table() -> String {
        let kindNames: [PlannedMessage.Kind: String] = [
            .advance: "提前提醒", .due: "到期提醒", .verify: "逾期核实", .overdue: "逾期督办", .ongoing: "进展调度",
            .report: "督办周报", .decision: "审核结果", .digest: "汇总提醒",
        ]
        var table = TextTable(header: ["发送时间", "类型", "级别", "收件单位", "抄送", "事项"])
        for m in messages {
            let items = notices(in: m).map { n -> String in
                let id = n.item < 0 ? "" : self.items[Int(n.item)].id
                switch n.rule {
                case .advance: return "\(id)(余\(m.sendDay.days(until: n.due))天)"
                case .due: return "\(id)(今日到期)"
                case .verify: return "\(id)(核实,逾期\(n.due.days(until: m.sendDay))天)"
                case .overdue(let l): return "\(id)(\(policy.ladder.level(l)?.name ?? "督办"),逾期\(n.due.days(until: m.sendDay))天)"
                case .progress: return "\(id)(报送进展,\(n.due.month)月\(n.due.day)日前)"
                case .report(let monthly): return monthly ? "月报" : "周报"
                case .decision: return "\(id)(审核结果)"
                }
            }
            table.rows.append([
                String(clock.iso8601(m.sendAt).prefix(16)).replacingOccurrences(of: "T", with: " "),
                kindNames[m.kind] ?? m.kind.rawValue,
                m.kind == .verify ? "核实" : m.level > 0 ? "\(m.level)" : "-",
                m.to.description,
                m.cc.isEmpty ? "-" : m.cc.map(\.description).joined(separator: "、"),
                items.joined(separator: " "),
            ])
        }
        return table.text
    }
}

/// One core's bytes in a round of `writeJSONLines(chunks:)`: written by that core only,
/// read after the round.
private final class OutputSlot: @unchecked Sendable {
    var bytes: [UInt8] = []
}

/// Writes a plan's messages as JSON bytes. A year of a large list names each item and day
/// hundreds of times, so their escaped bytes are made once, up front, and copied after.
struct JSONLineWriter {
    let plan: Plan
    /// Item ids escaped (without quotes), by item index.
    private var ids = ByteTable()
    /// Every item's leads quoted, one after another; `firstLead[item]` is the item's first.
    private var leads = ByteTable()
    private var firstLead: [Int] = []
    /// ISO days by day number minus `firstDay`.
    private var days = ByteTable()
    private var firstDay: Int32 = 0
    private var rules = ByteTable()
    /// A rule's entry in `rules` by `slot(of:)`, −1 until first written: asked for every
    /// notice, where hashing the rule into a dictionary was 5% of a plan.
    private var ruleIndex: [Int] = []
    /// Rules with days beyond any real policy's, in case one names them.
    private var farRules: [Notice.Rule: Int] = [:]

    init(plan: Plan) {
        self.plan = plan
        firstLead.reserveCapacity(plan.items.count)
        for item in plan.items {
            var bytes: [UInt8] = []
            Self.escape(item.id, into: &bytes)
            ids.add(bytes)
            firstLead.append(leads.count)
            for name in item.lead {
                bytes.removeAll(keepingCapacity: true)
                Self.quote(name, into: &bytes)
                leads.add(bytes)
            }
        }
        var low = Int32.max, high = Int32.min
        for n in plan.notices {
            low = min(low, n.due.dayNumber, n.occurrence.dayNumber)
            high = max(high, n.due.dayNumber, n.occurrence.dayNumber)
        }
        if low <= high {
            firstDay = low
            for n in low...high { days.add(CivilDate(dayNumber: n).iso.utf8) }
        }
    }

    private mutating func rule(_ r: Notice.Rule) -> Int {
        let slot = Self.slot(of: r)
        guard slot >= 0, slot < 4_096 else {
            if let known = farRules[r] { return known }
            farRules[r] = rules.count
            rules.add(r.name.utf8)
            return rules.count - 1
        }
        if slot < ruleIndex.count, ruleIndex[slot] >= 0 { return ruleIndex[slot] }
        if slot >= ruleIndex.count { ruleIndex += Array(repeating: -1, count: slot + 1 - ruleIndex.count) }
        ruleIndex[slot] = rules.count
        rules.add(r.name.utf8)
        return rules.count - 1
    }

    /// A small number per rule: the fixed ones first, then advance and overdue days
    /// interleaved (a negative count, which the policy never gives, folds onto its magnitude
    /// in a slot of its own).
    private static func slot(of r: Notice.Rule) -> Int {
        switch r {
        case .due: 0
        case .verify: 1
        case .progress: 2
        case .decision: 3
        case .report(let monthly): monthly ? 5 : 4
        case .advance(let days): days >= 0 ? 8 &+ 4 &* days : 10 &+ 4 &* (0 &- days)
        case .overdue(let level): level >= 0 ? 9 &+ 4 &* level : 11 &+ 4 &* (0 &- level)
        }
    }

    mutating func append(_ m: PlannedMessage, to out: inout [UInt8]) {
        out.append(#"{"send_at":"#)
        Self.quote(plan.clock.iso8601(m.sendAt), into: &out)
        out.append(#","kind":""#)
        out += m.kind.rawValue.utf8
        out.append(#"","level":"#)
        out.appendDecimal(m.level)
        out.append(#","items":["#)
        for (k, item) in plan.itemIndexes(m).enumerated() {
            if k > 0 { out.append(UInt8(ascii: ",")) }
            out.append(UInt8(ascii: "\""))
            ids.append(Int(item), to: &out)
            out.append(UInt8(ascii: "\""))
        }
        out.append(#"],"to":["#)
        Self.quote(m.to.description, into: &out)
        out.append(#"],"cc":["#)
        for (k, r) in m.cc.enumerated() {
            if k > 0 { out.append(UInt8(ascii: ",")) }
            Self.quote(r.description, into: &out)
        }
        out.append(#"],"dedup_key":"#)
        Self.quote(plan.messageKey(m), into: &out)
        out.append(#","notices":["#)
        var first = true
        for n in plan.notices(in: m) {
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            let rule = self.rule(n.rule)
            let item = Int(n.item)
            // The dedup key (`Plan.dedupKey`), written in place.
            out.append(#"{"key":""#)
            if n.item < 0 {
                out.append("office/")
            } else {
                ids.append(item, to: &out)
                if n.milestone < 0 { out.append("/ongoing/") } else {
                    out.append("/m")
                    out.appendDecimal(Int(n.milestone) + 1)
                    out.append(UInt8(ascii: "/"))
                }
            }
            rules.append(rule, to: &out)
            out.append(UInt8(ascii: "/"))
            days.append(Int(n.occurrence.dayNumber - firstDay), to: &out)
            out.append(UInt8(ascii: "\""))
            if n.item >= 0 {
                out.append(#","item":""#)
                ids.append(item, to: &out)
                out.append(UInt8(ascii: "\""))
                if n.lead >= 0 {
                    out.append(#","agency":"#)
                    leads.append(firstLead[item] + n.lead, to: &out)
                }
            }
            out.append(#","rule":""#)
            rules.append(rule, to: &out)
            out.append(#"","due":""#)
            days.append(Int(n.due.dayNumber - firstDay), to: &out)
            out.append(#""}"#)
        }
        out.append("]}")
    }

    /// `s` as a JSON string.
    static func quote(_ s: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        escape(s, into: &out)
        out.append(UInt8(ascii: "\""))
    }

    /// `s` escaped for inside a JSON string, as `JSONValue.quote` escapes it.
    static func escape(_ s: String, into out: inout [UInt8]) {
        if !s.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C || $0 == 0xE2 }) {
            out += s.utf8
            return
        }
        var quoted = ""
        JSONValue.quote(s, into: &quoted)
        out += quoted.utf8.dropFirst().dropLast()
    }
}

/// Byte strings stored end to end, appended by index without copying an array per use.
struct ByteTable {
    private var bytes: [UInt8] = []
    private var ends: [Int] = []

    var count: Int { ends.count }

    mutating func add(_ string: some Sequence<UInt8>) {
        bytes.append(contentsOf: string)
        ends.append(bytes.count)
    }

    func append(_ index: Int, to out: inout [UInt8]) {
        let start = index == 0 ? 0 : ends[index - 1]
        bytes.withUnsafeBufferPointer { all in
            out.append(contentsOf: UnsafeBufferPointer(rebasing: all[start..<ends[index]]))
        }
    }
}

extension [UInt8] {
    /// Appends a literal's bytes.
    mutating func append(_ literal: StaticString) {
        literal.withUTF8Buffer { append(contentsOf: $0) }
    }

    /// Appends `n` in decimal digits, without making a string.
    mutating func appendDecimal(_ n: Int) {
        if n < 0 {
            append(UInt8(ascii: "-"))
            appendDecimal(-n)
        } else if n < 10 {
            append(UInt8(ascii: "0") + UInt8(n))
        } else {
            appendDecimal(n / 10)
            append(UInt8(ascii: "0") + UInt8(n % 10))
        }
    }
}
