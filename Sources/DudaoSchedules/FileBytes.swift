import Foundation

/// Reads whole files for the loaders. Not `FileManager.contents(atPath:)`: on Linux it
/// leaks a 4 KB buffer for every empty file it reads (found by `make fuzz`).
public enum FileBytes {
    /// The file's bytes; `nil` when it cannot be opened or read (missing, a folder, no permission).
    public static func read(_ path: String) -> Data? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        do { return try handle.readToEnd() ?? Data() } catch { return nil }
    }
}
