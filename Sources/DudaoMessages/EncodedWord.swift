import Foundation

/// RFC 2047 "B" encoded words for non-ASCII header text (`=?UTF-8?B?…?=`).
///
/// Each word is at most 75 characters and carries whole characters only: the UTF-8 is cut
/// at scalar boundaries, never inside a character, so every word decodes on its own.
public enum EncodedWord {
    /// Longest UTF-8 payload per word: 75 − len("=?UTF-8?B?" + "?=") = 63 base64
    /// characters, rounded down to whole 4-character groups = 60 → 45 bytes.
    static let maxPayloadBytes = 45

    /// `text` as encoded words, in order; join them with folding white space (`\r\n `).
    public static func encode(_ text: String) -> [String] {
        var words: [String] = []
        var chunk: [UInt8] = []
        for scalar in text.unicodeScalars {
            if chunk.count + UTF8.width(scalar) > maxPayloadBytes {
                words.append(word(chunk))
                chunk = []
            }
            UTF8.encode(scalar) { chunk.append($0) }
        }
        if !chunk.isEmpty || words.isEmpty { words.append(word(chunk)) }
        return words
    }

    private static func word(_ bytes: [UInt8]) -> String {
        "=?UTF-8?B?" + Data(bytes).base64EncodedString() + "?="
    }

    /// Header text with every control character (CR, LF, tab…) turned into a space and
    /// runs of spaces folded: data can never start a new header line, not even once decoded.
    public static func headerText(_ text: String) -> String {
        var out = ""
        var space = false
        for scalar in text.unicodeScalars {
            // Control characters (category Cc) are exactly U+0000–U+001F and U+007F–U+009F.
            if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar == " " || scalar == "\u{2028}" || scalar == "\u{2029}" {
                space = true
                continue
            }
            if space && !out.isEmpty { out.append(" ") }
            space = false
            out.unicodeScalars.append(scalar)
        }
        return out
    }

    /// True when `text` can stand in a header as it is: printable ASCII, no CR/LF, and
    /// nothing that looks like an encoded word.
    public static func isPlainHeaderText(_ text: String) -> Bool {
        text.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F } && !text.contains("=?")
    }
}
