/// A notice carried by an outbox entry.
public struct NoticeRef: Hashable, Sendable {
    /// Dedup key (`8/m1/advance-7/2024-12-24`).
    public var key: String
    /// Item id.
    public var item: String

    /// A reference.
    public init(key: String, item: String) {
        self.key = key
        self.item = item
    }
}

/// What the sent log and the outbox claim: one notice for one agency. Planning leaves out
/// every claimed notice, so this pair is what makes "never twice to one agency" hold.
public enum Claim {
    /// `市市场监管局|8/m1/advance-7/2024-12-24`.
    public static func key(agency: String, notice: String) -> String { agency + "|" + notice }
}
