/// A text kept as UTF-8 bytes inside a `TextBlock` that many texts can share.
///
/// Why: a `String` longer than 15 bytes is a heap object of its own, with a 32-byte header
/// and the allocator's rounding — 80 bytes for a typical 26-byte title. The service holds
/// every item's title for as long as it runs; at province scale (100,000 items) titles
/// packed side by side in one block take a third of that. Reading one builds a `String`.
///
/// Equality and hashing are those of the `String`, so an item compares as before
/// (canonically equivalent texts are equal, whatever their bytes).
struct PackedText: Hashable, Sendable {
    // Immutable once handed out (see `TextBlock`); ManagedBuffer itself cannot be Sendable.
    nonisolated(unsafe) private let block: TextBlock
    private let start: UInt32
    private let count: UInt32

    /// A text in a block of its own.
    init(_ text: String) {
        var text = text
        let count = text.utf8.count
        guard count > 0 else {
            self.init(block: TextBlock.empty, start: 0, count: 0)
            return
        }
        let block = TextBlock.make(capacity: count)
        text.withUTF8 { bytes in block.append(bytes) }
        self.init(block: block, start: 0, count: count)
    }

    private init(block: TextBlock, start: Int, count: Int) {
        self.block = block
        self.start = UInt32(start)
        self.count = UInt32(count)
    }

    /// The text.
    var string: String {
        block.withUnsafeMutablePointerToElements { base in
            String(decoding: UnsafeBufferPointer(start: base + Int(start), count: Int(count)), as: UTF8.self)
        }
    }

    /// `texts` copied side by side into one shared block, in order (no `String` made).
    static func pack(_ texts: [PackedText]) -> [PackedText] {
        let total = texts.reduce(0) { $0 + Int($1.count) }
        precondition(total <= Int(UInt32.max), "more than 4 GB of text in one block")
        let block = total == 0 ? TextBlock.empty : TextBlock.make(capacity: total)
        return texts.map { text in
            let start = block.header
            text.withBytes { bytes in block.append(bytes) }
            return PackedText(block: block, start: start, count: Int(text.count))
        }
    }

    /// True when both texts sit in the same block (what packing is for; tests check it).
    func sharesBlock(with other: PackedText) -> Bool { block === other.block }

    static func == (lhs: PackedText, rhs: PackedText) -> Bool {
        if lhs.count == rhs.count, lhs.withBytes({ l in rhs.withBytes { r in l.elementsEqual(r) } }) { return true }
        return lhs.string == rhs.string
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(string)
    }

    private func withBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        block.withUnsafeMutablePointerToElements { base in
            body(UnsafeBufferPointer(start: base + Int(start), count: Int(count)))
        }
    }
}

/// The bytes of one or more `PackedText`s in a single allocation; the header counts the
/// bytes written. Written only while it is being filled, before any `PackedText` that
/// refers to it is handed out, and read-only from then on — which is why `PackedText` may
/// share it across threads.
final class TextBlock: ManagedBuffer<Int, UInt8> {
    nonisolated(unsafe) static let empty = make(capacity: 0)

    static func make(capacity: Int) -> TextBlock {
        unsafeDowncast(create(minimumCapacity: capacity) { _ in 0 }, to: TextBlock.self)
    }

    /// Copies `bytes` after what the block holds; the caller sized the block for them.
    func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        withUnsafeMutablePointers { written, base in
            guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
            (base + written.pointee).update(from: source, count: bytes.count)
            written.pointee += bytes.count
        }
    }
}
