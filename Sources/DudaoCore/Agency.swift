/// An agency (单位) and the people Dudao reaches there.
public struct Agency: Hashable, Sendable {
    /// Canonical name, as used in messages and the plan (`市市场监管局`).
    public var name: String
    /// Other spellings met in lists (`市市场监管局(知识产权局)`), resolved to `name`.
    public var aliases: [String]
    /// Liaison staff (联络员): the normal addressees.
    public var contacts: [Contact]
    /// Leadership (分管领导), copied from the ladder level that asks for it (督办 by default).
    public var leadership: [Contact]
    /// A collective such as `市直各有关部门`: may be a partner, can't be reminded.
    public var isGroup: Bool
    /// Whom others call here (`contact:`): for the supervising office, the line every
    /// message ends with.
    public var contact: Contact?

    /// An agency from its parts.
    public init(name: String, aliases: [String] = [], contacts: [Contact] = [], leadership: [Contact] = [], isGroup: Bool = false,
                contact: Contact? = nil) {
        self.name = name
        self.aliases = aliases
        self.contacts = contacts
        self.leadership = leadership
        self.isGroup = isGroup
        self.contact = contact
    }
}

/// A person or mailbox at an agency.
public struct Contact: Hashable, Sendable {
    /// Display name (`联络员 张三`).
    public var name: String
    /// Email address, if reachable by email.
    public var email: String?
    /// Name of a chat-robot channel (configured with the delivery channels).
    public var chat: String?
    /// Telephone, as written (`0371-67180000`).
    public var phone: String?
    /// Mobile (`13812341234` or E.164 `+8613812341234`): personal data, shown masked
    /// (`Mobile.masked`) except to whoever opens the agency.
    public var mobile: String?
    /// Post (职务: 联络员, 办公室主任, 副局长).
    public var role: String?

    /// A contact from its parts.
    public init(name: String, email: String? = nil, chat: String? = nil, phone: String? = nil, mobile: String? = nil, role: String? = nil) {
        self.name = name
        self.email = email
        self.chat = chat
        self.phone = phone
        self.mobile = mobile
        self.role = role
    }

    /// True when there is some way to reach this contact.
    public var isReachable: Bool { email != nil || chat != nil }
}
