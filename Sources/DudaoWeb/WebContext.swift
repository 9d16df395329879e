import Hummingbird
import NIOCore

/// A request's context: the client's address (kept with each report) and the upload
/// bound for the console's forms.
struct WebContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// The peer, as the socket sees it.
    let remoteAddress: SocketAddress?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// Forms are small; anything larger is refused before it is read. The reply form with
    /// its attachments reads its body itself, up to `AttachmentStore.maxFormBytes`.
    var maxUploadSize: Int { 64 * 1024 }

    /// `127.0.0.1`, `::1`, or `unknown`.
    var client: String { remoteAddress?.ipAddress ?? "unknown" }
}
