import Foundation
import SWXMLHash
import ZIPFoundation
import DudaoSchedules

/// An Office file (.xlsx, .docx): a zip archive of XML parts, read with limits, because a
/// list may come from anyone. Refused with a clear message, in bounded time and memory:
/// archives larger than `maxArchiveBytes`, with more than `maxEntries` entries, an entry
/// path that is absolute or climbs out (`..`), parts that inflate past `maxPartBytes` or
/// more than `maxRatio` times their compressed size (zip bombs), and XML with a DTD
/// (entity expansion, external entities).
struct OfficeArchive {
    static let maxArchiveBytes = 50 << 20
    static let maxEntries = 2_000
    static let maxPartBytes = 100 << 20
    static let maxRatio: UInt64 = 200

    let file: String
    private let archive: Archive

    /// Opens `data` (read from `file`, named in errors).
    init(_ data: Data, file: String) throws(ScheduleError) {
        self.file = file
        guard data.count <= Self.maxArchiveBytes else {
            throw ScheduleError(file: file, message: "文件过大 the file is larger than \(Self.maxArchiveBytes >> 20) MB")
        }
        // From a file, not from memory: ZIPFoundation's in-memory archive traps on an offset
        // past the end, which a malformed central directory gives (found by `make fuzz`);
        // reading a file past its end just fails. The file is gone once opened.
        let temporary = FileManager.default.temporaryDirectory.appendingPathComponent("dudao-import-\(UUID().uuidString).zip")
        do {
            try data.write(to: temporary)
            defer { try? FileManager.default.removeItem(at: temporary) }
            archive = try Archive(url: temporary, accessMode: .read)
        } catch {
            throw ScheduleError(file: file, message: "不是有效的 Office 文件 not a valid Office file (the zip archive cannot be read)")
        }
        var count = 0
        for entry in archive {
            count += 1
            guard count <= Self.maxEntries else {
                throw ScheduleError(file: file, message: "压缩包条目过多 the archive holds more than \(Self.maxEntries) entries")
            }
            let path = entry.path
            guard !path.hasPrefix("/"), !path.hasPrefix("\\"), !path.split(whereSeparator: { $0 == "/" || $0 == "\\" }).contains("..") else {
                throw ScheduleError(file: file, message: "压缩包含有不安全的路径 the archive holds an unsafe path “\(path)”")
            }
        }
    }

    /// True when the archive has a part at `path`.
    func has(_ path: String) -> Bool { archive[path] != nil }

    /// The bytes of the part at `path`; `nil` when there is none.
    func part(_ path: String) throws(ScheduleError) -> Data? {
        guard let entry = archive[path] else { return nil }
        let limit = min(UInt64(Self.maxPartBytes), max(entry.compressedSize, 1) * Self.maxRatio)
        var data = Data()
        // Room for what the entry says it holds, within the limit: no copies as it grows.
        data.reserveCapacity(Int(min(entry.uncompressedSize, limit)) + 1)
        do {
            _ = try archive.extract(entry, skipCRC32: false) { chunk in
                data.append(chunk)
                if UInt64(data.count) > limit { throw PartTooLarge() }
            }
        } catch is PartTooLarge {
            throw ScheduleError(file: file, message: "压缩包内容异常膨胀 “\(path)” inflates past \(limit >> 20) MB or \(Self.maxRatio)× its size: refused as a zip bomb")
        } catch {
            throw ScheduleError(file: file, message: "压缩包内容损坏 “\(path)” cannot be read: \(error)")
        }
        return data
    }

    /// The bytes of the XML part at `path`, checked for what the XML parser must not see;
    /// `nil` when there is none. A DTD is refused, and so is a part that is not UTF-8 (Office
    /// writes nothing else): Foundation's XMLParser traps on an element name that is not valid
    /// UTF-8 (found by `make fuzz`).
    func xmlData(_ path: String) throws(ScheduleError) -> Data? {
        guard let data = try part(path) else { return nil }
        guard String(validating: data, as: UTF8.self) != nil else {
            throw ScheduleError(file: file, message: "“\(path)” 不是 UTF-8 编码 is not valid UTF-8: refused")
        }
        if data.range(of: Data("<!DOCTYPE".utf8)) != nil || data.range(of: Data("<!ENTITY".utf8)) != nil {
            throw ScheduleError(file: file, message: "“\(path)” 含有 DTD holds a DTD (<!DOCTYPE/<!ENTITY): refused")
        }
        return data
    }

    /// The part at `path` parsed into a tree (`xmlData`'s checks first); for the small parts.
    func xml(_ path: String) throws(ScheduleError) -> XMLIndexer? {
        guard let data = try xmlData(path) else { return nil }
        let parsed = XMLHash.config { $0.detectParsingErrors = true }.parse(data)
        if case .parsingError(let error) = parsed {
            throw ScheduleError(file: file, message: "“\(path)” 不是有效的 XML is not valid XML: \(error)")
        }
        return parsed
    }

    private struct PartTooLarge: Error {}
}
