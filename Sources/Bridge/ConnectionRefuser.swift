import L7Application
import NIOCore

/// The whole pipeline of a connection beyond ``BridgeConfiguration/maxConnections``: answers
/// `503 Service Unavailable` with `Retry-After: 1` at once, whatever the client sends, and
/// closes. What the client sends meanwhile is read and dropped, so the close does not reset
/// the connection before the answer is read; it is closed within a second in any case.
final class ConnectionRefuser: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// Seconds a refused connection stays open for the client to read its 503.
    static let lingerSeconds: Int64 = 1

    static let answer: [UInt8] = {
        var response = BridgeRefusal(.serviceUnavailable, "too many connections; try again in a second").response
        try? response.headers.replaceOrAdd(name: "Retry-After", value: "1")
        try? response.headers.replaceOrAdd(name: "Connection", value: "close")
        return response.serialize()
    }()

    func channelActive(context: ChannelHandlerContext) {
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(ByteBuffer(bytes: Self.answer))).whenComplete { _ in
            channel.close(mode: .output, promise: nil)
        }
        context.eventLoop.scheduleTask(in: .seconds(Self.lingerSeconds)) { channel.close(promise: nil) }
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {}

    func errorCaught(context: ChannelHandlerContext, error: any Error) { context.close(promise: nil) }
}
