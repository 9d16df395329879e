/// An email address with an optional display name (`市市场监管局 联络员 <scjgj@zhengzhou.example>`).
public struct Mailbox: Hashable, Sendable {
    /// Display name; may be Chinese.
    public var name: String?
    /// `local@domain`.
    public var address: String

    /// A mailbox. Validation happens when it is written into a message.
    public init(name: String? = nil, address: String) {
        self.name = name
        self.address = address
    }

    /// The header form: display name as a quoted string (ASCII) or encoded words
    /// (anything else), then `<address>`. Throws on an address that could break the header.
    public func headerValue() throws(MIMEError) -> [String] {
        guard Self.isValidAddress(address) else { throw MIMEError.badAddress(address) }
        guard let name = name.map(EncodedWord.headerText), !name.isEmpty else { return ["<\(address)>"] }
        // Quoted plain text only when it fits a line; longer names go as encoded words,
        // which fold, so no header line can pass RFC 5322's 998 octets.
        if EncodedWord.isPlainHeaderText(name), name.utf8.count + address.utf8.count <= 60 {
            let quoted = name.replacingBackslashesAndQuotes()
            return ["\"\(quoted)\" <\(address)>"]
        }
        var words = EncodedWord.encode(name)
        words[words.count - 1] += " <\(address)>"
        return words
    }

    /// `local@domain.tld` of printable ASCII without spaces, quotes, brackets, commas or CR/LF.
    public static func isValidAddress(_ s: String) -> Bool {
        let parts = s.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty, s.utf8.count <= 254 else { return false }
        return s.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F && !"<>()[],;:\\\"".utf8.contains($0) }
    }
}

extension String {
    func replacingBackslashesAndQuotes() -> String {
        var out = ""
        for c in self {
            if c == "\\" || c == "\"" { out.append("\\") }
            out.append(c)
        }
        return out
    }
}

/// Why a message could not be built.
public enum MIMEError: Error, Hashable, Sendable, CustomStringConvertible {
    /// An address that is not a plain `local@domain`.
    case badAddress(String)
    /// A header name or value that would break the header block.
    case badHeader(String)

    public var description: String {
        switch self {
        case .badAddress(let a): "无效的邮箱地址 invalid email address “\(a.debugDescription)”"
        case .badHeader(let h): "无效的邮件头 invalid header “\(h.debugDescription)”"
        }
    }
}
