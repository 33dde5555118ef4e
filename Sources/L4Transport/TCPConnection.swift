/// Connection states (RFC 9293 §3.3.2).
public enum TCPState: String, Hashable, Sendable {
    /// No connection (the start and the end).
    case closed
    /// Waiting for a peer's SYN (passive open).
    case listen
    /// SYN sent, waiting for the SYN-ACK.
    case synSent
    /// SYN received and SYN-ACK sent, waiting for its ACK.
    case synReceived
    /// Open: data flows both ways.
    case established
    /// We sent FIN; waiting for its ACK or the peer's FIN.
    case finWait1
    /// Our FIN is acknowledged; waiting for the peer's FIN.
    case finWait2
    /// The peer sent FIN; we may still send until we close.
    case closeWait
    /// Both sent FIN at once; waiting for the ACK of ours.
    case closing
    /// We sent FIN after the peer's; waiting for its ACK.
    case lastAck
    /// Both FINs acknowledged; waiting 2·MSL before closing.
    case timeWait
}

/// One end of a TCP connection as a value-type state machine: each event returns the actions
/// to take, and time is an event too, so it runs without sockets, audio or real clocks.
///
///     var client = try TCPConnection(localPort: 49152, remotePort: 80, initialSequenceNumber: 1000)
///     var actions = client.connect()           // [.send(SYN), .startRetransmissionTimer]
///     actions = client.receive(synAck)         // [.send(ACK), .connected, …]
///     actions = client.send(Array("GET /".utf8))
///     actions = client.retransmissionTimeout() // resends what the peer has not (S)ACKed
///
/// With `segmentWindow` set, at most that many segments are in flight (sent, neither acknowledged
/// nor SACKed); the rest waits for acknowledgements. On a half-duplex link, where the peer answers
/// only after hearing a whole burst, `receiveBurstAcknowledgment(_:)` takes that answer and returns
/// the next burst: what was lost first, then new data.
///
/// Out of scope: congestion control, the peer's byte window, urgent data and simultaneous open.
public struct TCPConnection: Sendable {
    /// What the caller must do after an event: send, deliver, start or stop a timer, report a state.
    public enum Action: Hashable, Sendable {
        /// Send this segment to the peer (hand it to the network layer).
        case send(TCPSegment)
        /// In-order bytes from the peer.
        case deliver([UInt8])
        /// The handshake completed: the connection is established.
        case connected
        /// Start (or restart) the retransmission timer; call `retransmissionTimeout()` when it fires.
        case startRetransmissionTimer
        /// Stop the retransmission timer: everything sent is acknowledged.
        case stopRetransmissionTimer
        /// Wait 2·MSL, then call `timeWaitExpired()`.
        case startTimeWaitTimer
        /// The peer reset the connection.
        case reset
        /// The connection is closed (both sides finished, or it timed out); no more actions follow.
        case closed
    }

    /// Where the connection is in the RFC 9293 state diagram.
    public private(set) var state: TCPState = .closed
    /// Our port.
    public let localPort: UInt16
    /// The peer's port.
    public let remotePort: UInt16
    /// Our initial sequence number (ISN): the SYN carries it, data starts one after it.
    public let initialSequenceNumber: SequenceNumber
    /// Maximum segment size in bytes: the most payload one segment carries.
    public let mss: Int
    /// Oldest unacknowledged sequence number (SND.UNA) and next to send (SND.NXT).
    public private(set) var sendUnacknowledged: SequenceNumber
    /// Next sequence number to send (SND.NXT).
    public private(set) var sendNext: SequenceNumber
    /// The receiving half, once the peer's SYN is known.
    public private(set) var receiver: TCPReassembler?
    /// Segments sent and not yet acknowledged, oldest first, with whether SACK covered them.
    public private(set) var unacknowledged: [(segment: TCPSegment, sacked: Bool)] = []
    /// How many segments have been sent again after a retransmission timeout.
    public private(set) var retransmissions = 0
    private var pending: [UInt8] = []
    private var closeRequested = false
    private var finSent = false
    private let window: Int
    /// Most segments in flight at once (nil: no limit, everything queued goes at once).
    public let segmentWindow: Int?
    /// Payload bytes per new data segment, 1…`mss` (starts at `mss`). A sender on a lossy link
    /// may lower it, since a short segment survives noise more often; data already sent keeps
    /// its boundaries.
    public var segmentSize: Int {
        get { currentSegmentSize }
        set { currentSegmentSize = min(max(1, newValue), mss) }
    }
    private var currentSegmentSize: Int

    /// - Parameters:
    ///   - localPort: our port.
    ///   - remotePort: the peer's port.
    ///   - initialSequenceNumber: our ISN, carried by the SYN.
    ///   - mss: most payload bytes per segment, 1...65 495.
    ///   - window: receive buffer in bytes, advertised to the peer.
    ///   - segmentWindow: most segments in flight (sent, neither acknowledged nor SACKed); nil for no limit.
    /// - Throws: `badMSS` or `badWindow` for values outside their ranges.
    public init(
        localPort: UInt16, remotePort: UInt16, initialSequenceNumber: SequenceNumber,
        mss: Int = 536, window: Int = 65_535, segmentWindow: Int? = nil
    ) throws(TransportError) {
        guard (1...65_495).contains(mss) else { throw .badMSS(mss) }
        guard (1...65_535).contains(window) else { throw .badWindow(window) }
        if let w = segmentWindow, w < 1 { throw .badWindow(w) }
        self.localPort = localPort; self.remotePort = remotePort
        self.initialSequenceNumber = initialSequenceNumber
        self.mss = mss; self.window = window; self.segmentWindow = segmentWindow
        currentSegmentSize = mss
        sendUnacknowledged = initialSequenceNumber
        sendNext = initialSequenceNumber
    }

    /// Active open: send SYN.
    public mutating func connect() -> [Action] {
        guard state == .closed else { return [] }
        state = .synSent
        return transmit(flags: .syn, options: synOptions)
    }

    /// Passive open: wait for a SYN.
    public mutating func listen() { if state == .closed { state = .listen } }

    /// Queues bytes to send; they go out at once when established, otherwise when it becomes so.
    public mutating func send(_ data: [UInt8]) -> [Action] {
        guard !closeRequested, state != .closed else { return [] }
        pending += data
        return flush()
    }

    /// Closes our sending half: a FIN follows any queued data.
    public mutating func close() -> [Action] {
        switch state {
        case .closed, .listen, .synSent:
            state = .closed
            return [.stopRetransmissionTimer, .closed]
        default:
            closeRequested = true
            return flush()
        }
    }

    /// Resends the unacknowledged segments the peer has not SACKed (all of them if none were).
    /// With a `segmentWindow`, only the oldest of them goes (RFC 5681's loss window of one
    /// segment): whether the segments or only the answer were lost, the answer to that one tells
    /// the rest, and `receiveBurstAcknowledgment(_:)` opens the whole window again.
    public mutating func retransmissionTimeout() -> [Action] {
        let resend = unacknowledged.filter { !$0.sacked }.map(\.segment).prefix(segmentWindow == nil ? Int.max : 1)
        guard !resend.isEmpty else { return [] }
        retransmissions += resend.count
        return resend.map { .send(stamped($0)) } + [.startRetransmissionTimer]
    }

    /// Segments sent and neither acknowledged nor SACKed.
    public var segmentsInFlight: Int { unacknowledged.reduce(0) { $0 + ($1.sacked ? 0 : 1) } }

    /// Whether everything sent, the FIN included, has been acknowledged.
    public var isFinAcknowledged: Bool { finSent && unacknowledged.isEmpty }

    /// Takes the peer's answer to a whole burst on a half-duplex link, where the peer speaks only
    /// after hearing everything sent: each segment sent before `segment` arrived that it neither
    /// acknowledges nor SACKs was lost. Returns the next burst: those segments again (oldest
    /// first), then new data and the FIN, at most `segmentWindow` segments in all.
    ///
    ///     var tx = try TCPConnection(localPort: 49152, remotePort: 80, initialSequenceNumber: 1000, segmentWindow: 4)
    ///     // … burst of 4 sent; the peer ACKs the first and SACKs the third and fourth:
    ///     tx.receiveBurstAcknowledgment(ack)   // [.send(second again), .send(fifth), .send(sixth), .send(seventh), …]
    public mutating func receiveBurstAcknowledgment(_ segment: TCPSegment) -> [Action] {
        let boundary = sendNext
        var actions = receive(segment)
        let fresh = actions.reduce(0) { n, a in if case .send(let s) = a, s.sequenceLength > 0 { n + 1 } else { n } }
        let room = (segmentWindow ?? Int.max) - fresh
        let lost = unacknowledged.filter { !$0.sacked && $0.segment.header.sequenceNumber < boundary }.map(\.segment)
            .prefix(max(0, room))
        guard !lost.isEmpty else { return actions }
        retransmissions += lost.count
        // The lost segments go first; a pure ACK is not needed beside them.
        actions.removeAll { if case .send(let s) = $0, s.sequenceLength == 0 { true } else { false } }
        return lost.map { .send(stamped($0)) } + actions
    }

    /// TIME-WAIT is over.
    public mutating func timeWaitExpired() -> [Action] {
        guard state == .timeWait else { return [] }
        state = .closed
        return [.closed]
    }

    /// Handles one segment from the peer and returns what to do.
    /// Segments for other ports, or any while closed, are ignored (no actions). An RST closes the
    /// connection unless listening; an ACK releases acknowledged segments; data is passed through the
    /// reassembler and delivered in order.
    /// - Parameter segment: A segment parsed (and checksum-verified) by the layer below.
    /// - Returns: The actions to carry out, in order.
    public mutating func receive(_ segment: TCPSegment) -> [Action] {
        let h = segment.header
        guard h.sourcePort == remotePort, h.destinationPort == localPort, state != .closed else { return [] }
        if h.flags.contains(.rst) {
            guard state != .listen else { return [] }
            state = .closed
            unacknowledged = []
            return [.stopRetransmissionTimer, .reset, .closed]
        }
        var actions: [Action] = []
        switch state {
        case .listen:
            guard h.flags.contains(.syn), !h.flags.contains(.ack) else { return [] }
            receiver = try? TCPReassembler(window: window, localInitialSequenceNumber: initialSequenceNumber)
            receiver?.accept(segment)
            state = .synReceived
            return transmit(flags: [.syn, .ack], options: synOptions)
        case .synSent:
            guard h.flags.contains(.syn), h.flags.contains(.ack), h.acknowledgmentNumber == sendNext else { return [] }
            receiver = try? TCPReassembler(window: window, localInitialSequenceNumber: initialSequenceNumber)
            receiver?.accept(segment)
            acknowledge(up: h.acknowledgmentNumber, sack: [])
            state = .established
            actions = [.stopRetransmissionTimer, .connected]
            let out = flush()
            return actions
                + (out.contains { if case .send = $0 { true } else { false } } ? out : out + [.send(pureAck())])
        default:
            break
        }
        if h.flags.contains(.ack) {
            let before = unacknowledged.count
            acknowledge(up: h.acknowledgmentNumber, sack: h.sackBlocks)
            if state == .synReceived, sendUnacknowledged > initialSequenceNumber {
                state = .established
                actions.append(.connected)
            }
            if unacknowledged.isEmpty, before > 0 { actions.append(.stopRetransmissionTimer) }
            let finAcked = finSent && unacknowledged.isEmpty
            if finAcked {
                switch state {
                case .finWait1: state = .finWait2
                case .closing: state = .timeWait; actions.append(.startTimeWaitTimer)
                case .lastAck: state = .closed; actions.append(.closed); return actions
                default: break
                }
            }
        }
        guard var rx = receiver else { return actions }
        let wasComplete = rx.isComplete
        let outcome = rx.accept(segment)
        let data = rx.read()
        let finNow = rx.isComplete && !wasComplete
        receiver = rx
        if !data.isEmpty { actions.append(.deliver(data)) }
        if finNow {
            switch state {
            case .synReceived, .established: state = .closeWait
            case .finWait1: state = .closing
            case .finWait2: state = .timeWait; actions.append(.startTimeWaitTimer)
            default: break
            }
        }
        let carriesSequence = segment.sequenceLength > 0
        if carriesSequence, outcome != .heldForSYN { actions.append(.send(pureAck())) }
        return actions + flush()
    }

    // MARK: Sending

    private var synOptions: [TCPOption] {
        [.maximumSegmentSize(UInt16(mss)), .noOperation, .noOperation, .sackPermitted]
    }

    private var canSendData: Bool { state == .established || state == .closeWait }

    private var roomInWindow: Bool { segmentWindow.map { segmentsInFlight < $0 } ?? true }

    private mutating func flush() -> [Action] {
        guard canSendData else { return [] }
        var actions: [Action] = []
        while !pending.isEmpty, roomInWindow {
            let chunk = Array(pending.prefix(currentSegmentSize))
            pending.removeFirst(chunk.count)
            actions += transmit(flags: [.ack, .psh], payload: chunk)
        }
        if closeRequested, !finSent, pending.isEmpty, roomInWindow {
            finSent = true
            state = state == .closeWait ? .lastAck : .finWait1
            actions += transmit(flags: [.fin, .ack])
        }
        return actions
    }

    private mutating func transmit(flags: TCPFlags, options: [TCPOption] = [], payload: [UInt8] = []) -> [Action] {
        var f = flags
        if receiver?.peerInitialSequenceNumber != nil { f.insert(.ack) }
        let seg = stamped(
            TCPSegment(
                header: TCPHeader(
                    sourcePort: localPort, destinationPort: remotePort,
                    sequenceNumber: sendNext, flags: f, options: options), payload: payload))
        sendNext += seg.sequenceLength
        unacknowledged.append((seg, false))
        return [.send(seg), .startRetransmissionTimer]
    }

    /// A segment with the current acknowledgment number and window filled in.
    private func stamped(_ segment: TCPSegment) -> TCPSegment {
        var s = segment
        if let rx = receiver, let ack = rx.nextExpected {
            s.header.flags.insert(.ack)
            s.header.acknowledgmentNumber = ack
            s.header.window = UInt16(clamping: rx.receiveWindow)
        }
        return s
    }

    private func pureAck() -> TCPSegment {
        var options: [TCPOption] = []
        let blocks = receiver?.sackBlocks() ?? []
        if !blocks.isEmpty { options = [.noOperation, .noOperation, .sack(blocks)] }
        return stamped(
            TCPSegment(
                header: TCPHeader(
                    sourcePort: localPort, destinationPort: remotePort,
                    sequenceNumber: sendNext, flags: .ack, options: options)))
    }

    private mutating func acknowledge(up ack: SequenceNumber, sack: [SACKBlock]) {
        guard ack > sendUnacknowledged, ack <= sendNext else { return markSacked(sack) }
        sendUnacknowledged = ack
        unacknowledged.removeAll { $0.segment.header.sequenceNumber + $0.segment.sequenceLength <= ack }
        markSacked(sack)
    }

    private mutating func markSacked(_ blocks: [SACKBlock]) {
        for i in unacknowledged.indices {
            let s = unacknowledged[i].segment
            let lo = s.header.sequenceNumber, hi = s.header.sequenceNumber + s.sequenceLength
            if blocks.contains(where: { $0.left <= lo && hi <= $0.right }) { unacknowledged[i].sacked = true }
        }
    }
}
