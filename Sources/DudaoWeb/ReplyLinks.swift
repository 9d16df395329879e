import Foundation
import DudaoCore
import DudaoMessages

/// Reply links for messages: `PUBLIC_URL/r/TOKEN`, signed with the current key, valid for
/// `days` days from the day the message is sent.
public struct ReplyLinks: ReplyLinking {
    /// Where agencies reach the service (`https://duban.example.gov.cn`), without a trailing slash.
    public let publicURL: String
    /// The signing keys.
    public let keys: ReplyKeys
    /// Days a link works (default 60).
    public let days: Int

    /// Links from their parts.
    public init(publicURL: String, keys: ReplyKeys, days: Int = 60) {
        self.publicURL = publicURL.hasSuffix("/") ? String(publicURL.dropLast()) : publicURL
        self.keys = keys
        self.days = days
    }

    public func link(agency: String, items: [String], sent: CivilDate) -> String {
        publicURL + "/r/" + ReplyToken(agency: agency, items: items, expires: sent.adding(days: days)).signed(with: keys.current)
    }
}
