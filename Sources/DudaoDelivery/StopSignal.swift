import Foundation

/// How a stopping service tells its deliveries: first *drain* — hand out no new message and
/// cut short any wait for a rate-limit slot — then, if transfers still run when the stop
/// bound is near, *abort* them (libcurl's progress callback ends them within a second).
public final class StopSignal: @unchecked Sendable {
    private let condition = NSCondition()
    private var draining = false
    private var aborting = false

    /// A signal that has not fired.
    public init() {}

    /// No new message is to be handed to a transport.
    public var isDraining: Bool {
        condition.lock()
        defer { condition.unlock() }
        return draining
    }

    /// Transfers in flight are to be ended now.
    public var isAborting: Bool {
        condition.lock()
        defer { condition.unlock() }
        return aborting
    }

    /// Stop handing out messages; wakes every `pause`.
    public func drain() {
        condition.lock()
        draining = true
        condition.broadcast()
        condition.unlock()
    }

    /// End the transfers still running.
    public func abort() {
        condition.lock()
        draining = true
        aborting = true
        condition.broadcast()
        condition.unlock()
    }

    /// Waits `seconds` (a rate-limit slot); false when draining started before or meanwhile.
    public func pause(_ seconds: Double) -> Bool {
        let until = Date().addingTimeInterval(seconds)
        condition.lock()
        defer { condition.unlock() }
        while !draining, condition.wait(until: until) {}
        return !draining
    }
}
