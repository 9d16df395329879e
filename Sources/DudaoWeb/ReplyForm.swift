/// What an agency submits on its reply page. Every field is untrusted: `ReplyDesk` bounds
/// and checks them before anything is recorded.
public struct ReplyForm: Decodable, Sendable {
    /// The item reported on.
    public var item: String?
    /// `progress`, `done` or `extension`.
    public var action: String?
    /// What was done, or the reason.
    public var text: String?
    /// Percent complete, for progress.
    public var percent: String?
    /// Promised date of the next report, for progress (YYYY-MM-DD).
    public var next_report: String?
    /// The date asked for, for an extension (YYYY-MM-DD).
    public var new_due: String?

    /// A form from its parts.
    public init(item: String? = nil, action: String? = nil, text: String? = nil, percent: String? = nil,
                next_report: String? = nil, new_due: String? = nil) {
        self.item = item
        self.action = action
        self.text = text
        self.percent = percent
        self.next_report = next_report
        self.new_due = new_due
    }
}
