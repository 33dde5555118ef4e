import ChannelSimulator
import Foundation
import L1Physical
import L2DataLink
import L3Network
import L4Transport
import L7Application
import SoundStack

/// Where a live station's audio goes and where what it hears comes from: a sound card through
/// the audio server, or in tests an in-memory medium.
public protocol LiveAudioPort: AnyObject, Sendable {
    /// Samples per second, both ways.
    var sampleRate: Int { get }
    /// Plays `samples` (full scale ±1); returns once they have been played.
    func play(_ samples: [Float]) throws
    /// Fills `buffer` with the next samples heard; blocks until they have been recorded.
    func record(into buffer: UnsafeMutableBufferPointer<Float>) throws
}

/// Which end of the link a live station is.
public enum LinkSide: String, Sendable, CaseIterable {
    /// Sends requests, receives responses.
    case client
    /// Receives requests, sends responses.
    case origin

    /// The way this side's own messages go.
    public var sends: LinkDirection { self == .client ? .request : .response }
    /// The way the messages it receives go.
    public var receives: LinkDirection { self == .client ? .response : .request }
}

/// One station of the acoustic link in real time, in its own process, over a real medium
/// (``LiveAudioPort``): half duplex, carrier sense before every transmission, and the ARQ of the
/// simulated link (``AcousticLink``) with its timers on the wall clock.
///
/// Two threads run from ``start()``: one hears (records, demodulates, routes each good segment:
/// acknowledgements to ``send(_:exchange:)``, the peer's data to the station's receiving stack)
/// and one answers (once a transmission of the peer's data has ended and the channel has been
/// quiet for ``LiveLinkTiming/answerHold`` seconds, it sends the ACK with its SACK blocks, and
/// hands a message that is complete to ``receive(timeout:)``).
///
///     let station = try LiveLinkStation(configuration: config, side: .client, port: soundCard)
///     try station.start()
///     let report = try station.send(request, exchange: 1)           // blocks until acknowledged
///     let (exchange, response) = try station.receive(timeout: 60)   // the origin's answer
///
/// Messages cross one at a time: ``send(_:exchange:)`` may be called from one thread at a time.
/// Exchange `n` uses client port 49152 + n mod 16384, so the far station tells exchanges apart.
public final class LiveLinkStation: @unchecked Sendable {
    /// How the link is set up: mode, MSS, window, timeout, ACK copies, FEC, channel, budget.
    public let configuration: AcousticLinkConfiguration
    /// Which end this is.
    public let side: LinkSide
    /// The real-time constants.
    public let timing: LiveLinkTiming
    let port: any LiveAudioPort
    let air: LinkAir
    /// This station's and the far station's MAC addresses.
    let me: MACAddress, peer: MACAddress

    private let state = NSCondition()
    // Under `state`:
    private var stack = StackReceiver()
    private var owed: Set<StackConnectionKey> = []
    /// Finished connections and the far station's ISN on each (a SYN with another one is a new message).
    private var done: [StackConnectionKey: SequenceNumber?] = [:]
    private var acknowledgments: [StackConnectionKey: TCPSegment] = [:]
    private var inbox: [(exchange: Int, message: [UInt8])] = []
    private var refusals: [String] = []
    /// When the last block with a carrier in it was heard, and when the last block of any kind was.
    private var lastCarrier = -Double.infinity, lastHeard = -Double.infinity
    private var peerEbN0: Double?
    private var stopping = false
    private var fault: String?
    private var running = 0
    private var counters = LiveLinkCounters()

    /// One transmission at a time: the answering thread and a sender never key up together.
    private let transmitter = NSLock()
    private var transmissionCount: UInt64 = 0

    /// A station on `port`. Nothing runs until ``start()``.
    /// - Throws: `configuration` when the mode, MSS, window, timeout, ACK copies or channel are
    ///   out of range (as for ``AcousticLink``) or the port's sample rate differs from the mode's.
    public init(
        configuration: AcousticLinkConfiguration, side: LinkSide, port: any LiveAudioPort,
        timing: LiveLinkTiming = LiveLinkTiming()
    ) throws(AcousticLinkError) {
        _ = try AcousticLink(configuration)
        guard port.sampleRate == configuration.physical.sampleRate else {
            throw .configuration(
                "the audio runs at \(port.sampleRate) Hz but the link's physical layer at \(configuration.physical.sampleRate) Hz"
            )
        }
        self.configuration = configuration; self.side = side; self.port = port; self.timing = timing
        air = try LinkAir(physical: configuration.physical, channel: configuration.channel)
        let ends = AcousticLink.endpoints(side.sends)
        (me, peer) = (ends.sourceMAC, ends.destinationMAC)
        stack.localInitialSequenceNumber = SequenceNumber(rawValue: side == .client ? 0x1000_0000 : 0x2000_0000)
    }

    /// Starts hearing and answering.
    public func start() {
        state.withLock { running = 2 }
        Thread.detachNewThread { [self] in hearLoop() }
        Thread.detachNewThread { [self] in answerLoop() }
    }

    /// Stops both threads (the hearing one once its next block has been recorded) and waits for them.
    public func stop() {
        state.lock()
        stopping = true
        state.broadcast()
        while running > 0 { _ = state.wait(until: Date(timeIntervalSinceNow: 0.05)) }
        state.unlock()
    }

    /// What the station has done so far.
    public var counts: LiveLinkCounters { state.withLock { counters } }

    /// Frames the station's stack refused (bad IP or TCP), in words.
    public var refused: [String] { state.withLock { refusals } }

    /// The method of the request whose response comes next (a response to HEAD has no body).
    public var respondingTo: HTTPMethod? {
        get { state.withLock { stack.respondingTo } }
        set { state.withLock { stack.respondingTo = newValue } }
    }

    // MARK: - Addresses

    /// Who talks to whom for exchange `exchange`'s message going `direction`, seen from its sender.
    public static func endpoints(_ direction: LinkDirection, exchange: Int) -> StackEndpoints {
        var ends = AcousticLink.endpoints(.request)
        ends.sourcePort = AcousticLink.client.port &+ UInt16(exchange & 0x3FFF)
        return direction == .request ? ends : ends.reversed
    }

    /// The exchange a connection belongs to, from its client port.
    static func exchange(of key: StackConnectionKey) -> Int {
        let port = key.sourcePort == AcousticLink.origin.port ? key.destinationPort : key.sourcePort
        return Int(port &- AcousticLink.client.port) & 0x3FFF
    }

    // MARK: - Sending

    /// Sends `message` as exchange `exchange` and returns once the far station has acknowledged all
    /// of it (its FIN).
    /// - Throws: `gaveUp` when the budget (``AcousticLinkConfiguration/maxAudioSeconds``, wall
    ///   seconds here) runs out, or the station has stopped.
    public func send(_ message: [UInt8], exchange: Int) throws(AcousticLinkError) -> LinkTransferReport {
        let direction = side.sends
        let ends = Self.endpoints(direction, exchange: exchange)
        var report = LinkTransferReport(exchange: exchange, direction: direction, messageBytes: message.count)
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
                initialSequenceNumber: SequenceNumber(
                    rawValue: UInt32(
                        truncatingIfNeeded: LinkTransfer.mix(UInt64(exchange) &* 2 &+ UInt64(side == .client ? 0 : 1)))),
                mss: configuration.mss, segmentWindow: configuration.window)
        } catch { throw .configuration("TCP: \(error)") }
        let back = StackConnectionKey(
            sourceIP: ends.destinationIP, destinationIP: ends.sourceIP, sourcePort: ends.destinationPort,
            destinationPort: ends.sourcePort)
        var burst = LinkTransfer.sends(tcp.connect())
        _ = tcp.send(plan.stream)
        var sentBefore = Set<[UInt32]>()
        var identification: UInt16 = UInt16(truncatingIfNeeded: exchange &* 512)
        var rto = configuration.retransmissionTimeout
        let longest = max(LinkTransfer.longestTimeout, rto)
        var closing = false
        let started = Self.now()
        func gaveUp(_ reason: String) -> AcousticLinkError {
            report.audioSeconds = Self.now() - started
            report.goodput = 0
            return .gaveUp(report, reason: reason)
        }

        while true {
            if let fault = state.withLock({ fault ?? (stopping ? "the station stopped" : nil) }) {
                throw gaveUp(fault)
            }
            guard Self.now() - started < configuration.maxAudioSeconds else {
                throw gaveUp(
                    "no acknowledgement of the whole message within \(LinkTransfer.seconds(configuration.maxAudioSeconds))"
                )
            }
            guard !burst.isEmpty else { throw gaveUp("TCP has nothing to send, yet the FIN is not acknowledged") }
            let resent = burst.map { !sentBefore.insert(LinkTransfer.identity($0)).inserted }
            report.framesSent += resent.filter { !$0 }.count
            report.framesResent += resent.filter { $0 }.count
            let scheme = fecScheme()
            report.fecFrames[scheme.name, default: 0] += burst.count
            report.fecAllFrames[scheme.name, default: 0] += burst.count
            let frames = try Self.lowerLayers(burst, ends, mss: configuration.mss, id: &identification)
            try transmit(frames, from: ends, fec: scheme, clearing: back)
            report.transmissions += 1

            guard let reply = awaitAcknowledgment(back, timeout: rto) else {
                report.timeouts += 1
                rto = min(2 * rto, longest)
                burst = LinkTransfer.sends(tcp.retransmissionTimeout())
                continue
            }
            report.transmissions += 1
            rto = configuration.retransmissionTimeout
            var actions = tcp.receiveBurstAcknowledgment(reply)
            if !closing, tcp.state == .established {
                closing = true
                actions += tcp.close()
            }
            if tcp.isFinAcknowledged {
                report.delivered = true
                report.audioSeconds = Self.now() - started
                report.goodput = report.audioSeconds > 0 ? Double(message.count) / report.audioSeconds : 0
                report.framesLost = report.framesResent
                state.withLock { counters.messagesSent += 1 }
                return report
            }
            burst = LinkTransfer.sends(actions)
        }
    }

    /// Waits for the far station's acknowledgement on `key`: `timeout` seconds after this
    /// transmission ended, longer while its answer is still being heard.
    private func awaitAcknowledgment(_ key: StackConnectionKey, timeout: Double) -> TCPSegment? {
        state.lock()
        defer { state.unlock() }
        var deadline = Self.now() + timeout
        while true {
            if let segment = acknowledgments[key] {
                // The rest of the answer (its other copies) is heard before this station keys up.
                return segment
            }
            if stopping || fault != nil { return nil }
            deadline = max(deadline, lastCarrier + timing.answerHold)
            let now = Self.now()
            if now >= deadline { return nil }
            _ = state.wait(until: Date(timeIntervalSinceNow: min(deadline - now, 0.05)))
        }
    }

    // MARK: - Receiving

    /// The next message the far station sent, whole and checked up to layer 7, with its exchange
    /// number; waits up to `timeout` seconds.
    /// - Throws: `gaveUp` when none arrives in time or the station has stopped.
    public func receive(timeout: Double) throws(AcousticLinkError) -> (exchange: Int, message: [UInt8]) {
        state.lock()
        defer { state.unlock() }
        let deadline = Self.now() + timeout
        while inbox.isEmpty {
            let reason: String? =
                if let fault { fault } else if stopping { "the station stopped" } else if Self.now() >= deadline {
                    "no message arrived within \(LinkTransfer.seconds(timeout))"
                } else { nil }
            if let reason {
                let report = LinkTransferReport(exchange: 0, direction: side.receives, messageBytes: 0)
                throw .gaveUp(report, reason: reason)
            }
            _ = state.wait(until: Date(timeIntervalSinceNow: min(deadline - Self.now(), 0.1)))
        }
        return inbox.removeFirst()
    }

    // MARK: - The medium

    /// Waits for a quiet channel, then plays `frames` as one transmission (with the channel
    /// simulator's impairments when the configuration has some).
    private func transmit(
        _ frames: [[UInt8]], from ends: StackEndpoints, fec: FECScheme, clearing key: StackConnectionKey?
    ) throws(AcousticLinkError) {
        let burst = try air.transmit(frames, from: ends, fec: fec)
        transmitter.lock()
        defer { transmitter.unlock() }
        transmissionCount += 1
        var audio = burst.audio
        if var spec = air.channel {
            spec.seed = LinkTransfer.mix(spec.seed &+ transmissionCount &* 2 &+ (side == .client ? 0 : 1))
            do {
                audio = try ChannelSimulator.apply(spec, to: audio, sampleRate: air.physical.sampleRate).output
            } catch { throw .configuration("channel: \(error)") }
        }
        waitForQuietChannel()
        state.withLock {
            if let key { acknowledgments[key] = nil }
            counters.transmissions += 1
            counters.framesSent += frames.count
        }
        do { try port.play(audio) } catch {
            let reason = "cannot play: \(error)"
            state.withLock { fault = fault ?? reason }
            throw .configuration(reason)
        }
    }

    /// Under `state`: whether the blocks heard since the last carrier span `seconds`. Counted in
    /// blocks heard, not on the clock alone: a carrier that started in a block still being
    /// recorded is not yet known, so quiet needs whole blocks without one.
    private func heardQuiet(for seconds: Double) -> Bool { lastHeard - lastCarrier >= seconds }

    /// Carrier sense: returns once the blocks heard have had no carrier for
    /// ``LiveLinkTiming/turnaround`` seconds.
    private func waitForQuietChannel() {
        state.lock()
        defer { state.unlock() }
        var deferred = false
        while !stopping, !heardQuiet(for: timing.turnaround) {
            if !deferred { counters.deferrals += 1 }
            deferred = true
            _ = state.wait(until: Date(timeIntervalSinceNow: 0.01))
        }
    }

    /// The scheme of this station's next transmission: the configured one, or (adaptive) the
    /// policy's pick for the Eb/N0 measured on the far station's frames.
    private func fecScheme() -> FECScheme {
        switch configuration.fec {
        case .fixed(let scheme): return scheme
        case .adaptive:
            guard let measured = state.withLock({ peerEbN0 }) else { return .none }
            return LinkFEC.policy(ebn0dB: measured, mode: air.physical.mode)
        }
    }

    // MARK: - Threads

    private func hearLoop() {
        defer {
            state.withLock {
                running -= 1; state.broadcast()
            }
        }
        let phy = air.physical
        let receiver: LinkReceiver
        do {
            receiver = LinkReceiver(
                physical: try PhysicalReceiver(
                    modes: [phy.mode], lineCode: phy.lineCode, sampleRate: Double(phy.sampleRate)),
                station: EthernetReceiver(address: me))
        } catch {
            state.withLock { fault = "physical layer: \(error)" }
            return
        }
        var watch = ToneWatch(modes: [phy.mode], sampleRate: Double(phy.sampleRate))
        var block = [Float](repeating: 0, count: timing.blockFrames)
        while !state.withLock({ stopping }) {
            do {
                try block.withUnsafeMutableBufferPointer { try port.record(into: $0) }
            } catch {
                state.withLock {
                    fault = fault ?? "cannot record: \(error)"
                    state.broadcast()
                }
                return
            }
            let (carrier, reception) = block.withUnsafeBufferPointer { b in
                (watch.add(b), receiver.process(b))
            }
            state.withLock {
                counters.secondsHeard += Double(block.count) / Double(phy.sampleRate)
                lastHeard = Self.now()
                if carrier || !reception.reports.isEmpty { lastCarrier = lastHeard }
                route(reception)
                state.broadcast()
            }
        }
    }

    /// Under `state`: each good segment to where it belongs.
    private func route(_ reception: LinkReception) {
        let good = reception.reports.filter(\.isOK).map(\.phy.frame.ebn0dB).filter(\.isFinite)
        if !good.isEmpty { peerEbN0 = good.reduce(0, +) / Double(good.count) }
        counters.framesHeard += reception.reports.count
        counters.framesBad += reception.reports.filter { !$0.isOK && !$0.status.isNotForMe }.count
        for case .frame(let frame, let airtime) in reception.deliveries where frame.etherType == .ipv4 {
            guard let (key, segment) = Self.segment(frame) else {
                refusals.append("a frame from \(frame.source) is not a TCP segment with good checksums")
                if refusals.count > 100 { refusals.removeFirst() }
                continue
            }
            let flags = segment.header.flags
            let carriesData =
                !segment.payload.isEmpty || flags.contains(.fin) || (flags.contains(.syn) && !flags.contains(.ack))
            if carriesData {
                if flags.contains(.syn), !flags.contains(.ack), let isn = done[key],
                    isn != segment.header.sequenceNumber
                {
                    // A new connection on an old exchange's ports (the far station restarted).
                    stack.forget(key)
                    done[key] = nil
                }
                stack.receive(frame, seconds: airtime)
                owed.insert(key)
            } else {
                acknowledgments[key] = segment
            }
        }
    }

    private func answerLoop() {
        defer {
            state.withLock {
                running -= 1; state.broadcast()
            }
        }
        var identification: UInt16 = side == .client ? 0x8000 : 0xC000
        while true {
            state.lock()
            while !stopping, owed.isEmpty || !heardQuiet(for: timing.answerHold) {
                _ = state.wait(until: Date(timeIntervalSinceNow: 0.01))
            }
            if stopping {
                state.unlock()
                return
            }
            let keys = owed.sorted { $0.sourcePort < $1.sourcePort }
            owed.removeAll()
            let answers = keys.compactMap { key in stack.answer(key, mss: configuration.mss).map { (key, $0) } }
            state.unlock()

            for (key, answer) in answers {
                let ends = StackEndpoints(
                    sourceMAC: me, destinationMAC: peer, sourceIP: key.destinationIP, destinationIP: key.sourceIP,
                    sourcePort: key.destinationPort, destinationPort: key.sourcePort)
                let copies = Array(repeating: answer, count: configuration.acknowledgmentCopies)
                do {
                    let frames = try Self.lowerLayers(copies, ends, mss: configuration.mss, id: &identification)
                    try transmit(frames, from: ends, fec: fecScheme(), clearing: nil)
                } catch {
                    state.withLock {
                        fault = fault ?? "\(error)"
                        state.broadcast()
                    }
                    return
                }
                state.withLock {
                    counters.acknowledgmentsSent += 1
                    guard done[key] == nil, stack.isComplete(key), let result = stack.finish(key) else { return }
                    done[key] = .some(result.peerInitialSequenceNumber)
                    if let message = result.message {
                        inbox.append((Self.exchange(of: key), message))
                        counters.messagesReceived += 1
                    } else {
                        refusals.append("\(key): " + (result.error.map { "\($0)" } ?? "nothing delivered"))
                    }
                    forgetOld()
                    state.broadcast()
                }
            }
        }
    }

    /// Under `state`: keeps the 16 newest finished connections (a late copy of their FIN is
    /// still answered) and forgets older ones.
    private func forgetOld() {
        let finished = stack.connectionKeys.filter { done[$0] != nil }
        for key in finished.dropLast(16) {
            stack.forget(key)
            done[key] = nil
        }
    }

    // MARK: - Helpers

    /// The TCP segment in an IPv4 frame, checksums verified, and its connection.
    static func segment(_ frame: EthernetFrame) -> (StackConnectionKey, TCPSegment)? {
        guard let p = try? IPv4Packet.parse(frame.payload), p.header.ipProtocol == .tcp, !p.header.isFragment,
            let ph = try? PseudoHeader(
                source: p.header.source.bytes, destination: p.header.destination.bytes,
                protocolNumber: PseudoHeader.tcp),
            let s = try? TCPSegment.parse(p.payload, pseudoHeader: ph)
        else { return nil }
        let key = StackConnectionKey(
            sourceIP: p.header.source, destinationIP: p.header.destination, sourcePort: s.header.sourcePort,
            destinationPort: s.header.destinationPort)
        return (key, s)
    }

    /// Layers 4 (checksums) to 2 for `segments`, IP identifications counting up.
    static func lowerLayers(
        _ segments: [TCPSegment], _ ends: StackEndpoints, mss: Int, id: inout UInt16
    ) throws(AcousticLinkError) -> [[UInt8]] {
        var trace = StackTrace()
        let options = StackOptions(mss: mss, identification: id)
        id &+= UInt16(truncatingIfNeeded: segments.count)
        do {
            return try StackTransmitter(endpoints: ends, options: options).lowerLayers(
                segments, streamLength: 0, trace: &trace)
        } catch { throw .configuration("\(error)") }
    }

    static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
}

/// The real-time constants of a live station.
public struct LiveLinkTiming: Sendable, Hashable {
    /// Samples recorded per block (1024: 21 ms at 48 kHz).
    public var blockFrames = 1024
    /// Seconds of quiet channel before a station keys up (carrier sense).
    public var turnaround = 0.05
    /// Seconds of quiet after the far station's data before the ACK goes: its transmission has
    /// ended (the carrier detector holds a little after the tones stop).
    public var answerHold = 0.12

    /// The defaults.
    public init() {}
}

/// What a live station has done.
public struct LiveLinkCounters: Sendable, Hashable, Codable {
    /// Seconds of audio recorded.
    public var secondsHeard = 0.0
    /// Transmissions played and frames in them.
    public var transmissions = 0, framesSent = 0
    /// Frames heard (for anyone) and those that failed a check.
    public var framesHeard = 0, framesBad = 0
    /// Answers (ACK transmissions) sent.
    public var acknowledgmentsSent = 0
    /// Times carrier sense made a transmission wait.
    public var deferrals = 0
    /// Whole messages sent (acknowledged) and received (delivered up to layer 7).
    public var messagesSent = 0, messagesReceived = 0
}
