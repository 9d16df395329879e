import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresNIO
import DudaoStore

/// Leadership among instances sharing one PostgreSQL database: `pg_try_advisory_lock` on a
/// connection of its own (application_name `dudao leader`), never used for anything else.
///
/// The lock is the session's: it is held exactly as long as that connection lives. When the
/// server ends the session (`pg_terminate_backend`, a restart) or the network drops it, the
/// connection's close is the loss — the standby's next try then succeeds.
public final class PostgresLeadership: StoreLeadership, @unchecked Sendable {
    private let url: PostgresURL
    private let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    private let logger: Logger
    private let lock = NSLock()
    /// Guarded by `lock`.
    private var connection: PostgresConnection?
    private var leading = false
    private var lossHandler: (@Sendable () -> Void)?
    /// Guarded by `ownedLock`, not `lock`: a notification may arrive on the event loop while
    /// `tryLead` holds `lock` waiting for that loop.
    private var ownedHandler: (@Sendable () -> Void)?
    private let ownedLock = NSLock()

    /// The advisory lock's key ("dudao" in ASCII, with a 2 for leadership); per database.
    static let key: Int64 = 0x6475_6461_6F02

    public init(url: PostgresURL, logger: Logger = Logger(label: "dudao.leader")) {
        self.url = url
        self.logger = logger
    }

    deinit {
        if let connection { try? connection.close().wait() }
        try? group.syncShutdownGracefully()
    }

    public func onLoss(_ handler: @escaping @Sendable () -> Void) {
        // The lead may have gone between `tryLead` and this call: then tell at once.
        let lostAlready: Bool = lock.withLock {
            if leading { lossHandler = handler }
            return !leading
        }
        if lostAlready { handler() }
    }

    public func tryLead() throws -> Bool {
        try lock.withLock {
            if leading, let connection, !connection.isClosed { return true }
            let conn = try connected()
            let rows = try conn.query(PostgresQuery(unsafeSQL: "SELECT pg_try_advisory_lock(\(Self.key))"), logger: logger).wait()
            guard let won = try rows.first?.decode(Bool.self), won else { return false }
            leading = true
            // The close of the lock's connection is the loss of the lead, whoever closed it.
            conn.closeFuture.whenComplete { [weak self] _ in self?.lost(conn) }
            // The leader hears, on the same connection, when the office changed its lists or
            // agencies on the other machine (`NOTIFY dudao_owned` on commit), and replans.
            conn.addListener(channel: StateStore.ownedChannel) { [weak self] _, _ in
                let handler = self?.ownedLock.withLock { self?.ownedHandler }
                handler?()
            }
            _ = try conn.query(PostgresQuery(unsafeSQL: "LISTEN \(StateStore.ownedChannel)"), logger: logger).wait()
            return true
        }
    }

    public func onOwnedChange(_ handler: @escaping @Sendable () -> Void) {
        ownedLock.withLock { ownedHandler = handler }
    }

    public func resign() {
        // Closing completes on the event loop, where `lost` takes the lock: close outside it.
        let conn: PostgresConnection? = lock.withLock {
            defer { leading = false; lossHandler = nil; connection = nil }
            return connection
        }
        try? conn?.close().wait()
    }

    private func lost(_ conn: PostgresConnection) {
        let handler: (@Sendable () -> Void)? = lock.withLock {
            guard leading, connection === conn else { return nil }
            leading = false
            connection = nil
            return lossHandler
        }
        handler?()
    }

    /// The lock's connection, opened when needed. Called with `lock` held.
    private func connected() throws -> PostgresConnection {
        if let connection, !connection.isClosed { return connection }
        let conn = try PostgresBackend.connect(url, as: "dudao leader", on: group.next(), logger: logger)
        connection = conn
        return conn
    }
}
