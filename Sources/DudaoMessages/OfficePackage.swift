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
        let archive = try Archive(url: temporary, accessMode: .create)
        for (path, text) in parts {
            let data = Data(text.utf8)
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        guard rename(temporary.path, url.path) == 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path]) }
    }

    func data() throws -> Data {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("dudao-\(UUID().uuidString).zip")
        defer { try? FileManager.default.removeItem(at: url) }
        try write(to: url)
        return try Data(contentsOf: url)
    }

    /// Text as XML character data: escaped, and without the control characters XML forbids.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
