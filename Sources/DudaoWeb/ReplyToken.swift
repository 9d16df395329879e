import Foundation
import Crypto
import DudaoCore

/// What a reply link lets its holder do: report for one agency on some items, until a day.
/// The link is the agency's only credential, so it is signed (HMAC-SHA256) and expires.
public struct ReplyToken: Hashable, Sendable {
    /// The agency that may report.
    public var agency: String
    /// The items it may report on (a message's items).
    public var items: [String]
    /// The last day the link works.
    public var expires: CivilDate

    /// A token.
    public init(agency: String, items: [String], expires: CivilDate) {
        self.agency = agency
        self.items = items
        self.expires = expires
    }

    /// Longest token accepted: a link is read from an untrusted URL.
    static let maxLength = 4096

    private struct Payload: Codable {
        var a: String
        var i: [String]
        var e: String
    }

    /// `PAYLOAD.SIGNATURE`, both base64url without padding; the payload is JSON.
    public func signed(with key: SymmetricKey) -> String {
        let json = (try? JSONEncoder().encode(Payload(a: agency, i: items, e: expires.iso))) ?? Data()
        let payload = Self.base64url(json)
        return payload + "." + Self.base64url(Data(HMAC<SHA256>.authenticationCode(for: Data(payload.utf8), using: key)))
    }

    /// The token `text` carries if one of `keys` signed it and it has not expired on `today`.
    public static func verify(_ text: String, keys: [SymmetricKey], today: CivilDate) -> Result<ReplyToken, ReplyTokenError> {
        guard text.utf8.count <= maxLength else { return .failure(.malformed) }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let signature = data(base64url: parts[1]) else { return .failure(.malformed) }
        let payload = Data(parts[0].utf8)
        guard keys.contains(where: { HMAC<SHA256>.isValidAuthenticationCode(signature, authenticating: payload, using: $0) }) else {
            return .failure(.badSignature)
        }
        guard let json = data(base64url: parts[0]), let p = try? JSONDecoder().decode(Payload.self, from: json),
              let expires = CivilDate(iso: p.e) else { return .failure(.malformed) }
        guard today <= expires else { return .failure(.expired) }
        return .success(ReplyToken(agency: p.a, items: p.i, expires: expires))
    }

    static func base64url(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// The bytes of `text` in its one canonical spelling only: the last character of a
    /// base64 text carries unused bits, so four spellings decode alike; a credential has one.
    static func data(base64url text: some StringProtocol) -> Data? {
        var s = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        guard s.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "+" || $0 == "/") }) else { return nil }
        while s.count % 4 != 0 { s += "=" }
        guard let data = Data(base64Encoded: s), base64url(data) == text else { return nil }
        return data
    }
}

/// Why a reply link is refused. The page says only that it cannot be used.
public enum ReplyTokenError: Error, Hashable, Sendable {
    case malformed, badSignature, expired
}
