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

    /// The same lines as UTF-8, each ending in a newline, handed over in chunks of about
    /// 64 KB. Written as bytes with no string per line: a year of a large list is hundreds
    /// of megabytes.
    public func writeJSONLines(chunks flush: ([UInt8]) -> Void) {
        var writer = JSONLineWriter(plan: self)
        var out: [UInt8] = []
        out.reserveCapacity(1 << 17)
        for m in messages {
            writer.append(m, to: &out)
            out.append(0x0A)
            if out.count >= 1 << 16 {
                flush(out)
                out.removeAll(keepingCapacity: true)
            }
        }
        if !out.isEmpty { flush(out) }
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

/// Writes a plan's messages as JSON bytes, caching the texts that repeat (days, rules).
struct JSONLineWriter {
    let plan: Plan
    private var days: [CivilDate: String] = [:]
    private var rules: [Notice.Rule: String] = [:]

    init(plan: Plan) { self.plan = plan }

    mutating func append(_ m: PlannedMessage, to out: inout [UInt8]) {
        out += #"{"send_at":"#.utf8
        Self.quote(plan.clock.iso8601(m.sendAt), into: &out)
        out += #","kind":""#.utf8
        out += m.kind.rawValue.utf8
        out += #"","level":"#.utf8
        out += String(m.level).utf8
        out += #","items":["#.utf8
        for (k, id) in plan.itemIDs(m).enumerated() {
            if k > 0 { out.append(UInt8(ascii: ",")) }
            Self.quote(id, into: &out)
        }
        out += #"],"to":["#.utf8
        Self.quote(m.to.description, into: &out)
        out += #"],"cc":["#.utf8
        for (k, r) in m.cc.enumerated() {
            if k > 0 { out.append(UInt8(ascii: ",")) }
            Self.quote(r.description, into: &out)
        }
        out += #"],"dedup_key":"#.utf8
        Self.quote(plan.messageKey(m), into: &out)
        out += #","notices":["#.utf8
        var first = true
        for n in plan.notices(in: m) {
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            let id = n.item < 0 ? "" : plan.items[Int(n.item)].id
            let rule = rules[n.rule] ?? { let t = n.rule.name; rules[n.rule] = t; return t }()
            let occurrence = day(n.occurrence)
            // The dedup key (`Plan.dedupKey`), written in place.
            out += #"{"key":""#.utf8
            if n.item < 0 {
                out += "office/".utf8
            } else {
                Self.escape(id, into: &out)
                if n.milestone < 0 { out += "/ongoing/".utf8 } else {
                    out += "/m".utf8
                    out += String(n.milestone + 1).utf8
                    out.append(UInt8(ascii: "/"))
                }
            }
            out += rule.utf8
            out.append(UInt8(ascii: "/"))
            out += occurrence.utf8
            out.append(UInt8(ascii: "\""))
            if n.item >= 0 {
                out += #","item":"#.utf8
                Self.quote(id, into: &out)
                if n.lead >= 0 {
                    out += #","agency":"#.utf8
                    Self.quote(plan.items[Int(n.item)].lead[n.lead], into: &out)
                }
            }
            out += #","rule":""#.utf8
            out += rule.utf8
            out += #"","due":""#.utf8
            out += day(n.due).utf8
            out += #""}"#.utf8
        }
        out += "]}".utf8
    }

    private mutating func day(_ d: CivilDate) -> String {
        if let t = days[d] { return t }
        let t = d.iso
        days[d] = t
        return t
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
