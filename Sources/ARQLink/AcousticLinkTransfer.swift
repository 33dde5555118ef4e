import L2DataLink
import L3Network
import L4Transport
import L7Application
import SoundStack

/// One message across the link, in audio time. The sending station runs a `TCPConnection`
/// with a window of segments in flight; the receiving station is a `StackReceiver` (layers 3–7)
/// that answers each transmission it heard with one segment: SYN-ACK until its SYN has been
/// acknowledged, then ACK (cumulative + SACK). The sender learns what arrived only from the
/// acknowledgements it manages to decode.
///
///     sender                        clock                          receiver
///     SYN                 ──▶       + transmission
///                         ◀──       + turnaround + transmission    SYN-ACK
///     ACK+data × window   ──▶       + turnaround + transmission
///                         ◀──       + turnaround + transmission    ACK, SACK
///     lost first, new, FIN ──▶ …                                   (message goes up L4…L7)
///
/// Nothing heard, or the answer lost: the sender's timer (started when its transmission ended)
/// fires after the retransmission timeout, which doubles while nothing comes back (up to 4 s)
/// and is reset by the next acknowledgement; the oldest unacknowledged segment goes again alone
/// (TCP's loss window), and the answer to it says what else is missing.
struct LinkTransfer {
    let configuration: AcousticLinkConfiguration
    let air: LinkAir
    let recorder: LinkRecorder?
    let exchange: Int
    let direction: LinkDirection
    let message: [UInt8]
    private(set) var report: LinkTransferReport
    /// Transmissions saved on the link so far, this transfer's included.
    private(set) var saved: Int
    private var clock = 0.0
    private var savedFiles: [String] = []
    private var ids: (sender: UInt16, receiver: UInt16) = (1, 1)
    /// Transmissions both ways (counted as each gets its channel seed).
    private var transmissions = 0
    /// Transmissions in a row with no frame lost (for `minimumSegmentSize`).
    private var cleanBursts = 0
    /// For a response: the method of the request it answers (a response to HEAD has no body).
    var respondingTo: HTTPMethod?
    /// The scheme of the sender's next transmission, and of the receiver's next answer.
    private var dataFEC = FECScheme.none, ackFEC = FECScheme.none
    /// The scheme of the sender's last transmission.
    private var lastDataFEC = FECScheme.none

    init(
        configuration: AcousticLinkConfiguration, air: LinkAir, recorder: LinkRecorder?, exchange: Int,
        direction: LinkDirection, message: [UInt8], savedBefore: Int
    ) {
        self.configuration = configuration; self.air = air; self.recorder = recorder
        self.exchange = exchange; self.direction = direction; self.message = message
        self.saved = savedBefore
        report = LinkTransferReport(exchange: exchange, direction: direction, messageBytes: message.count)
        if case .fixed(let scheme) = configuration.fec { (dataFEC, ackFEC) = (scheme, scheme) }
    }

    /// The scheme a station picks for its next transmission from what it measured on the
    /// other's (adaptive links only; nil measurement: unchanged).
    private func pick(_ current: FECScheme, measured: Double?) -> FECScheme {
        guard case .adaptive = configuration.fec, let measured else { return current }
        return LinkFEC.policy(ebn0dB: measured, mode: air.physical.mode)
    }

    /// What the sender's next transmission uses: its pick, but a step stronger than the last
    /// transmission when it carries a resend (adaptive links only).
    private func dataScheme(resending: Bool) -> FECScheme {
        guard case .adaptive = configuration.fec, resending else { return dataFEC }
        let up = lastDataFEC.stronger
        return LinkFEC.stronger(up, than: dataFEC) ? up : dataFEC
    }

    private mutating func count(_ scheme: FECScheme, frames: Int, data: Bool) {
        if data { report.fecFrames[scheme.name, default: 0] += frames }
        report.fecAllFrames[scheme.name, default: 0] += frames
    }

    mutating func run() throws(AcousticLinkError) -> [UInt8] {
        let ends = AcousticLink.endpoints(direction)
        let back = ends.reversed
        let options = StackOptions(
            framing: configuration.framing, compressionLevel: configuration.compressionLevel,
            mss: configuration.mss)
        let plan: StackPlan
        do { plan = try StackTransmitter(endpoints: ends, options: options).plan(message: message) } catch {
            throw .configuration("the sending station's stack refused the message: \(error)")
        }
        var tcp: TCPConnection
        do {
            tcp = try TCPConnection(
                localPort: ends.sourcePort, remotePort: ends.destinationPort,
                initialSequenceNumber: isn(side: 0), mss: configuration.mss,
                segmentWindow: configuration.window)
        } catch { throw .configuration("TCP: \(error)") }
        var rx = StackReceiver()
        rx.localInitialSequenceNumber = isn(side: 1)
        rx.respondingTo = respondingTo
        let key = StackConnectionKey(
            sourceIP: ends.sourceIP, destinationIP: ends.destinationIP,
            sourcePort: ends.sourcePort, destinationPort: ends.destinationPort)
        var burst = Self.sends(tcp.connect())
        _ = tcp.send(plan.stream)
        var sentBefore = Set<[UInt32]>()
        var rto = configuration.retransmissionTimeout
        let longestRTO = max(Self.longestTimeout, rto)
        var closing = false

        while true {
            guard clock < configuration.maxAudioSeconds else {
                throw gaveUp(
                    "no acknowledgement of the whole message within \(Self.seconds(configuration.maxAudioSeconds)) of audio"
                )
            }
            guard !burst.isEmpty else { throw gaveUp("TCP has nothing to send, yet the FIN is not acknowledged") }

            // The sending station: one transmission of up to `window` segments.
            let resent = burst.map { !sentBefore.insert(Self.identity($0)).inserted }
            report.framesSent += resent.filter { !$0 }.count
            report.framesResent += resent.filter { $0 }.count
            let scheme = dataScheme(resending: resent.contains(true))
            lastDataFEC = scheme
            count(scheme, frames: burst.count, data: true)
            let out = try air.transmit(lowerLayers(burst, ends, id: &ids.sender), from: ends, fec: scheme)
            let heard = try air.hear(out, seed: nextSeed(), station: ends.destinationMAC)
            ackFEC = pick(ackFEC, measured: heard.ebn0dB)
            let start = clock
            clock += out.seconds
            report.framesLost += heard.lost
            adaptSegmentSize(&tcp, lost: heard.lost, of: out.frames.count)
            let before = rx.segmentCount(key)
            StackLink.pass(heard.deliveries, into: &rx)
            let arrived = rx.segmentCount(key) > before
            try save(
                heard, segments: burst, resent: resent, burst: out, kind: "data", from: ends, start: start,
                heardByPeer: arrived)

            // The receiving station answers only what it heard.
            guard arrived, let answer = rx.answer(key, mss: configuration.mss) else {
                timeout(waited: 0, rto: &rto, longest: longestRTO)
                if case .adaptive = configuration.fec { dataFEC = scheme.stronger }
                burst = Self.sends(tcp.retransmissionTimeout())
                continue
            }
            clock += configuration.turnaroundSeconds
            let answers = Array(repeating: answer, count: configuration.acknowledgmentCopies)
            count(ackFEC, frames: answers.count, data: false)
            let ackOut = try air.transmit(lowerLayers(answers, back, id: &ids.receiver), from: back, fec: ackFEC)
            let ackHeard = try air.hear(ackOut, seed: nextSeed(), station: back.destinationMAC)
            dataFEC = pick(dataFEC, measured: ackHeard.ebn0dB)
            let ackStart = clock
            clock += ackOut.seconds
            report.ackFramesSent += ackOut.frames.count
            report.ackFramesLost += ackHeard.lost
            let reply = Self.segment(in: ackHeard.deliveries, from: back)
            try save(
                ackHeard, segments: answers, resent: answers.map { _ in false }, burst: ackOut, kind: "ack", from: back,
                start: ackStart, heardByPeer: reply != nil)
            guard let reply else {
                timeout(waited: configuration.turnaroundSeconds + ackOut.seconds, rto: &rto, longest: longestRTO)
                if case .adaptive = configuration.fec {
                    dataFEC = scheme.stronger
                    ackFEC = ackFEC.stronger
                }
                burst = Self.sends(tcp.retransmissionTimeout())
                continue
            }
            rto = configuration.retransmissionTimeout
            var actions = tcp.receiveBurstAcknowledgment(reply)
            if !closing, tcp.state == .established {
                closing = true
                actions += tcp.close()
            }
            if tcp.isFinAcknowledged {
                // The whole stream arrived: the receiving station's layers 4…7 deliver it, or refuse it.
                let result = rx.finish().first { $0.key == key }
                guard let delivered = result?.message else {
                    throw gaveUp(
                        "the receiving station's stack refused the message: "
                            + (result?.error?.description ?? "nothing delivered"))
                }
                report.delivered = true
                finishReport()
                return delivered
            }
            burst = Self.sends(actions)
            clock += configuration.turnaroundSeconds
        }
    }

    // MARK: - Segment size

    /// Halves the size of new segments when two fifths or more of a transmission of two or more
    /// frames was lost; doubles it (up to the MSS) after two clean transmissions in a row.
    private mutating func adaptSegmentSize(_ tcp: inout TCPConnection, lost: Int, of sent: Int) {
        guard let floor = configuration.minimumSegmentSize, sent >= 2 else { return }
        if 5 * lost >= 2 * sent {
            tcp.segmentSize = max(floor, tcp.segmentSize / 2)
            cleanBursts = 0
        } else if lost == 0 {
            cleanBursts += 1
            if cleanBursts >= 2 {
                tcp.segmentSize *= 2
                cleanBursts = 0
            }
        }
        report.smallestSegment = min(report.smallestSegment ?? tcp.segmentSize, tcp.segmentSize)
    }

    // MARK: - Time

    /// The timeout doubles while nothing comes back, up to this: the medium is the two stations'
    /// own, so there is no congestion to back off from, only a peer that may not have heard.
    static let longestTimeout = 4.0

    /// The sender's timer fires `rto` after its transmission ended (`waited` of that has passed).
    private mutating func timeout(waited: Double, rto: inout Double, longest: Double) {
        clock += max(0, rto - waited)
        report.timeouts += 1
        rto = min(2 * rto, longest)
    }

    private func gaveUp(_ reason: String) -> AcousticLinkError {
        var r = report
        r.audioSeconds = clock
        r.savedFiles = savedFiles
        r.transmissions = transmissions
        r.goodput = 0
        return .gaveUp(r, reason: reason)
    }

    private mutating func finishReport() {
        report.audioSeconds = clock
        report.transmissions = transmissions
        report.savedFiles = savedFiles
        report.goodput = clock > 0 ? Double(message.count) / clock : 0
    }

    static func seconds(_ s: Double) -> String { s == s.rounded() ? "\(Int(s)) s" : "\(s) s" }

    // MARK: - Stations

    /// Layers 4 (checksums) to 2 for `segments`, IP identifications counting up per station.
    private func lowerLayers(
        _ segments: [TCPSegment], _ ends: StackEndpoints,
        id: inout UInt16
    ) throws(AcousticLinkError) -> [[UInt8]] {
        var trace = StackTrace()
        let options = StackOptions(mss: configuration.mss, identification: id)
        id &+= UInt16(truncatingIfNeeded: segments.count)
        do {
            return try StackTransmitter(endpoints: ends, options: options).lowerLayers(
                segments, streamLength: 0, trace: &trace)
        } catch { throw .configuration("\(error)") }
    }

    /// The first TCP segment from `ends`' sender among good frames: IPv4 and TCP checksums verified.
    static func segment(in deliveries: [LinkDelivery], from ends: StackEndpoints) -> TCPSegment? {
        for case .frame(let f, _) in deliveries where f.etherType == .ipv4 {
            guard let p = try? IPv4Packet.parse(f.payload), p.header.ipProtocol == .tcp, !p.header.isFragment,
                p.header.source == ends.sourceIP, p.header.destination == ends.destinationIP,
                let ph = try? PseudoHeader(
                    source: ends.sourceIP.bytes, destination: ends.destinationIP.bytes,
                    protocolNumber: PseudoHeader.tcp),
                let s = try? TCPSegment.parse(p.payload, pseudoHeader: ph),
                s.header.sourcePort == ends.sourcePort, s.header.destinationPort == ends.destinationPort
            else { continue }
            return s
        }
        return nil
    }

    /// The segments to transmit; a bare ACK only when nothing else goes (data carry the ACK).
    static func sends(_ actions: [TCPConnection.Action]) -> [TCPSegment] {
        let all = actions.compactMap { if case .send(let s) = $0 { s } else { nil } }
        let carrying = all.filter { $0.sequenceLength > 0 }
        return carrying.isEmpty ? Array(all.prefix(1)) : carrying
    }

    /// What makes a segment the same when sent again.
    static func identity(_ s: TCPSegment) -> [UInt32] {
        [
            s.header.sequenceNumber.rawValue, UInt32(s.payload.count),
            UInt32(s.header.flags.rawValue & ~TCPFlags.ack.rawValue)
        ]
    }

    // MARK: - Repeatable numbers

    /// A station's ISN for this exchange and direction (side 0: the sender, 1: the receiver).
    private func isn(side: UInt64) -> SequenceNumber {
        SequenceNumber(
            rawValue: UInt32(truncatingIfNeeded: Self.mix(Self.mix(UInt64(exchange)) &+ directionBit &* 2 &+ side)))
    }

    private var directionBit: UInt64 { direction == .request ? 0 : 1 }

    /// The channel seed of the next transmission: derived from the spec's seed, the exchange,
    /// the direction and the transmission's number, so every transmission gets its own noise.
    private mutating func nextSeed() -> UInt64 {
        transmissions += 1
        var h = configuration.channel?.seed ?? 0
        for v in [UInt64(truncatingIfNeeded: exchange), directionBit, UInt64(transmissions)] { h = Self.mix(h &+ v) }
        return h
    }

    /// SplitMix64's finaliser.
    static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    // MARK: - Saving

    private mutating func save(
        _ heard: LinkAir.Hearing, segments: [TCPSegment], resent: [Bool], burst: LinkAir.Burst,
        kind: String, from ends: StackEndpoints, start: Double,
        heardByPeer: Bool
    ) throws(AcousticLinkError) {
        guard let recorder else { return }
        saved += 1
        let frames = segments.indices.map { i in
            LinkTransmissionRecord.Frame(
                segments[i], bytes: burst.frames[i].count, resent: resent[i], status: heard.statuses[i])
        }
        let phy = air.physical
        let record = LinkTransmissionRecord(
            number: saved, exchange: exchange, direction: direction, kind: kind, senderIP: "\(ends.sourceIP)",
            receiverIP: "\(ends.destinationIP)", mode: phy.mode.name, lineCode: "\(phy.lineCode)",
            sampleRate: phy.sampleRate,
            channel: heard.channel.map { "\($0)" }, startSeconds: start, seconds: burst.seconds, frames: frames,
            heard: heardByPeer)
        if let file = try recorder.save(heard.audio, sampleRate: phy.sampleRate, record: record) {
            savedFiles.append(file)
        }
    }
}
