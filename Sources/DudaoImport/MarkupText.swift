import DudaoCore
import DudaoSchedules

/// Turns the HTML fragments that word processors leave in exported cells (`<ol style=…>`,
/// `<li>`, `<p>`, `<br>`, entities) into plain paragraphs.
public enum MarkupText {
    /// Plain text blocks of `html`, split at block tags, tags removed, entities decoded,
    /// white space folded. `isList` is true when the fragment was an `<ol>`/`<ul>`.
    ///
    /// In text without tags a line break is a block break: the paragraphs of a Word cell,
    /// the Alt+Enter lines of an Excel cell. Inside HTML it is only white space.
    public static func blocks(_ html: String) -> (blocks: [String], isList: Bool) {
        // Most cells are plain text on one line: nothing to split or decode.
        if !html.utf8.contains(where: { $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: "&") || $0 == 0x0A || $0 == 0x0D }) {
            let folded = foldSpaces(html)
            return (folded.isEmpty ? [] : [folded], false)
        }
        let linesAreBlocks = !hasMarkup(html)
        var blocks: [String] = []
        var current = ""
        var isList = false
        var i = html.startIndex
        // The first `>` at or after the last `<` looked at: every `<` before it closes there,
        // so it is searched for once, not once per `<` (quadratic on `<a<a<a…`).
        var nextClose: String.Index? = nil
        var closeSearched = false
        while i < html.endIndex {
            let c = html[i]
            if c == "<", !closeSearched || nextClose.map({ $0 < i }) == true {
                nextClose = html[i...].firstIndex(of: ">")
                closeSearched = true
            }
            if linesAreBlocks, c.isNewline {
                blocks.append(current)
                current = ""
                i = html.index(after: i)
                continue
            }
            if c == "<", let close = nextClose, isTag(html[html.index(after: i)..<close]) {
                let name = tagName(html[html.index(after: i)..<close])
                if ["ol", "ul"].contains(name) { isList = true }
                if ["p", "li", "br", "ol", "ul", "div", "tr", "td", "h1", "h2", "h3", "h4"].contains(name) {
                    blocks.append(current)
                    current = ""
                }
                i = html.index(after: close)
                continue
            }
            if c == "&", let semi = html[i...].prefix(10).firstIndex(of: ";"),
               let decoded = entity(String(html[html.index(after: i)..<semi])) {
                current.append(decoded)
                i = html.index(after: semi)
                continue
            }
            current.append(c)
            i = html.index(after: i)
        }
        blocks.append(current)
        return (blocks.map(foldSpaces).filter { !$0.isEmpty }, isList)
    }

    /// True when `text` holds something that looks like an HTML tag.
    public static func hasMarkup(_ text: String) -> Bool {
        var i = text.startIndex
        var close: String.Index? = nil
        while let open = text[i...].firstIndex(of: "<") {
            if close.map({ $0 < open }) ?? true {
                // No `>` after this `<`: none after a later one either.
                guard let found = text[open...].firstIndex(of: ">") else { return false }
                close = found
            }
            if isTag(text[text.index(after: open)..<close!]) { return true }
            i = text.index(after: open)
        }
        return false
    }

    /// Collapses runs of white space to one space and trims.
    public static func foldSpaces(_ text: String) -> String {
        if !text.unicodeScalars.contains(where: isSpace) { return text }
        // Into UTF-8 bytes: appending scalar by scalar to a string is what made this slow.
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        var space = false
        for scalar in text.unicodeScalars {
            if isSpace(scalar) {
                space = true
            } else {
                if space && !out.isEmpty { out.append(UInt8(ascii: " ")) }
                space = false
                UTF8.encode(scalar) { out.append($0) }
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// White space that folds (not the ideographic space U+3000, which is text in Chinese).
    private static func isSpace(_ c: Unicode.Scalar) -> Bool {
        c.isWhiteSpace && c.value != 0x3000
    }

    private static func isTag(_ inside: Substring) -> Bool {
        var s = inside
        if s.first == "/" { s = s.dropFirst() }
        guard let first = s.first, first.isASCII, first.isLetter else { return false }
        return s.prefix(while: { $0.isASCII && ($0.isLetter || $0.isNumber) }).count <= 10
    }

    private static func tagName(_ inside: Substring) -> String {
        var s = inside
        if s.first == "/" { s = s.dropFirst() }
        return String(s.prefix(while: { $0.isASCII && ($0.isLetter || $0.isNumber) })).lowercased()
    }

    private static func entity(_ name: String) -> Character? {
        switch name {
        case "nbsp": return " "
        case "amp": return "&"
        case "lt": return "<"
        case "gt": return ">"
        case "quot": return "\""
        case "apos", "#39": return "'"
        case "ldquo": return "“"
        case "rdquo": return "”"
        default:
            if name.hasPrefix("#x"), let v = UInt32(name.dropFirst(2), radix: 16), let s = Unicode.Scalar(v) { return Character(s) }
            if name.hasPrefix("#"), let v = UInt32(name.dropFirst()), let s = Unicode.Scalar(v) { return Character(s) }
            return nil
        }
    }
}
