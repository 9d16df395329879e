import DudaoSchedules

/// Where each list and the directory's agencies come from, for `check` and `status`: a file
/// of the Schedules folder (the operator's) or the state store (the office's, by revision).
enum SourceLines {
    static func text(_ set: ScheduleSet) -> [String] {
        var counts: [String: Int] = [:]
        for index in set.items.indices { if let file = set.place(ofItemAt: index)?.file { counts[file, default: 0] += 1 } }
        var lines = set.listTitles.map { "清单 list “\($0.title)”: \(PublishedList.label(place: $0.file))，\(counts[$0.file] ?? 0) 项 items" }
        let stored = set.agencies.agencies.filter { StoredAgency.isStored(set.agencies.origin(of: $0.name, default: "").file) }.count
        lines.append("通讯录 directory: \(set.agencies.agencies.count - stored) 个单位 agencies in \(set.agenciesPath), \(stored) 个 kept by the office in the store")
        return lines
    }
}
