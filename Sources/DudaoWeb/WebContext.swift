import Foundation
import Hummingbird
import NIOCore
import DudaoCore

/// A request's context: the client's address (kept with each report), the upload bound for
/// the console's forms, and on the office's routes who is asking (`SessionGate`) and what
/// the audit trail should say about it (`AuditNote`).
struct WebContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// The peer, as the socket sees it.
    let remoteAddress: SocketAddress?
    /// The logged-in viewer, set by `SessionGate`.
    var viewer: Viewer?
    /// Shared by the copies of this context the middleware and the handler hold.
    let audit = AuditNote()

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// Forms are small; anything larger is refused before it is read. The reply form with
    /// its attachments reads its body itself, up to `AttachmentStore.maxFormBytes`.
    var maxUploadSize: Int { 64 * 1024 }

    /// `127.0.0.1`, `::1`, or `unknown`.
    var client: String { remoteAddress?.ipAddress ?? "unknown" }

    /// The viewer on a route behind `SessionGate`.
    func who() throws -> Viewer {
        guard let viewer else { throw HTTPError(.unauthorized) }
        return viewer
    }
}

/// What a request did, as a handler or a guard describes it for `AuditRecorder`.
final class AuditNote: @unchecked Sendable {
    private let lock = NSLock()
    private var _entry: (action: AuditAction, object: String, outcome: AuditOutcome, detail: String)?

    func record(_ action: AuditAction, _ object: String, _ outcome: AuditOutcome = .ok, detail: String = "") {
        lock.withLock { _entry = (action, object, outcome, detail) }
    }

    var entry: (action: AuditAction, object: String, outcome: AuditOutcome, detail: String)? { lock.withLock { _entry } }
}
