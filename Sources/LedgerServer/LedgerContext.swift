import Hummingbird
import NIOCore
import Synchronization

/// The request context: Hummingbird's core, the client's address (for the brute-force limit)
/// and who the caller turned out to be, which the request log reads after the handler ran.
struct LedgerContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// The client's IP address ("unknown" for a socket without one).
    let clientAddress: String
    let caller: CallerNote

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        clientAddress = source.channel.remoteAddress?.ipAddress ?? "unknown"
        caller = CallerNote()
    }

    var maxUploadSize: Int { Limits.bodyBytes }
}

/// What the gate learnt about a request, for its log line: the route's pattern and the
/// identity (never the token).
final class CallerNote: Sendable {
    private let note = Mutex<(route: String?, actor: String?)>((nil, nil))
    var route: String? {
        get { note.withLock { $0.route } }
        set { note.withLock { $0.route = newValue } }
    }
    var actor: String? {
        get { note.withLock { $0.actor } }
        set { note.withLock { $0.actor = newValue } }
    }
}
