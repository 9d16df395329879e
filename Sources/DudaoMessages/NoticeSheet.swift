import DudaoCore

/// 督办通知单: a level-2 or level-3 overdue message as the numbered document the office
/// sends an agency — the items, their deadlines and days overdue, what is required and by
/// when, the reply link written out, and whom to call at the office. Built from the same
/// values as the message, so the two never disagree.
public enum NoticeSheet {
    /// The sheet for a message whose template values are `values` (`MessageContext.values`),
    /// numbered `number`.
    public static func document(values: [String: Any], number: String) -> OfficialDocument {
        let office = values["office"] as? String ?? "督查室"
        let agency = values["agency"] as? String ?? ""
        let items = values["items"] as? [[String: Any]] ?? []
        let replyBy = values["reply_by"] as? String
        let levelName = values["level_name"] as? String ?? "督办"
        let sendDate = values["send_date"] as? String ?? ""
        var blocks: [OfficialDocument.Block] = [
            .mast("\(office)"),
            .number(number),
            .title("督办通知单"),
            .addressee("\(agency)："),
            .paragraph("你单位牵头的以下\(items.count)项事项已超过完成时限，经\(office)提醒后仍未办结或未书面回复，现予\(levelName)。"),
            .table(header: ["序号", "事项", "完成时限", "逾期", "已提醒"], shares: [2, 11, 7, 3, 3], rows: items.map { item in
                let reminders = (item["reminders_sent"] as? [String: Any])?["count"] as? Int ?? 0
                return [item["id"] as? String ?? "", item["title"] as? String ?? "", item["due_date"] as? String ?? "—",
                        (item["days_overdue"] as? Int).map { "\($0)天" } ?? "—", "\(reminders)次"]
            }),
            .heading1("办理要求"),
            .paragraph("请分管领导亲自督促，" + (replyBy.map { "于\($0)前" } ?? "尽快") + "向\(office)书面说明未完成原因、责任人、整改措施及完成时间。逾期仍未办结的，将按程序予以通报。"),
        ]
        if let url = values["reply_url"] as? String {
            blocks.append(.paragraph("网上回复地址：\(url)"))
        }
        if let contact = (values["contact"] as? [String: Any])?["line"] as? String {
            blocks.append(.paragraph("\(office)\(contact)。"))
        }
        blocks.append(.signature(office: office, date: sendDate))
        let cc = values["has_cc"] as? Bool == true ? values["cc"] as? String : nil
        blocks.append(.imprint(copies: cc, office: office, date: sendDate))
        return OfficialDocument(title: "督办通知单 \(number)", blocks: blocks)
    }
}
