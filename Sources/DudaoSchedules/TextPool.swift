import DudaoCore

/// Hands out one shared copy of each text (and list of texts or milestones) seen: a large list repeats its
/// deadline phrases, agency names and stock measures on thousands of rows, and a Swift string longer than 15
/// bytes is a heap allocation of its own. Pooled, they cost one allocation each for the
/// life of the service.
struct TextPool {
    private var texts: Set<String> = []
    private var lists: Set<[String]> = []
    private var milestoneLists: Set<[Milestone]> = []

    mutating func shared(_ text: String) -> String {
        // Short texts are stored inline in the string value: nothing to share.
        guard text.utf8.count > 15 else { return text }
        if let known = texts.firstIndex(of: text) { return texts[known] }
        texts.insert(text)
        return text
    }

    /// One copy of each list of texts (the same stock measures, the same agencies on many
    /// rows): an array is a heap allocation of its own too.
    mutating func shared(_ list: [String]) -> [String] {
        guard !list.isEmpty else { return list }
        if let known = lists.firstIndex(of: list) { return lists[known] }
        let pooled = list.map { shared($0) }
        lists.insert(pooled)
        return pooled
    }

    /// One copy of each list of milestones: items with the same deadline text have the same.
    mutating func shared(_ milestones: [Milestone]) -> [Milestone] {
        guard !milestones.isEmpty else { return milestones }
        if let known = milestoneLists.firstIndex(of: milestones) { return milestoneLists[known] }
        let pooled = milestones.map { m in
            var m = m
            m.text = shared(m.text)
            return m
        }
        milestoneLists.insert(pooled)
        return pooled
    }
}
