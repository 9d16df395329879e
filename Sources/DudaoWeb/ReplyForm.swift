import Foundation

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
    /// The page's one-time id: a second post of it records nothing new.
    public var submission: String?

    /// A form from its parts.
    public init(item: String? = nil, action: String? = nil, text: String? = nil, percent: String? = nil,
                next_report: String? = nil, new_due: String? = nil, submission: String? = nil) {
        self.item = item
        self.action = action
        self.text = text
        self.percent = percent
        self.next_report = next_report
        self.new_due = new_due
        self.submission = submission
    }

    /// The submission id when it is one this console could have issued (32 hex digits).
    var submissionID: String? {
        guard let s = submission, s.utf8.count == 32,
              s.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains($0) }) else { return nil }
        return s
    }

    /// A fresh one-time id for a form page.
    static func newSubmissionID() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<16).map { _ in String(format: "%02x", UInt8.random(in: .min ... .max, using: &generator)) }.joined()
    }
}
