import HTTPTypes
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1
import NIOWebSocket

/// One connection to `haat serve`: HTTP/1.1 for the site and the API, handled by
/// Hummingbird, and on the lead socket's path only an upgrade to a WebSocket that
/// `LeadSocketHandler` serves on the connection's event loop. Every connection is counted
/// against the cap (`ConnectionCap`) and timed while its client sends
/// (`ConnectionDeadlines`); an upgrade is refused to another site's page (`AllowedOrigins`).
///
/// Why not hummingbird-websocket's upgrade channel: it runs every WebSocket in a task of
/// its own for as long as it is open, and that task's stack costs about 28 KB per idle
/// socket before Haat does anything (measured, bench/README.md "Lead notifications"); thousands of
/// creators keep the dashboard open all day. The HTTP side and the upgrade handshake are
/// Hummingbird's and SwiftNIO's, as in that channel; only the socket's handler differs.
struct HaatServerChannel: ServerChildChannel, HTTPChannelHandler {
    enum UpgradeResult: Sendable {
        /// The connection is a lead socket now: its handler serves it, with no task.
        case leadSocket
        case notUpgraded(NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>)
        case refusedUpgrade(NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>, UpgradeRefusal)
    }

    enum UpgradeRefusal: Sendable {
        /// An upgrade to another path than the lead socket's: 400.
        case otherPath
        /// A page of a site not allowed to open the lead socket: 403 before any upgrade.
        case foreignOrigin
    }

    /// The connection was over the cap and is closed: nothing to handle.
    struct OverCapacity: Error {}

    struct Value: ServerChildChannelValue {
        let upgradeResult: EventLoopFuture<UpgradeResult>
        let channel: any Channel
    }

    let responder: HTTPChannelHandler.Responder
    let leadSockets: LeadNotificationSocket
    let limits: ConnectionLimits
    let cap: ConnectionCap
    let origins: AllowedOrigins
    let http1 = HTTP1Channel.Configuration()

    init(responder: @escaping HTTPChannelHandler.Responder, leadSockets: LeadNotificationSocket, limits: ConnectionLimits, cap: ConnectionCap,
         origins: AllowedOrigins) {
        self.responder = Self.redirectingLateUpgrades(responder)
        self.leadSockets = leadSockets
        self.limits = limits
        self.cap = cap
        self.origins = origins
    }

    /// NIO upgrades a connection on its first request only. An upgrade asked for later on
    /// a kept-alive connection (a proxy reusing its connections) is sent to the same URL
    /// with `Connection: close`, so the client asks again on a fresh connection, as
    /// hummingbird-websocket does.
    static func redirectingLateUpgrades(_ responder: @escaping HTTPChannelHandler.Responder) -> HTTPChannelHandler.Responder {
        struct RedirectedUpgrade: Error {}
        return { request, writer, channel in
            guard request.headers[.upgrade]?.lowercased() == "websocket" else {
                try await responder(request, writer, channel)
                return
            }
            var location = request.uri.path
            if let query = request.uri.query { location += "?" + query }
            try await writer.writeResponse(HTTPResponse(status: .temporaryRedirect, headerFields: [.connection: "close", .location: location]))
            // Thrown so the connection closes, as the response says.
            throw RedirectedUpgrade()
        }
    }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        guard cap.admit(channel, logger: logger) else {
            return channel.eventLoop.makeSucceededFuture(Value(upgradeResult: channel.eventLoop.makeFailedFuture(OverCapacity()), channel: channel))
        }
        return channel.eventLoop.makeCompletedFuture {
            let refusal = NIOLoopBoundBox(UpgradeRefusal?.none, eventLoop: channel.eventLoop)
            let (leadSockets, origins) = (leadSockets, origins)
            let upgrader = NIOTypedWebSocketServerUpgrader<UpgradeResult>(
                maxFrameSize: LeadSocketHandler.maxFrameSize,
                shouldUpgrade: { channel, head in
                    let path = head.uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first
                    let origin = head.headers["origin"]
                    if path.map({ $0 != "/" + LeadNotificationSocket.path }) ?? true {
                        refusal.value = .otherPath
                    } else if origin.count > 1 || !origins.allows(origin: origin.first, host: head.headers["host"].first) {
                        refusal.value = .foreignOrigin
                    }
                    if refusal.value == nil {
                        // Upgrading: from here on the socket's pings judge whether it is alive.
                        try? channel.pipeline.syncOperations.handler(type: ConnectionDeadlines.self).stopTiming()
                    }
                    return channel.eventLoop.makeSucceededFuture(refusal.value == nil ? HTTPHeaders() : nil)
                },
                upgradePipelineHandler: { channel, head in
                    channel.eventLoop.makeCompletedFuture {
                        try FirstRequestErrors.remove(from: channel.pipeline.syncOperations)
                        // Stopped when the upgrade was accepted; gone now, so a socket costs nothing more.
                        _ = try channel.pipeline.syncOperations.removeHandler(channel.pipeline.syncOperations.handler(type: ConnectionDeadlines.self))
                        let ticket = URI(head.uri).queryParameters["ticket"].map(String.init)
                        try channel.pipeline.syncOperations.addHandler(LeadSocketHandler(ticket: ticket, sockets: leadSockets, logger: logger))
                        return .leadSocket
                    }
                }
            )
            let http1 = http1
            let serverUpgrade = NIOTypedHTTPServerUpgradeConfiguration(upgraders: [upgrader], notUpgradingCompletionHandler: { channel in
                channel.eventLoop.makeCompletedFuture {
                    try FirstRequestErrors.remove(from: channel.pipeline.syncOperations)
                    try channel.pipeline.syncOperations.addHandler(HTTP1ToHTTPServerCodec(secure: false))
                    // The upgrade handler replays the first request through it once it is added.
                    let deadlines = try channel.pipeline.syncOperations.handler(type: ConnectionDeadlines.self)
                    try channel.pipeline.syncOperations.addHandler(HTTPExchangeObserver(deadlines: deadlines))
                    try channel.pipeline.syncOperations.addHandler(HTTPConnectionStateHandler(idleTimeout: http1.idleTimeout.map { .init($0) }, logger: logger))
                    let asyncChannel = try NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>(
                        wrappingChannelSynchronously: channel, configuration: .init(isOutboundHalfClosureEnabled: true))
                    return refusal.value.map { .refusedUpgrade(asyncChannel, $0) } ?? .notUpgraded(asyncChannel)
                }
            })
            var configuration = NIOUpgradableHTTPServerPipelineConfiguration<UpgradeResult>(upgradeConfiguration: serverUpgrade)
            configuration.enablePipelining = false  // NIOAsyncChannel pipelines HTTP
            configuration.enableErrorHandling = false  // Hummingbird answers errors
            configuration.enableResponseHeaderValidation = false  // Swift HTTP Types validate
            configuration.decoderConfiguration.maxHeaderFieldSize = http1.httpDecoder.maxHeaderFieldSize
            configuration.decoderConfiguration.maxHeaderListSize = http1.httpDecoder.maxHeaderListSize
            configuration.decoderConfiguration.maxHeaderFieldCount = http1.httpDecoder.maxHeaderFieldCount
            // First in the pipeline, before the HTTP handlers: it sees every byte arrive.
            try channel.pipeline.syncOperations.addHandler(ConnectionDeadlines(limits: limits))
            let result = try channel.pipeline.syncOperations.configureUpgradableHTTPServerPipeline(configuration: configuration)
            try FirstRequestErrors.add(to: channel.pipeline.syncOperations)
            return Value(upgradeResult: result, channel: channel)
        }
    }

    func handle(value: Value, logger: Logger) async {
        do {
            switch try await value.upgradeResult.get() {
            case .leadSocket:
                // The socket lives on in its channel; this connection's task ends here.
                return
            case .notUpgraded(let http1):
                await handleHTTP(asyncChannel: http1, logger: logger)
            case .refusedUpgrade(let http1, .otherPath):
                try await http1.executeThenClose { _, outbound in
                    try await outbound.write(contentsOf: [
                        .head(HTTPResponse(status: .badRequest, headerFields: [.connection: "close", .contentLength: "0"])), .end(nil),
                    ])
                }
            case .refusedUpgrade(let http1, .foreignOrigin):
                let body = ByteBuffer(bytes: try JSONResponse.encoder.encode(APIError.Body(error: .init(
                    code: "forbidden", message: "Pages of this origin may not open the lead socket (HAAT_ALLOWED_ORIGINS lists the others allowed)."))))
                try await http1.executeThenClose { _, outbound in
                    try await outbound.write(contentsOf: [
                        .head(HTTPResponse(status: .forbidden, headerFields: [
                            .connection: "close", .contentType: "application/json; charset=utf-8", .cacheControl: "no-store",
                            .contentLength: String(body.readableBytes),
                        ])),
                        .body(body), .end(nil),
                    ])
                }
            }
        } catch is OverCapacity {
            logger.trace("over the connection cap: closed")
        } catch let error as ChannelError where error == .inputClosed {
            logger.trace("the connection closed before its first request")
        } catch {
            logger.debug("connection: \(error)")
        }
    }
}
