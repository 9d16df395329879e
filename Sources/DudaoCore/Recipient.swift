/// Who a message is addressed to: an agency's liaison contacts, its leadership, or the
/// supervising office (督查室). Contacts and channels are looked up later, by name.
public struct Recipient: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Which contacts of the agency.
    public enum Role: Int, Hashable, Sendable {
        /// The agency's liaison staff: the normal addressee.
        case liaison
        /// The agency's leadership, added at overdue level 2.
        case leadership
    }

    /// Canonical agency name.
    public var agency: String
    /// Which of its contacts.
    public var role: Role

    /// A recipient.
    public init(agency: String, role: Role = .liaison) {
        self.agency = agency
        self.role = role
    }

    /// `市市场监管局` or `市市场监管局/领导`.
    public var description: String { role == .leadership ? "\(agency)/领导" : agency }

    public static func < (a: Recipient, b: Recipient) -> Bool {
        a.agency == b.agency ? a.role.rawValue < b.role.rawValue : a.agency < b.agency
    }
}
