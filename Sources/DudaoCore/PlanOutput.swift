import Foundation

/// The two printed forms of a plan: JSON lines for machines, an aligned table for people.
extension Plan {
    /// One JSON object per message — the contract of `dudao plan --format json`:
    /// `send_at`, `kind`, `level`, `items`, `to`, `cc`, `dedup_key`, `notices`.
    public func jsonLines() -> [String] {
        messages.map { m in
            JSONValue.object([
                ("send_at", .string(clock.iso8601(m.sendAt))),
                ("kind", .string(m.kind.rawValue)),
                ("level", .int(m.level)),
                ("items", .strings(itemIDs(m))),
                ("to", .strings([m.to.description])),
                ("cc", .strings(m.cc.map(\.description))),
                ("dedup_key", .string(messageKey(m))),
                ("notices", .array(m.notices.map { n in
                    .object([
                        ("key", .string(dedupKey(n))),
                        ("item", .string(items[Int(n.item)].id)),
                        ("rule", .string(n.rule.name)),
                        ("due", .string(n.due.iso)),
                    ])
                })),
            ]).text
        }
    }

    /// 发送时间 / 类型 / 级别 / 收件 / 抄送 / 事项, aligned by display width.
    public func table() -> String {
        let kindNames: [PlannedMessage.Kind: String] = [
            .advance: "提前提醒", .due: "到期提醒", .overdue: "逾期督办", .ongoing: "进展调度", .digest: "汇总提醒",
        ]
        var table = TextTable(header: ["发送时间", "类型", "级别", "收件单位", "抄送", "事项"])
        for m in messages {
            let items = m.notices.map { n -> String in
                let id = self.items[Int(n.item)].id
                switch n.rule {
                case .advance: return "\(id)(余\(m.sendDay.days(until: n.due))天)"
                case .due: return "\(id)(今日到期)"
                case .overdue: return "\(id)(逾期\(n.due.days(until: m.sendDay))天)"
                case .progress: return "\(id)(月度进展)"
                }
            }
            table.rows.append([
                String(clock.iso8601(m.sendAt).prefix(16)).replacingOccurrences(of: "T", with: " "),
                kindNames[m.kind] ?? m.kind.rawValue,
                m.level > 0 ? "\(m.level)" : "-",
                m.to.description,
                m.cc.isEmpty ? "-" : m.cc.map(\.description).joined(separator: "、"),
                items.joined(separator: " "),
            ])
        }
        return table.text
    }
}
