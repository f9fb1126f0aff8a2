import NIOCore
import NIOHTTPTypes

/// Closes a connection whose client is too slow, by `ConnectionLimits`: a request head
/// not complete within `headerTimeout` (from the connection's opening, or from the first
/// byte of a later request), a body arriving slower than its allowance, or a kept-alive
/// connection idle for `idleTimeout` between a response and the next request. While the
/// server itself is answering, or not reading (its own back-pressure), nothing is timed:
/// only the client's slowness is.
///
/// It sits first in the pipeline, where it sees every byte arrive and whether the server
/// asked for more; `HTTPExchangeObserver`, behind the HTTP codec, tells it where each
/// request and response stands. An upgrade to the lead socket stops it and takes it out of
/// the pipeline: the socket's pings decide whether it is alive.
final class ConnectionDeadlines: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = NIOAny
    typealias OutboundOut = NIOAny

    /// What the server waits for from the client.
    enum Waiting {
        /// Nothing: the connection is being upgraded.
        case nothing
        /// A response was written (or the connection opened with nothing yet): the first
        /// byte of the next request.
        case nextRequest(since: NIODeadline)
        /// The rest of a request's head.
        case head(deadline: NIODeadline)
        /// The rest of a body, which started arriving at `started`.
        case body(started: NIODeadline, received: Int)
    }

    private let limits: ConnectionLimits
    private var waiting: Waiting
    /// Requests whose response is not yet written: the server is busy, nothing is timed.
    private var responsesOwed = 0
    /// The server asked the socket for bytes and none came yet; when it has not (its
    /// buffers are full), a silence is the server's, not the client's. A new connection
    /// is read from at once.
    private var readRequested = true
    private var timer: (deadline: NIODeadline, task: Scheduled<Void>)?
    private var context: ChannelHandlerContext?

    init(limits: ConnectionLimits) {
        self.limits = limits
        // A new connection's first request gets the header timeout from the start.
        waiting = .head(deadline: .now() + TimeAmount(limits.headerTimeout))
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        arm()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.task.cancel()
        timer = nil
        self.context = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        // Before the decoder runs: a request's first byte starts its head's clock.
        if case .nextRequest = waiting { waiting = .head(deadline: .now() + TimeAmount(limits.headerTimeout)) }
        arm()
        context.fireChannelRead(data)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        readRequested = false
        context.fireChannelReadComplete()
    }

    func read(context: ChannelHandlerContext) {
        readRequested = true
        context.read()
    }

    // MARK: What HTTPExchangeObserver reports

    func headReceived() {
        responsesOwed += 1
        waiting = .body(started: .now(), received: 0)
        arm()
    }

    func bodyReceived(_ count: Int) {
        guard case .body(let started, let received) = waiting else { return }
        waiting = .body(started: started, received: received + count)
    }

    func requestEnded() {
        waiting = .nextRequest(since: .now())
        arm()
    }

    func stopTiming() {
        waiting = .nothing
        timer?.task.cancel()
        timer = nil
    }

    func responseEnded() {
        responsesOwed = max(0, responsesOwed - 1)
        if responsesOwed == 0, case .nextRequest = waiting { waiting = .nextRequest(since: .now()) }
        arm()
    }

    // MARK: The one timer

    /// When the client will have been too slow, as things stand; nil while nothing is timed.
    private var deadline: NIODeadline? {
        switch waiting {
        case .nothing:
            nil
        case .nextRequest(let since):
            responsesOwed == 0 ? since + TimeAmount(limits.idleTimeout) : nil
        case .head(let deadline):
            deadline
        case .body(let started, let received):
            started + TimeAmount(limits.bodyTimeout) + .nanoseconds(Int64(received) * 1_000_000_000 / Int64(max(1, limits.bodyMinimumRate)))
        }
    }

    /// One scheduled check per connection, moved only when the deadline comes sooner: a
    /// later deadline is found by the check itself, which schedules the next.
    private func arm() {
        guard let context, let deadline else { return }
        if let timer, timer.deadline <= deadline { return }
        timer?.task.cancel()
        let task = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [weak self] () -> Void in self?.check() }
        timer = (deadline, task)
    }

    private func check() {
        timer = nil
        guard let context, let deadline else { return }
        guard deadline <= .now() else { return arm() }
        guard readRequested else {
            // The server stopped reading (a handler is busy with what came): start the
            // client's clock afresh rather than blame it.
            switch waiting {
            case .nothing: break
            case .nextRequest: waiting = .nextRequest(since: .now())
            case .head: waiting = .head(deadline: .now() + TimeAmount(limits.headerTimeout))
            case .body: waiting = .body(started: .now(), received: 0)
            }
            return arm()
        }
        context.close(promise: nil)
    }
}

/// Behind the HTTP codec of a connection that was not upgraded: tells `ConnectionDeadlines`
/// when a request's head, body and end arrive and when a response ends.
final class HTTPExchangeObserver: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let deadlines: ConnectionDeadlines

    init(deadlines: ConnectionDeadlines) {
        self.deadlines = deadlines
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head: deadlines.headReceived()
        case .body(let bytes): deadlines.bodyReceived(bytes.readableBytes)
        case .end: deadlines.requestEnded()
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) { deadlines.responseEnded() }
        context.write(data, promise: promise)
    }
}
