import Foundation
import DudaoSecrets

/// Where a PostgreSQL store is: `postgres://USER@HOST:PORT/DATABASE`, with
/// `?sslmode=verify-full` (or `require`, which Dudao also verifies) for TLS and
/// `&sslrootcert=PATH` for a private CA.
///
/// The password is never part of the URL, which shows in `ps` and in logs. It comes from
/// `$DUDAO_STORE_PASSWORD`, from the file `?password_file=PATH`, or from the systemd
/// credential `dudao-store-password` (`LoadCredential=` puts it in `$CREDENTIALS_DIRECTORY`).
public struct PostgresURL: Sendable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var user: String
    public var database: String
    public var password: String?
    /// TLS, with the server's certificate verified against the system's CAs or `rootCertificate`.
    public var tls: Bool
    public var rootCertificate: String?

    /// The URL without any secret, for messages.
    public var description: String {
        "postgres://\(user)@\(host):\(port)/\(database)\(tls ? "?sslmode=verify-full" : "")"
    }

    public struct Problem: Error, CustomStringConvertible {
        public var description: String
    }

    /// Parses `text`; `environment` supplies the password's sources.
    public init(_ text: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        guard let url = URLComponents(string: text), ["postgres", "postgresql"].contains(url.scheme ?? "") else {
            throw Problem(description: "不是 PostgreSQL 地址 not a PostgreSQL URL: \(Self.redacted(text)) (hint: postgres://USER@HOST:PORT/DATABASE)")
        }
        if url.password != nil {
            throw Problem(description: "地址中不能含密码 the URL must not hold the password: \(Self.redacted(text)) "
                + "(hint: set $DUDAO_STORE_PASSWORD, ?password_file=PATH, or the systemd credential dudao-store-password)")
        }
        guard let host = url.host, !host.isEmpty, let user = url.user, !user.isEmpty else {
            throw Problem(description: "地址缺少用户或主机 the URL lacks a user or a host: \(text) (hint: postgres://USER@HOST:PORT/DATABASE)")
        }
        self.host = host
        self.user = user
        port = url.port ?? 5432
        let path = url.path.hasPrefix("/") ? String(url.path.dropFirst()) : url.path
        database = path.isEmpty ? user : path
        var query: [String: String] = [:]
        for item in url.queryItems ?? [] { query[item.name] = item.value ?? "" }
        for name in query.keys where !["sslmode", "sslrootcert", "password_file"].contains(name) {
            throw Problem(description: "地址参数未知 unknown URL parameter \(name) in \(Self.redacted(text)) (hint: sslmode, sslrootcert, password_file)")
        }
        switch query["sslmode"] ?? "disable" {
        case "disable": tls = false
        case "require", "verify-ca", "verify-full": tls = true
        case let other:
            throw Problem(description: "sslmode=\(other) 不支持 is not supported (hint: disable on loopback, else verify-full; verification is never turned off)")
        }
        rootCertificate = query["sslrootcert"]
        // Read where every secret is read (DudaoSecrets): a file, the environment, a systemd credential.
        let source: Secret.Source?
        if let file = query["password_file"] {
            source = .file(file)
        } else if environment["DUDAO_STORE_PASSWORD"] != nil {
            source = .environment("DUDAO_STORE_PASSWORD")
        } else if let dir = environment["CREDENTIALS_DIRECTORY"],
                  FileManager.default.fileExists(atPath: (dir as NSString).appendingPathComponent(Self.credential)) {
            source = .credential(Self.credential)
        } else {
            source = nil
        }
        do { password = try source.map { try Secret.load($0, environment: environment).value } } catch {
            throw Problem(description: "无法读取数据库密码 cannot read the store's password: \(error)")
        }
    }

    /// The systemd credential the password may come from (`LoadCredential=dudao-store-password:…`).
    static let credential = "dudao-store-password"

    /// `text` with anything between `:` and `@` in its authority blanked.
    public static func redacted(_ text: String) -> String {
        guard var url = URLComponents(string: text), url.password != nil else { return text }
        url.password = "***"
        return url.string ?? "postgres://***"
    }
}
