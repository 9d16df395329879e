import DudaoCore

/// One task-list file: the list's title and its items (e.g. `Schedules/zhengzhou-2024.yaml`).
public struct TaskList: Hashable, Sendable {
    /// The list's title (郑州市全面提升营商环境水平事项清单).
    public var title: String
    /// Where it was imported from, for the record.
    public var source: String?
    /// Items in list order.
    public var items: [Item]

    /// A list from its parts.
    public init(title: String, source: String? = nil, items: [Item]) {
        self.title = title
        self.source = source
        self.items = items
    }

    /// A four-digit year in the title (`2024年…清单`), used for year-less deadlines.
    public var titleYear: Int? { Self.year(in: title) }

    /// A four-digit year standing alone in `text`.
    public static func year(in text: String) -> Int? {
        let chars = Array(text)
        var i = 0
        while i + 4 <= chars.count {
            let slice = chars[i..<i + 4]
            if slice.allSatisfy({ $0.isASCII && $0.isNumber }),
               i + 4 == chars.count || !(chars[i + 4].isASCII && chars[i + 4].isNumber),
               i == 0 || !(chars[i - 1].isASCII && chars[i - 1].isNumber),
               let y = Int(String(slice)), (1990...2099).contains(y) {
                return y
            }
            i += 1
        }
        return nil
    }
}
