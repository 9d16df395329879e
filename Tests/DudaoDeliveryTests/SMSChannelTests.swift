import Foundation
import Testing
import DudaoCore
import DudaoSchedules
import DudaoMessages
import DudaoTestSupport
@testable import DudaoDelivery

/// SMS through each platform's fake, which checks the signature or MAC with its own code,
/// the documented limits, and answers in the documented shapes (the fakes are proven
/// against the official SDKs in `fakesAcceptTheOfficialSDKsAndRefuseAWrongKey`).
struct SMSChannelTests {
    static let platforms = ["cmcc-mas", "aliyun-sms", "tencent-sms"]
    static let templates = "  templates: {overdue-2: SMS_200001, due: SMS_200002}\n  send: [overdue-2, due]"

    /// The channel for `fake` as channels.yaml configures it, with `secret` as the key.
    func channel(_ fake: SMSPlatformFake, secret: String = SMSPlatformFake.secret, extra: String = "") throws -> SMSChannel {
        let base = TestSupport.scratch("dudao-sms-channels")
        let dir = base.appendingPathComponent("Schedules")
        try FileManager.default.copyItem(at: TestSupport.root.appendingPathComponent("Schedules"), to: dir)
        let templates = fake.flavour == "cmcc-mas" ? "" : Self.templates
        try Data((fake.section(extra: [templates, extra].filter { !$0.isEmpty }.joined(separator: "\n"))).utf8)
            .write(to: dir.appendingPathComponent("channels.yaml"))
        let (config, diag) = ChannelsFile.read(ScheduleSet.load(dir.path))
        #expect(!diag.hasErrors, "\(diag.list)")
        let channels = try DeliveryChannels(config, stateDirectory: base.path, environment: ["DUDAO_TEST_SMS_SECRET": secret])
        return try #require(channels.sms)
    }

    /// An overdue-2 message rendered for `agency`, with an SMS part and values.
    func rendered(agency: String = "市市场监管局", link: String = "https://duban.example.gov.cn/r/TOKEN") -> RenderedMessage {
        var r = RenderedMessage(subject: "s", text: "t", html: "h", markdown: "m", template: "overdue-2")
        r.sms = "\(agency)：你单位牵头的3项逾期事项经催办仍未书面回复，现予督办，请于2025年1月10日前书面说明。回复入口：\(link)"
        r.smsValues = ["agency": agency, "count": "3", "level": "督办", "reply_by": "2025年1月10日", "link": link]
        return r
    }

    func send(_ channel: SMSChannel, to mobile: String, _ r: RenderedMessage? = nil) -> DeliveryOutcome {
        let payload = channel.payload(r ?? rendered(), mobile: mobile, reference: SMSChannel.reference(message: "m1", channel: .sms(to: mobile)))
        return channel.send(payload, key: "m1", over: Connection(), stop: nil)
    }

    @Test(arguments: platforms)
    func aSignedSendIsAcceptedWithTheNumbersReceipt(_ flavour: String) throws {
        let fake = try SMSPlatformFake(flavour)
        let sms = try channel(fake)
        let outcome = send(sms, to: "13800138000")
        guard case .delivered(let detail, let receipt) = outcome else { Issue.record("\(outcome)"); return }
        let sent = fake.sent
        #expect(sent.count == 1 && receipt != nil && sent.first?["receipt"] as? String == receipt, "\(sent)")
        #expect(detail.contains("138****8000") && !detail.contains("13800138000"), "only the masked number: \(detail)")
        if flavour == "cmcc-mas" {
            #expect((sent[0]["content"] as? String)?.contains("现予督办") == true)
        } else {
            #expect(sent[0]["templateCode"] as? String == "SMS_200001" || sent[0]["templateId"] as? String == "SMS_200001")
        }
    }

    @Test(arguments: platforms)
    func aWrongKeyIsRefusedForGood(_ flavour: String) throws {
        let fake = try SMSPlatformFake(flavour)
        let outcome = send(try channel(fake, secret: "not-the-key"), to: "13800138000")
        #expect(outcome.isPermanent, "\(outcome)")
        #expect(fake.sent.isEmpty)
        #expect(!"\(outcome)".contains("not-the-key") && !"\(outcome)".contains("13800138000"), "\(outcome)")
    }

    /// Rate limiting is retried later; a refused number is a dead letter; a request that
    /// went and got no answer is `unknown` — never sent again blindly.
    @Test(arguments: platforms)
    func outcomesAreClassifiedPerNumber(_ flavour: String) throws {
        let fake = try SMSPlatformFake(flavour, slow: 3)
        let sms = try channel(fake, extra: "  timeout: 1")
        let limited = send(sms, to: "13800130001")
        #expect(limited.isTransient, "\(limited)")
        let refused = send(sms, to: "13800130002")
        #expect(refused.isPermanent, "\(refused)")
        let slow = send(sms, to: "13800130003")
        guard case .unknown(let reason) = slow else { Issue.record("a timeout after sending must be unknown: \(slow)"); return }
        #expect(reason.contains("138****0003") && !reason.contains("13800130003"))
        #expect(fake.sent.count == 1, "the slow one was accepted by the platform: sending again would send it twice")
    }

    /// Variables are cut to the platform's length at a character boundary; Tencent's
    /// personal accounts take 12, Aliyun 35.
    @Test func variablesAreCutToThePlatformsLengthAtACharacterBoundary() throws {
        let long = "郑州市城市管理和综合行政执法局（郑州市城市管理委员会）👨‍👩‍👧城市运行监测中心"
        for (flavour, length) in [("aliyun-sms", 35), ("tencent-sms", 12)] {
            let fake = try SMSPlatformFake(flavour)
            let sms = try channel(fake)
            let outcome = send(sms, to: "13800138000", rendered(agency: long))
            #expect(outcome.isDelivered, "\(flavour): \(outcome)")
            let params = fake.sent.first?["params"]
            let agency = (params as? [String: Any])?["agency"] as? String ?? (params as? [String])?.first ?? ""
            #expect(agency == SMSChannel.cut(long, to: length) && agency.utf16.count <= length, "\(flavour): \(agency)")
            #expect(long.hasPrefix(agency) && agency.utf16.count > length - 8, "cut where the next character would not fit: \(agency)")
        }
        // An emoji family counts eight UTF-16 units: it is kept whole or left out, never split.
        #expect(SMSChannel.cut("甲👨‍👩‍👧乙", to: 5) == "甲" && SMSChannel.cut("甲👨‍👩‍👧乙", to: 9) == "甲👨‍👩‍👧")
        #expect(SMSChannel.cut("郑州", to: 35) == "郑州")
    }

    /// Tencent forbids links in variables: `link` is refused on its line.
    @Test func settingsAreCheckedOnTheirLines() throws {
        let base = TestSupport.scratch("dudao-sms-channels")
        let dir = base.appendingPathComponent("Schedules")
        try FileManager.default.copyItem(at: TestSupport.root.appendingPathComponent("Schedules"), to: dir)
        try Data("""
            sms:
              type: tencent-sms
              url: ftp://example
              secret_key: plain-secret
              secret_id: a
              sdk_app_id: "1"
              sign: 督查室
              send: [overdue-2, weekly]
              params: [agency, link, phone]
              quiet: "8pm-8am"
              unknown: {wait: 10s, then: maybe}
              report_from: [203.0.113.9, "not an address"]

            """.utf8).write(to: dir.appendingPathComponent("channels.yaml"))
        let findings = ChannelsFile.read(ScheduleSet.load(dir.path)).diagnostics.list.map(\.description)
        for (line, words) in [(3, "https://"), (4, "must not be written"), (8, "“weekly”"), (9, "“phone”"), (9, "links in variables"),
                              (10, "8pm-8am"), (11, "at least 1m"), (11, "maybe"), (12, "not an address"), (8, "sms.templates needs a code for “overdue-2”")] {
            #expect(findings.contains { $0.contains("channels.yaml:\(line)") && $0.contains(words) }, "\(line) \(words): \(findings)")
        }
        #expect(!findings.joined().contains("plain-secret"))
        try Data("sms: {type: huawei-sms}\n".utf8).write(to: dir.appendingPathComponent("channels.yaml"))
        let other = ChannelsFile.read(ScheduleSet.load(dir.path)).diagnostics.list.map(\.description)
        #expect(other.contains { $0.contains("channels.yaml:1") && $0.contains("cmcc-mas、aliyun-sms、tencent-sms") }, "\(other)")
    }

    /// A kind sent by SMS as text needs its sms.mustache (and the 签收 follow-up its
    /// partial): `check` says which is missing instead of the SMS silently never going.
    @Test func checkNamesAMissingSMSTemplate() throws {
        let base = TestSupport.scratch("dudao-sms-check")
        let dir = base.appendingPathComponent("Schedules")
        try FileManager.default.copyItem(at: TestSupport.root.appendingPathComponent("Schedules"), to: dir)
        try FileManager.default.copyItem(at: TestSupport.root.appendingPathComponent("Templates"), to: base.appendingPathComponent("Templates"))
        let fake = "sms:\n  type: cmcc-mas\n  url: https://mas.example/sms/norsubmit\n  secret_key: {env: X}\n  ec_name: e\n  ap_id: a\n  sign: s\n"
        try Data((fake + "  send: [overdue-2, due]\n").utf8).write(to: dir.appendingPathComponent("channels.yaml"))
        let r = try TestSupport.run(TestSupport.dudao, ["check", "--schedules", dir.path, "--state-dir", base.appendingPathComponent("state").path])
        #expect(r.status == 1 && r.out.contains("due/sms.mustache") && !r.out.contains("overdue-2/sms.mustache"), "\(r.out)")
        try Data((fake + "  send: [overdue-2, overdue-3]\n").utf8).write(to: dir.appendingPathComponent("channels.yaml"))
        let ok = try TestSupport.run(TestSupport.dudao, ["check", "--schedules", dir.path, "--state-dir", base.appendingPathComponent("state").path])
        #expect(!ok.out.contains("sms.mustache"), "\(ok.out)")
    }

    /// The reports and replies each platform pushes, in the shapes its documentation gives.
    @Test func pushedReportsAndRepliesAreRead() throws {
        let mas = try #require(CMCCMAS.events(Data(#"{"reportStatus":"CM:0000","mobile":"13800138000","msgGroup":"g1","errorCode":"DELIVRD","submitDate":"x","receiveDate":"y"}"#.utf8)))
        #expect(mas.map(\.kind) == [.delivered] && mas[0].receipt == "g1")
        let up = try #require(CMCCMAS.events(Data(#"{"mobile":"13800138000","smsContent":"1","sendTime":"t"}"#.utf8)))
        #expect(up.map(\.kind) == [.reply] && up[0].detail == "1")
        let ali = try #require(AliyunSMS.events(Data(#"[{"phone_number":"13800138000","success":false,"err_code":"MK:0001","biz_id":"b","out_id":"d1","report_time":"t"}]"#.utf8)))
        #expect(ali.map(\.kind) == [.failed] && ali[0].reference == "d1")
        let tc = try #require(TencentSMS.events(Data(#"[{"user_receive_time":"t","nationcode":"86","mobile":"13800138000","report_status":"SUCCESS","errmsg":"DELIVRD","description":"","sid":"s1"}]"#.utf8)))
        #expect(tc.map(\.kind) == [.delivered] && tc[0].receipt == "s1")
        #expect(TencentSMS.events(Data(#"{"nothing": 1}"#.utf8)) == nil && AliyunSMS.events(Data("not json".utf8)) == nil)
        #expect(CMCCMAS.events(Data("[]".utf8)) == nil)
    }

    /// The fakes check what the real services check: each official SDK, pointed at its fake,
    /// is accepted with the right key and refused with a wrong one; Tencent answers per number.
    @Test func fakesAcceptTheOfficialSDKsAndRefuseAWrongKey() throws {
        let r = try TestSupport.python(["Tests/Python/sms_sdk_check.py"])
        #expect((r["aliyun_right"] as? [String: Any])?["code"] as? String == "OK", "\(r)")
        #expect((r["aliyun_wrong"] as? [String: Any])?["error"] as? String == "SignatureDoesNotMatch")
        #expect((r["aliyun_limited"] as? [String: Any])?["code"] as? String == "isv.BUSINESS_LIMIT_CONTROL")
        #expect((r["tencent_right"] as? [String: Any])?["codes"] as? [String] == ["Ok"])
        #expect((r["tencent_wrong"] as? [String: Any])?["error"] as? String == "AuthFailure.SignatureFailure")
        #expect((r["tencent_partial"] as? [String: Any])?["codes"] as? [String]
                == ["Ok", "InvalidParameterValue.IncorrectPhoneNumber", "LimitExceeded.DeliveryFrequencyLimit"])
        #expect((r["aliyun_sent"] as? [Any])?.count == 1 && (r["tencent_sent"] as? [Any])?.count == 2, "the refused sends were not accepted")
    }
}

/// Which numbers a message goes to: each once (138… and +86138… are one), each on an
/// entry of its own even when two numbers' short hashes collide.
struct SMSRoutingTests {
    @Test func eachNumberOnceAndCollidingHashesApart() throws {
        // 13800058769 and 13800060836 share a 24-bit hash.
        #expect(ChannelID.sms(to: "13800058769") == ChannelID.sms(to: "13800060836"))
        #expect(ChannelID.sms(to: "+8613800058769") == ChannelID.sms(to: "13800058769") && ChannelID.sms(to: "13800058769").lane == .sms)
        let agency = Agency(name: "市测试局", contacts: [Contact(name: "甲", mobile: "13800058769"), Contact(name: "乙", mobile: "+8613800058769"),
                                                         Contact(name: "丙", mobile: "13800060836"), Contact(name: "丁", mobile: "12345")],
                            leadership: [Contact(name: "领导", mobile: "13900139000")])
        let dispatcher = Dispatcher(channels: try DeliveryChannels(ChannelsConfiguration(), stateDirectory: TestSupport.scratch("dudao-state").path),
                                    composer: EmailComposer(from: Mailbox(address: "office@zhengzhou.example"), agencies: [agency]), agencies: [agency])
        let routed = dispatcher.mobiles(for: [Recipient(agency: "市测试局"), Recipient(agency: "市测试局", role: .leadership)])
        #expect(routed.map(\.mobile) == ["13800058769", "13800060836", "13900139000"], "one entry per number; 12345 is no mobile")
        #expect(Set(routed.map(\.channel)).count == 3 && routed[1].channel.rawValue == ChannelID.sms(to: "13800060836").rawValue + "-2")
        #expect(routed.allSatisfy { $0.channel.lane == .sms && !$0.channel.rawValue.contains("138000") })
    }
}

/// When SMS may go: workdays outside the quiet hours, in the policy's zone.
struct SMSWindowTests {
    let zone = TimeZone(identifier: "Asia/Shanghai")!
    func at(_ text: String) -> Date { LocalClock(timeZone: zone).parse(text)! }

    @Test func quietHoursAndDaysOffAreWaitedOut() throws {
        // 2025-01-01 (元旦) is a holiday; 2025-01-04 and 05 a weekend; 2025-01-26 a 调休 Sunday workday.
        let calendar = WorkCalendar(holidays: [CivilDate(iso: "2025-01-01")!], makeupWorkdays: [CivilDate(iso: "2025-01-26")!], coveredYears: [2025])
        let w = SMSWindow(quiet: (1200, 480), calendar: calendar, clock: LocalClock(timeZone: zone))
        #expect(w.next(atOrAfter: at("2025-01-02T10:00:00+08:00")) == at("2025-01-02T10:00:00+08:00"))
        #expect(w.next(atOrAfter: at("2025-01-02T07:10:00+08:00")) == at("2025-01-02T08:00:00+08:00"))
        #expect(w.next(atOrAfter: at("2025-01-03T20:00:00+08:00")) == at("2025-01-06T08:00:00+08:00"), "Friday night → Monday 08:00")
        #expect(w.next(atOrAfter: at("2024-12-31T21:00:00+08:00")) == at("2025-01-02T08:00:00+08:00"), "across 元旦")
        #expect(w.next(atOrAfter: at("2025-01-25T12:00:00+08:00")) == at("2025-01-26T08:00:00+08:00"), "a 调休 Sunday is a workday")
        let everyDay = SMSWindow(quiet: (1200, 480), calendar: calendar, clock: LocalClock(timeZone: zone), workdaysOnly: false)
        #expect(everyDay.next(atOrAfter: at("2025-01-03T20:00:00+08:00")) == at("2025-01-04T08:00:00+08:00"), "workdays_only: false")
        let daytime = SMSWindow(quiet: (720, 810), calendar: calendar, clock: LocalClock(timeZone: zone))
        #expect(daytime.next(atOrAfter: at("2025-01-02T12:30:00+08:00")) == at("2025-01-02T13:30:00+08:00"), "a quiet lunch hour")
    }
}
