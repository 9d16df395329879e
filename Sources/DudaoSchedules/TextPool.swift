/// Hands out one shared copy of each text seen: a large list repeats its deadline phrases,
/// agency names and stock measures on thousands of rows, and a Swift string longer than 15
/// bytes is a heap allocation of its own. Pooled, they cost one allocation each for the
/// life of the service.
struct TextPool {
    private var texts: Set<String> = []

    mutating func shared(_ text: String) -> String {
        // Short texts are stored inline in the string value: nothing to share.
        guard text.utf8.count > 15 else { return text }
        if let known = texts.firstIndex(of: text) { return texts[known] }
        texts.insert(text)
        return text
    }

    mutating func shared(_ list: [String]) -> [String] {
        list.map { shared($0) }
    }
}
