import Foundation

/// The two printed forms of a plan: JSON lines for machines, an aligned table for people.
extension Plan {
    /// One JSON object per message — the contract of `dudao plan --format json`:
    /// `send_at`, `kind`, `level`, `items`, `to`, `cc`, `dedup_key`, `notices`.
    /// Written straight into text (no intermediate tree): a year of a large list is
    /// hundreds of megabytes.
    public func writeJSONLines(_ emit: (String) -> Void) {
        var dayText: [CivilDate: String] = [:]
        for m in messages {
            var line = "{\"send_at\":"
            JSONValue.quote(clock.iso8601(m.sendAt), into: &line)
            line += ",\"kind\":\"\(m.kind.rawValue)\",\"level\":\(m.level),\"items\":"
            line += JSONValue.strings(itemIDs(m)).text
            line += ",\"to\":"
            line += JSONValue.strings([m.to.description]).text
            line += ",\"cc\":"
            line += JSONValue.strings(m.cc.map(\.description)).text
            line += ",\"dedup_key\":"
            JSONValue.quote(messageKey(m), into: &line)
            line += ",\"notices\":["
            var first = true
            for n in notices(in: m) {
                if !first { line += "," }
                first = false
                let id = n.item < 0 ? "" : items[Int(n.item)].id
                let due = dayText[n.due] ?? { let t = n.due.iso; dayText[n.due] = t; return t }()
                let occurrence = dayText[n.occurrence] ?? { let t = n.occurrence.iso; dayText[n.occurrence] = t; return t }()
                line += "{\"key\":"
                JSONValue.quote(Self.dedupKey(id: id, n, occurrence: occurrence), into: &line)
                if n.item >= 0 {
                    line += ",\"item\":"
                    JSONValue.quote(id, into: &line)
                    if n.lead >= 0 {
                        line += ",\"agency\":"
                        JSONValue.quote(items[Int(n.item)].lead[n.lead], into: &line)
                    }
                }
                line += ",\"rule\":\"" + n.rule.name + "\",\"due\":\"" + due + "\"}"
            }
            line += "]}"
            emit(line)
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
