import Foundation
import DudaoSecrets

/// Where a secret is read from, as channels.yaml or dudao.yaml names it. The value itself
/// never appears in the file, except a URL without a token.
public enum SecretReference: Hashable, Sendable, CustomStringConvertible {
    /// An environment variable, a file or a systemd credential.
    case source(Secret.Source)
    /// A value written in the file: allowed for URLs without tokens only.
    case literal(String)

    public var description: String {
        switch self {
        case .source(let s): "\(s)"
        case .literal: "literal"
        }
    }

    /// `{env: NAME}`, `{file: PATH}`, `{credential: NAME}`; a plain string only where allowed
    /// (URLs without tokens). A literal password is refused without repeating it.
    public static func read(_ map: YAMLMap, _ key: String, allowLiteral: Bool = false, into diag: inout Diagnostics) -> SecretReference? {
        guard map.has(key) else { return nil }
        if let text = map.scalar(key) {
            guard allowLiteral else {
                diag.error(map.file, line: map.line(key), "“\(key)” 不能直接写在文件中 must not be written in the file: use {env: NAME}, {file: PATH} or {credential: NAME}")
                return nil
            }
            if ["token", "key=", "access_token", "hook/"].contains(where: { text.contains($0) }) {
                diag.warning(map.file, line: map.line(key), "“\(key)” 含有令牌 looks like it carries a token: prefer {env: NAME} so it stays out of the file")
            }
            return .literal(text)
        }
        guard let m = map.map(key, into: &diag) else { return nil }
        m.checkKeys(["env", "file", "credential"], into: &diag)
        if let v = m.string("env", into: &diag) { return .source(.environment(v)) }
        if let v = m.string("file", into: &diag) { return .source(.file(v)) }
        if let v = m.string("credential", into: &diag) { return .source(.credential(v)) }
        diag.error(map.file, line: map.line(key), "“\(key)” 需要 env、file 或 credential needs one of env, file, credential")
        return nil
    }

    /// The secret, read now. Errors name the source, never the value.
    public func load(environment: [String: String]) throws(SecretError) -> Secret {
        switch self {
        case .source(let s): try Secret.load(s, environment: environment)
        case .literal(let v): Secret(v)
        }
    }
}
