import Foundation
import Mustache

/// The message templates of a `Templates/` folder: one folder per message kind (`kinds`),
/// each with `subject`, `text`, `html` and `markdown` parts, shared `partials/`, and the
/// console's pages in `web/`.
///
/// Only `html` parts escape values; the others are loaded as plain text, so an author
/// does not need the `CONTENT_TYPE` pragma.
public struct TemplateSet: Sendable {
    /// The kinds every template folder must provide.
    public static let kinds = ["advance", "due", "verify", "overdue-1", "overdue-2", "overdue-3", "ongoing", "report", "decision", "digest"]
    /// The parts of each kind.
    public static let parts = ["subject", "text", "html", "markdown"]

    let library: MustacheLibrary
    /// The folder read.
    public let directory: String

    /// Loads every `*.mustache` under `directory`. Throws every parse error and missing
    /// part, each with file and line.
    public init(directory: String) throws(TemplateFailure) {
        self.directory = directory
        var problems: [TemplateProblem] = []
        var library = MustacheLibrary()
        let base = URL(fileURLWithPath: directory)
        let enumerator = FileManager.default.enumerator(atPath: directory)
        var names: [String] = []
        while let path = enumerator?.nextObject() as? String {
            if path.hasSuffix(".mustache") { names.append(path) }
        }
        if names.isEmpty {
            throw TemplateFailure(problems: [TemplateProblem(file: directory, line: nil, message: "没有模板 no *.mustache templates in this folder")])
        }
        for path in names.sorted() {
            let file = base.appendingPathComponent(path).path
            guard let data = FileManager.default.contents(atPath: file), var text = String(data: data, encoding: .utf8) else {
                problems.append(TemplateProblem(file: file, line: nil, message: "无法读取或不是 UTF-8 cannot read as UTF-8"))
                continue
            }
            let name = String(path.dropLast(".mustache".count))
            let isHTML = name.hasSuffix("html")
            if !isHTML { text = "{{% CONTENT_TYPE: TEXT}}" + text }
            do {
                library.register(try MustacheTemplate(string: text), named: name)
            } catch let error as MustacheTemplate.ParserError {
                problems.append(TemplateProblem(file: file, line: error.context.lineNumber,
                                                message: "模板语法错误 template syntax error: \(error.error) near “\(error.context.line.trimmingCharacters(in: .whitespaces))”"))
            } catch {
                problems.append(TemplateProblem(file: file, line: nil, message: "模板语法错误 template syntax error: \(error)"))
            }
        }
        for kind in Self.kinds {
            for part in Self.parts where !names.contains("\(kind)/\(part).mustache") {
                problems.append(TemplateProblem(file: base.appendingPathComponent(kind).path, line: nil,
                                                message: "缺少模板 missing template \(kind)/\(part).mustache"))
            }
        }
        if !problems.isEmpty { throw TemplateFailure(problems: problems) }
        self.library = library
    }

    /// Renders `kind/part` with `values`; `nil` when the template does not exist.
    func render(_ kind: String, _ part: String, _ values: [String: Any]) -> String? {
        library.render(values, withTemplate: "\(kind)/\(part)")
    }

    /// True when the folder has `kind/part.mustache` (parts beyond the four every kind has,
    /// such as `sms`).
    public func has(_ kind: String, _ part: String) -> Bool {
        library.getTemplate(named: "\(kind)/\(part)") != nil
    }

    /// Renders the console page `web/NAME_html.mustache` (every value HTML-escaped); `nil`
    /// when the folder has no such page.
    public func renderPage(_ name: String, _ values: [String: Any]) -> String? {
        library.render(values, withTemplate: "web/\(name)_html")
    }
}

/// A template problem at a file and line.
public struct TemplateProblem: Hashable, Sendable, CustomStringConvertible {
    /// The template file.
    public var file: String
    /// 1-based line, when known.
    public var line: Int?
    /// What is wrong.
    public var message: String

    public var description: String { "\(file)\(line.map { ":\($0)" } ?? ""): \(message)" }

    public init(file: String, line: Int?, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }
}

/// Every problem found loading a template folder.
public struct TemplateFailure: Error, Sendable, CustomStringConvertible {
    /// The problems, in file order.
    public var problems: [TemplateProblem]
    public var description: String { problems.map(\.description).joined(separator: "\n") }
}
