import Foundation
import Testing
@testable import DudaoCore

/// 签收: working hours, which notices wait for a signature or a follow-up, and the ladder
/// repeating (not climbing) on notices that did not reach anyone who signed.
struct SigningTests {
    let zone = TimeZone(identifier: "Asia/Shanghai")!
    var clock: LocalClock { LocalClock(timeZone: zone) }
    func at(_ text: String) -> Date { clock.parse(text)! }
    // 2025-01-01 元旦; 2025-01-04/05 a weekend.
    let calendar = WorkCalendar(holidays: [CivilDate(iso: "2025-01-01")!], coveredYears: [2025])

    @Test func workingHoursSkipLunchNightsWeekendsAndHolidays() {
        let h = WorkingHours.office
        #expect(h.adding(4 * 3600, to: at("2025-01-02T09:00:00+08:00"), calendar: calendar, clock: clock) == at("2025-01-02T14:30:00+08:00"),
                "09:00–12:00 is three hours, then one after 13:30")
        #expect(h.adding(4 * 3600, to: at("2025-01-03T16:00:00+08:00"), calendar: calendar, clock: clock) == at("2025-01-06T11:30:00+08:00"),
                "Friday 16:00: 1.5 h that day, 2.5 h on Monday")
        #expect(h.adding(3600, to: at("2024-12-31T20:00:00+08:00"), calendar: calendar, clock: clock) == at("2025-01-02T10:00:00+08:00"),
                "New Year's Eve evening → 元旦 off → Thursday")
        #expect(WorkingHours(text: "09:00-12:00,13:30-17:30") == .office && WorkingHours.office.description == "09:00-12:00,13:30-17:30")
        #expect(WorkingHours(text: "13:00-12:00") == nil && WorkingHours(text: "09:00-12:00,11:00-17:00") == nil && WorkingHours(text: "9am-5pm") == nil)
    }

    func delivery(_ agency: String, _ message: String, item: String = "1", at text: String, ladder: Bool = true) -> Signing.Delivery {
        let t = at(text)
        return Signing.Delivery(agency: agency, message: message, item: item, milestone: 0, day: clock.day(of: t), at: t, ladder: ladder, level: 1)
    }

    func signing(_ deliveries: [Signing.Delivery], signs: [String: [Date]] = [:], followUps: [String: Signing.FollowUpState] = [:],
                 now: String, canFollowUp: Bool = true, policy: SignPolicy = SignPolicy()) -> Signing {
        Signing(policy: policy, deliveries: deliveries, signs: signs, followUps: followUps, calendar: calendar, clock: clock,
                now: at(now), canFollowUp: { _ in canFollowUp })
    }

    @Test func anUnsignedNoticeIsHeldUntilItsFollowUpIsDelivered() {
        let d = [delivery("甲", "m1", at: "2025-01-03T16:00:00+08:00"), delivery("甲", "m1", item: "2", at: "2025-01-03T16:00:00+08:00")]
        // Before the time to sign ends (Monday 11:30): held, and the next wake is then.
        let early = signing(d, now: "2025-01-06T09:00:00+08:00")
        #expect(early.unconfirmed.count == 2 && early.followUpsDue.isEmpty && early.next == at("2025-01-06T11:30:00+08:00"))
        #expect(early.unsigned.isEmpty, "not yet late")
        // After: one follow-up is due for the message (its two items), still held, 未签收.
        let late = signing(d, now: "2025-01-06T11:30:00+08:00")
        #expect(late.followUpsDue.map(\.message) == ["m1"] && late.followUpsDue[0].items == ["1", "2"] && late.unconfirmed.count == 2)
        #expect(late.unsigned == ["甲": 1])
        // Follow-up waiting: still held, not due again.
        let pending = signing(d, followUps: ["m1": .pending], now: "2025-01-06T12:00:00+08:00")
        #expect(pending.followUpsDue.isEmpty && pending.unconfirmed.count == 2)
        // Follow-up delivered, or failed for good: the notice counts.
        #expect(signing(d, followUps: ["m1": .delivered(at("2025-01-06T12:00:00+08:00"))], now: "2025-01-06T13:00:00+08:00").unconfirmed.isEmpty)
        #expect(signing(d, followUps: ["m1": .failed], now: "2025-01-06T13:00:00+08:00").unconfirmed.isEmpty)
    }

    @Test func aSignatureCoversWhatReachedTheAgencyBeforeIt() {
        let d = [delivery("甲", "m1", at: "2025-01-06T09:00:00+08:00"), delivery("甲", "m2", at: "2025-01-13T09:00:00+08:00")]
        let s = signing(d, signs: ["甲": [at("2025-01-07T10:00:00+08:00")]], now: "2025-01-14T09:00:00+08:00")
        #expect(s.followUpsDue.map(\.message) == ["m2"], "the signature came before m2")
        #expect(s.unsigned == ["甲": 1])
    }

    @Test func withoutAWayToFollowUpTheNoticeCountsOnceLate() {
        let d = [delivery("甲", "m1", at: "2025-01-06T09:00:00+08:00")]
        let s = signing(d, now: "2025-01-06T09:30:00+08:00", canFollowUp: false)
        #expect(s.unconfirmed.isEmpty && s.followUpsDue.isEmpty && s.next == nil)
        let none = signing(d, now: "2025-01-06T16:00:00+08:00", policy: SignPolicy(followUp: .none))
        #expect(none.unconfirmed.isEmpty && none.followUpsDue.isEmpty && none.unsigned == ["甲": 1], "follow_up: none still shows 未签收")
        let reminder = [delivery("甲", "m1", at: "2025-01-06T09:00:00+08:00", ladder: false)]
        #expect(signing(reminder, now: "2025-01-07T09:00:00+08:00").followUpsDue.isEmpty, "a reminder before the deadline asks for nothing")
    }

    /// Held messages set the pace but do not count: 催办 is repeated, not climbed to 督办.
    @Test func theLadderRepeatsALevelForHeldMessages() {
        let ladder = Ladder()
        let days = ["2025-01-06", "2025-01-13", "2025-01-20"].map { CivilDate(iso: $0)! }
        let escalations = days.map { (step: LadderStep.level(1), day: $0) }
        #expect(LadderState(ladder: ladder, escalations: escalations.prefix(2), contacted: true).next == .level(2), "two unanswered 催办 climb")
        let held = LadderState(ladder: ladder, escalations: escalations.prefix(2), contacted: true, held: [days[1]])
        #expect(held.next == .level(1) && held.lastDay == days[1], "one of them was never confirmed: 催办 again, a week on")
        let allHeld = LadderState(ladder: ladder, escalations: escalations, contacted: true, held: Set(days))
        #expect(allHeld.next == .level(1) && allHeld.countAtStep == 0)
    }
}
