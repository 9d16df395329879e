import Foundation

/// Every word and date the office and the agencies read about the work — states, what a
/// report or decision said, deadlines after an extension, ladder steps, message kinds,
/// times — in one place, so a filter, a review card, a page, a message and the report say
/// one thing one way. Pure.
public enum Labels {
    // MARK: Dates and times

    /// `2026年12月5日`.
    public static func date(_ day: CivilDate) -> String { day.chinese }

    /// `2026年12月5日 23:53`: an instant as the office and agencies read it (machine output
    /// keeps ISO 8601).
    public static func minute(_ instant: Date, clock: LocalClock) -> String {
        let seconds = clock.secondsIntoDay(of: instant)
        let hour = seconds / 3600, minute = seconds / 60 % 60
        return "\(clock.day(of: instant).chinese) \(hour < 10 ? "0" : "")\(hour):\(minute < 10 ? "0" : "")\(minute)"
    }

    // MARK: States

    /// Where the work stands: 推进中, 申请延期至2027年3月31日，待审核, 已销号…
    public static func state(_ status: ItemStatus) -> String {
        switch status {
        case .open: "未完成"
        case .inProgress: "推进中"
        case .reported: "已报送进展"
        case .doneReported: "已报完成，待审核"
        case .done: "已销号"
        case .extensionRequested(let to): "申请延期至\(to.chinese)，待审核"
        case .extended(let to): "已延期至\(to.chinese)"
        case .refused: "延期未获批准"
        case .cancelled: "已撤销"
        }
    }

    /// Where the work stands, in the words of how its last decision came: a deadline moved
    /// by order is 完成时限已调整为…, not 已延期至….
    public static func state(_ status: ItemStatus, origin: ReportOrigin) -> String {
        if origin == .deadlineChange, case .extended(let to) = status { return "完成时限已调整为\(to.chinese)" }
        return state(status)
    }

    /// A state word (`ItemStatus.names`) as a filter offers it, without any date:
    /// 申请延期，待审核; 已延期.
    public static func stateKind(_ name: String) -> String {
        switch name {
        case "extension_requested": "申请延期，待审核"
        case "extended": "已延期"
        default: ItemStatus(name: name).map(state) ?? name
        }
    }

    // MARK: Events

    /// What a report or decision said, as an event: 报送进展, 报告已完成, 申请延期至…, and the
    /// office's decisions (`decision(_:)`).
    public static func event(_ status: ItemStatus) -> String {
        switch status {
        case .inProgress, .reported: "报送进展"
        case .doneReported: "报告已完成"
        case .extensionRequested(let to): "申请延期至\(to.chinese)"
        default: decision(status) ?? state(status)
        }
    }

    /// The office's decision as it is told: 审核通过，予以销号; 退回，请继续办理; 同意延期至…;
    /// 不同意延期; 撤销. `nil` for an agency's report.
    public static func decision(_ status: ItemStatus) -> String? {
        switch status {
        case .done: "审核通过，予以销号"
        case .open: "退回，请继续办理"
        case .extended(let to): "同意延期至\(to.chinese)"
        case .refused: "不同意延期"
        case .cancelled: "撤销"
        default: nil
        }
    }

    /// The decision as told for how it came (`ReportOrigin`): a deadline moved by order is
    /// 调整完成时限, not 同意延期; a reopening the office chose is 恢复办理, not 退回.
    public static func decision(_ report: ProgressReport) -> String? {
        switch (report.origin, report.status) {
        case (.deadlineChange, .extended(let to)): "完成时限调整为\(to.chinese)"
        case (.office, .open): "恢复办理"
        default: decision(report.status)
        }
    }

    /// What the office's words are headed in a message: 审核结果 for a review of the
    /// agency's report, 督查室决定 for what it decided on its own.
    public static func decisionHeading(_ origin: ReportOrigin) -> String {
        origin.isOfficeInitiative ? "调整决定" : "审核结果"
    }

    /// The decision's short name, for buttons and counts: 审核销号, 退回, 同意延期, 不同意延期, 撤销.
    public static func decisionName(_ status: ItemStatus) -> String? {
        switch status {
        case .done: "审核销号"
        case .open: "退回"
        case .extended: "同意延期"
        case .refused: "不同意延期"
        case .cancelled: "撤销"
        default: nil
        }
    }

    // MARK: Deadlines

    /// A deadline as written with the date it means — `2024年12月（2024年12月31日）` — or,
    /// once extended, `原定2023年12月，已延期至2027年2月28日`. Ongoing work (no date) is its text.
    public static func deadline(text: String, original: CivilDate?, due: CivilDate?) -> String {
        let written = text.trimmingCharacters(in: .whitespaces)
        guard let due else { return written }
        if let original, original != due {
            let compact = written.filter { !$0.isWhitespace }
            return "原定\(compact.isEmpty ? original.chinese : compact)，已\(due > original ? "延期" : "提前")至\(due.chinese)"
        }
        return written.isEmpty ? due.chinese : "\(written)（\(due.chinese)）"
    }

    // MARK: The ladder and messages

    /// 核实, 催办, 督办, 通报: a step by the policy's names.
    public static func step(_ step: LadderStep, ladder: Ladder) -> String {
        step.number == 0 ? "核实" : level(step.number, ladder: ladder)
    }

    /// A level's name (督办 for a level the policy no longer names).
    public static func level(_ number: Int, ladder: Ladder) -> String {
        number == 0 ? "核实" : ladder.level(number)?.name ?? "督办"
    }

    /// `1级·催办`: a step with its number, as the 台账 lists it.
    public static func numberedStep(_ step: LadderStep, ladder: Ladder) -> String {
        step.number == 0 ? "核实" : "\(step.number)级·" + level(step.number, ladder: ladder)
    }

    /// What a notice was, as the sent log lists it.
    public static func rule(_ rule: Notice.Rule, ladder: Ladder) -> String {
        switch rule {
        case .advance(let d): "提前\(d)天提醒"
        case .due: "到期提醒"
        case .verify: "核实"
        case .overdue(let l): "\(l)级·" + level(l, ladder: ladder)
        case .progress: "进展报送提醒"
        case .report(let monthly): monthly ? "督办月报" : "督办周报"
        case .decision: "审核结果告知"
        }
    }

    /// What a planned message is, as the plan lists it.
    public static func kind(_ kind: PlannedMessage.Kind, level: Int, ladder: Ladder) -> String {
        switch kind {
        case .advance: "提前提醒"
        case .due: "到期提醒"
        case .verify: "核实"
        case .overdue: level == 0 ? "核实" : "\(level)级·" + self.level(level, ladder: ladder)
        case .ongoing: "进展报送提醒"
        case .report: "督办报告"
        case .decision: "审核结果告知"
        case .digest: "汇总提醒"
        }
    }

    // MARK: Quotes

    /// Text set inside “…”: its own double quotes become single ones (‘…’), as Chinese
    /// typesetting nests them — “完善不动产登记‘带押过户’机制”.
    public static func insideQuotes(_ text: String) -> String {
        guard text.contains(where: { "“”\"".contains($0) }) else { return text }
        var out = ""
        var open = true
        for c in text {
            switch c {
            case "“": out.append("‘"); open = false
            case "”": out.append("’"); open = true
            case "\"": out.append(open ? "‘" : "’"); open.toggle()
            default: out.append(c)
            }
        }
        return out
    }

    /// An audit row's action, for the office's audit page.
    public static func audit(_ action: AuditAction) -> String {
        switch action {
        case .login: "登录"
        case .logout: "退出"
        case .sessionExpired: "登录超时"
        case .setup: "创建首个管理员"
        case .accountAdd: "添加账号"
        case .accountRemove: "删除账号"
        case .accountRole: "更改角色"
        case .accountPassword: "设置密码"
        case .accountUnlock: "解除登录限制"
        case .decision: "审核决定"
        case .withdrawal: "撤回决定"
        case .retry: "重试发送"
        case .download: "下载附件"
        case .export: "导出"
        case .listUpload: "上传清单"
        case .listPublish: "发布清单"
        case .listRollback: "回退清单"
        case .listDiscard: "放弃草稿"
        case .agencySave: "保存单位"
        case .agencyRemove: "删除单位"
        case .agencyView: "查看单位"
        case .reply: "单位报送"
        case .record: "登记进展"
        case .itemDeadline: "调整完成时限"
        case .itemExtend: "同意延期"
        case .itemCancel: "撤销事项"
        case .itemReopen: "恢复办理"
        case .itemProxy: "代录报送"
        case .itemLeadAdd: "增加牵头单位"
        case .itemLeadRemove: "减少牵头单位"
        case .documentNumber: "编发文号"
        case .noticeSign: "签收"
        case .denied: "越权访问"
        }
    }

    /// An audit row's outcome.
    public static func audit(_ outcome: AuditOutcome) -> String {
        switch outcome {
        case .ok: "成功"
        case .refused: "拒绝"
        case .throttled: "限制"
        }
    }

    /// An account's role.
    public static func role(_ role: Role) -> String {
        switch role {
        case .leader: "领导（只读）"
        case .clerk: "经办人"
        case .admin: "管理员"
        }
    }
}
