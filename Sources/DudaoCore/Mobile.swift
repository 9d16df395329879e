/// Mobile numbers: what counts as one, and how it is shown where the agency is not opened
/// (lists, logs, exports): `138****1234`.
public enum Mobile {
    /// An 11-digit mainland number (1, then 3–9, then nine digits) or E.164 (`+`, 8 to 15
    /// digits, not starting with 0).
    public static func isValid(_ s: String) -> Bool {
        let digits = s.utf8.allSatisfy { $0 >= 48 && $0 <= 57 }
        if digits, s.utf8.count == 11 {
            let b = Array(s.utf8)
            return b[0] == UInt8(ascii: "1") && b[1] >= UInt8(ascii: "3") && b[1] <= UInt8(ascii: "9")
        }
        guard s.hasPrefix("+") else { return false }
        let rest = s.dropFirst()
        return (8...15).contains(rest.count) && rest.first != "0" && rest.utf8.allSatisfy { $0 >= 48 && $0 <= 57 }
    }

    /// The number as compared: a mainland number without its `+86`, whichever way the
    /// directory or a platform wrote it.
    public static func normalized(_ s: String) -> String {
        s.hasPrefix("+86") ? String(s.dropFirst(3)) : s
    }

    /// The first three and last four digits kept, the middle hidden: `138****1234`,
    /// `+86138****1234`. Shorter texts are hidden whole.
    public static func masked(_ s: String) -> String {
        let chars = Array(s)
        guard chars.count >= 8 else { return String(repeating: "*", count: chars.count) }
        let head = s.hasPrefix("+") ? chars.count - 8 : 3
        return String(chars[..<head]) + "****" + String(chars[(chars.count - 4)...])
    }
}
