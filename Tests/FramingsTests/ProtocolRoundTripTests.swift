import Foundation
import L1Physical
import L2DataLink
import SignalBasics
import Testing

@testable import Framings

/// Every framing through our transmitter and receiver, at several sample rates, with a tilt
/// between the tones (de-emphasis) and noise.
@Suite struct ProtocolRoundTripTests {
    /// Deterministic noise and a first-order tilt (a one-pole low-pass mixed in), like a radio's audio.
    static func impair(_ x: [Float], snrDB: Float, seed: UInt64) -> [Float] {
        var rng = SeededGenerator(seed: seed)
        var lp: Float = 0
        let power = x.reduce(0) { $0 + $1 * $1 } / Float(max(1, x.count))
        let sigma = (power / pow(10, snrDB / 10)).squareRoot()
        return x.map { s in
            lp += 0.2 * (s - lp)
            return 0.4 * s + 0.6 * lp * 2 + sigma * Float(rng.nextGaussian())
        }
    }

    @Test(arguments: [8000.0, 22050.0, 44100.0, 48000.0])
    func ax25(rate: Double) throws {
        let lines = ["N0CALL>APRS,WIDE1-1:hello", "K1ABC-9>APZ001,RELAY*,WIDE2-2:=4903.50N/07201.75W-"]
        let audio = ProtocolTransmitter.ax25(try lines.map { try AX25Frame(tnc2: $0) }, sampleRate: rate)
        let got = ProtocolReceiver.decode(Self.impair(audio, snrDB: 15, seed: 1), sampleRate: rate, protocols: [.ax25])
        #expect(got.map(\.text) == lines)
    }

    @Test(arguments: [8000.0, 44100.0])
    func callerID(rate: Double) throws {
        let line = "MDMF DATE=\"01020304\" NUMBER=\"5551234567\" NAME=\"SOUND STACK\""
        let audio = try ProtocolTransmitter.callerID(line: line, sampleRate: rate)
        let got = ProtocolReceiver.decode(
            Self.impair(audio, snrDB: 20, seed: 2), sampleRate: rate, protocols: [.callerid])
        #expect(got.map(\.text) == [line])
        #expect(got.first?.fields["NAME"] == "SOUND STACK")
    }

    @Test(arguments: [8000.0, 48000.0])
    func same(rate: Double) throws {
        let msgs = ["ZCZC-WXR-TOR-039009-039011+0100-2291949-KXYZ/NWS-", "NNNN"]
        let audio = try ProtocolTransmitter.same(msgs, sampleRate: rate)
        let got = ProtocolReceiver.decode(Self.impair(audio, snrDB: 15, seed: 3), sampleRate: rate, protocols: [.same])
        #expect(got.map(\.text) == msgs)
        #expect(got.first?.fields["bursts"] == "3")
    }

    @Test func rttyKCSAndUART() throws {
        let text = "RYRY CQ DE N0CALL 599 73\r\n"
        let rtty = try ProtocolTransmitter.rtty(text, sampleRate: 8000)
        #expect(ProtocolReceiver.decode(rtty, sampleRate: 8000, protocols: [.rtty]).map(\.text).joined() == text)
        let bytes = Array("10 PRINT \"HELLO\"\r\n".utf8)
        let kcs = ProtocolTransmitter.uart(bytes, format: .n82, signalling: .kcs, sampleRate: 44100)
        #expect(ProtocolReceiver.decode(kcs, sampleRate: 44100, protocols: [.kcs]).flatMap(\.bytes) == bytes)
        let format = try UARTFormat(dataBits: 7, parity: .even, stopBits: 2)
        let uart = ProtocolTransmitter.uart(bytes, format: format, sampleRate: 22050)
        let opts = ProtocolReceiverOptions(uartFormat: format)
        #expect(
            ProtocolReceiver.decode(uart, sampleRate: 22050, protocols: [.uart], options: opts).flatMap(\.bytes)
                == bytes)
    }

    @Test func autoFindsEveryCheckedFraming() throws {
        let rate = 22050.0
        var audio = ProtocolTransmitter.ax25([try AX25Frame(tnc2: "N0CALL>APRS:auto")], sampleRate: rate)
        audio += try ProtocolTransmitter.callerID(line: "MDMF DATE=\"12312359\" NUMBER=\"O\"", sampleRate: rate)
        audio += try ProtocolTransmitter.same(["NNNN"], sampleRate: rate)
        let got = ProtocolReceiver.decode(audio, sampleRate: rate, protocols: RealWorldProtocol.checked)
        #expect(got.map(\.proto) == [.ax25, .callerid, .same])
    }

    @Test func streamingInOddBlocksMatchesWholeFile() throws {
        let rate = 44100.0
        let audio = ProtocolTransmitter.ax25([try AX25Frame(tnc2: "N0CALL>APRS:blocks")], sampleRate: rate)
        var rx = ProtocolReceiver(protocols: [.ax25], sampleRate: rate)
        var got: [ProtocolMessage] = []
        var i = 0, n = 1
        while i < audio.count {
            let j = min(audio.count, i + n)
            got += rx.process(Array(audio[i..<j]))
            i = j
            n = n * 3 % 5000 + 1
        }
        got += rx.finish()
        #expect(got.map(\.text) == ["N0CALL>APRS:blocks"])
    }

    @Test func truncatedInputKeepsWhatCameBeforeTheCut() throws {
        let rate = 22050.0
        let frames = try ["N0CALL>APRS:one", "N0CALL>APRS:two"].map { try AX25Frame(tnc2: $0) }
        let audio = ProtocolTransmitter.ax25(frames, sampleRate: rate)
        let cut = Array(audio[0..<(audio.count * 3 / 4)])
        #expect(ProtocolReceiver.decode(cut, sampleRate: rate, protocols: [.ax25]).map(\.text) == ["N0CALL>APRS:one"])
    }
}
