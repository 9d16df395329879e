import Foundation
import DudaoCore
import Yams

/// `Schedules/channels.yaml`: the email channel, chat robots and the outbox folder.
///
/// ```yaml
/// email:
///   url: smtp://smtp.zhengzhou.example:587
///   starttls: required                 # required | opportunistic | off
///   username: dudao
///   password: {env: DUDAO_SMTP_PASSWORD} # or {file: …} or {credential: smtp-password}
///   from: {name: 市政府督查室, address: duchashi@zhengzhou.example}
/// chat:
///   - {name: scjgj-robot, type: dingtalk, url: {env: DINGTALK_SCJGJ_URL}, secret: {env: DINGTALK_SCJGJ_SECRET}}
/// outbox_dir: var/outbox
/// ```
///
/// Secrets are only ever references; a password written in the file is an error.
public enum ChannelsFile {
    /// Reads channels.yaml; an absent file means "no channels: use the outbox folder".
    public static func read(_ path: String, into diag: inout Diagnostics) -> ChannelSettings {
        var settings = ChannelSettings()
        guard FileManager.default.fileExists(atPath: path) else { return settings }
        guard let doc = YAMLDocument.read(path, into: &diag), let top = doc.rootMap(into: &diag) else { return settings }
        top.checkKeys(["email", "chat", "outbox_dir", "retry", "circuit"], into: &diag)
        if let dir = top.string("outbox_dir", into: &diag) { settings.outboxDirectory = dir }
        if let r = top.map("retry", into: &diag) {
            r.checkKeys(["base", "max_delay", "max_attempts", "max_age"], into: &diag)
            func seconds(_ key: String) -> Double? {
                guard let text = r.string(key, into: &diag) else { return nil }
                guard let s = PolicyFile.duration(text), s > 0 else {
                    diag.error(path, line: r.line(key), "retry.\(key) 应为时长 must be a duration like 30s, 5m, 1h or 2d, not “\(text)”")
                    return nil
                }
                return Double(s)
            }
            if let v = seconds("base") { settings.retry.baseSeconds = v }
            if let v = seconds("max_delay") { settings.retry.maxDelaySeconds = v }
            if let v = seconds("max_age") { settings.retry.maxAgeSeconds = v }
            if let v = r.int("max_attempts", into: &diag) {
                if v < 1 { diag.error(path, line: r.line("max_attempts"), "retry.max_attempts 应 ≥ 1 must be at least 1") } else { settings.retry.maxAttempts = v }
            }
        }
        if let c = top.map("circuit", into: &diag) {
            c.checkKeys(["failures", "pause", "max_pause"], into: &diag)
            for key in ["pause", "max_pause"] {
                guard let text = c.string(key, into: &diag) else { continue }
                guard let s = PolicyFile.duration(text), s > 0 else {
                    diag.error(path, line: c.line(key), "circuit.\(key) 应为时长 must be a duration like 30s, 5m or 1h, not “\(text)”")
                    continue
                }
                if key == "pause" { settings.circuit.pauseSeconds = Double(s) } else { settings.circuit.maxPauseSeconds = Double(s) }
            }
            if let v = c.int("failures", into: &diag) {
                if v < 1 { diag.error(path, line: c.line("failures"), "circuit.failures 应 ≥ 1 must be at least 1") } else { settings.circuit.failures = v }
            }
        }
        if let e = top.map("email", into: &diag) {
            e.checkKeys(["url", "starttls", "username", "password", "from", "ca_file", "insecure", "connect_timeout", "timeout", "max_connections"], into: &diag)
            let url = e.string("url", required: true, into: &diag) ?? ""
            if !url.isEmpty, !(url.hasPrefix("smtp://") || url.hasPrefix("smtps://")) {
                diag.error(path, line: e.line("url"), "email.url 应以 smtp:// 或 smtps:// 开头 must start with smtp:// or smtps://")
            }
            let starttls = e.string("starttls", into: &diag) ?? "required"
            if !["required", "opportunistic", "off"].contains(starttls) {
                diag.error(path, line: e.line("starttls"), "starttls 应为 required、opportunistic 或 off, not “\(starttls)”")
            }
            let from = e.map("from", into: &diag)
            from?.checkKeys(["name", "address"], into: &diag)
            let address = from?.string("address", required: true, into: &diag) ?? ""
            if from == nil { diag.error(path, line: e.line, "缺少 missing email.from: {name, address}") }
            else if !AgencyDirectory.isPlausibleEmail(address) { diag.error(path, line: from?.line("address"), "email.from 地址无效 invalid address “\(address)”") }
            settings.email = EmailSettings(
                url: url, startTLS: starttls, username: e.string("username", into: &diag),
                password: secret(e, "password", path: path, into: &diag),
                fromName: from?.string("name", into: &diag) ?? "督办系统", fromAddress: address,
                caFile: e.string("ca_file", into: &diag), insecure: e.bool("insecure", into: &diag) ?? false,
                connectTimeout: Double(e.int("connect_timeout", into: &diag) ?? 10), timeout: Double(e.int("timeout", into: &diag) ?? 60),
                maxConnections: max(1, e.int("max_connections", into: &diag) ?? 4))
        }
        var names = Set<String>()
        for node in top.sequence("chat", into: &diag) ?? [] {
            guard let c = YAMLMap(node, file: path, what: "每个聊天渠道 each chat channel", into: &diag) else { continue }
            c.checkKeys(["name", "type", "url", "secret", "per_minute", "ca_file", "insecure", "timeout"], into: &diag)
            guard let name = c.string("name", required: true, into: &diag) else { continue }
            if ChannelID.reserved.contains(name) {
                diag.error(path, line: c.line("name"), "渠道名称 “\(name)” 为保留字 is reserved (\(ChannelID.reserved.sorted().joined(separator: ", "))): choose another name")
                continue
            }
            if !names.insert(name).inserted { diag.error(path, line: c.line("name"), "渠道名称重复 duplicate channel name “\(name)”") }
            let type = c.string("type", required: true, into: &diag) ?? ""
            if !["json", "dingtalk", "wecom", "feishu"].contains(type) {
                diag.error(path, line: c.line("type"), "type 应为 json、dingtalk、wecom 或 feishu, not “\(type)”")
            }
            guard let url = secret(c, "url", path: path, allowLiteral: true, into: &diag) else {
                diag.error(path, line: c.line, "缺少 missing url for chat channel “\(name)”")
                continue
            }
            settings.chats.append(ChatSettings(name: name, type: type, url: url, secret: secret(c, "secret", path: path, into: &diag),
                                               perMinute: c.int("per_minute", into: &diag), caFile: c.string("ca_file", into: &diag),
                                               insecure: c.bool("insecure", into: &diag) ?? false,
                                               timeout: Double(c.int("timeout", into: &diag) ?? 15)))
        }
        return settings
    }

    /// `{env: NAME}`, `{file: PATH}`, `{credential: NAME}`; a plain string only where allowed
    /// (URLs without tokens). A literal password is refused without repeating it.
    static func secret(_ map: YAMLMap, _ key: String, path: String, allowLiteral: Bool = false, into diag: inout Diagnostics) -> SecretReference? {
        guard let node = map.node(key) else { return nil }
        if node.scalar != nil {
            guard allowLiteral else {
                diag.error(path, line: node.mark?.line, "“\(key)” 不能直接写在文件中 must not be written in the file: use {env: NAME}, {file: PATH} or {credential: NAME}")
                return nil
            }
            let text = node.scalar!.string
            if ["token", "key=", "access_token", "hook/"].contains(where: { text.contains($0) }) {
                diag.warning(path, line: node.mark?.line, "“\(key)” 含有令牌 looks like it carries a token: prefer {env: NAME} so it stays out of the file")
            }
            return .literal(text)
        }
        guard let m = YAMLMap(node, file: path, what: "“\(key)”", into: &diag) else { return nil }
        m.checkKeys(["env", "file", "credential"], into: &diag)
        if let v = m.string("env", into: &diag) { return .environment(v) }
        if let v = m.string("file", into: &diag) { return .file(v) }
        if let v = m.string("credential", into: &diag) { return .credential(v) }
        diag.error(path, line: node.mark?.line, "“\(key)” 需要 env、file 或 credential needs one of env, file, credential")
        return nil
    }
}
