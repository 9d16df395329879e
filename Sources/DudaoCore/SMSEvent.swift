import Foundation

/// A delivery report or a reply, as pushed by a platform.
public struct SMSEvent: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable {
        /// The number received it.
        case delivered
        /// The number did not receive it.
        case failed
        /// The number replied (上行).
        case reply
    }

    public var kind: Kind
    /// The number, as the platform gives it (never logged or shown whole).
    public var mobile: String
    /// The platform's id of the send (`receipt`), when the event is a report.
    public var receipt: String?
    /// Dudao's own reference, echoed by platforms that take one (Aliyun `OutId`).
    public var reference: String?
    /// The status code or the reply's text.
    public var detail: String
    /// The platform's time of the event, as it wrote it.
    public var time: String

    public init(kind: Kind, mobile: String, receipt: String? = nil, reference: String? = nil, detail: String, time: String) {
        self.kind = kind
        self.mobile = mobile
        self.receipt = receipt
        self.reference = reference
        self.detail = detail
        self.time = time
    }

    /// The same event pushed twice has the same identity.
    public var identity: String { [kind.rawValue, mobile, receipt ?? "", reference ?? "", detail, time].joined(separator: "|") }
}
