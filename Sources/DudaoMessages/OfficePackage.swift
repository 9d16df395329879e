import Foundation
#if canImport(Glibc)
import Glibc
#endif
import ZIPFoundation

/// An Office Open XML package (.xlsx, .docx): named XML parts zipped with ZIPFoundation,
/// written in one step so a reader never sees half a file. `Spreadsheet` and
/// `OfficialDocument` say what the parts hold.
struct OfficePackage {
    var parts: [(String, String)]

    func write(to url: URL) throws {
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
        defer { try? FileManager.default.removeItem(at: temporary) }
        try add(to: try Archive(url: temporary, accessMode: .create))
        guard rename(temporary.path, url.path) == 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path]) }
    }

    /// The package's bytes, zipped in memory (an attachment, a download): no temporary file.
    func data() throws -> Data {
        let archive = try Archive(data: Data(), accessMode: .create)
        try add(to: archive)
        guard let data = archive.data else { throw CocoaError(.fileWriteUnknown) }
        return data
    }

    private func add(to archive: Archive) throws {
        for (path, text) in parts {
            let data = Data(text.utf8)
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
    }
}
