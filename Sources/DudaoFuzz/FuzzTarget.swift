import Foundation
import DudaoCore
import DudaoMessages
import DudaoSchedules
import DudaoImport

/// libFuzzer targets for the parsers that read what users and lists hand us, and for the
/// MIME encoder (round trip through a small parser here). `make fuzz` builds this with
/// `-sanitize=fuzzer,address -DFUZZING` and runs each target, chosen by `DUDAO_FUZZ_TARGET`
/// (`deadline`, `importer`, `schedule`, `mime`), on its corpus in Fuzz/corpus/. A crash, a
/// sanitizer report or a broken invariant (`fatalError`) stops the fuzzer and leaves the
/// input; each one found becomes a regression test.
enum FuzzTarget: String {
    case deadline, importer, schedule, mime

    static let current: FuzzTarget = {
        guard let name = ProcessInfo.processInfo.environment["DUDAO_FUZZ_TARGET"], let t = FuzzTarget(rawValue: name) else {
            fatalError("set DUDAO_FUZZ_TARGET to deadline, importer, schedule or mime")
        }
        return t
    }()

    func run(_ data: Data) {
        switch self {
        case .deadline: Self.deadline(String(decoding: data, as: UTF8.self))
        case .importer: _ = try? ListImporter(year: 2024).importData(data, file: "fuzz.tsv")
        case .schedule: Self.schedule(data)
        case .mime: Self.mime(data)
        }
    }

    /// Any text parses or fails with a reason; parsed dates are real dates.
    static func deadline(_ text: String) {
        guard let d = try? DeadlineParser(defaultYear: 2024).parse(text) else { return }
        for m in d.milestones {
            guard CivilDate(iso: m.due.iso) == m.due else { fatalError("due \(m.due.iso) is not a date, from “\(text)”") }
            if let start = m.start, start > m.due { fatalError("window starts after it ends, from “\(text)”") }
        }
    }

    /// The first byte picks the file (a task list, policy, channels or agencies); the rest is
    /// its content. Loading and checking never crash, whatever the YAML.
    static func schedule(_ data: Data) {
        guard let first = data.first else { return }
        let names = ["list.yaml", "policy.yaml", "channels.yaml", "agencies.yaml"]
        let dir = scratch
        let path = (dir as NSString).appendingPathComponent(names[Int(first) % names.count])
        _ = FileManager.default.createFile(atPath: path, contents: data.dropFirst())
        defer { try? FileManager.default.removeItem(atPath: path) }
        let set = ScheduleSet.load(dir)
        _ = set.check(now: Date(timeIntervalSince1970: 1_735_000_000))
    }

    static let scratch: String = {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dudao-fuzz-\(getpid())").path
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }()

    /// Subject, display name and body separated by NUL bytes: the email is well formed
    /// (CRLF lines of at most 998 characters, only the headers Dudao writes) and its subject
    /// decodes back to what was given, control characters folded.
    static func mime(_ data: Data) {
        let parts = String(decoding: data, as: UTF8.self).split(separator: "\0", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
        let subject = parts[0], name = parts.count > 1 ? parts[1] : "", body = parts.count > 2 ? parts[2] : ""
        let email = EmailMessage(from: Mailbox(name: name, address: "office@zhengzhou.example"),
                                 to: [Mailbox(name: name, address: "a@zhengzhou.example")], subject: subject, text: body, html: body,
                                 date: Date(timeIntervalSince1970: 1_735_000_000), key: subject)
        guard let eml = try? email.rfc5322() else { return }
        guard eml.hasSuffix("\r\n") else { fatalError("does not end in CRLF") }
        let lines = eml.components(separatedBy: "\r\n").dropLast()
        for line in lines {
            if line.contains("\r") || line.contains("\n") { fatalError("bare CR or LF in “\(line.prefix(80))”") }
            if line.utf8.count > 998 { fatalError("line of \(line.utf8.count) octets") }
        }
        let header = lines.prefix { !$0.isEmpty }
        let known: Set<String> = ["From", "To", "Cc", "Subject", "Date", "Message-ID", "MIME-Version", "Content-Type",
                                  "Content-Transfer-Encoding", "Auto-Submitted", "X-Dudao-Key", "X-Auto-Response-Suppress", "Precedence"]
        var unfolded: [String] = []
        for line in header {
            if line.first == " " || line.first == "\t" {
                guard !unfolded.isEmpty else { fatalError("header starts with a continuation") }
                unfolded[unfolded.count - 1] += line
            } else {
                unfolded.append(line)
            }
        }
        for field in unfolded {
            let name = String(field.prefix { $0 != ":" })
            if !known.contains(name) { fatalError("unexpected header “\(name)”: data started a header") }
        }
        guard let subjectField = unfolded.first(where: { $0.hasPrefix("Subject:") }) else { fatalError("no Subject") }
        let decoded = decodeWords(String(subjectField.dropFirst("Subject:".count)))
        if decoded != EncodedWord.headerText(subject) {
            fatalError("subject “\(EncodedWord.headerText(subject))” came back as “\(decoded)”")
        }
    }

    /// Decodes a header value: RFC 2047 B-words (white space between words dropped) and
    /// plain text, as a mail reader would.
    static func decodeWords(_ value: String) -> String {
        var out = Data()
        var text = Substring(value.drop { $0 == " " })
        var lastWasWord = false
        while !text.isEmpty {
            if text.hasPrefix("=?UTF-8?B?"), let end = text.range(of: "?=") {
                let payload = text[text.index(text.startIndex, offsetBy: 10)..<end.lowerBound]
                out += Data(base64Encoded: String(payload)) ?? Data()
                text = text[end.upperBound...]
                lastWasWord = true
                continue
            }
            let spaces = text.prefix { $0 == " " || $0 == "\t" }
            let rest = text.dropFirst(spaces.count)
            if !spaces.isEmpty, lastWasWord, rest.hasPrefix("=?UTF-8?B?") { text = rest; continue }
            out += Data(String(text.first!).utf8)
            text = text.dropFirst()
            lastWasWord = false
        }
        return String(decoding: out, as: UTF8.self)
    }
}

#if FUZZING
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    FuzzTarget.current.run(Data(bytes: bytes, count: count))
    return 0
}

@_silgen_name("LLVMFuzzerRunDriver")
func runDriver(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
               _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt) -> CInt

/// SwiftPM links an executable's entry point under this name (so tests can link it);
/// hand control to libFuzzer's driver from there.
@_cdecl("DudaoFuzz_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var argc = argc
    var argv = argv
    return runDriver(&argc, &argv, fuzzOneInput)
}
#else
@main
enum FuzzEntry {
    static func main() {
        print("DudaoFuzz is built for libFuzzer by `make fuzz` (swift build -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING).")
    }
}
#endif
