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
