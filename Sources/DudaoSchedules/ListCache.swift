import Foundation
import DudaoCore

/// Task lists as last parsed, kept in the state folder (`cache/lists/`) so that loading an
/// unchanged file skips YAML: libyaml alone needs most of a second for a 100,000-item list,
/// and the service reloads its lists on every start and SIGHUP.
///
/// An entry is used only when the file's size, modification and change times and inode
/// are those recorded, and it was written by this very `dudao` executable (so a new
/// version never reads an old version's parse). It holds what reading the file gave: the
/// title, the items with their lines and the findings, so `check` reports the same either
/// way. Anything unreadable in the cache is ignored and the file parsed again.
public struct ListCache: Sendable {
    /// `<state>/cache/lists`.
    public let directory: String

    /// The cache in `stateDirectory`; `nil` when that folder does not exist (a cache never
    /// creates a state folder).
    public init?(stateDirectory: String) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: stateDirectory, isDirectory: &isDirectory), isDirectory.boolValue,
              Self.executable != nil else { return nil }
        directory = (stateDirectory as NSString).appendingPathComponent("cache/lists")
    }

    /// What reading a task-list file gave.
    struct Entry {
        var title: String
        var items: [TaskListFile.LoadedItem]
        var findings: Diagnostics
    }

    /// The entry recorded for `path` as it is now (`stamp`), if any.
    func entry(for path: String, stamp: FileStamp) -> Entry? {
        guard let data = FileBytes.read(file(for: path)) else { return nil }
        return ListCacheFormat.decode([UInt8](data), path: path, stamp: stamp, executable: Self.executable ?? FileStamp())
    }

    /// Records `entry` for `path` read at `stamp`. Skipped (silently: a cache is never worth
    /// an error) when the file changed while it was read, or so recently that a change in
    /// the same clock tick could go unseen.
    func store(_ entry: Entry, for path: String, stamp: FileStamp) {
        guard let executable = Self.executable, FileStamp(path: path) == stamp,
              Date().timeIntervalSince1970 - stamp.modified > 2 else { return }
        let bytes = ListCacheFormat.encode(entry, path: path, stamp: stamp, executable: executable)
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let target = file(for: path)
        let temp = target + ".tmp-\(ProcessInfo.processInfo.processIdentifier)"
        guard FileManager.default.createFile(atPath: temp, contents: Data(bytes)), rename(temp, target) == 0 else {
            try? FileManager.default.removeItem(atPath: temp)
            return
        }
    }

    /// Removes the entries of lists other than `paths` (deleted or renamed lists, another
    /// Schedules folder's) and temporary files a crash left.
    func keepOnly(_ paths: [String]) {
        let keep = Set(paths.map { (file(for: $0) as NSString).lastPathComponent })
        for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] where !keep.contains(name) {
            try? FileManager.default.removeItem(atPath: (directory as NSString).appendingPathComponent(name))
        }
    }

    /// One file per list, named by a hash of its absolute path (the path itself is inside
    /// and checked).
    private func file(for path: String) -> String {
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        let hash = ListCacheFormat.checksum(Array(absolute.utf8)[...])
        return (directory as NSString).appendingPathComponent(String(hash, radix: 16) + ".list")
    }

    /// The running executable's stamp; a rebuilt or upgraded `dudao` has another.
    static let executable: FileStamp? = FileStamp(path: "/proc/self/exe")
}

/// What identifies one version of a file without reading it.
struct FileStamp: Equatable {
    var size: Int64 = 0
    var inode: UInt64 = 0
    var modifiedNanoseconds: Int64 = 0
    var changedNanoseconds: Int64 = 0

    /// Modification time in seconds since 1970.
    var modified: Double { Double(modifiedNanoseconds) / 1e9 }

    init() {}

    /// The file's stamp, following symbolic links; `nil` when it cannot be examined.
    init?(path: String) {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        size = Int64(st.st_size)
        inode = UInt64(st.st_ino)
        modifiedNanoseconds = Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec)
        changedNanoseconds = Int64(st.st_ctim.tv_sec) * 1_000_000_000 + Int64(st.st_ctim.tv_nsec)
    }
}
