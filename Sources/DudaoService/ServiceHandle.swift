import Foundation
import DudaoDelivery
import DudaoMessages
import DudaoSchedules
import DudaoStore

/// What runs beside the service's clock (the console) may use of it. It reads and records
/// on its own threads; it never sends, and after recording a report it asks the clock to
/// replan instead of planning itself.
public struct ServiceHandle: Sendable {
    /// The state the clock plans from.
    public let store: StateStore
    /// The templates in force when the service started.
    public let templates: TemplateSet
    /// The schedules in force (a reload swaps them).
    public let schedules: @Sendable () -> ScheduleSet
    /// The channels in force (a reload swaps them): the console takes the SMS platform's
    /// report hook from them.
    public let channels: @Sendable () -> DeliveryChannels
    /// When the clock wakes next, if armed.
    public let nextWake: @Sendable () -> Date?
    /// Wakes the clock to replan and deliver (after a report or a decision was recorded).
    public let replan: @Sendable () -> Void
    /// Reads the schedules again, with what the office keeps in the store, and replans (after
    /// it published a list or changed an agency); calls back once the new schedules are in force.
    public let reload: @Sendable (_ done: @escaping @Sendable () -> Void) -> Void
    /// Registers work to run, off the clock's queue, after each wake that planned (the
    /// console rebuilds its 台账 then, instead of on the next page asked for).
    public let onWake: @Sendable (_ work: @escaping @Sendable () -> Void) -> Void
}
