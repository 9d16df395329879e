import Foundation
#if canImport(Glibc)
import Glibc
import DudaoSchedules
#endif

/// The encodings a published list arrives in.
public enum SourceEncoding: String, Sendable, CaseIterable {
    /// UTF-8, with or without a byte-order mark.
    case utf8
    /// GB18030 (superset of GBK/GB2312): what Excel on Chinese Windows writes.
    case gb18030
    /// UTF-16 with a byte-order mark: Excel's "Unicode text" export.
    case utf16
}

/// Turns a file's bytes into text, detecting UTF-8 (BOM or not), UTF-16 (BOM) and GB18030.
///
/// Foundation on Linux has no GB18030 `String.Encoding`; glibc's `iconv` converts it.
public enum SourceText {
    /// Decodes `data`; `forced` skips detection. Errors name the first bad byte offset.
    public static func decode(_ data: Data, file: String, forced: SourceEncoding? = nil) throws(ScheduleError) -> (text: String, encoding: SourceEncoding) {
        if data.isEmpty {
            throw ScheduleError(file: file, message: "文件为空 the file is empty")
        }
        let bytes = [UInt8](data)
        let encoding = forced ?? detect(bytes)
        switch encoding {
        case .utf8:
            var body = bytes[...]
            if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
            if let bad = firstInvalidUTF8(body) {
                throw ScheduleError(file: file, line: lineNumber(bytes, at: bad),
                                    message: "不是有效的 UTF-8 或 GB18030 文本 not valid UTF-8 or GB18030 (byte \(bad): 0x\(String(bytes[bad], radix: 16, uppercase: true))); use --encoding")
            }
            return (String(decoding: body, as: UTF8.self), .utf8)
        case .utf16:
            guard let text = String(data: data, encoding: .utf16) else {
                throw ScheduleError(file: file, message: "不是有效的 UTF-16 文本 not valid UTF-16")
            }
            return (text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text, .utf16)
        case .gb18030:
            return (try gb18030(bytes, file: file), .gb18030)
        }
    }

    /// UTF-16 if it has a BOM; UTF-8 if it decodes as UTF-8; else GB18030.
    static func detect(_ bytes: [UInt8]) -> SourceEncoding {
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) { return .utf16 }
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { return .utf8 }
        return firstInvalidUTF8(bytes[...]) == nil ? .utf8 : .gb18030
    }

    /// Offset of the first byte that is not part of well-formed UTF-8, or `nil`.
    static func firstInvalidUTF8(_ bytes: ArraySlice<UInt8>) -> Int? {
        // The standard library's validation is fast; the loop below only finds where it fails.
        if String(validating: bytes, as: UTF8.self) != nil { return nil }
        var it = bytes.makeIterator()
        var decoder = UTF8()
        var offset = bytes.startIndex
        // Track offsets by re-validating scalar lengths.
        while true {
            let start = offset
            switch decoder.decode(&it) {
            case .scalarValue(let s):
                offset += UTF8.width(s)
            case .emptyInput:
                return nil
            case .error:
                return start
            }
        }
    }

    private static func lineNumber(_ bytes: [UInt8], at offset: Int) -> Int {
        1 + bytes[..<offset].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
    }

    private static func gb18030(_ bytes: [UInt8], file: String) throws(ScheduleError) -> String {
        let cd = iconv_open("UTF-8", "GB18030")
        guard cd != iconv_t(bitPattern: -1) else {
            throw ScheduleError(file: file, message: "本机 iconv 不支持 GB18030 iconv on this machine lacks GB18030")
        }
        defer { iconv_close(cd) }
        var input = bytes
        var output = [UInt8](repeating: 0, count: bytes.count * 4 + 16)
        var failedAt: Int? = nil
        let produced: Int = input.withUnsafeMutableBufferPointer { inBuf in
            output.withUnsafeMutableBufferPointer { outBuf in
                var inPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(inBuf.baseAddress!).assumingMemoryBound(to: CChar.self)
                var inLeft = inBuf.count
                var outPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outBuf.baseAddress!).assumingMemoryBound(to: CChar.self)
                var outLeft = outBuf.count
                let rc = iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft)
                if rc == -1 || inLeft != 0 { failedAt = inBuf.count - inLeft }
                return outBuf.count - outLeft
            }
        }
        if let bad = failedAt {
            throw ScheduleError(file: file, line: lineNumber(bytes, at: min(bad, bytes.count)),
                                message: "不是有效的 UTF-8 或 GB18030 文本 not valid UTF-8 or GB18030 (byte \(bad)); use --encoding")
        }
        return String(decoding: output[..<produced], as: UTF8.self)
    }
}
