import Foundation
import DudaoCore
import DudaoSchedules

/// How Dudao delivers, as configured in `Schedules/channels.yaml`: the email channel, chat
/// robots, the outbox folder, retries and circuit breaking. Secrets only by reference.
public struct ChannelsConfiguration: Sendable {
    /// The SMTP channel, if email is configured.
    public var email: EmailChannel.Settings?
    /// Chat robots and webhooks, in file order (agencies.yaml contacts name them in `chat:`).
    public var robots: [RobotChannel.Settings] = []
    /// The SMS platform, if configured: the messages it lists go to contacts' mobiles too.
    public var sms: SMSChannel.Settings?
    /// Where messages go when no channel reaches a recipient (`outbox_dir`); `nil` for the
    /// state folder's `outbox/`. Its files hold reply links, which are credentials.
    public var outboxDirectory: String?
    /// Retries and dead letters.
    public var retry = RetrySettings()
    /// When a failing channel is paused.
    public var circuit = CircuitSettings()

    /// No channels: everything goes to the outbox folder.
    public init() {}

    /// True when no channel is configured.
    public var isEmpty: Bool { email == nil && robots.isEmpty && sms == nil }
}

/// Reads channels.yaml; each integration reads its own section (`EmailChannel.Settings`,
/// `RobotChannel.Settings` with its `RobotKind`), this file the parts they share.
///
/// ```yaml
/// email: {url: smtp://smtp.zhengzhou.example:587, …}
/// chat:
///   - {name: scjgj-robot, type: dingtalk, url: {env: DINGTALK_SCJGJ_URL}, secret: {env: DINGTALK_SCJGJ_SECRET}}
/// retry: {base: 60s, max_delay: 1h, max_attempts: 10, max_age: 2d}
/// circuit: {failures: 3, pause: 30s, max_pause: 15m}
/// outbox_dir: /var/lib/dudao/outbox   # default: outbox/ in the state folder
/// ```
public enum ChannelsFile {
    /// The channels of a Schedules folder, and every finding about them — including chat
    /// channels that agencies.yaml names but this file does not define. An absent file
    /// means "no channels: use the outbox folder".
    public static func read(_ set: ScheduleSet) -> (configuration: ChannelsConfiguration, diagnostics: Diagnostics) {
        var diag = Diagnostics()
        var config = ChannelsConfiguration()
        let path = set.channelsPath
        if FileManager.default.fileExists(atPath: path), let doc = YAMLDocument.read(path, into: &diag), let top = doc.rootMap(into: &diag) {
            read(top, into: &config, diag: &diag)
        }
        if let sms = config.sms, set.policy.sign?.followUp == .sms, sms.limits.variableLength != nil, sms.templates["sign"] == nil {
            diag.error(path, line: nil, "policy.yaml 的 sign.follow_up: sms 需要 sms.templates 中的 “sign” 模板 the 签收 follow-up needs an approved template: add sign: CODE to sms.templates")
        }
        let defined = Set(config.robots.map(\.name))
        for agency in set.agencies.agencies {
            for c in agency.contacts + agency.leadership {
                if let chat = c.chat, !defined.contains(chat) {
                    diag.error(set.agencies.origin(of: agency.name, default: set.agenciesPath).file, line: set.agencies.origin(of: agency.name, default: set.agenciesPath).line, "“\(agency.name)” 的联系人使用了未配置的聊天渠道 uses chat channel “\(chat)”, which channels.yaml does not define")
                }
            }
        }
        return (config, diag)
    }

    private static func read(_ top: YAMLMap, into config: inout ChannelsConfiguration, diag: inout Diagnostics) {
        top.checkKeys(["email", "chat", "sms", "outbox_dir", "retry", "circuit"], into: &diag)
        if let dir = top.string("outbox_dir", into: &diag) { config.outboxDirectory = dir }
        if let r = top.map("retry", into: &diag) {
            r.checkKeys(["base", "max_delay", "max_attempts", "max_age"], into: &diag)
            if let v = duration(r, "base", in: "retry", into: &diag) { config.retry.baseSeconds = v }
            if let v = duration(r, "max_delay", in: "retry", into: &diag) { config.retry.maxDelaySeconds = v }
            if let v = duration(r, "max_age", in: "retry", into: &diag) { config.retry.maxAgeSeconds = v }
            if let v = r.int("max_attempts", into: &diag) {
                if v < 1 { diag.error(r.file, line: r.line("max_attempts"), "retry.max_attempts 应 ≥ 1 must be at least 1") } else { config.retry.maxAttempts = v }
            }
        }
        if let c = top.map("circuit", into: &diag) {
            c.checkKeys(["failures", "pause", "max_pause"], into: &diag)
            if let v = duration(c, "pause", in: "circuit", into: &diag) { config.circuit.pauseSeconds = v }
            if let v = duration(c, "max_pause", in: "circuit", into: &diag) { config.circuit.maxPauseSeconds = v }
            if let v = c.int("failures", into: &diag) {
                if v < 1 { diag.error(c.file, line: c.line("failures"), "circuit.failures 应 ≥ 1 must be at least 1") } else { config.circuit.failures = v }
            }
        }
        if let e = top.map("email", into: &diag) { config.email = EmailChannel.Settings.read(e, into: &diag) }
        if let m = top.map("sms", into: &diag) { config.sms = SMSChannel.Settings.read(m, into: &diag) }
        var names = Set<String>()
        for c in top.maps("chat", what: "每个聊天渠道 each chat channel", into: &diag) ?? [] {
            guard let name = c.string("name", required: true, into: &diag) else { continue }
            if ChannelID.reserved.contains(name) {
                diag.error(c.file, line: c.line("name"), "渠道名称 “\(name)” 为保留字 is reserved (\(ChannelID.reserved.sorted().joined(separator: ", "))): choose another name")
                continue
            }
            if name.contains("/") {
                diag.error(c.file, line: c.line("name"), "渠道名称不能含 “/” a channel name must not contain “/”: “\(name)”")
                continue
            }
            if !names.insert(name).inserted { diag.error(c.file, line: c.line("name"), "渠道名称重复 duplicate channel name “\(name)”") }
            if let robot = RobotChannel.Settings.read(c, name: name, into: &diag) { config.robots.append(robot) }
        }
    }

    private static func duration(_ map: YAMLMap, _ key: String, in section: String, into diag: inout Diagnostics) -> Double? {
        guard let text = map.string(key, into: &diag) else { return nil }
        guard let s = PolicyFile.duration(text), s > 0 else {
            diag.error(map.file, line: map.line(key), "\(section).\(key) 应为不超过 36500d 的时长 must be a duration up to 36500d, like 30s, 5m, 1h or 2d, not “\(text)”")
            return nil
        }
        return Double(s)
    }
}
