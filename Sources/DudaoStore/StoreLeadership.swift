import Foundation

/// Which of several instances on one shared store plans and sends. With SQLite there is one
/// instance and no leadership (nil); on PostgreSQL it is a session advisory lock
/// (`PostgresLeadership`), held as long as its own connection lives.
public protocol StoreLeadership: AnyObject, Sendable {
    /// Tries once, without waiting, to lead; true when this instance leads (now or already).
    func tryLead() throws -> Bool
    /// `handler` runs once, on some thread, when the lead held is lost (its connection broke
    /// or the server ended it): from then on another instance may lead. It runs at once when
    /// the lead was lost before this call.
    func onLoss(_ handler: @escaping @Sendable () -> Void)
    /// Gives the lead up (on a clean stop, so a standby takes over at once).
    func resign()
    /// `handler` runs, on some thread, whenever another instance changed what the office owns
    /// in the store (`StateStore.ownedChannel`) while this one leads.
    func onOwnedChange(_ handler: @escaping @Sendable () -> Void)
}

extension StoreLeadership {
    public func onOwnedChange(_ handler: @escaping @Sendable () -> Void) {}
}
