import Foundation
import HaatStore
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOFoundationCompat
import NIOWebSocket

/// A lead socket once upgraded (RFC 6455), served on its connection's event loop with
/// no task while idle: frames in (acknowledgements, pings, pongs, close), leads and
/// keep-alives out through `Sender`. Framing is SwiftNIO's (`WebSocketFrameDecoder`, at
/// most 4 KiB a frame: a larger one is closed with 1009 by NIO's protocol error handler);
/// what a socket does with its creator's leads is `LeadSocketSession`'s.
final class LeadSocketHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    /// Largest frame a client may send; an acknowledgement is a few dozen bytes.
    static let maxFrameSize = 4096
    /// Largest message (after reassembling fragments) read as an acknowledgement.
    static let maxMessageSize = 1024
    /// How long the client has to answer our close frame before the connection is cut.
    static let closeTimeout = TimeAmount.seconds(5)

    private let ticket: String?
    private let sockets: LeadNotificationSocket
    private let logger: Logger
    private var context: ChannelHandlerContext?
    private var session: LeadSocketSession?
    private var subscription: HubSubscription?
    /// A protocol ping went out and nothing came back since.
    private var awaitingAnswer = false
    /// Our close frame went out: only the client's close (or the timeout) remains.
    private var closing = false
    /// An acknowledgement that came before the ticket was redeemed (the session starts then).
    private var earlyAcknowledgement: Int?
    /// The fragments so far of a message sent in several frames, and whether it is text.
    private var partial: (data: ByteBuffer, isText: Bool)?

    init(ticket: String?, sockets: LeadNotificationSocket, logger: Logger) {
        self.ticket = ticket
        self.sockets = sockets
        self.logger = logger
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        sockets.registry.add(context.channel)
        // The ticket is redeemed off the event loop; the answer comes back to it.
        let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
        let (sockets, ticket, eventLoop) = (sockets, ticket, context.eventLoop)
        Task {
            let owner = try? await sockets.creatorEmail(redeeming: ticket)
            eventLoop.execute { handler.value.opened(owner: owner) }
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        stop()
        self.context = nil
    }

    func channelInactive(context: ChannelHandlerContext) {
        stop()
        context.fireChannelInactive()
    }

    private func stop() {
        subscription?.cancel()
        subscription = nil
        session?.close()
        session = nil
        if let context { sockets.registry.remove(context.channel) }
    }

    private func opened(owner: String?) {
        guard let context, context.channel.isActive, !closing else { return }
        guard let owner else {
            close(code: LeadNotificationSocket.ticketRefused, reason: "The ticket is unknown, expired or already used: ask for a new one.")
            return
        }
        let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
        let session = LeadSocketSession(owner: owner, store: sockets.store, sender: Sender(channel: context.channel, handler: handler))
        self.session = session
        let eventLoop = context.eventLoop
        subscription = sockets.hub.subscribe(ownerEmail: owner) { event in
            switch event {
            case .lead(let lead): session.send(lead)
            case .announced(let seq): session.sendAnnounced(seq)
            // Straight to the connection, never behind a lead a dead peer is not reading.
            case .keepAlive: eventLoop.execute { handler.value.keepAlive() }
            }
        }
        session.start()
        if let seq = earlyAcknowledgement { session.acknowledge(upTo: seq) }
        earlyAcknowledgement = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        awaitingAnswer = false
        // A client's frames are masked (RFC 6455 5.1).
        guard frame.maskKey != nil else {
            close(code: .protocolError, reason: "Client frames must be masked.")
            return
        }
        switch frame.opcode {
        case .text, .binary, .continuation:
            assemble(frame)
        case .ping:
            // Answered while the client reads what we send: a client that floods pings and
            // reads nothing would otherwise queue pongs without end (RFC 6455 5.5.3 allows
            // answering only the latest).
            if context.channel.isWritable { write(WebSocketFrame(fin: true, opcode: .pong, data: frame.unmaskedData)) }
        case .connectionClose:
            if closing {
                context.close(promise: nil)
            } else {
                // Echo the client's code, then hang up (RFC 6455 5.5.1).
                var data = frame.unmaskedData
                writeCloseFrame(context, code: data.readWebSocketErrorCode() ?? .normalClosure, reason: "")
                    .whenComplete { _ in context.close(promise: nil) }
            }
        default:
            break  // a pong only shows the client is there
        }
    }

    /// Puts a message together from its frames (a client may fragment one) and reads it.
    private func assemble(_ frame: WebSocketFrame) {
        var data = frame.unmaskedData
        switch (frame.opcode, partial) {
        case (.continuation, nil), (.text, .some), (.binary, .some):
            close(code: .protocolError, reason: "A fragment out of order.")
            return
        case (.continuation, .some(var started)):
            started.data.writeBuffer(&data)
            partial = started
        default:
            partial = (data, frame.opcode == .text)
        }
        guard let message = partial, message.data.readableBytes <= Self.maxMessageSize else {
            partial = nil
            close(code: .messageTooLarge, reason: "Messages must be at most \(Self.maxMessageSize) bytes.")
            return
        }
        guard frame.fin else { return }
        partial = nil
        guard message.isText, let ack = try? Self.decoder.decode(Acknowledgement.self, from: Data(buffer: message.data)),
              ack.type == "ack", ack.seq >= 0 else { return }  // anything else is ignored
        if let session {
            session.acknowledge(upTo: ack.seq)
        } else {
            earlyAcknowledgement = max(earlyAcknowledgement ?? ack.seq, ack.seq)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        logger.debug("lead socket: \(error)")
        context.close(promise: nil)
    }

    /// Our close frame, then the connection is cut when the client answers or after
    /// `closeTimeout`.
    func close(code: WebSocketErrorCode, reason: String) {
        guard let context, !closing else { return }
        writeCloseFrame(context, code: code, reason: reason)
        let channel = context.channel
        context.eventLoop.scheduleTask(in: Self.closeTimeout) { channel.close(promise: nil) }
    }

    /// Our close frame; from here on nothing else is sent (RFC 6455 5.5.1).
    @discardableResult
    private func writeCloseFrame(_ context: ChannelHandlerContext, code: WebSocketErrorCode, reason: String) -> EventLoopFuture<Void> {
        closing = true
        session?.close()
        var buffer = context.channel.allocator.buffer(capacity: 2 + reason.utf8.count)
        buffer.write(webSocketErrorCode: code)
        buffer.writeString(String(reason.utf8.prefix(120)) ?? "")
        return context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .connectionClose, data: buffer)))
    }

    /// Every keep-alive period: `{"type":"ping"}` for the dashboard and a protocol ping
    /// for liveness. A socket that answered nothing to the last one is dead: cut.
    func keepAlive() {
        guard let context, !closing else { return }
        if awaitingAnswer {
            logger.debug("lead socket: no answer to the last ping; closing")
            context.close(promise: nil)
            return
        }
        awaitingAnswer = true
        write(WebSocketFrame(fin: true, opcode: .text, data: context.channel.allocator.buffer(string: #"{"type":"ping"}"#)))
        write(WebSocketFrame(fin: true, opcode: .ping, data: context.channel.allocator.buffer(capacity: 0)))
    }

    private func write(_ frame: WebSocketFrame) {
        context?.writeAndFlush(wrapOutboundOut(frame), promise: nil)
    }

    private static let decoder = JSONDecoder()

    private struct Acknowledgement: Decodable {
        let type: String
        let seq: Int
    }

    /// The server's messages to one socket, from any task: `{"type": "lead", "seq",
    /// "lead"}` and the close.
    struct Sender: Sendable {
        let channel: any Channel
        let handler: NIOLoopBound<LeadSocketHandler>

        struct Closed: Error {}

        /// Returns once the frame is written to the connection (so a socket that cannot
        /// keep up holds its session's queue back, not memory here).
        func send(_ lead: Lead) async throws {
            let data = try LeadMessage(lead).encoded()
            guard channel.isActive else { throw Closed() }
            let frame = WebSocketFrame(fin: true, opcode: .text, data: channel.allocator.buffer(bytes: data))
            try await channel.writeAndFlush(frame)
        }

        func close(_ code: WebSocketErrorCode, reason: String) async throws {
            let handler = handler
            try await channel.eventLoop.submit { handler.value.close(code: code, reason: reason) }.get()
        }
    }
}

/// Every open lead socket, so that a stopping server can say goodbye (1001) to each
/// rather than drop them: the sockets have no task for the server to wait on.
final class LeadSocketRegistry: Sendable {
    private let channels = NIOLockedValueBox([ObjectIdentifier: any Channel]())

    func add(_ channel: any Channel) { channels.withLockedValue { $0[ObjectIdentifier(channel)] = channel } }
    func remove(_ channel: any Channel) { _ = channels.withLockedValue { $0.removeValue(forKey: ObjectIdentifier(channel)) } }
    var count: Int { channels.withLockedValue { $0.count } }

    /// Closes every socket with 1001 and waits (a little) for them to go.
    func closeAll() async {
        let open = channels.withLockedValue { Array($0.values) }
        for channel in open {
            channel.eventLoop.execute {
                guard let handler = try? channel.pipeline.syncOperations.handler(type: LeadSocketHandler.self) else { return }
                handler.close(code: .goingAway, reason: "The server is restarting: reconnect.")
            }
        }
        for _ in 0..<50 where count > 0 { try? await Task.sleep(for: .milliseconds(20)) }
    }
}
