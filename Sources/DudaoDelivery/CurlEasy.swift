import Foundation
import CCurl

/// A kept-alive connection for one worker thread: transports reuse it across the messages
/// that worker sends. Not thread-safe; give each worker its own.
public final class Connection: @unchecked Sendable {
    let easy = CurlEasy()
    /// A connection, opened at its first transfer.
    public init() {}
}

/// One libcurl easy handle: one connection kept alive across the transfers made with it.
/// Not thread-safe; give each worker its own.
final class CurlEasy {
    private let handle: UnsafeMutableRawPointer
    private var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)

    /// `curl_global_init` once per process, before the first handle.
    private static let globalInit: Void = { curl_global_init(Int(CURL_GLOBAL_ALL)) }()

    init() {
        _ = Self.globalInit
        handle = curl_easy_init()!
    }

    deinit { curl_easy_cleanup(handle) }

    /// What a transfer returned.
    struct Result {
        var code: CURLcode
        /// Last SMTP reply or HTTP status (0 when none was received).
        var responseCode: Int
        /// libcurl's own explanation (never contains passwords: they are not in URLs).
        var message: String
        var body: Data
        var headers: [String: String]
        /// True once the request was written to the peer (it may then have acted on it).
        var requestSent = false
    }

    /// Runs one transfer: `configure` sets options after a reset (connections survive a
    /// reset); `upload` is sent as the request body when given. When `stop` aborts, the
    /// transfer ends within about a second with `CURLE_ABORTED_BY_CALLBACK`.
    func perform(upload: Data?, stop: StopSignal? = nil, _ configure: (Options) -> Void) -> Result {
        curl_easy_reset(handle)
        let sink = Sink()
        let source = upload.map { Source(bytes: [UInt8]($0)) }
        let options = Options(handle: handle)
        errorBuffer.withUnsafeMutableBufferPointer { buf in
            buf[0] = 0
            _ = dudao_setopt_pointer(handle, CURLOPT_ERRORBUFFER, buf.baseAddress)
        }
        options.long(CURLOPT_NOSIGNAL, 1)
        let sinkRef = Unmanaged.passUnretained(sink).toOpaque()
        _ = dudao_setopt_write_function(handle) { ptr, size, count, user in
            let sink = Unmanaged<Sink>.fromOpaque(user!).takeUnretainedValue()
            if let ptr { sink.body.append(UnsafeRawPointer(ptr).assumingMemoryBound(to: UInt8.self), count: size * count) }
            return size * count
        }
        _ = dudao_setopt_pointer(handle, CURLOPT_WRITEDATA, sinkRef)
        _ = dudao_setopt_header_function(handle) { ptr, size, count, user in
            let sink = Unmanaged<Sink>.fromOpaque(user!).takeUnretainedValue()
            if let ptr {
                let line = String(decoding: UnsafeRawBufferPointer(start: ptr, count: size * count), as: UTF8.self)
                if let colon = line.firstIndex(of: ":") {
                    sink.headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespacesAndNewlines)
                }
            }
            return size * count
        }
        _ = dudao_setopt_pointer(handle, CURLOPT_HEADERDATA, sinkRef)
        if let source {
            options.long(CURLOPT_UPLOAD, 1)
            options.long(CURLOPT_INFILESIZE, source.bytes.count)
            _ = dudao_setopt_read_function(handle) { ptr, size, count, user in
                let source = Unmanaged<Source>.fromOpaque(user!).takeUnretainedValue()
                let n = min(size * count, source.bytes.count - source.offset)
                if n > 0, let ptr {
                    source.bytes.withUnsafeBufferPointer { b in
                        UnsafeMutableRawPointer(ptr).copyMemory(from: b.baseAddress! + source.offset, byteCount: n)
                    }
                    source.offset += n
                }
                return n
            }
            _ = dudao_setopt_pointer(handle, CURLOPT_READDATA, Unmanaged.passUnretained(source).toOpaque())
        }
        if let stop {
            options.long(CURLOPT_NOPROGRESS, 0)
            _ = dudao_setopt_xferinfo_function(handle) { user, _, _, _, _ in
                Unmanaged<StopSignal>.fromOpaque(user!).takeUnretainedValue().isAborting ? 1 : 0
            }
            _ = dudao_setopt_pointer(handle, CURLOPT_XFERINFODATA, Unmanaged.passUnretained(stop).toOpaque())
        }
        configure(options)
        let code = withExtendedLifetime((sink, source, options, stop)) { curl_easy_perform(handle) }
        var response = 0
        _ = dudao_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &response)
        let message = errorBuffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        let text = message.isEmpty ? String(cString: curl_easy_strerror(code)) : message
        var requestSize = 0
        _ = dudao_getinfo_long(handle, CURLINFO_REQUEST_SIZE, &requestSize)
        return Result(code: code, responseCode: response, message: text, body: sink.body, headers: sink.headers, requestSent: requestSize > 0)
    }

    /// Typed option setters; keeps strings and lists alive until the transfer ends.
    final class Options {
        let handle: UnsafeMutableRawPointer
        private var strings: [UnsafeMutablePointer<CChar>] = []
        private var lists: [UnsafeMutablePointer<curl_slist>] = []

        init(handle: UnsafeMutableRawPointer) { self.handle = handle }

        deinit {
            strings.forEach { free($0) }
            lists.forEach { curl_slist_free_all($0) }
        }

        func long(_ option: CURLoption, _ value: Int) { _ = dudao_setopt_long(handle, option, value) }

        func string(_ option: CURLoption, _ value: String) {
            let copy = strdup(value)!
            strings.append(copy)
            _ = dudao_setopt_string(handle, option, copy)
        }

        func list(_ option: CURLoption, _ values: [String]) {
            var list: UnsafeMutablePointer<curl_slist>? = nil
            for v in values { list = curl_slist_append(list, v) }
            if let list { lists.append(list) }
            _ = dudao_setopt_slist(handle, option, list)
        }
    }

    private final class Sink {
        var body = Data()
        var headers: [String: String] = [:]
    }

    private final class Source {
        let bytes: [UInt8]
        var offset = 0
        init(bytes: [UInt8]) { self.bytes = bytes }
    }
}
