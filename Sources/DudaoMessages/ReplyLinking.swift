import DudaoCore

/// Makes the link an agency follows to answer a message (the console's reply page).
/// Messages carry it when the service has a web address; templates show `reply_url`.
public protocol ReplyLinking: Sendable {
    /// The link for `agency` to report on `items`, valid for a while from `sent`.
    func link(agency: String, items: [String], sent: CivilDate) -> String
}
