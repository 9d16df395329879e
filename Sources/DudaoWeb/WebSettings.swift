import Foundation
#if canImport(Glibc)
import Glibc
#endif
import DudaoSecrets
import DudaoSchedules

/// The console's settings: the `web:` section of `Schedules/dudao.yaml`, each one
/// overridden by its `dudao run` option. Read once at start: a SIGHUP reloads the
/// schedules, not the listening socket.
///
/// ```yaml
/// web:
///   listen: 127.0.0.1:8080
///   public_url: https://duban.example.gov.cn
///   link_key: {credential: dudao-link-key}   # or {env: NAME}, {file: PATH}; default: STATE/link.key
///   previous_link_key: {file: /etc/dudao/link.key.old}
///   link_days: 60
///   trust_user_header: X-Remote-User
///   trusted_proxies: [127.0.0.1, "::1"]
///   max_connections: 512
///   max_connections_per_client: 64   # trusted proxies excepted
///   idle_timeout: 30s
///   header_timeout: 10s        # a request's head must arrive whole within this
///   body_timeout: 5m           # and its body within this after the head
///   password_days: 90          # passwords older than this must be changed; default: never
/// ```
public struct WebSettings: Sendable {
    /// `HOST:PORT` to serve on; `nil` serves nothing.
    public var listen: String?
    /// Where agencies open their links; default `http://HOST:PORT` of `listen`.
    public var publicURL: String?
    /// The key links are signed with; `nil` for `link.key` in the state folder (created when absent).
    public var linkKey: Secret.Source?
    /// The key before a rotation, still accepted.
    public var previousLinkKey: Secret.Source?
    /// Days a link works after its message is sent.
    public var linkDays = 60
    /// A reverse proxy's authenticated-user header (SSO), trusted from `trustedProxies` only.
    public var trustUserHeader: String?
    /// Addresses of the reverse proxies whose `X-Forwarded-For` and SSO header are believed
    /// (default none: every other process on the machine could send them too).
    public var trustedProxies: [String] = []
    /// Connections the console keeps open at most (more are closed as they come).
    public var maxConnections = 512
    /// Connections one address keeps open at most (trusted proxies excepted).
    public var maxConnectionsPerClient = 64
    /// Seconds a connection may stay without a whole request before it is closed.
    public var idleTimeout = 30
    /// Seconds a request's head may take to arrive whole.
    public var headerTimeout = 10
    /// Seconds a request's body may take after its head.
    public var bodyTimeout = 300
    /// Days a password lasts before its owner must set a new one; `nil`: no expiry.
    public var passwordDays: Int?

    /// Defaults: no console.
    public init() {}

    /// The settings in the Schedules folder `schedules`, and every finding with file and
    /// line; defaults when there is no dudao.yaml.
    public static func read(schedules: String) -> (settings: WebSettings, diagnostics: Diagnostics) {
        var diag = Diagnostics()
        var s = WebSettings()
        let path = (schedules as NSString).appendingPathComponent("dudao.yaml")
        guard FileManager.default.fileExists(atPath: path), let top = YAMLDocument.read(path, into: &diag)?.rootMap(into: &diag) else {
            return (s, diag)
        }
        // `store:` is read by `StoreSetting`.
        top.checkKeys(["web", "store"], into: &diag)
        guard let web = top.map("web", into: &diag) else { return (s, diag) }
        web.checkKeys(["listen", "public_url", "link_key", "previous_link_key", "link_days", "trust_user_header", "trusted_proxies",
                        "max_connections", "max_connections_per_client", "idle_timeout", "header_timeout", "body_timeout", "password_days"], into: &diag)
        func check(_ key: String, _ problem: (String) -> String?) -> String? {
            guard let value = web.string(key, into: &diag) else { return nil }
            if let message = problem(value) {
                diag.error(web.file, line: web.line(key), message)
                return nil
            }
            return value
        }
        s.listen = check("listen") { bind($0) == nil ? listenProblem(_: "listen", $0) : nil }
        s.publicURL = check("public_url") { isPublicURL($0) ? nil : publicURLProblem(_: "public_url", $0) }
        s.trustUserHeader = check("trust_user_header") { isHeaderName($0) ? nil : headerProblem() }
        if let proxies = web.strings("trusted_proxies", into: &diag) {
            for p in proxies where !isAddress(p) { diag.error(web.file, line: web.line("trusted_proxies"), proxyProblem(p)) }
            s.trustedProxies = proxies.filter(isAddress)
        }
        if let n = web.int("max_connections", in: 10...10_000, into: &diag) { s.maxConnections = n }
        if let n = web.int("max_connections_per_client", in: 2...10_000, into: &diag) { s.maxConnectionsPerClient = n }
        if let text = web.string("idle_timeout", into: &diag) {
            if let seconds = PolicyFile.duration(text), (1...600).contains(seconds) { s.idleTimeout = seconds }
            else { diag.error(web.file, line: web.line("idle_timeout"), "idle_timeout 应为 1s–600s must be 1s to 600s, like 30s, not “\(text)”") }
        }
        for (key, path, range) in [("header_timeout", \WebSettings.headerTimeout, 1...300), ("body_timeout", \.bodyTimeout, 10...3600)] {
            guard let text = web.string(key, into: &diag) else { continue }
            if let seconds = PolicyFile.duration(text), range.contains(seconds) { s[keyPath: path] = seconds }
            else { diag.error(web.file, line: web.line(key), "\(key) 应为 \(range.lowerBound)s–\(range.upperBound)s must be \(range.lowerBound)s to \(range.upperBound)s, not “\(text)”") }
        }
        if let days = web.int("password_days", in: 1...3650, into: &diag) { s.passwordDays = days }
        if let days = web.int("link_days", into: &diag) {
            if linkDayRange.contains(days) { s.linkDays = days } else { diag.error(web.file, line: web.line("link_days"), linkDaysProblem()) }
        }
        for (key, path) in [("link_key", \WebSettings.linkKey), ("previous_link_key", \.previousLinkKey)] {
            if case .source(let source)? = SecretReference.read(web, key, into: &diag) { s[keyPath: path] = source }
        }
        return (s, diag)
    }

    // MARK: The rules, shared by the file and the command line

    /// Host and port of `HOST:PORT` (`[::1]:8080` too); `nil` when it is not one.
    public static func bind(_ text: String) -> (host: String, port: Int)? {
        guard let colon = text.lastIndex(of: ":"), colon > text.startIndex,
              let port = Int(text[text.index(after: colon)...]), (1...65535).contains(port) else { return nil }
        return (String(text[..<colon]).trimmingCharacters(in: CharacterSet(charactersIn: "[]")), port)
    }

    /// An http or https address with a host.
    public static func isPublicURL(_ text: String) -> Bool {
        guard let url = URL(string: text) else { return false }
        return ["http", "https"].contains(url.scheme?.lowercased() ?? "") && url.host != nil
    }

    /// A header name: ASCII letters, digits and hyphens.
    public static func isHeaderName(_ text: String) -> Bool {
        !text.isEmpty && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
    }

    /// An IPv4 or IPv6 address as a socket reports it (`127.0.0.1`, `::1`).
    public static func isAddress(_ text: String) -> Bool {
        var v4 = in_addr(), v6 = in6_addr()
        return inet_pton(AF_INET, text, &v4) == 1 || inet_pton(AF_INET6, text, &v6) == 1
    }

    public static func proxyProblem(_ text: String) -> String {
        "trusted_proxies 应为 IP 地址 must be IP addresses such as 127.0.0.1, not “\(text)”"
    }

    /// Days a link may be valid.
    public static let linkDayRange = 1...365

    /// What is wrong with a setting, named as the file (`listen`) or the command line (`--listen`) names it.
    public static func listenProblem(_ name: String = "listen", _ text: String) -> String {
        "\(name) 应为 HOST:PORT must be HOST:PORT, e.g. 127.0.0.1:8080, not “\(text)”"
    }
    public static func publicURLProblem(_ name: String = "public_url", _ text: String) -> String {
        "\(name) 应为 http(s)://… must be an http or https address, not “\(text)”"
    }
    public static func headerProblem(_ name: String = "trust_user_header") -> String {
        "\(name) 应为请求头名称 must be a header name such as X-Remote-User"
    }
    public static func linkDaysProblem(_ name: String = "link_days") -> String { "\(name) 应为 1–365 must be 1–365" }
}
