import L7Application
import NIOCore

/// The time a client has for each whole request, kept on the raw bytes of one connection (the
/// first handler in its pipeline, so it sees header bytes the HTTP decoder is still holding).
///
/// ```
///  opened / answered ──▶ waiting: the request must be in by start + allowance + bytes / 1000 s
///                           │ whole request                 │ late
///                           ▼                               ▼
///                        paused (the exchange runs)      408 (nothing answered yet), or just
///                           │ answered                   closed (idle, or already answered)
///                           ▼
///                        waiting again
/// ```
///
/// The deadline grows only with bytes received (1000 a second): a client dripping a byte a
/// second is cut off about `allowance` seconds after it began, however it keeps sending.
/// Event-loop only: ``ProxyHandler`` calls ``pause()``, ``answered()`` and ``answeredEarly()``.
final class RequestDeadline: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// Sent down the pipeline just before a late connection is closed.
    struct Expired { var seconds: Double }

    /// Bytes a second a client must keep up, beyond the allowance.
    static let bytesPerSecond = 1000.0

    private let allowance: Double
    private var started = NIODeadline.now()
    private var bytes = 0
    private var waiting = true
    private var answeredThisRequest = false
    private var answeredBefore = false
    private var timer: Scheduled<Void>?
    private var context: ChannelHandlerContext?

    init(allowanceSeconds: Double) { self.allowance = allowanceSeconds }

    /// When the request under way must be in.
    private var due: NIODeadline {
        started + .nanoseconds(Int64((allowance + Double(bytes) / Self.bytesPerSecond) * 1e9))
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        restart()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        self.context = nil
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        bytes += unwrapInboundIn(data).readableBytes
        context.fireChannelRead(data)
    }

    /// The whole request is in: no deadline while it is carried.
    func pause() {
        waiting = false
        timer?.cancel()
        timer = nil
    }

    /// The request was answered (and the connection stays open): the next one's time starts.
    func answered() {
        answeredBefore = true
        restart()
    }

    /// The request under way was answered before it had all arrived (403, 413): the rest must
    /// still come in time, but a late one is closed without another answer.
    func answeredEarly() { answeredThisRequest = true }

    private func restart() {
        started = .now()
        bytes = 0
        waiting = true
        answeredThisRequest = false
        schedule()
    }

    private func schedule() {
        timer?.cancel()
        guard let context, waiting else { return }
        let loop = context.eventLoop
        let handler = NIOLoopBound(self, eventLoop: loop)
        timer = loop.scheduleTask(deadline: due) { handler.value.check() }
    }

    private func check() {
        timer = nil
        guard let context, waiting else { return }
        if NIODeadline.now() < due {
            schedule()
            return
        }
        waiting = false
        let seconds = allowance + Double(bytes) / Self.bytesPerSecond
        context.fireUserInboundEventTriggered(Expired(seconds: seconds))
        let idle = bytes == 0 && answeredBefore
        guard !answeredThisRequest, !idle else {
            context.close(promise: nil)
            return
        }
        let refusal = BridgeRefusal(
            .requestTimeout, "the request did not arrive within \(OriginStation.seconds(seconds)) s")
        var response = refusal.response
        try? response.headers.replaceOrAdd(name: "Connection", value: "close")
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(ByteBuffer(bytes: response.serialize()))).whenComplete { _ in
            channel.close(promise: nil)
        }
    }
}
