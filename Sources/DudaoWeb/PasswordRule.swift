import Foundation

/// What a console password must be (等保 2.0 level 3): at least 10 characters (at most
/// 72 bytes, all bcrypt reads), three of the four kinds of character — lower case, upper
/// case, digits, anything else (punctuation, spaces, Chinese) —, not one character
/// repeated, not the account's name, and not one of the passwords every guessing list
/// starts with.
public enum PasswordRule {
    /// What is wrong with `password` for account `name`, in words for the operator
    /// (bilingual); `nil` when it will do.
    public static func problem(_ password: String, name: String) -> String? {
        guard password.count >= 10 else { return "密码应至少10个字符 the password must be at least 10 characters" }
        guard password.utf8.count <= OfficeAccounts.maxPasswordBytes else {
            return "密码不能超过\(OfficeAccounts.maxPasswordBytes)字节 the password must be at most \(OfficeAccounts.maxPasswordBytes) bytes"
        }
        guard Set(password).count > 1 else { return "密码不能由同一字符组成 the password cannot be one character repeated" }
        var kinds = 0
        if password.contains(where: { $0.isLowercase && $0.isASCII }) { kinds += 1 }
        if password.contains(where: { $0.isUppercase && $0.isASCII }) { kinds += 1 }
        if password.contains(where: { $0.isNumber && $0.isASCII }) { kinds += 1 }
        if password.contains(where: { !($0.isASCII && ($0.isLetter || $0.isNumber)) }) { kinds += 1 }
        guard kinds >= 3 else {
            return "密码应包含大写字母、小写字母、数字、其他字符中的至少三类 the password needs three of: upper case, lower case, digits, other characters"
        }
        let lower = password.lowercased()
        guard !lower.contains(name.lowercased()) else { return "密码不能包含账号名 the password cannot contain the account's name" }
        guard !common.contains(lower) else { return "密码过于常见 the password is one of the most common passwords" }
        return nil
    }

    /// The most common passwords of ten characters or more that pass the other rules,
    /// lower-cased (from the public lists guessing scripts use first).
    static let common: Set<String> = [
        "password123!", "password@123", "password#123", "p@ssw0rd123", "p@ssword123", "p@ssw0rd1234", "passw0rd123",
        "qwerty123456!", "qwerty@123456", "qwe123!@#qwe", "1qaz@wsx3edc", "1qaz2wsx3edc!", "!qaz2wsx3edc", "1qaz!qaz1qaz",
        "zaq12wsxcde3", "admin@123456", "admin123456!", "admin@12345", "administrator1", "welcome@123", "welcome123!",
        "abc@12345678", "abc123456789!", "aa123456789!", "a123456789!", "abcd@1234567", "iloveyou123!", "changeme123!",
        "letmein12345", "sunshine123!", "12345678abc!", "123456789aa!", "1234567890qq", "qq123456789!", "woaini1314!!",
        "woaini520!!!", "5201314abc!", "huawei@123", "huawei12345!", "root@123456", "test@123456", "system@123",
        "zhengzhou@123", "dudao@12345", "duban@12345", "admin@zhengzhou",
    ]
}
