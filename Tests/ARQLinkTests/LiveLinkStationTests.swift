import ARQLink
import Foundation
import L1Physical
import SoundStack
import Testing

/// Two live stations on an in-memory medium that keeps real time: what one plays, the other
/// records, sample for sample, after the moment it was played; silence otherwise. Transmissions
/// named in `drop` never reach the far side (a burst of noise ate them).
final class RealTimeAir: @unchecked Sendable {
    let sampleRate: Int
    private let lock = NSCondition()
    private let start = DispatchTime.now().uptimeNanoseconds
    /// What each side has played: (first sample, samples), oldest first.
    private var played: [[(at: Int, samples: [Float])]] = [[], []]
    private var lastEnd = [0, 0]
    private var plays = [0, 0]
    private let drop: [Set<Int>]

    init(sampleRate: Int, dropClient: Set<Int> = [], dropOrigin: Set<Int> = []) {
        self.sampleRate = sampleRate
        drop = [dropClient, dropOrigin]
    }

    var now: Int { Int(Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9 * Double(sampleRate)) }

    func port(_ side: Int) -> Port { Port(air: self, side: side) }

    func play(_ side: Int, _ samples: [Float]) {
        lock.lock()
        plays[side] += 1
        let at = max(now, lastEnd[side])
        lastEnd[side] = at + samples.count
        if !drop[side].contains(plays[side]) { played[side].append((at, samples)) }
        lock.unlock()
        let end = Double(at + samples.count) / Double(sampleRate)
        let wait = end - Double(now) / Double(sampleRate)
        if wait > 0 { Thread.sleep(forTimeInterval: wait) }
    }

    func record(_ side: Int, from cursor: Int, into buffer: UnsafeMutableBufferPointer<Float>) {
        let target = cursor + buffer.count
        let wait = Double(target - now) / Double(sampleRate)
        if wait > 0 { Thread.sleep(forTimeInterval: wait) }
        lock.lock()
        defer { lock.unlock() }
        for i in buffer.indices { buffer[i] = 0 }
        let other = 1 - side
        for chunk in played[other] where chunk.at < target && chunk.at + chunk.samples.count > cursor {
            for t in max(cursor, chunk.at)..<min(target, chunk.at + chunk.samples.count) {
                buffer[t - cursor] += chunk.samples[t - chunk.at]
            }
        }
        played[other].removeAll { $0.at + $0.samples.count < cursor - sampleRate }
    }

    final class Port: LiveAudioPort, @unchecked Sendable {
        let air: RealTimeAir
        let side: Int
        private var cursor: Int
        var sampleRate: Int { air.sampleRate }
        init(air: RealTimeAir, side: Int) { self.air = air; self.side = side; cursor = air.now }
        func play(_ samples: [Float]) throws { air.play(side, samples) }
        func record(into buffer: UnsafeMutableBufferPointer<Float>) throws {
            air.record(side, from: cursor, into: buffer)
            cursor += buffer.count
        }
    }
}

@Suite("LiveLinkStation: two stations in real time on one medium")
struct LiveLinkStationTests {
    /// fsk1200 at 16 kHz keeps the demodulators well ahead of real time in a debug build.
    static func configuration() -> AcousticLinkConfiguration {
        var physical = AcousticLinkConfiguration.physical(mode: .fsk1200, leadSeconds: 0.03, gapSeconds: 0.005)
        physical.sampleRate = 16000
        var c = AcousticLinkConfiguration(
            physical: physical, mss: 128, window: 8, retransmissionTimeout: 0.6, maxAudioSeconds: 60)
        c.fec = .fixed(.none)
        return c
    }

    static func message(_ bytes: Int) throws -> [UInt8] { try AcousticLink.samplePost(bodyBytes: bytes) }

    @Test("a request and its response cross byte for byte, each way acknowledged")
    func requestAndResponse() throws {
        let air = RealTimeAir(sampleRate: 16000)
        let client = try LiveLinkStation(configuration: Self.configuration(), side: .client, port: air.port(0))
        let origin = try LiveLinkStation(configuration: Self.configuration(), side: .origin, port: air.port(1))
        client.start()
        origin.start()
        defer {
            client.stop()
            origin.stop()
        }
        let request = try Self.message(150)
        let sent = try client.send(request, exchange: 5)
        #expect(sent.delivered)
        #expect(sent.framesResent == 0)
        let heard = try origin.receive(timeout: 5)
        #expect(heard.exchange == 5)
        #expect(heard.message == request)

        let response = Array("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello".utf8)
        let back = try origin.send(response, exchange: heard.exchange)
        #expect(back.delivered)
        let answer = try client.receive(timeout: 5)
        #expect(answer.exchange == 5)
        #expect(answer.message == response)
        #expect(origin.counts.messagesReceived == 1)
        #expect(client.counts.messagesReceived == 1)
    }

    @Test("a lost transmission and a lost acknowledgement are resent after the timeout, and the message is exact")
    func lossesAreRepaired() throws {
        // The client's 2nd transmission (the first data) and the origin's 2nd answer never arrive.
        let air = RealTimeAir(sampleRate: 16000, dropClient: [2], dropOrigin: [2])
        let client = try LiveLinkStation(configuration: Self.configuration(), side: .client, port: air.port(0))
        let origin = try LiveLinkStation(configuration: Self.configuration(), side: .origin, port: air.port(1))
        client.start()
        origin.start()
        defer {
            client.stop()
            origin.stop()
        }
        let request = try Self.message(250)
        let sent = try client.send(request, exchange: 9)
        #expect(sent.delivered)
        #expect(sent.timeouts >= 2)
        #expect(sent.framesResent > 0)
        let heard = try origin.receive(timeout: 5)
        #expect(heard.message == request)
    }

    @Test("nothing on the air: receive gives up after its timeout, and send after its budget")
    func silenceGivesUp() throws {
        let air = RealTimeAir(sampleRate: 16000)
        var c = Self.configuration()
        c.maxAudioSeconds = 1.5
        let client = try LiveLinkStation(configuration: c, side: .client, port: air.port(0))
        client.start()
        defer { client.stop() }
        #expect(throws: AcousticLinkError.self) { try client.receive(timeout: 0.3) }
        let started = Date()
        #expect(throws: AcousticLinkError.self) { try client.send(try Self.message(100), exchange: 1) }
        #expect(Date().timeIntervalSince(started) < 6)
    }

    @Test("a port at another sample rate than the mode's is refused")
    func sampleRateMismatch() throws {
        let air = RealTimeAir(sampleRate: 48000)
        #expect(throws: AcousticLinkError.self) {
            _ = try LiveLinkStation(configuration: Self.configuration(), side: .client, port: air.port(0))
        }
    }

    @Test("exchange numbers live in the client port, both ways")
    func endpoints() {
        let request = LiveLinkStation.endpoints(.request, exchange: 7)
        let response = LiveLinkStation.endpoints(.response, exchange: 7)
        #expect(request.sourcePort == 49159)
        #expect(request.destinationPort == 80)
        #expect(response.sourcePort == 80)
        #expect(response.destinationPort == 49159)
    }
}
