import Foundation
import Crypto
import DudaoMessages

/// `PUBLIC_URL/s/CODE`: what an SMS carries instead of the reply link's long signed token.
/// The code is ten characters of the token's SHA-256 (unguessable, and the same each time
/// the message is rendered); the store keeps which token it opens, and the link expires
/// with the token, which the reply page still checks.
public struct ShortLink: Hashable, Sendable {
    public var code: String
    /// The reply token (`/r/TOKEN`) it opens.
    public var token: String

    static let alphabet = Array("abcdefghjkmnpqrstuvwxyz23456789")

    /// The code for a reply token.
    public static func code(for token: String) -> String {
        let digest = Array(SHA256.hash(data: Data(token.utf8)))
        return String(digest.prefix(10).map { alphabet[Int($0) % alphabet.count] })
    }

    /// `rendered` with its reply link replaced by the short one, and the link to keep;
    /// unchanged (and nil) when it has no reply link.
    public static func shorten(_ rendered: RenderedMessage) -> (RenderedMessage, ShortLink?) {
        guard let link = rendered.smsValues["link"], let r = link.range(of: "/r/") else { return (rendered, nil) }
        let token = String(link[r.upperBound...])
        let short = ShortLink(code: code(for: token), token: token)
        let url = link[..<r.lowerBound] + "/s/" + short.code
        var out = rendered
        out.sms = out.sms.replacingOccurrences(of: link, with: url)
        out.smsValues["link"] = url
        return (out, short)
    }
}
