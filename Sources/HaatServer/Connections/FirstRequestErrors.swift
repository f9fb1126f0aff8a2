import NIOCore
import NIOHTTP1

/// Answers a connection's first request when the HTTP parser refuses it (a NUL in a
/// header, a request line of garbage, a Content-Length that is not a number): 400 with
/// `Connection: close`, then closes. Hummingbird answers such requests itself, but only
/// once it has the connection; the first request's head is read earlier, while the lead
/// socket's upgrade is still possible, where nothing else answered and the connection
/// hung silent until its header timeout.
///
/// It leaves the pipeline as soon as the first head is read, whether the connection then
/// upgrades or not: from there on Hummingbird or the lead socket owns what is written.
final class FirstRequestErrors: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard error is HTTPParserError else {
            context.fireErrorCaught(error)
            return
        }
        let head = HTTPResponseHead(version: .http1_1, status: .badRequest, headers: ["Connection": "close", "Content-Length": "0"])
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in channel.close(promise: nil) }
    }

    static func add(to pipeline: ChannelPipeline.SynchronousOperations) throws {
        try pipeline.addHandler(FirstRequestErrors())
    }

    static func remove(from pipeline: ChannelPipeline.SynchronousOperations) throws {
        _ = try pipeline.removeHandler(pipeline.handler(type: FirstRequestErrors.self))
    }
}
