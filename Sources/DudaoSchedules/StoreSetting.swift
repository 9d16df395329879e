import Foundation

/// `store:` in `Schedules/dudao.yaml`: where the state is kept, as `--store` takes it
/// (`sqlite:PATH` or `postgres://USER@HOST:PORT/DATABASE`). `--store` and `$DUDAO_STORE`
/// override it. The file is no place for a password, and a URL holding one is refused here,
/// with the line.
public enum StoreSetting {
    /// The setting in the Schedules folder `schedules`, with findings located in the file;
    /// nil when there is no dudao.yaml or no `store:` in it.
    public static func read(schedules: String) -> (url: String?, diagnostics: Diagnostics) {
        var diag = Diagnostics()
        let path = (schedules as NSString).appendingPathComponent("dudao.yaml")
        guard FileManager.default.fileExists(atPath: path), let top = YAMLDocument.read(path, into: &diag)?.rootMap(into: &diag),
              let url = top.string("store", into: &diag) else {
            return (nil, diag)
        }
        if let problem = problem(url) {
            diag.error(top.file, line: top.line("store"), "store: " + problem)
            return (nil, diag)
        }
        return (url, diag)
    }

    /// What is wrong with `url` as a store's address, if anything (never repeating it: it
    /// may hold a password).
    public static func problem(_ url: String) -> String? {
        if url.hasPrefix("sqlite:") {
            return sqlitePath(url) != nil ? nil : "sqlite: 后缺少路径 no path after sqlite: (hint: sqlite:/var/lib/dudao/dudao.sqlite)"
        }
        guard isPostgres(url) else {
            return "不认识的存储地址 unknown store (hint: sqlite:PATH or postgres://USER@HOST:PORT/DATABASE)"
        }
        if URLComponents(string: url)?.password != nil {
            return "地址中不能含密码 the URL must not hold the password (hint: $DUDAO_STORE_PASSWORD, ?password_file=PATH, or the systemd credential dudao-store-password)"
        }
        return nil
    }

    /// The file a `sqlite:PATH` address names; nil for other addresses.
    public static func sqlitePath(_ url: String) -> String? {
        guard url.hasPrefix("sqlite:"), url.count > "sqlite:".count else { return nil }
        return String(url.dropFirst("sqlite:".count))
    }

    /// True for a PostgreSQL address.
    public static func isPostgres(_ url: String) -> Bool {
        url.hasPrefix("postgres://") || url.hasPrefix("postgresql://")
    }
}
