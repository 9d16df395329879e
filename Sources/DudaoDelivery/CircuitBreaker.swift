import Foundation
import DudaoCore

/// When a channel that keeps failing is paused (channels.yaml `circuit:`): after `failures`
/// transient failures in a row its messages wait `pause` seconds, then one is sent as a
/// probe; each failed probe doubles the pause up to `maxPause`.
public struct CircuitSettings: Hashable, Sendable {
    /// Consecutive transient failures that open the circuit.
    public var failures: Int
    /// First pause in seconds.
    public var pauseSeconds: Double
    /// Longest pause in seconds.
    public var maxPauseSeconds: Double

    /// Settings; defaults: 3 failures, 30 s doubling to 15 min.
    public init(failures: Int = 3, pauseSeconds: Double = 30, maxPauseSeconds: Double = 900) {
        self.failures = failures
        self.pauseSeconds = pauseSeconds
        self.maxPauseSeconds = maxPauseSeconds
    }
}

/// One channel's circuit breaker: after N transient failures in a row the channel is
/// *open* — its messages wait instead of each spending a timeout on a dead peer — until the
/// pause ends; then it is *half open* and one message goes as a probe. A probe that fails
/// opens it again for twice as long (up to the maximum); any answer from the peer, even a
/// permanent refusal of one message, closes it. Pure: the caller passes the time.
public struct CircuitBreaker: Hashable, Sendable {
    /// Where the circuit stands.
    public enum State: String, Hashable, Sendable {
        case closed
        case open
        case halfOpen = "half_open"
    }

    /// The thresholds.
    public let settings: CircuitSettings
    /// Where it stands.
    public private(set) var state: State = .closed
    /// Transient failures in a row.
    public private(set) var failures = 0
    /// When an open circuit lets a probe through.
    public private(set) var openUntil: Date?
    /// The last failure's reason.
    public private(set) var lastError: String?
    private var pause: Double
    private var probing = false

    /// A closed circuit.
    public init(settings: CircuitSettings) {
        self.settings = settings
        pause = settings.pauseSeconds
    }

    /// Whether a message may be handed out at `now`; in the half-open state only one (the probe).
    public mutating func admit(now: Date) -> Bool {
        switch state {
        case .closed:
            return true
        case .open:
            guard let until = openUntil, now >= until else { return false }
            state = .halfOpen
            probing = true
            return true
        case .halfOpen:
            if probing { return false }
            probing = true
            return true
        }
    }

    /// Takes an outcome into account; returns true when the state changed.
    @discardableResult
    public mutating func record(_ outcome: DeliveryOutcome, now: Date) -> Bool {
        let before = (state, openUntil)
        switch outcome {
        case .transient(_, let reason), .unknown(let reason):
            failures += 1
            lastError = reason
            if state == .halfOpen {
                pause = min(pause * 2, settings.maxPauseSeconds)
                open(now: now)
            } else if state == .closed, failures >= settings.failures {
                open(now: now)
            }
        case .delivered, .permanent:
            failures = 0
            state = .closed
            openUntil = nil
            probing = false
            pause = settings.pauseSeconds
        case .notAttempted:
            probing = false
        }
        return before.0 != state || before.1 != openUntil
    }

    private mutating func open(now: Date) {
        state = .open
        probing = false
        openUntil = now.addingTimeInterval(pause)
    }
}
