import DudaoCore

/// The bytes of a `ListCache` entry: a header naming the format, the executable and the
/// source file's path and stamp, then the title, the items and the findings. Numbers are
/// LEB128 varints, text is a length and UTF-8. Decoding checks every length against what
/// is left and returns `nil` on anything unexpected; a checksum at the end catches a
/// damaged byte that would still decode.
enum ListCacheFormat {
    static let magic = Array("dudao-list-cache 1\n".utf8)

    static func encode(_ entry: ListCache.Entry, path: String, stamp: FileStamp, executable: FileStamp) -> [UInt8] {
        var w = Writer()
        w.bytes.append(contentsOf: magic)
        w.stamp(executable)
        w.text(path)
        w.stamp(stamp)
        w.text(entry.title)
        w.int(entry.items.count)
        for loaded in entry.items {
            let item = loaded.item
            w.text(item.id)
            w.text(item.title)
            w.text(item.content)
            w.texts(item.measures)
            w.texts(item.lead)
            w.texts(item.partners)
            w.int(item.partnersAndOthers ? 1 : 0)
            w.text(item.dueText)
            w.int(item.ongoing ? 1 : 0)
            w.int(item.milestones.count)
            for m in item.milestones {
                w.int(Int(m.due.dayNumber))
                w.optionalInt(m.start.map { Int($0.dayNumber) })
                w.text(m.text)
                w.int(m.status == nil ? 0 : 1)
                if let status = m.status { w.status(status) }
            }
            w.status(item.status)
            w.optionalInt(loaded.line)
        }
        w.int(entry.findings.list.count)
        for finding in entry.findings.list {
            let p = finding.problem
            w.int(finding.severity == .error ? 1 : 0)
            w.text(p.file)
            w.optionalInt(p.line)
            w.optionalText(p.column)
            w.optionalText(p.item)
            w.text(p.message)
        }
        w.bytes.append(contentsOf: magic)
        var sum = checksum(w.bytes[...])
        for _ in 0..<8 {
            w.bytes.append(UInt8(truncatingIfNeeded: sum))
            sum >>= 8
        }
        return w.bytes
    }

    /// FNV-1a over the bytes.
    static func checksum(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return hash
    }

    static func decode(_ stored: [UInt8], path: String, stamp: FileStamp, executable: FileStamp) -> ListCache.Entry? {
        guard stored.count > 8 else { return nil }
        let bytes = Array(stored.dropLast(8))
        let sum = stored.suffix(8).reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        guard sum == checksum(bytes[...]) else { return nil }
        var r = Reader(bytes: bytes)
        guard r.take(magic.count) == magic[...], r.stamp() == executable, r.text() == path, r.stamp() == stamp,
              let title = r.text(), let count = r.int(), count >= 0 else { return nil }
        var items: [TaskListFile.LoadedItem] = []
        var pool = TextPool()
        items.reserveCapacity(min(count, bytes.count / 8))
        for _ in 0..<count {
            guard let id = r.text(), let itemTitle = r.text(), let content = r.text(), let measures = r.texts(),
                  let lead = r.texts(), let partners = r.texts(), let others = r.int(), let dueText = r.text(),
                  let ongoing = r.int(), let milestoneCount = r.int(), milestoneCount >= 0 else { return nil }
            var milestones: [Milestone] = []
            for _ in 0..<min(milestoneCount, r.left) {
                guard let due = r.int(), let start = r.optionalInt(), let text = r.text(), let hasStatus = r.int() else { return nil }
                var status: ItemStatus? = nil
                if hasStatus == 1 {
                    guard let s = r.status() else { return nil }
                    status = s
                }
                milestones.append(Milestone(due: CivilDate(dayNumber: Int32(truncatingIfNeeded: due)),
                                            start: start.map { CivilDate(dayNumber: Int32(truncatingIfNeeded: $0)) },
                                            text: text, status: status))
            }
            guard milestones.count == milestoneCount, let status = r.status(), let line = r.optionalInt() else { return nil }
            items.append(TaskListFile.LoadedItem(item: Item(
                id: id, title: itemTitle, content: content, measures: pool.shared(measures), lead: pool.shared(lead),
                partners: pool.shared(partners), partnersAndOthers: others == 1, dueText: pool.shared(dueText), ongoing: ongoing == 1, milestones: pool.shared(milestones),
                status: status), line: line))
        }
        guard let findingCount = r.int(), findingCount >= 0 else { return nil }
        var findings = Diagnostics()
        for _ in 0..<min(findingCount, r.left) {
            guard let severity = r.int(), let file = r.text(), let line = r.optionalInt(), let column = r.optionalText(),
                  let item = r.optionalText(), let message = r.text() else { return nil }
            findings.record(Diagnostic(severity == 1 ? .error : .warning,
                                       ScheduleError(file: file, line: line, column: column, item: item, message: message)))
        }
        guard findings.list.count == findingCount, r.take(magic.count) == magic[...], r.left == 0 else { return nil }
        return ListCache.Entry(title: title, items: items, findings: findings)
    }

    private struct Writer {
        var bytes: [UInt8] = []

        mutating func int(_ n: Int) {
            var v = UInt64(bitPattern: Int64(n))
            repeat {
                let low = UInt8(v & 0x7f)
                v >>= 7
                bytes.append(v == 0 ? low : low | 0x80)
            } while v != 0
        }

        mutating func optionalInt(_ n: Int?) {
            int(n == nil ? 0 : 1)
            if let n { int(n) }
        }

        mutating func text(_ s: String) {
            int(s.utf8.count)
            bytes.append(contentsOf: s.utf8)
        }

        mutating func optionalText(_ s: String?) {
            int(s == nil ? 0 : 1)
            if let s { text(s) }
        }

        mutating func texts(_ list: [String]) {
            int(list.count)
            for s in list { text(s) }
        }

        mutating func status(_ s: ItemStatus) {
            text(s.name)
            if case .extended(let to) = s { optionalInt(Int(to.dayNumber)) } else { optionalInt(nil) }
        }

        mutating func stamp(_ s: FileStamp) {
            for n in [s.size, Int64(bitPattern: s.inode), s.modifiedNanoseconds, s.changedNanoseconds] { int(Int(n)) }
        }
    }

    private struct Reader {
        let bytes: [UInt8]
        var at = 0

        var left: Int { bytes.count - at }

        mutating func take(_ n: Int) -> ArraySlice<UInt8>? {
            guard n >= 0, n <= left else { return nil }
            defer { at += n }
            return bytes[at..<at + n]
        }

        mutating func int() -> Int? {
            var v: UInt64 = 0
            var shift: UInt64 = 0
            while at < bytes.count, shift < 64 {
                let b = bytes[at]
                at += 1
                v |= UInt64(b & 0x7f) << shift
                if b & 0x80 == 0 { return Int(Int64(bitPattern: v)) }
                shift += 7
            }
            return nil
        }

        mutating func optionalInt() -> Int?? {
            switch int() {
            case 0: return .some(nil)
            case 1: return int().map { .some($0) }
            default: return nil
            }
        }

        mutating func text() -> String? {
            guard let n = int(), let slice = take(n) else { return nil }
            return String(decoding: slice, as: UTF8.self)
        }

        mutating func optionalText() -> String?? {
            switch int() {
            case 0: return .some(nil)
            case 1: return text().map { .some($0) }
            default: return nil
            }
        }

        mutating func texts() -> [String]? {
            guard let n = int(), n <= left else { return nil }
            var list: [String] = []
            list.reserveCapacity(n)
            for _ in 0..<n {
                guard let s = text() else { return nil }
                list.append(s)
            }
            return list
        }

        mutating func status() -> ItemStatus? {
            guard let name = text(), let to = optionalInt() else { return nil }
            return ItemStatus(name: name, extendedTo: to.map { CivilDate(dayNumber: Int32(truncatingIfNeeded: $0)) })
        }

        mutating func stamp() -> FileStamp? {
            guard let size = int(), let inode = int(), let modified = int(), let changed = int() else { return nil }
            var s = FileStamp()
            s.size = Int64(size)
            s.inode = UInt64(bitPattern: Int64(inode))
            s.modifiedNanoseconds = Int64(modified)
            s.changedNanoseconds = Int64(changed)
            return s
        }
    }
}
