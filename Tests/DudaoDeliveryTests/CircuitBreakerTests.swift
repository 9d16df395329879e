import Foundation
import Testing
import DudaoCore
@testable import DudaoDelivery

/// Backoff and circuit breaking: what a failing channel does to its messages.
struct CircuitBreakerTests {
    let t0 = Date(timeIntervalSince1970: 1_735_000_000)
    let fail = DeliveryOutcome.transient(retryAfter: nil, reason: "timeout")

    @Test func opensAfterConsecutiveTransientFailuresAndProbesOnceWhenThePauseEnds() {
        var c = CircuitBreaker(settings: CircuitSettings(failures: 3, pauseSeconds: 30, maxPauseSeconds: 100))
        let admitted = c.admit(now: t0)
        #expect(admitted)
        c.record(fail, now: t0)
        c.record(fail, now: t0)
        #expect(c.state == .closed, "two failures are not yet a broken channel")
        let changed = c.record(fail, now: t0)
        #expect(changed)
        #expect(c.state == .open && c.openUntil == t0 + 30)
        let a1 = c.admit(now: t0 + 29)
        #expect(!a1, "paused: nothing handed out")
        let a2 = c.admit(now: t0 + 30)
        #expect(a2, "the probe")
        #expect(c.state == .halfOpen)
        let a3 = c.admit(now: t0 + 31)
        #expect(!a3, "one probe at a time")
    }

    @Test func aFailedProbeDoublesThePauseUpToTheMaximum() {
        var c = CircuitBreaker(settings: CircuitSettings(failures: 1, pauseSeconds: 30, maxPauseSeconds: 100))
        c.record(fail, now: t0)
        var now = t0 + 30
        for expected in [60.0, 100, 100] {
            let a4 = c.admit(now: now)
            #expect(a4)
            c.record(fail, now: now)
            #expect(c.state == .open && c.openUntil == now + expected)
            now = c.openUntil!
        }
    }

    @Test func anyAnswerFromThePeerClosesItAndResetsThePause() {
        var c = CircuitBreaker(settings: CircuitSettings(failures: 1, pauseSeconds: 30, maxPauseSeconds: 100))
        c.record(fail, now: t0)
        let a5 = c.admit(now: t0 + 30)
        #expect(a5)
        c.record(fail, now: t0 + 30)
        let a6 = c.admit(now: t0 + 90)
        #expect(a6)
        let closed = c.record(.permanent(reason: "550 no such mailbox"), now: t0 + 91)
        #expect(closed, "a refusal proves the server answers")
        #expect(c.state == .closed && c.failures == 0 && c.openUntil == nil)
        c.record(fail, now: t0 + 100)
        #expect(c.openUntil == t0 + 130, "the pause starts again from its first length")
    }

    @Test func successesBetweenFailuresKeepItClosed() {
        var c = CircuitBreaker(settings: CircuitSettings(failures: 2, pauseSeconds: 30, maxPauseSeconds: 100))
        for _ in 0..<5 {
            c.record(fail, now: t0)
            c.record(.delivered(detail: "250"), now: t0)
        }
        #expect(c.state == .closed)
    }

    @Test func aProbeNotAttemptedLetsTheNextOneThrough() {
        var c = CircuitBreaker(settings: CircuitSettings(failures: 1, pauseSeconds: 30, maxPauseSeconds: 100))
        c.record(fail, now: t0)
        let a7 = c.admit(now: t0 + 30)
        #expect(a7)
        c.record(.notAttempted(reason: "stopping"), now: t0 + 30)
        let a8 = c.admit(now: t0 + 31)
        #expect(a8)
    }

    @Test func backoffIsExponentialWithFullJitterAndHonoursRetryAfter() {
        let r = RetrySettings(baseSeconds: 60, maxDelaySeconds: 3600, maxAttempts: 10, maxAgeSeconds: 86400)
        #expect(r.delay(afterAttempt: 1, retryAfter: nil, random: 1) == 60)
        #expect(r.delay(afterAttempt: 3, retryAfter: nil, random: 1) == 240)
        #expect(r.delay(afterAttempt: 3, retryAfter: nil, random: 0.5) == 120)
        #expect(r.delay(afterAttempt: 20, retryAfter: nil, random: 1) == 3600, "capped")
        #expect(r.delay(afterAttempt: 1, retryAfter: 300, random: 0.1) == 300, "never sooner than Retry-After")
        #expect(r.delay(afterAttempt: 2, retryAfter: nil, random: 0) == 0)
    }
}
