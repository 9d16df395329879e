/// What a row of the audit trail (留痕) records: every security-relevant and every office
/// action, by whoever took it: an account of the office, an agency through its reply link,
/// or an operator at the command line. Stored by its raw value; named by `Labels.audit`.
public enum AuditAction: String, CaseIterable, Sendable {
    case login = "login"
    case logout = "logout"
    case sessionExpired = "session.expire"
    case setup = "setup"
    case accountAdd = "account.add"
    case accountRemove = "account.remove"
    case accountRole = "account.role"
    case accountPassword = "account.password"
    case accountUnlock = "account.unlock"
    case decision = "review.decide"
    case withdrawal = "review.withdraw"
    case retry = "outbox.retry"
    case download = "file.download"
    case export = "export"
    case reply = "reply.submit"
    case record = "item.record"
    case denied = "access.denied"
    case listUpload = "list.upload"
    case listPublish = "list.publish"
    case listRollback = "list.rollback"
    case listDiscard = "list.discard"
    case agencySave = "agency.save"
    case agencyRemove = "agency.remove"
    /// The office's own actions on an item (the item page's 办理).
    case itemDeadline = "item.deadline"
    case itemExtend = "item.extend"
    case itemCancel = "item.cancel"
    case itemReopen = "item.reopen"
    /// 代录: an answer given on paper or by phone, recorded by the office.
    case itemProxy = "item.proxy"
    /// 增加/减少牵头单位.
    case itemLeadAdd = "item.lead.add"
    case itemLeadRemove = "item.lead.remove"
    /// An agency's page opened: its contacts' mobiles shown in full.
    case agencyView = "agency.view"
    /// A 文号 given to a document (督查通报, 督办通知单).
    case documentNumber = "document.number"
    /// Notices signed for (签收): by the agency on its reply page or by SMS, or by the office (代签).
    case noticeSign = "notice.sign"
}

/// How the action ended.
public enum AuditOutcome: String, CaseIterable, Sendable {
    /// Done.
    case ok
    /// Refused: a wrong password, a missing role, a form that did not hold.
    case refused
    /// Held back by a limit (too many attempts).
    case throttled
}
