import Foundation

/// Writes files so a reader never sees half of one: write a temporary file beside the
/// target, flush it, then rename over the target.
public enum AtomicFile {
    /// Writes `text` to `path` atomically. Throws a `ScheduleError` naming the path.
    public static func write(_ text: String, to path: String) throws(ScheduleError) {
        let url = URL(fileURLWithPath: path)
        let temp = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).tmp-\(ProcessInfo.processInfo.processIdentifier)")
        do {
            try Data(text.utf8).write(to: temp)
            if rename(temp.path, url.path) != 0 {
                let reason = String(cString: strerror(errno))
                try? FileManager.default.removeItem(at: temp)
                throw ScheduleError(file: path, message: "无法写入 cannot write: \(reason)")
            }
        } catch let error as ScheduleError {
            throw error
        } catch {
            try? FileManager.default.removeItem(at: temp)
            throw ScheduleError(file: path, message: "无法写入 cannot write: \(error.localizedDescription)")
        }
    }
}
