import Hummingbird
import Logging
import NIOCore

/// The request context of every route: Hummingbird's core storage, the client's
/// address (rate limits, contact monitoring) and API.md's 64 KiB body limit.
public struct HaatRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
        clientAddress = remoteAddress?.ipAddress ?? "unknown"
    }

    /// API.md: request bodies over 64 KiB are refused with 413.
    public var maxUploadSize: Int { 64 * 1024 }

    /// The client's IP address, for rate limits and records: the connection's ("unknown"
    /// if the socket has none), or the one a trusted proxy forwarded (`ForwardedClientMiddleware`).
    public var clientAddress: String
}
