import Foundation

/// What awaits the office's decision: each done report (待销号) and extension request that
/// counts for a lead agency's milestone or ongoing work, once, oldest first. The console's
/// 待审核, the office's report and the figures read this one list, so a decided request is
/// pending nowhere.
public struct ReviewQueue: Sendable {
    /// One report awaiting a decision.
    public struct Entry: Sendable {
        /// Index of the item in the list.
        public var item: Int
        /// The lead agency whose report it is.
        public var agency: String
        /// The report.
        public var report: ProgressReport

        /// True for a done report that came without any file of evidence (未附佐证材料).
        public var lacksEvidence: Bool { report.status == .doneReported && report.files == 0 }
    }

    /// Oldest first.
    public let entries: [Entry]

    /// The queue of `items` under `standings`.
    public init(items: [Item], standings: Standings) {
        var out: [Entry] = []
        for (index, item) in items.enumerated() where !standings.isEmpty(item: item.id) {
            var seen: [String: [ProgressReport]] = [:]
            for agency in item.lead {
                let milestones: [Int?] = item.milestones.isEmpty ? [nil] : item.milestones.indices.map { $0 } + (item.ongoing ? [nil] : [])
                for m in milestones {
                    guard let r = standings.standing(item, milestone: m, agency: agency).report else { continue }
                    switch r.status {
                    case .doneReported, .extensionRequested: break
                    default: continue
                    }
                    // One decision per lead, however many milestones the report covers.
                    guard !seen[agency, default: []].contains(r) else { continue }
                    seen[agency, default: []].append(r)
                    out.append(Entry(item: index, agency: agency, report: r))
                }
            }
        }
        entries = out.sorted { $0.report.at < $1.report.at }
    }
}
